import { GroupSource } from '../domain/enums';
import { refuseIdpGroupEdit } from './idp-managed';
import { type Actor } from '../domain/actor';
import { DomainError, ErrorCode, invalidInput } from '../domain/errors';
import { requiredName } from '../domain/text';
import { type Group } from '../entities';
import { type GroupFilter, type GroupOrderField, GroupRepository } from '../repositories/group.repository';
import { MemberRepository } from '../repositories/member.repository';
import { type Page, type PageRequest, encodeCursor } from '../repositories/pagination';
import { type Transaction, flush } from '../repositories/unit-of-work';
import { type GroupView, groupView } from '../read-models/group.view';
import { type MemberView } from '../read-models/member.view';
import { authorize } from './access';
import { recordAudit } from './audit';
import { groupIsMapped, memberIdsOfGroup, recomputeGroupRoles } from './group-roles';
import { noteGroupMembers } from './webhooks/pending-changes';
import { BaseService, assertVersion } from './base';
import { type GroupResourceFilter, type GroupSortAttribute, type ResourceListQuery } from '../domain/resource-filter';

/** What to do to a group's members, resolved by the caller (SCIM PATCH plan, GraphQL mutations). */
export interface MembershipDelta {
  /** Replace the whole set (applied first). */
  replace?: string[];
  removeAll?: boolean;
  add?: string[];
  remove?: string[];
}

export interface GroupChanges {
  displayName?: string;
  externalId?: string | null;
  members?: MembershipDelta;
}

export interface GroupWriteOptions {
  expectedVersion?: number;
}

/** A group write from an identity provider, with the member ids it named that are not members of the organization. */
export interface IdpGroupWrite {
  group: GroupView;
  skippedMemberIds: string[];
}

/** Groups and their membership; membership edits are set-based SQL deltas, never a loaded collection. */
export class GroupService extends BaseService {
  async get(actor: Actor, organizationId: string, groupId: string): Promise<GroupView> {
    return this.read(async (em) => {
      await viewGroups(em, actor, organizationId);
      return groupView(await loadGroup(em, organizationId, groupId));
    });
  }

  async list(
    actor: Actor,
    organizationId: string,
    filter: GroupFilter,
    field: GroupOrderField,
    descending: boolean,
    page: PageRequest,
  ): Promise<Page<GroupView>> {
    return this.read(async (em) => {
      await viewGroups(em, actor, organizationId);
      return new GroupRepository(em).page(organizationId, filter, field, descending, page);
    });
  }

  /** A SCIM list (RFC 7644 §3.4.2): the groups matching a resolved filter, from `startIndex` (1-based). */
  async listForScim(
    actor: Actor,
    organizationId: string,
    query: ResourceListQuery<GroupResourceFilter, GroupSortAttribute>,
  ): Promise<{ items: GroupView[]; total: number }> {
    return this.read(async (em) => {
      await viewGroups(em, actor, organizationId);
      return new GroupRepository(em).offsetPage(organizationId, {
        filter: query.filter,
        sort: query.sort,
        offset: query.startIndex - 1,
        limit: query.count,
      });
    });
  }

  /** Members of many groups at once (DataLoader / SCIM). `limitPerGroup` null = all. */
  async membersOf(
    actor: Actor,
    organizationId: string,
    groupIds: string[],
    limitPerGroup: number | null,
  ): Promise<Map<string, MemberView[]>> {
    return this.read(async (em) => {
      await viewGroups(em, actor, organizationId);
      return new GroupRepository(em).membersOfGroups(await this.ownIds(em, organizationId, groupIds), limitPerGroup);
    });
  }

  /** One group's members as a keyset page, oldest first (GraphQL Group.members past its first page). */
  async memberPage(
    actor: Actor,
    organizationId: string,
    groupId: string,
    page: PageRequest,
  ): Promise<Page<MemberView>> {
    return this.read(async (em) => {
      await viewGroups(em, actor, organizationId);
      const group = await loadGroup(em, organizationId, groupId);
      return new MemberRepository(em).page(
        organizationId,
        { groupIds: [group.id] },
        { field: 'CREATED_AT', direction: 'ASC' },
        page,
      );
    });
  }

