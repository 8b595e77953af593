import { type EntityManager } from '@mikro-orm/postgresql';
import { MemberStatus } from '../domain/enums';
import { Member, Organization } from '../entities';
import { selectOne } from './selection';

/** What a bare id names: its kind and organization. */
export interface Located {
  type: 'Organization' | 'Member' | 'Group';
  organizationId: string;
}

/** Organization reads. The organization is loaded by every write (its access check), so it is plain SQL. */
export class OrganizationRepository {
  constructor(private readonly em: EntityManager) {}

  findById(id: string): Promise<Organization | null> {
    return selectOne(this.em, Organization, 'select * from organization where id = ?', [id]);
  }

  /** Whether SCIM-provisioned members are invited (true) or staged (false); invited when SCIM was never set up. */
  async invitesAfterProvisioning(organizationId: string): Promise<boolean> {
    const [row] = await this.em.execute<{ invite: boolean }[]>(
      'select invite_users_after_provisioning as invite from scim_settings where organization_id = ?',
      [organizationId],
    );
    return row?.invite ?? true;
  }

  /** A handle on the organization by id, without reading it (its existence is already proven). */
  reference(id: string): Organization {
    return this.em.getReference(Organization, id);
  }

  /** A new organization (written with the transaction's next flush). */
  create(name: string, seatLimit: number | null): Organization {
    return this.em.create(Organization, { name, seatLimit });
  }

  /** Locks the organization row until the transaction ends: serializes the checks that count rows (last owner, seats). */
  async lock(id: string): Promise<void> {
    await this.em.execute('select id from organization where id = ? for update', [id]);
  }

  /** The kind and organization of whatever row has this id (organization, member or group), or null. */
  async locate(id: string): Promise<Located | null> {
    const rows: { type: Located['type']; organization_id: string }[] = await this.em.execute(
      `select 'Organization' as type, id as organization_id from organization where id = ?
       union all select 'Member', organization_id from member where id = ?
       union all select 'Group', organization_id from member_group where id = ?
       limit 1`,
      [id, id, id],
    );
    return rows[0] ? { type: rows[0].type, organizationId: rows[0].organization_id } : null;
  }

  /** The organizations in which the account is a CONFIRMED member, in the order it joined them. */
  async confirmedForUser(userId: string): Promise<Organization[]> {
    const members = await this.em.find(
      Member,
      { user: userId, status: MemberStatus.CONFIRMED },
      { populate: ['organization'], orderBy: { createdAt: 'asc' } },
    );
    return members.map((m) => m.organization);
  }
}
