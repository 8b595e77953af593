import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, GraphQLISODateTime, ID, ObjectType } from 'type-graphql';
import { type AuditEventView } from '../../read-models/log.view';
import { connectionOf } from '../common/connection.type';
import { ActorKind } from '../common/enums';

@ObjectType('AuditActor', { description: 'Who made an audited change.' })
export class AuditActor {
  @Field(() => ActorKind, { description: 'A user, the SCIM connection, an operator (CLI) or the system.' })
  kind!: ActorKind;

  @Field(() => ID, { nullable: true, description: 'The account of a USER actor.' })
  userId!: string | null;

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
  memberId!: string | null;
}

@ObjectType('AuditTarget', { description: 'What an audited change was about.' })
export class AuditTarget {
  @Field(() => String, { nullable: true, description: 'organization, member, group, scim or token.' })
  type!: string | null;

  @Field(() => ID, { nullable: true, description: 'The UUID of the target (it may no longer exist).' })
  id!: string | null;

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
      data: e.data,
      requestId: e.requestId,
      clientRequestId: e.clientRequestId,
      actor: Object.assign(new AuditActor(), {
        kind: e.actorKind as ActorKind,
        userId: e.actorUserId,
        memberId: e.actorMemberId,
        apiKeyId: e.actorApiKeyId,
        provider: e.actorProvider,
        organizationId,
      }),
      target: Object.assign(new AuditTarget(), { type: e.targetType, id: e.targetId, organizationId }),
    });
  }
}

export const AuditEventConnection = connectionOf(AuditEventNode, 'AuditEvent', 'audit events');