  /** The cursor memberPage gives a member: a first page read in batch by membersOf (same order) continues there. */
  memberCursor(member: { readonly createdAt: Date; readonly id: string }): string {
    return encodeCursor(member.createdAt.toISOString(), member.id);
  }

  async memberCounts(actor: Actor, organizationId: string, groupIds: string[]): Promise<Map<string, number>> {
    return this.read(async (em) => {
      await viewGroups(em, actor, organizationId);
      return new GroupRepository(em).memberCounts(await this.ownIds(em, organizationId, groupIds));
    });
  }

  /** Groups of many members at once (DataLoader / SCIM User.groups). */
  async groupsOf(actor: Actor, organizationId: string, memberIds: string[]): Promise<Map<string, GroupView[]>> {
    return this.read(async (em) => {
      await viewGroups(em, actor, organizationId);
      // Scoped: only groups of this organization (member ids of another organization simply yield nothing).
      return new GroupRepository(em).groupsOfMembers(organizationId, memberIds);
    });
  }

  async create(
    actor: Actor,
    organizationId: string,
    input: { displayName: string; externalId?: string | null; memberIds?: string[] },
  ): Promise<GroupView> {
    return (await this.createGroup(actor, organizationId, input, 'reject', GroupSource.MANUAL)).group;
  }

  /**
   * SCIM create: member ids that match no member of the organization (unknown, or of another organization) are
   * skipped and reported instead of failing the request (an IdP would retry it forever and never sync the others).
   */
  async createFromIdp(
    actor: Actor,
    organizationId: string,
    input: { displayName: string; externalId?: string | null; memberIds?: string[] },
  ): Promise<IdpGroupWrite> {
    return this.createGroup(actor, organizationId, input, 'skip', GroupSource.SCIM);
  }

  /** Name, externalId and membership delta in one transaction (GraphQL groupUpdate); unknown member ids fail it. */
  async update(
    actor: Actor,
    organizationId: string,
    groupId: string,
    changes: GroupChanges,
    opts: GroupWriteOptions = {},
  ): Promise<GroupView> {
    return (await this.updateGroup(actor, organizationId, groupId, changes, opts, 'reject')).group;
  }

  /** SCIM PUT/PATCH: as update, but member ids outside the organization are skipped and reported (see createFromIdp). */
  async updateFromIdp(
    actor: Actor,
    organizationId: string,
    groupId: string,
    changes: GroupChanges,
    opts: GroupWriteOptions = {},
  ): Promise<IdpGroupWrite> {
    return this.updateGroup(actor, organizationId, groupId, changes, opts, 'skip');
  }

  private async createGroup(
    actor: Actor,
    organizationId: string,
    input: { displayName: string; externalId?: string | null; memberIds?: string[] },
    unknown: UnknownMembers,
    source: GroupSource,
  ): Promise<IdpGroupWrite> {
    const written = await this.write(async (tx) => {
      const access = await manageGroups(tx, actor, organizationId);
      const group = new GroupRepository(tx).create({
        organization: access.organization,
        displayName: requireName(input.displayName),
        externalId: checkExternalId(input.externalId ?? null),
        source,
      });
      await flush(tx);
      const applied = input.memberIds?.length
        ? await this.applyDelta(tx, organizationId, group.id, { add: input.memberIds }, unknown)
        : null;
      const skippedMemberIds = applied?.skipped ?? [];
      recordAudit(
        tx,
        actor,
        organizationId,
        'group.created',
        { type: 'group', id: group.id },
        {
          displayName: group.displayName,
          members: (input.memberIds?.length ?? 0) - skippedMemberIds.length,
          ...skippedData(skippedMemberIds),
        },
        access.membership?.id,
      );
      return { group, skippedMemberIds };
    });
    return { group: groupView(written.group), skippedMemberIds: written.skippedMemberIds };
  }

