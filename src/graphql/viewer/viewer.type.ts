import { Field, GraphQLISODateTime, ID, ObjectType } from 'type-graphql';
import { MemberRole, MemberStatus } from '../../domain/enums';
import { type AccessTokenView } from '../../read-models/api-key.view';
import { type InvitationView, type PendingMembershipView } from '../../read-models/organization.view';
import '../common/enums';
import { UserNode } from '../member/member.type';
import { CreatedByNode } from './created-by.type';

@ObjectType('Viewer', { description: 'The signed-in account: its organizations, invitations and access tokens.' })
export class Viewer {
  @Field(() => UserNode, { description: 'The account itself.' })
  user!: UserNode;
}

@ObjectType('PendingInvitation', {
  description: "An invitation sent to the viewer's e-mail address, waiting to be accepted.",
})
export class PendingInvitation {
  @Field(() => ID, { description: 'The id of the invited member.' })
  memberId!: string;

  @Field(() => ID, { description: 'The inviting organization.' })
  organizationId!: string;

  @Field(() => String, { description: 'Name of the inviting organization.' })
  organizationName!: string;

  @Field(() => String, { description: 'The invited address.' })
  email!: string;

  @Field(() => MemberRole, { description: 'The role offered.' })
  role!: MemberRole;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the invitation expires.' })
  expiresAt!: Date | null;

  static from(invitation: InvitationView): PendingInvitation {
    return Object.assign(new PendingInvitation(), invitation);
  }
}

@ObjectType('PendingMembership', {
  description:
    "A membership of the viewer's account that gives no rights yet: invited, or accepted and waiting for an administrator to confirm it.",
})
export class PendingMembership {
  @Field(() => String, { description: 'Name of the organization.' })
  organizationName!: string;

  @Field(() => MemberStatus, { description: 'INVITED or ACCEPTED.' })
  status!: MemberStatus;

  static from(m: PendingMembershipView): PendingMembership {
    return Object.assign(new PendingMembership(), { organizationName: m.organizationName, status: m.status });
  }
}

@ObjectType('AccessToken', {
  description: "One of the viewer's access tokens (the secret itself is shown only when created).",
})
export class AccessTokenNode {
  @Field(() => ID, { description: 'Id of the token, for accessTokenRevoke.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'A label chosen at creation.' })
  name!: string | null;

  @Field(() => String, { description: 'The last characters of the token.' })
  hint!: string;

  @Field(() => GraphQLISODateTime, { description: 'When the token was created.' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the token was last used (minute resolution).' })
  lastUsedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the token was revoked.' })
  revokedAt!: Date | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      'When the token stops working; null: until revoked. Never later than the credential that created it (createdBy).',
  })
  expiresAt!: Date | null;

  @Field(() => CreatedByNode, {
    description: 'What created the token; revoking that ends this token too.',
  })
  createdBy!: CreatedByNode;

  static from(k: AccessTokenView): AccessTokenNode {
    return Object.assign(new AccessTokenNode(), k, { createdBy: CreatedByNode.from(k.createdBy) });
  }
}
