import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { HeldDeprovisioningAction, HeldDeprovisioningStatus } from '../../domain/deprovisioning-safeguard';
import { type HeldDeprovisioningView } from '../../read-models/held-deprovisioning.view';
import { connectionOf } from '../common/connection.type';
import { UserError } from '../common/user-error.type';

registerEnumType(HeldDeprovisioningAction, {
  name: 'HeldDeprovisioningAction',
  description: 'What the identity provider asked for.',
  valuesConfig: {
    DEACTIVATE: { description: 'SCIM `active: false` (PUT or PATCH): revoke the member.' },
    DELETE: { description: 'SCIM DELETE of the user: remove the member.' },
  },
});

registerEnumType(HeldDeprovisioningStatus, {
  name: 'HeldDeprovisioningStatus',
  description: 'Where a held deprovisioning stands.',
  valuesConfig: {
    HELD: { description: 'Waiting for someone to apply or discard it.' },
    APPLIED: { description: 'Applied as the identity provider asked.' },
    DISCARDED: { description: 'Dropped: the member was left as it was.' },
  },
});

@ObjectType('DeprovisioningSafeguard', {
  description:
    'Past `threshold` SCIM deprovisionings (deactivations and deletions) within `windowMinutes`, the next ones are held for a person to apply or discard.',
})
export class DeprovisioningSafeguardNode {
  @Field(() => Boolean, {
    description: 'Whether the safeguard holds deprovisionings past the threshold (on by default).',
  })
  enabled!: boolean;

  @Field(() => Int, { description: 'How many SCIM deprovisionings apply within the window (1 to 10000, default 50).' })
  threshold!: number;

  @Field(() => Int, { description: 'The window, in minutes (1 to 10080, default 60).' })
  windowMinutes!: number;
}

@ObjectType('HeldDeprovisioning', {
  description: 'A SCIM deprovisioning the safeguard held: recorded, not applied.',
})
export class HeldDeprovisioningNode {
  @Field(() => ID, { description: 'Id of the held change.' })
  id!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The member (its SCIM User id); null once it was removed otherwise.',
  })
  memberId!: string | null;

  @Field(() => String, { description: "The member's e-mail address." })
  memberEmail!: string;

  @Field(() => String, { nullable: true, description: "The member's display name, when it has one." })
  memberDisplayName!: string | null;

  @Field(() => HeldDeprovisioningAction, { description: 'What the identity provider asked for.' })
  action!: HeldDeprovisioningAction;

  @Field(() => HeldDeprovisioningStatus, { description: 'HELD, or what became of it.' })
  status!: HeldDeprovisioningStatus;

  @Field(() => GraphQLISODateTime, { description: 'When the identity provider asked.' })
  requestedAt!: Date;

  @Field(() => String, {
    nullable: true,
    description: "The server's request id of the SCIM request (as in the provisioning log).",
  })
  requestId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The identity provider's own request id (its X-Request-Id), when it sent one.",
  })
  clientRequestId!: string | null;

  @Field(() => String, { nullable: true, description: 'The last characters of the SCIM key the request used.' })
  apiKeyHint!: string | null;

  static from(view: HeldDeprovisioningView): HeldDeprovisioningNode {
    return Object.assign(new HeldDeprovisioningNode(), {
      id: view.id,
      memberId: view.memberId,
      memberEmail: view.memberEmail,
      memberDisplayName: view.memberDisplayName,
      action: view.action,
      status: view.status,
      requestedAt: view.requestedAt,
      requestId: view.requestId,
      clientRequestId: view.clientRequestId,
      apiKeyHint: view.apiKeyHint,
    });
  }
}

export const HeldDeprovisioningConnection = connectionOf(
  HeldDeprovisioningNode,
  'HeldDeprovisioning',
  'held deprovisionings',
);

@ObjectType('HeldDeprovisioningsPayload', { description: 'The held deprovisionings a decision took.' })
export class HeldDeprovisioningsPayload {
  @Field(() => [HeldDeprovisioningNode], {
    nullable: true,
    description: 'The held changes decided, with their new status; null when it failed (nothing changed).',
  })
  heldDeprovisionings!: HeldDeprovisioningNode[] | null;

  @Field(() => [UserError], { description: 'Why nothing was decided; empty on success.' })
  userErrors!: UserError[];
}
