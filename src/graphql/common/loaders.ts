import DataLoader from 'dataloader';
import { type Services } from '../../services/services';
import { type Actor } from '../../domain/actor';
import { type OrganizationGuards } from '../../domain/policy';
import { type AccessView } from '../../read-models/access.view';
import { type GroupView } from '../../read-models/group.view';
import { type MemberView } from '../../read-models/member.view';
import { type MemberProvisioningView } from '../../read-models/scim-activity.view';
import { type UserView } from '../../read-models/organization.view';

/** The viewer's rights in one organization, as the services resolve them. */
export type OrganizationAccess = AccessView;

// One batch per kind of relation and organization: bounded by the service's own batch size.
const MAX_BATCH = 500;

/**
 * Per-request batching and caching. Every relation read in a list (a member's groups, a group's
 * members and their count, the member behind an audit event) goes through one of these, so a page
 * costs the same number of statements whatever its size.
 */
export class Loaders {
  private readonly memo = new Map<string, unknown>();
  private readonly loadedGroups = new Map<string, GroupView[]>();

  constructor(
    private readonly services: Services,
    private readonly actor: Actor,
  ) {}

  /** The viewer's rights in an organization, read once per request; NOT_FOUND when it may not see it. */
  access(organizationId: string): Promise<OrganizationAccess> {
    return this.once(`access:${organizationId}`, () => this.services.organizations.get(this.actor, organizationId));
  }

  /** Who manages the organization's SCIM-provisioned members and groups ("JumpCloud"); null while SCIM is off. */
  scimManagedBy(organizationId: string): Promise<string | null> {
    return this.once(`scimManagedBy:${organizationId}`, () =>
      this.services.scimSettings.managedByName(this.actor, organizationId),
    );
  }

  /** The organization's guard counts (last owner, free seats), read at most once per request. */
  guards(organizationId: string): Promise<OrganizationGuards> {
    return this.once(`guards:${organizationId}`, () => this.services.memberProfiles.guards(this.actor, organizationId));
  }

  groupsOfMember(organizationId: string): DataLoader<string, GroupView[]> {
    return this.batch(`groupsOf:${organizationId}`, async (ids) => {
      const byMember = await this.services.groups.groupsOf(this.actor, organizationId, ids);
      return ids.map((id) => {
        const groups = byMember.get(id) ?? [];
        this.loadedGroups.set(`${organizationId}:${id}`, groups);
        return groups;
      });
    });
  }

  /**
   * The groups of a member already loaded in this request (a members page read them ahead), else undefined:
   * read without a promise, a page of 100 members resolves their groups without 100 rounds of the microtask queue.
   */
  groupsOfMemberLoaded(organizationId: string, memberId: string): GroupView[] | undefined {
    return this.loadedGroups.get(`${organizationId}:${memberId}`);
  }

  /** The first `limit` members of each group (oldest first). */
  membersOfGroup(organizationId: string, limit: number): DataLoader<string, MemberView[]> {
    return this.batch(`membersOf:${organizationId}:${limit}`, async (ids) => {
      const byGroup = await this.services.groups.membersOf(this.actor, organizationId, ids, limit);
      return ids.map((id) => byGroup.get(id) ?? []);
    });
  }

  memberCount(organizationId: string): DataLoader<string, number> {
    return this.batch(`memberCount:${organizationId}`, async (ids) => {
      const counts = await this.services.groups.memberCounts(this.actor, organizationId, ids);
      return ids.map((id) => counts.get(id) ?? 0);
    });
  }

  /** Members by id; null for ids the viewer may not see (or that no longer exist). */
  member(organizationId: string): DataLoader<string, MemberView | null> {
    return this.batch(`member:${organizationId}`, async (ids) => {
      const found = await this.services.memberProfiles.getMany(this.actor, organizationId, ids);
      return ids.map((id) => found.get(id) ?? null);
    });
  }

  /** Members' last provisioning and SCIM error; null for a viewer who may not read the provisioning log. */
  memberProvisioning(organizationId: string): DataLoader<string, MemberProvisioningView | null> {
    return this.batch(`provisioning:${organizationId}`, async (ids) => {
      const found = await this.services.scimRequestLog.provisioningOf(this.actor, organizationId, ids);
      return ids.map((id) => found.get(id) ?? null);
    });
  }

  user(): DataLoader<string, UserView | null> {
    return this.batch('user', async (ids) => {
      const found = await this.services.tokens.usersByIds(this.actor, ids);
      return ids.map((id) => found.get(id) ?? null);
    });
  }

  private batch<V>(key: string, load: (ids: string[]) => Promise<V[]>): DataLoader<string, V> {
    return this.once(key, () => new DataLoader<string, V>((ids) => load([...ids]), { maxBatchSize: MAX_BATCH }));
  }

  private once<T>(key: string, make: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, make());
    return this.memo.get(key) as T;
  }
}
