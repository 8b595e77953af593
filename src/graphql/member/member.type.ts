import { Field, GraphQLISODateTime, ID, ObjectType } from 'type-graphql';
import { RoleOptionType } from '../common/role-option.type';
import { MEMBER_ENTERPRISE_FIELDS, type MemberEnterpriseName, enterpriseOf } from '../../domain/member-fields';
import { MemberPermissions, MemberRole, MemberSource, MemberStatus, RoleSource } from '../../domain/enums';
import { type MemberView } from '../../read-models/member.view';
import { type UserView } from '../../read-models/organization.view';
import { connectionOf } from '../common/connection.type';
import '../common/enums';
import { Node } from '../common/node.type';

// `simpleResolvers`: plain properties resolve with graphql-js's default resolver, without type-graphql's wrapper
// (no field here has middleware or an auth rule); a page of 100 members reads thousands of them.
@ObjectType('MemberName', {
  simpleResolvers: true,
  description: "A member's name as the admin or the identity provider gave it.",
})
export class MemberName {
  @Field(() => String, { nullable: true, description: 'Given (first) name.' })
  givenName!: string | null;

  @Field(() => String, { nullable: true, description: 'Family (last) name.' })
  familyName!: string | null;

  @Field(() => String, { nullable: true, description: 'The full name, formatted for display.' })
  formatted!: string | null;
}

@ObjectType('MemberPhoneNumber', {
  simpleResolvers: true,
  description: 'A phone number of a member, as the identity provider sent it.',
})
export class MemberPhoneNumber {
  @Field(() => String, { description: 'The number, e.g. "+1 201 555 0123" or "tel:+1-201-555-0123".' })
  value!: string;

  @Field(() => String, { nullable: true, description: "A label such as 'work', 'mobile' or 'home'." })
  type!: string | null;

  @Field(() => Boolean, { description: 'Whether this is the primary number.' })
  primary!: boolean;
}

@ObjectType('MemberEnterprise', {
  simpleResolvers: true,
  description: 'Enterprise attributes of a member (the SCIM enterprise extension), as the identity provider sent them.',
})
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface below
export class MemberEnterprise {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- its fields are the member field table's enterprise fields, declared by the loop below
export interface MemberEnterprise extends Record<MemberEnterpriseName, string | null> {}
for (const f of MEMBER_ENTERPRISE_FIELDS) {
  Field(() => String, { nullable: true, description: f.description })(MemberEnterprise.prototype, f.enterprise);
}

@ObjectType('MemberPermissions', {
  simpleResolvers: true,
  description: 'Permission flags; they grant rights only to members with the CUSTOM role.',
})
export class MemberPermissionsType implements MemberPermissions {
  @Field(() => Boolean, { description: 'Invite, confirm, revoke, restore, remove and edit members.' })
  manageUsers!: boolean;

  @Field(() => Boolean, { description: 'Create, edit and delete groups and their membership.' })
  manageGroups!: boolean;

  @Field(() => Boolean, {
    description:
      'Read SCIM settings and the provisioning log, change the provider and staged mode (keys need manageScimKeys).',
  })
  manageScim!: boolean;

  @Field(() => Boolean, { description: "Read the organization's audit trail." })
  accessEventLogs!: boolean;

  @Field(() => Boolean, {
    description: 'Enable and disable SCIM and rotate the SCIM key. Owner-only: only an OWNER gives it.',
  })
  manageScimKeys!: boolean;

  @Field(() => Boolean, { description: "Add, change and remove the organization's webhook endpoints." })
  manageWebhooks!: boolean;
}

@ObjectType('MemberActions', {
  description:
    'What the viewer may do to this member (rights and lifecycle state; the last-owner and seat checks happen on write).',
})
export class MemberActions {
  @Field(() => Boolean, { description: "Edit the name (memberUpdate): needs authority over the member's role." })
  update!: boolean;

