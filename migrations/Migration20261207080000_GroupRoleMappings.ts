import { Migration } from '@mikro-orm/migrations';

/**
 * Group role mappings: a group may carry the role its members get (`mapped_role`, `mapped_permissions`), and a
 * member's role is either set by hand (`role_source` MANUAL) or follows its groups (GROUPS, with the deciding group
 * in `role_granted_by_id`).
 */
export class Migration20261207080000_GroupRoleMappings extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "member_group" add column "mapped_role" text check ("mapped_role" in ('OWNER', 'ADMIN', 'USER', 'CUSTOM')) null, add column "mapped_permissions" jsonb null;`,
    );
    this.addSql(
      `alter table "member" add column "role_source" text check ("role_source" in ('MANUAL', 'GROUPS')) not null default 'MANUAL', add column "role_granted_by_id" uuid null;`,
    );
    // Identity-provider members still at the default role follow their groups from now on; one an administrator
    // promoted by hand keeps that role (MANUAL) until switched.
    this.addSql(`update "member" set "role_source" = 'GROUPS' where "source" = 'SCIM' and "role" = 'USER';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "member" drop column "role_source", drop column "role_granted_by_id";`);
    this.addSql(`alter table "member_group" drop column "mapped_role", drop column "mapped_permissions";`);
  }
}
