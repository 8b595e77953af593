import { type EntityManager } from '@mikro-orm/postgresql';
import { type Organization, ScimSettings } from '../entities';

/** An organization's SCIM settings row (one per organization, created with it or at its first change). */
export class ScimSettingsRepository {
  constructor(private readonly em: EntityManager) {}

  find(organizationId: string): Promise<ScimSettings | null> {
    return this.em.findOne(ScimSettings, { organization: organizationId });
  }

  /** The row, which exists once the organization does (created with it, or by getOrCreate in the same transaction). */
  get(organizationId: string): Promise<ScimSettings> {
    return this.em.findOneOrFail(ScimSettings, { organization: organizationId });
  }

  /**
   * Holds the organization's settings row until the transaction ends: two key changes (rotations, ending an
   * overlap) queue instead of both retiring the same key and leaving two current ones.
   */
  async lockForKeyChange(organizationId: string): Promise<void> {
    await this.em.execute('select 1 from scim_settings where organization_id = ? for no key update', [organizationId]);
  }

  /** The row, or a new one with the defaults (written with the transaction's next flush). */
  async getOrCreate(organization: Organization): Promise<ScimSettings> {
    return (await this.find(organization.id)) ?? this.create(organization);
  }

  create(organization: Organization): ScimSettings {
    return this.em.create(ScimSettings, { organization });
  }
}