  @Field(() => Boolean, { description: 'Change the role (memberUpdate with role): some role in grantableRoles.' })
  changeRole!: boolean;

  @Field(() => Boolean, {
    description:
      'Change the permission flags (memberUpdate with permissions); turning flags on is limited to grantablePermissions.',
  })
  changePermissions!: boolean;

  @Field(() => [MemberRole], {
    description:
      'The roles the viewer may change this member to (its current role excluded); nobody gives a role it does not hold, nor changes its own.',
  })
  grantableRoles!: MemberRole[];

  @Field(() => [RoleOptionType], {
    description:
      'Every role, OWNER first, with whether the viewer may change this member to it (membersChangeRole, memberUpdate) and, when not, why: the same rules the mutations apply. The current role is allowed (choosing it changes nothing).',
  })
  roleOptions!: RoleOptionType[];

  @Field(() => MemberPermissionsType, { description: 'The permission flags the viewer may give this member.' })
  grantablePermissions!: MemberPermissionsType;

  @Field(() => Boolean, { description: 'Confirm an accepted invitation (membersConfirm).' })
  confirm!: boolean;

  @Field(() => Boolean, { description: 'Send the invitation again (membersReinvite).' })
  reinvite!: boolean;

  @Field(() => Boolean, { description: 'Revoke access (membersRevoke).' })
  revoke!: boolean;

  @Field(() => Boolean, { description: 'Restore a revoked member (membersRestore).' })
  restore!: boolean;

  @Field(() => Boolean, { description: 'Remove the membership (membersRemove).' })
  remove!: boolean;

  @Field(() => Boolean, { description: "Change the member's groups (memberGroupsSet, groupMembersAdd/Remove)." })
  manageGroups!: boolean;
}

@ObjectType('User', {
  description: 'An account; it signs in with an access token or OIDC and may be a member of several organizations.',
})
export class UserNode {
  @Field(() => ID, { description: 'The UUID of the account.' })
  id!: string;

  @Field(() => String, { description: 'The e-mail address of the account (unique, case-insensitive).' })
  email!: string;

  @Field(() => String, { nullable: true, description: 'Display name of the account.' })
  name!: string | null;

  static from(u: UserView): UserNode {
    return Object.assign(new UserNode(), { id: u.id, email: u.email, name: u.name });
  }
}

@ObjectType('RevocationHold', {
  simpleResolvers: true,
  description:
    '"Keep revoked": the member stays REVOKED when its identity provider sends `active: true`; membersRestore lifts it.',
})
export class RevocationHold {
  @Field(() => String, { description: 'Who set the hold: a person\'s e-mail address, or "orgctl".' })
  by!: string;

