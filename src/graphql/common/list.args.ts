import { ArrayMaxSize, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, GraphQLISODateTime, ID, InputType, Int } from 'type-graphql';
import { MemberRole, MemberSource, MemberStatus } from '../../domain/enums';
import { AuditSource, GroupOrderField, MemberOrderField, OrderDirection } from './enums';
import { ForwardPageArgs, PageArgs } from './page.args';

@InputType('MemberFilter', { description: 'Narrows a member list; all given criteria must match.' })
export class MemberFilterInput {
  @Field(() => String, {
    nullable: true,
    description:
      "Text contained in email, userName, display name, formatted name, externalId or the name of one of the member's groups (case-insensitive).",
  })
  @MaxLength(200)
  query?: string;

  @Field(() => [MemberStatus], { nullable: true, description: 'Any of these statuses.' })
  @ArrayMaxSize(10)
  statuses?: MemberStatus[];

  @Field(() => [MemberRole], { nullable: true, description: 'Any of these roles.' })
  @ArrayMaxSize(10)
  roles?: MemberRole[];

  @Field(() => [MemberSource], {
    nullable: true,
    description: 'Any of these sources, e.g. [SCIM] for the members an identity provider manages.',
  })
  @ArrayMaxSize(10)
  sources?: MemberSource[];

  @Field(() => [ID], { nullable: true, description: 'Members of any of these groups.' })
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  groupIds?: string[];

  @Field(() => String, { nullable: true, description: 'Exactly this email (case-insensitive).' })
  @MaxLength(320)
  email?: string;

  @Field(() => String, { nullable: true, description: 'Exactly this userName (case-insensitive).' })
  @MaxLength(320)
  userName?: string;

  @Field(() => String, { nullable: true, description: 'Exactly this externalId.' })
  @MaxLength(400)
  externalId?: string;
}

@InputType('MemberOrder', { description: 'Sort order of a member list.' })
export class MemberOrderInput {
  @Field(() => MemberOrderField, { defaultValue: MemberOrderField.CREATED_AT, description: 'Sort key.' })
  field!: MemberOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC, description: 'Sort direction.' })
  direction!: OrderDirection;
}

@ArgsType()
export class MembersArgs extends PageArgs {
  @Field(() => MemberFilterInput, { nullable: true, description: 'Which members to list.' })
  @ValidateNested()
  filter?: MemberFilterInput;

  @Field(() => MemberOrderInput, { nullable: true, description: 'Sort order (default: oldest first).' })
  orderBy?: MemberOrderInput;
}

@InputType('GroupFilter', { description: 'Narrows a group list; all given criteria must match.' })
export class GroupFilterInput {
  @Field(() => String, { nullable: true, description: 'Text contained in the display name (case-insensitive).' })
  @MaxLength(200)
  query?: string;

  @Field(() => String, { nullable: true, description: 'Exactly this externalId.' })
  @MaxLength(400)
  externalId?: string;
}

@InputType('GroupOrder', { description: 'Sort order of a group list.' })
export class GroupOrderInput {
  @Field(() => GroupOrderField, { defaultValue: GroupOrderField.CREATED_AT, description: 'Sort key.' })
  field!: GroupOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC, description: 'Sort direction.' })
  direction!: OrderDirection;
}

@ArgsType()
export class GroupsArgs extends PageArgs {
  @Field(() => GroupFilterInput, { nullable: true, description: 'Which groups to list.' })
  @ValidateNested()
  filter?: GroupFilterInput;

  @Field(() => GroupOrderInput, { nullable: true, description: 'Sort order (default: oldest first).' })
  orderBy?: GroupOrderInput;
}

@InputType('AuditEventFilter', { description: 'Narrows the audit trail.' })
export class AuditEventFilterInput {
  @Field(() => [String], {
    nullable: true,
    description: 'Any of these event types, e.g. ["member.invited", "member.confirmed"].',
  })
  @ArrayMaxSize(50)
  @MaxLength(100, { each: true })
  types?: string[];

  @Field(() => ID, { nullable: true, description: 'Events made by or about this member.' })
  @IsUUID('all')
  memberId?: string;

  @Field(() => String, {
    nullable: true,
    description:
      "Events about a person: a member id, or text in the member's email (case-insensitive; a removed member's email as the event recorded it).",
  })
  @MaxLength(320)
  person?: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Events a person did (in the console or over the API): their member id or account id, or text in their email (case-insensitive).',
  })
  @MaxLength(320)
  actor?: string;

  @Field(() => [AuditSource], { nullable: true, description: 'Any of these sources: CONSOLE, SCIM, CLI, SYSTEM.' })
  @ArrayMaxSize(4)
  sources?: AuditSource[];

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Events at or after this time.' })
  from?: Date;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Events before this time (exclusive); a "from" after it is BAD_USER_INPUT.',
  })
  to?: Date;
}

@ArgsType()
export class EventsArgs extends ForwardPageArgs {
  @Field(() => AuditEventFilterInput, { nullable: true, description: 'Which events to list.' })
  @ValidateNested()
  filter?: AuditEventFilterInput;
}

@InputType('ScimRequestLogFilter', { description: 'Narrows the SCIM request log.' })
export class ScimRequestLogFilterInput {
  @Field(() => Int, { nullable: true, description: 'Exactly this HTTP status, e.g. 409.' })
  @Min(100)
  @Max(599)
  status?: number;

  @Field(() => Int, { nullable: true, description: 'A status class: 2 for 2xx, 4 for 4xx, 5 for 5xx.' })
  @Min(1)
  @Max(5)
  statusClass?: number;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: only failed requests (HTTP status 400 or above); false: only the others.',
  })
  failed?: boolean;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Only requests that arrived at or after this time, e.g. one hour ago.',
  })
  since?: Date;

  @Field(() => String, {
    nullable: true,
    description:
      "The requests about one person: a member id, or text in a member's email, userName or externalId (case-insensitive).",
  })
  @MaxLength(320)
  person?: string;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: only the entries with a warning (a success that left something undone); false: the others.',
  })
  hasWarning?: boolean;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: only requests refused for their key; false: only requests whose key was accepted.',
  })
  rejectedKey?: boolean;
}

@ArgsType()
export class ScimRequestLogArgs extends ForwardPageArgs {
  @Field(() => ScimRequestLogFilterInput, { nullable: true, description: 'Which requests to list.' })
  @ValidateNested()
  filter?: ScimRequestLogFilterInput;
}
