import { Migration } from '@mikro-orm/migrations';

/**
 * "Keep revoked": an administrator's revocation of an IdP-managed member that a SCIM `active: true` does not undo,
 * with who set it and when. A SCIM deactivation is now audited as `member.revoked` (it was `member.updated` with
 * `to: REVOKED`): the safeguard's partial index covers both, so the window straddling the upgrade counts each one.
 */
export class Migration20261207100200_KeepRevoked extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "member" add column "revocation_held_at" timestamptz null, add column "revocation_held_by" varchar(320) null;`,
    );
    this.addSql(`drop index if exists "audit_event_scim_deprovisioning_idx";`);
    this.addSql(
      `create index "audit_event_scim_deprovisioning_idx" on "audit_event" ("organization_id", "occurred_at") where "actor_kind" = 'SCIM' and ("type" = 'member.removed' or "type" = 'member.revoked' or ("type" = 'member.updated' and "data" ->> 'to' = 'REVOKED'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "audit_event_scim_deprovisioning_idx";`);
    this.addSql(
      `create index "audit_event_scim_deprovisioning_idx" on "audit_event" ("organization_id", "occurred_at") where "actor_kind" = 'SCIM' and ("type" = 'member.removed' or ("type" = 'member.updated' and "data" ->> 'to' = 'REVOKED'));`,
    );
    this.addSql(`alter table "member" drop column "revocation_held_at", drop column "revocation_held_by";`);
  }
}
