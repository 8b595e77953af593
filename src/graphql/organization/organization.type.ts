import { Field, GraphQLISODateTime, Int, ObjectType } from 'type-graphql';
import { Capabilities } from '../../domain/policy';
import { RoleOptionType } from '../common/role-option.type';
import { type OrganizationView } from '../../read-models/organization.view';
import { connectionOf } from '../common/connection.type';
import { Node } from '../common/node.type';

@ObjectType('Organization', {
  implements: Node,
  description: 'An organization: its members, groups, SCIM provisioning and audit trail.',
})
export class OrganizationNode extends Node {
  @Field(() => String, { description: 'Name of the organization.' })
  name!: string;

  @Field(() => GraphQLISODateTime, { description: 'When the organization was created.' })
  createdAt!: Date;

  seatLimit!: number | null;

  static from(o: OrganizationView): OrganizationNode {
    return Object.assign(new OrganizationNode(), {
      id: o.id,
      name: o.name,
      createdAt: o.createdAt,
      seatLimit: o.seatLimit,
    });
  }
}

export const OrganizationConnection = connectionOf(OrganizationNode, 'Organization', 'organizations');

@ObjectType('Seats', { description: 'Seat usage: INVITED, ACCEPTED and CONFIRMED members occupy a seat.' })
export class Seats {
  @Field(() => Int, { description: 'Seats occupied now.' })
  used!: number;

  @Field(() => Int, { nullable: true, description: 'Seats available in total; null means unlimited.' })
  limit!: number | null;
}

@ObjectType('MemberStatusCounts', { description: 'How many members the organization has in each status.' })
export class MemberStatusCounts {
  @Field(() => Int, { description: 'Members in STAGED.' })
  staged!: number;

  @Field(() => Int, { description: 'Members in INVITED.' })
  invited!: number;

  @Field(() => Int, { description: 'Members in ACCEPTED.' })
  accepted!: number;

  @Field(() => Int, { description: 'Members in CONFIRMED.' })
  confirmed!: number;

  @Field(() => Int, { description: 'Members in REVOKED.' })
  revoked!: number;

  @Field(() => Int, { description: 'All members.' })
  total!: number;
}

@ObjectType('OrganizationPermissions', {
  description: 'What the viewer may do in this organization (from its role and permission flags).',
})
export class OrganizationPermissions implements Capabilities {
  @Field(() => Boolean, { description: 'Read the organization itself.' })
  viewOrganization!: boolean;

  @Field(() => Boolean, { description: 'Rename the organization and change its seat limit.' })
  updateOrganization!: boolean;

  @Field(() => Boolean, { description: 'List and read members.' })
  viewMembers!: boolean;

  @Field(() => Boolean, { description: 'Invite, confirm, revoke, restore, remove and edit members.' })
  manageMembers!: boolean;

  @Field(() => Boolean, { description: 'Manage owners (invite, promote, demote, revoke or remove an owner).' })
  manageOwners!: boolean;

  @Field(() => Boolean, { description: 'List and read groups.' })
  viewGroups!: boolean;

  @Field(() => Boolean, { description: 'Create, edit and delete groups and their membership.' })
  manageGroups!: boolean;

  @Field(() => Boolean, {
    description: 'Read SCIM settings and the SCIM request log, change the provider and staged mode.',
  })
  manageScim!: boolean;

  @Field(() => Boolean, {
    description: 'Enable and disable SCIM and rotate the SCIM key (OWNER, or CUSTOM with manageScimKeys).',
  })
  manageScimKeys!: boolean;

  @Field(() => Boolean, { description: 'Read the audit trail.' })
  viewEvents!: boolean;

  @Field(() => Boolean, { description: 'Add, change and remove webhook endpoints and read their deliveries.' })
  manageWebhooks!: boolean;

  @Field(() => [RoleOptionType], {
    description:
      "Every role, OWNER first, with whether the viewer may give it to a new or another member and why not (from the rules the mutations apply: a role above the viewer's own is refused). For one member, see Member.viewerCan.grantableRoles.",
  })
  roleOptions!: RoleOptionType[];
}