  @Field(() => GraphQLISODateTime, { description: 'When the hold was set (with the revocation).' })
  at!: Date;
}

@ObjectType('Member', {
  simpleResolvers: true,
  implements: Node,
  description: 'One membership of one organization. Invitations and SCIM-provisioned people are members too.',
})
export class MemberNode extends Node {
  @Field(() => String, { description: 'The e-mail address the member signs in with.' })
  email!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'The SCIM userName (the email unless the identity provider set another). Null unless the viewer may view members (manageUsers) or this is its own membership.',
  })
  userName!: string | null;

  @Field(() => MemberName, { description: 'Given, family and formatted name.' })
  name!: MemberName;

  @Field(() => String, { nullable: true, description: 'Name shown in lists.' })
  displayName!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The identity provider's id for this person. Null unless the viewer may view members (manageUsers) or this is its own membership.",
  })
  externalId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Job title. Null unless the viewer may view members (manageUsers) or this is its own membership.',
  })
  title!: string | null;

  @Field(() => [MemberPhoneNumber], {
    nullable: true,
    description:
      'Phone numbers, as the identity provider sent them. Null unless the viewer may view members (manageUsers) or this is its own membership.',
  })
  phoneNumbers!: MemberPhoneNumber[] | null;

  @Field(() => MemberEnterprise, {
    nullable: true,
    description:
      'Employee number, department, cost center, organization, manager and the other enterprise attributes. Null unless the viewer may view members (manageUsers) or this is its own membership.',
  })
  enterprise!: MemberEnterprise | null;

  @Field(() => MemberRole, { description: 'Role in the organization.' })
  role!: MemberRole;

  @Field(() => MemberPermissionsType, { description: 'Permission flags (effective for the CUSTOM role).' })
  permissions!: MemberPermissionsType;

  @Field(() => RoleSource, {
    description: 'Whether the role is set by hand or comes from the role mappings of the groups (see roleGrantedBy).',
  })
  roleSource!: RoleSource;

  /** The deciding group's id (not exposed as such: `roleGrantedBy` renders the group). */
  roleGrantedById!: string | null;

  @Field(() => MemberStatus, { description: 'Lifecycle status.' })
  status!: MemberStatus;

  @Field(() => String, {
    nullable: true,
    description:
      'Why access was revoked, while REVOKED. Null unless the viewer may view members (manageUsers) or this is its own membership.',
  })
  revocationReason!: string | null;

  @Field(() => RevocationHold, {
    nullable: true,
    description:
      'Set while REVOKED with keepRevoked: a SCIM `active: true` does not restore the member (the first one per hold is audited as member.restore_held_back). Null unless the viewer may view members (manageUsers) or this is its own membership.',
  })
  revocationHold!: RevocationHold | null;

  @Field(() => MemberSource, { description: 'How the member came to exist.' })
  source!: MemberSource;

  @Field(() => GraphQLISODateTime, { description: 'When the member was created (invited or provisioned).' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When the member last changed.' })
  updatedAt!: Date;

  // Not exposed as such: read by the field resolvers.
  organizationId!: string;
  userId!: string | null;

  /** The status a restore returns to (not exposed; `viewerCan.restore` needs it for the seat check). */
  priorStatus!: MemberStatus | null;

  /**
   * `profile` false (see seesMemberProfile): only who the member is (id, e-mail, name, status) and its place in the
   * organization; the profile and enterprise attributes are null.
   */
  static from(m: MemberView, profile = true): MemberNode {
    const node = MemberNode.withProfile(m);
    if (profile) return node;
    return Object.assign(node, {
      userName: null,
      externalId: null,
      title: null,
      phoneNumbers: null,
      enterprise: null,
      revocationReason: null,
      revocationHold: null,
    });
  }

  // Assigned one by one, not Object.assign of a literal: a members page makes a hundred.
  private static withProfile(m: MemberView): MemberNode {
    const node = new MemberNode();
    node.id = m.id;
    node.organizationId = m.organizationId;
    node.userId = m.userId;
    node.email = m.email;
    node.userName = m.userName;
    node.displayName = m.displayName;
    node.externalId = m.externalId;
    node.role = m.role;
    node.permissions = { ...m.permissions };
    node.roleSource = m.roleSource;
    node.roleGrantedById = m.roleGrantedById;
    node.status = m.status;
    node.priorStatus = m.priorStatus;
    node.revocationReason = m.revocationReason;
    node.revocationHold =
      m.revocationHeldAt && m.revocationHeldBy ? { by: m.revocationHeldBy, at: m.revocationHeldAt } : null;
    node.source = m.source;
    node.createdAt = m.createdAt;
    node.updatedAt = m.updatedAt;
    node.name = { givenName: m.givenName, familyName: m.familyName, formatted: m.formattedName };
    node.title = m.title;
    node.phoneNumbers = (m.phoneNumbers ?? []).map((p) => ({
      value: p.value,
      type: p.type ?? null,
      primary: p.primary === true,
    }));
    node.enterprise = enterpriseOf(m);
    return node;
  }
}

export const MemberConnection = connectionOf(MemberNode, 'Member', 'members');