  private async updateGroup(
    actor: Actor,
    organizationId: string,
    groupId: string,
    changes: GroupChanges,
    opts: GroupWriteOptions,
    unknown: UnknownMembers,
  ): Promise<IdpGroupWrite> {
    const written = await this.write(async (tx) => {
      const access = await manageGroups(tx, actor, organizationId);
      const group = await loadGroup(tx, organizationId, groupId, true);
      assertVersion(group, opts.expectedVersion, 'group');
      if (changes.members) await refuseIdpGroupEdit(tx, actor, organizationId, [group.id]);
      if (changes.displayName !== undefined) group.displayName = requireName(changes.displayName);
      if (changes.externalId !== undefined) group.externalId = checkExternalId(changes.externalId);
      await flush(tx); // a duplicate externalId fails here, before any membership row is written
      const applied = changes.members
        ? await this.applyDelta(tx, organizationId, group.id, changes.members, unknown)
        : null;
      // Members who joined or left a mapped group follow it, in this transaction.
      if (applied?.changedMemberIds.length && (await groupIsMapped(tx, group.id)))
        await recomputeGroupRoles(
          tx,
          actor,
          organizationId,
          { memberIds: applied.changedMemberIds },
          group.id,
          access.membership?.id ?? null,
        );
      // A membership change is a change of the group (new ETag and lastModified): the commit's versioned update says so.
      if (applied) group.updatedAt = new Date();
      const skippedMemberIds = applied?.skipped ?? [];
      recordAudit(
        tx,
        actor,
        organizationId,
        'group.updated',
        { type: 'group', id: group.id },
        {
          ...(changes.displayName !== undefined ? { displayName: group.displayName } : {}),
          ...(changes.externalId !== undefined ? { externalId: group.externalId } : {}),
          ...(applied?.counts ?? {}),
          ...skippedData(skippedMemberIds),
        },
        access.membership?.id,
      );
      return { group, skippedMemberIds };
    });
    return { group: groupView(written.group), skippedMemberIds: written.skippedMemberIds };
  }

  async delete(actor: Actor, organizationId: string, groupId: string, opts: GroupWriteOptions = {}): Promise<void> {
    await this.write(async (tx) => {
      const access = await manageGroups(tx, actor, organizationId);
      const group = await loadGroup(tx, organizationId, groupId, true);
      assertVersion(group, opts.expectedVersion, 'group');
      // A mapped group's members lose its role with it: read them before the membership rows go.
      const formerMembers = group.mappedRole ? await memberIdsOfGroup(tx, group.id) : [];
      new GroupRepository(tx).remove(group);
      if (formerMembers.length) {
        await flush(tx);
        await recomputeGroupRoles(
          tx,
          actor,
          organizationId,
          { memberIds: formerMembers },
          group.id,
          access.membership?.id ?? null,
        );
      }
      recordAudit(
        tx,
        actor,
        organizationId,
        'group.deleted',
        { type: 'group', id: group.id },
        { displayName: group.displayName },
        access.membership?.id,
      );
    });
  }

  /** Sets one member's groups exactly (GraphQL memberGroupsSet). */
  async setGroupsOfMember(actor: Actor, organizationId: string, memberId: string, groupIds: string[]): Promise<void> {
    await this.write(async (tx) => {
      const access = await manageGroups(tx, actor, organizationId);
      await new MemberRepository(tx).getInOrganization(organizationId, memberId);
      const repo = new GroupRepository(tx);
      const foreign = await repo.foreignGroupIds(organizationId, groupIds);
      if (foreign.length)
        throw new DomainError(ErrorCode.NOT_FOUND, `unknown group ids: ${foreign.join(', ')}`, 'groupIds');
      const { addedTo, removedFrom } = await repo.replaceGroupsOfMember(memberId, organizationId, groupIds);
      // Checked on what actually changed: a set that keeps the member's SCIM groups as they are is fine.
      await refuseIdpGroupEdit(tx, actor, organizationId, [...addedTo, ...removedFrom]);
      for (const groupId of removedFrom) noteGroupMembers(tx, organizationId, groupId, [], [memberId]);
      for (const groupId of addedTo) noteGroupMembers(tx, organizationId, groupId, [memberId], []);
      await repo.touchGroupsOfMember(organizationId, memberId);
      await recomputeGroupRoles(
        tx,
        actor,
        organizationId,
        { memberIds: [memberId] },
        null,
        access.membership?.id ?? null,
      );
      recordAudit(
        tx,
        actor,
        organizationId,
        'member.groups_set',
        { type: 'member', id: memberId },
        { groupIds },
        access.membership?.id,
      );
    });
  }

