import { Migration } from '@mikro-orm/migrations';

/**
 * The provisioning log records which SCIM key each request used, so an administrator sees when the identity
 * provider switched to a rotated key. (The previous key's overlap itself is `api_key.expires_at`, which exists.)
 */
export class Migration20261207070300_ScimKeyOverlap extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "scim_request_log" add column "api_key_id" uuid null, add column "api_key_hint" varchar(16) null, add column "api_key_status" text check ("api_key_status" in ('CURRENT', 'PREVIOUS')) null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "scim_request_log" drop column "api_key_id", drop column "api_key_hint", drop column "api_key_status";`,
    );
  }
}
