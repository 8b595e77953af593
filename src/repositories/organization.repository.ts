import { type EntityManager } from '@mikro-orm/postgresql';
import { Organization } from '../entities';
import { selectOne } from './selection';

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
}
