import { type Actor } from '../domain/actor';
import { type MemberPermissions, MemberRole, NO_PERMISSIONS, PERMISSION_FLAGS, RoleSource } from '../domain/enums';
import { DomainError, ErrorCode, forbidden, invalidInput } from '../domain/errors';
import { grantRefusal, mayActOn, mayGiveRole } from '../domain/policy';
import { type Member } from '../entities';
import { GroupRepository } from '../repositories/group.repository';
import { GroupRoleRepository, type RecomputeScope } from '../repositories/group-role.repository';
import { MemberRepository } from '../repositories/member.repository';
import { type Transaction, flush } from '../repositories/unit-of-work';
import { type GroupView } from '../read-models/group.view';
import { type MemberView } from '../read-models/member.view';
import { authorize } from './access';
import { auditEvent, auditedInStatement, recordAudit } from './audit';
import { BaseService } from './base';

/** The role a group's members get from it: never OWNER; flags count only for CUSTOM. */
export interface RoleMappingInput {
  role: MemberRole;
  permissions?: Partial<MemberPermissions> | null;
}

/**
 * Recomputes, in the caller's transaction, the role of the members in `scope` whose role comes from groups, and
 * audits each one that changed (`member.updated`, naming the deciding group and the actor). One statement, whatever
 * the number of members. `causeGroupId`: the group whose change this follows (null for a member's own switch).
 */
export async function recomputeGroupRoles(
  tx: Transaction,
  actor: Actor,
  organizationId: string,
  scope: RecomputeScope,
  causeGroupId: string | null,
  actorMemberId: string | null,
): Promise<number> {
  const template = auditEvent(
    actor,
    organizationId,
    'member.updated',
    { type: 'member', id: null },
    null,
    actorMemberId,
  );
  const changed = await new GroupRoleRepository(tx).recompute(organizationId, scope, { ...template, causeGroupId });
  for (const { memberId, data } of changed)
    auditedInStatement(tx, actor, { ...template, targetType: 'member', targetId: memberId, data });
  return changed.length;
}

/** Whether a membership change of this group can change anyone's role (only a mapped group's can). */
export const groupIsMapped = (tx: Transaction, groupId: string): Promise<boolean> =>
  new GroupRoleRepository(tx).isMapped(groupId);

/** The ids of a group's members, read before it is deleted (their roles are recomputed after). */
export const memberIdsOfGroup = (tx: Transaction, groupId: string): Promise<string[]> =>
  new GroupRoleRepository(tx).memberIdsOf(groupId);

/**
 * A manual change of the role or flags of a member whose role follows its groups is refused, naming the group
 * that decides it: the next group change would undo it. Switch the member to a manual role first.
 */
export async function refuseManualRoleChange(tx: Transaction, member: Member): Promise<never> {
  const groupId = member.roleGrantedById;
  const group = groupId ? await new GroupRepository(tx).findInOrg(member.organization.id, groupId) : null;
  const from = group ? `the group "${group.displayName}"` : 'its groups (none maps a role: the default role)';
  throw new DomainError(
    ErrorCode.INVALID_STATE,
    `the role of ${member.email} comes from ${from}; change the group's role mapping, or switch the member to a manual role first`,
    'role',
  );
}

/** Group role mappings, and whether a member's role follows its groups. */
export class GroupRoleService extends BaseService {
  /**
   * Sets the role the group's members get. Setting it is giving that role to every member of the group: the grant
   * rule applies to whoever sets it, and replacing a mapping takes the authority to give the one it replaces.
   */
  async setMapping(actor: Actor, organizationId: string, groupId: string, input: RoleMappingInput): Promise<GroupView> {
    if (input.role === MemberRole.OWNER) throw invalidInput('a group role mapping never gives the OWNER role', 'role');
    const permissions =
      input.role === MemberRole.CUSTOM ? { ...NO_PERMISSIONS, ...input.permissions } : { ...NO_PERMISSIONS };
    return this.changeMapping(actor, organizationId, groupId, { role: input.role, permissions });
  }

