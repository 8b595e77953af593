import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, GraphQLISODateTime, ID, ObjectType } from 'type-graphql';
import { type AuditEventView } from '../../read-models/log.view';
import { connectionOf } from '../common/connection.type';
import { ActorKind, AuditSource } from '../common/enums';

@ObjectType('AuditActor', { description: 'Who made an audited change.' })
export class AuditActor {
  @Field(() => ActorKind, { description: 'A user, the SCIM connection, an operator (CLI) or the system.' })
  kind!: ActorKind;

  @Field(() => String, {
    description:
      'Who it was, in words: the account\'s email, the SCIM client ("JumpCloud"), "an operator (orgctl)" or "orgd".',
  })
  display!: string;

  @Field(() => ID, { nullable: true, description: 'The account of a USER actor.' })
  userId!: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The acting member (a USER actor acting as a member of the organization), to link to.',
  })
  memberId!: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The SCIM API key a SCIM actor authenticated with (it may since have been rotated away).',
  })
  apiKeyId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The identity provider configured for that SCIM key (SCIM actor only).',
  })
  provider!: string | null;

  organizationId!: string;
}

@ObjectType('AuditTarget', { description: 'What an audited change was about.' })
export class AuditTarget {
  @Field(() => String, { nullable: true, description: 'organization, member, group, scim or token.' })
  type!: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The UUID of the target (it may no longer exist), to link to the member or group.',
  })
  id!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The member's email or the group's name, as it is now (as the event recorded it once deleted); null for other targets.",
  })
  display!: string | null;

  organizationId!: string;
}

@ObjectType('AuditEvent', { description: 'One change, recorded in the same transaction as the change itself.' })
export class AuditEventNode {
  @Field(() => ID, { description: 'Id of the event.' })
  id!: string;

  @Field(() => String, { description: 'What happened, e.g. member.invited, group.updated, scim.key_rotated.' })
  type!: string;

  @Field(() => AuditActor, { description: 'Who did it.' })
  actor!: AuditActor;

  @Field(() => AuditTarget, { description: 'What it was about.' })
  target!: AuditTarget;

  @Field(() => GraphQLISODateTime, { description: 'When it happened.' })
  occurredAt!: Date;

  @Field(() => AuditSource, { description: 'Where it came from: CONSOLE, SCIM, CLI or SYSTEM.' })
  source!: AuditSource;

  @Field(() => String, { nullable: true, description: "Why, when the change was given a reason (a revocation's)." })
  reason!: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Details of the change (never a secret).' })
  data!: Record<string, unknown> | null;

  @Field(() => String, {
    nullable: true,
    description: "The server's own id of the request (the X-Request-Id it answered with, also in its logs).",
  })
  requestId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The X-Request-Id the caller sent, if any, kept beside the server's own id.",
  })
  clientRequestId!: string | null;

  static from(e: AuditEventView): AuditEventNode {
    const organizationId = e.organizationId;
    return Object.assign(new AuditEventNode(), {
      id: e.id,
      type: e.type,
      occurredAt: e.occurredAt,
      source: e.source as AuditSource,
      reason: e.reason,
      data: e.data,
      requestId: e.requestId,
      clientRequestId: e.clientRequestId,
      actor: Object.assign(new AuditActor(), {
        kind: e.actorKind as ActorKind,
        display: e.actorDisplay,
        userId: e.actorUserId,
        memberId: e.actorMemberId,
        apiKeyId: e.actorApiKeyId,
        provider: e.actorProvider,
        organizationId,
      }),
      target: Object.assign(new AuditTarget(), {
        type: e.targetType,
        id: e.targetId,
        display: e.targetDisplay,
        organizationId,
      }),
    });
  }
}

export const AuditEventConnection = connectionOf(AuditEventNode, 'AuditEvent', 'audit events');
