import { Entity, Enum, OneToOne, Property, OptionalProps } from '@mikro-orm/core';
import { ScimProvider } from '../domain/enums';
import { Organization } from './organization.entity';

@Entity({ tableName: 'scim_settings' })
export class ScimSettings {
  [OptionalProps]?:
    | 'enabled'
    | 'provider'
    | 'inviteUsersAfterProvisioning'
    | 'deprovisioningSafeguardEnabled'
    | 'deprovisioningThreshold'
    | 'deprovisioningWindowMinutes'
    | 'createdAt'
    | 'updatedAt';

  @OneToOne({ entity: () => Organization, primary: true, deleteRule: 'cascade', updateRule: 'cascade' })
  organization!: Organization;

  @Property({ type: 'boolean', default: false })
  enabled: boolean = false;

  @Enum({ items: () => ScimProvider, type: 'string' })
  provider: ScimProvider = ScimProvider.DEFAULT;

  /** false = provision STAGED members without e-mail (Bitwarden's "invite users" switch off). */
  @Property({ type: 'boolean', default: true })
  inviteUsersAfterProvisioning: boolean = true;

  /** On: past `deprovisioningThreshold` SCIM deprovisionings in `deprovisioningWindowMinutes`, the next are held. */
  @Property({ type: 'boolean', default: true })
  deprovisioningSafeguardEnabled: boolean = true;

  @Property({ type: 'integer', default: 50 })
  deprovisioningThreshold: number = 50;

  @Property({ type: 'integer', default: 60 })
  deprovisioningWindowMinutes: number = 60;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