  /**
   * Applies a membership delta with a constant number of statements whatever the group's size. Ids to add that
   * are not members of this organization are rejected (`reject`), or left out and returned (`skip`); they are
   * never added.
   */
  private async applyDelta(
    tx: Transaction,
    organizationId: string,
    groupId: string,
    delta: MembershipDelta,
    unknown: UnknownMembers,
  ) {
    const repo = new GroupRepository(tx);
    const mentioned = [...new Set([...(delta.replace ?? []), ...(delta.add ?? [])])];
    const foreign = await new MemberRepository(tx).foreignIds(organizationId, mentioned);
    if (foreign.length && unknown === 'reject') {
      throw new DomainError(
        ErrorCode.UNKNOWN_MEMBERS,
        `not members of this organization: ${foreign.slice(0, 10).join(', ')}`,
        'members',
      );
    }
    const skip = new Set(foreign);
    const known = (ids: string[]) => [...new Set(ids.filter((id) => !skip.has(id)))];
    const replace = delta.replace && known(delta.replace);
    const add = delta.add && known(delta.add);
    const added: string[] = [];
    const removed: string[] = [];
    if (replace) {
      const replaced = await repo.replaceMembers(groupId, organizationId, replace);
      added.push(...replaced.added);
      removed.push(...replaced.removed);
    } else if (delta.removeAll) removed.push(...(await repo.removeAllMembers(groupId)));
    if (delta.remove?.length) removed.push(...(await repo.removeMembers(groupId, delta.remove)));
    if (add?.length) added.push(...(await repo.addMembers(groupId, organizationId, add)));
    noteGroupMembers(tx, organizationId, groupId, added, removed);
    const counts = replace
      ? { membersReplaced: replace.length }
      : { membersAdded: added.length, membersRemoved: removed.length };
    return { counts, skipped: foreign, changedMemberIds: [...added, ...removed] };
  }

  private async ownIds(em: Transaction, organizationId: string, groupIds: string[]): Promise<string[]> {
    const foreign = new Set(await new GroupRepository(em).foreignGroupIds(organizationId, groupIds));
    return groupIds.filter((id) => !foreign.has(id));
  }
}

type UnknownMembers = 'reject' | 'skip';

/** Reading groups needs viewGroups; no read uses the organization's own fields. */
const viewGroups = (em: Transaction, actor: Actor, organizationId: string) =>
  authorize(em, actor, organizationId, 'viewGroups', { answerOnly: true });

const manageGroups = (tx: Transaction, actor: Actor, organizationId: string) =>
  authorize(tx, actor, organizationId, 'manageGroups');

/** At most this many skipped ids are named in an audit event (the count is always there). */
const SKIPPED_IDS_KEPT = 50;

const skippedData = (ids: string[]) =>
  ids.length ? { membersSkipped: ids.length, skippedMemberIds: ids.slice(0, SKIPPED_IDS_KEPT) } : {};

function checkExternalId(externalId: string | null): string | null {
  if (externalId != null && externalId.length > 400)
    throw invalidInput('externalId is longer than 400 characters', 'externalId');
  return externalId;
}

/** The organization's group, or NOT_FOUND; row-locked for the transaction when `forWrite`. */
const loadGroup = (em: Transaction, organizationId: string, groupId: string, forWrite = false): Promise<Group> =>
  new GroupRepository(em).getInOrganization(organizationId, groupId, forWrite);

const requireName = (name: string) => requiredName(name, 'displayName', 400);