  /** Removes the group's mapping; its members' roles are recomputed without it. */
  async clearMapping(actor: Actor, organizationId: string, groupId: string): Promise<GroupView> {
    return this.changeMapping(actor, organizationId, groupId, null);
  }

  private changeMapping(
    actor: Actor,
    organizationId: string,
    groupId: string,
    next: { role: MemberRole; permissions: MemberPermissions } | null,
  ): Promise<GroupView> {
    return this.write(async (tx) => {
      const access = await authorize(tx, actor, organizationId, 'manageGroups');
      const groups = new GroupRepository(tx);
      const group = await groups.getInOrganization(organizationId, groupId, true);
      const previous = group.mappedRole;
      if (previous && !mayGiveRole(access.authority, previous))
        throw forbidden(`not allowed to change a mapping that gives the ${previous} role`);
      if (next) {
        // As for a new member: the role and every flag it gives must be the actor's to give.
        const refusal = grantRefusal(access.authority, null, next);
        if (refusal) throw forbidden(refusal);
      }
      const roles = new GroupRoleRepository(tx);
      await roles.setMapping(organizationId, groupId, next?.role ?? null, next?.permissions ?? null);
      const membersChanged = await recomputeGroupRoles(
        tx,
        actor,
        organizationId,
        { groupId },
        groupId,
        access.membership?.id ?? null,
      );
      recordAudit(
        tx,
        actor,
        organizationId,
        next ? 'group.role_mapping_set' : 'group.role_mapping_cleared',
        { type: 'group', id: groupId },
        {
          displayName: group.displayName,
          ...(next ? { role: next.role, permissions: flagsOn(next) } : {}),
          ...(previous ? { previousRole: previous } : {}),
          membersChanged,
        },
        access.membership?.id,
      );
      return roles.groupAsStored(organizationId, groupId);
    });
  }

  /**
   * Switches a member between a manual role and the role from its groups; authorized like a role change. Back to
   * MANUAL the member keeps the role it has; to GROUPS its role is recomputed at once. An owner's role never comes
   * from groups.
   */
  async setRoleSource(
    actor: Actor,
    organizationId: string,
    memberId: string,
    roleSource: RoleSource,
  ): Promise<MemberView> {
    return this.write(async (tx) => {
      const access = await authorize(tx, actor, organizationId, 'manageMembers');
      const members = new MemberRepository(tx);
      const member = await members.getInOrganization(organizationId, memberId, true);
      if (roleSource === RoleSource.GROUPS && member.role === MemberRole.OWNER)
        throw invalidInput("an owner's role never comes from groups", 'roleSource');
      if (!mayActOn(access.authority, member.role))
        throw forbidden(`not allowed to manage a member whose role is ${member.role}`);
      if (access.authority.kind === 'MEMBER' && access.authority.memberId === member.id)
        throw forbidden('nobody changes their own role or permission flags');
      if (member.roleSource !== roleSource) {
        member.roleSource = roleSource;
        if (roleSource === RoleSource.MANUAL) member.roleGrantedById = null;
        recordAudit(
          tx,
          actor,
          organizationId,
          'member.role_source_set',
          { type: 'member', id: member.id },
          { email: member.email, roleSource },
          access.membership?.id,
        );
        await flush(tx);
        if (roleSource === RoleSource.GROUPS)
          await recomputeGroupRoles(
            tx,
            actor,
            organizationId,
            { memberIds: [member.id] },
            null,
            access.membership?.id ?? null,
          );
      }
      const stored = await new GroupRoleRepository(tx).memberAsStored(organizationId, member.id);
      // Following its groups must not give the member a role the actor could not give by hand.
      if (stored.role !== member.role && !mayGiveRole(access.authority, stored.role))
        throw forbidden(`not allowed to give the ${stored.role} role`);
      return stored;
    });
  }
}

const flagsOn = (next: { role: MemberRole; permissions: MemberPermissions }): string[] =>
  next.role === MemberRole.CUSTOM ? PERMISSION_FLAGS.filter((f) => next.permissions[f]) : [];
