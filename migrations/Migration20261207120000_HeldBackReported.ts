import { Migration } from '@mikro-orm/migrations';

/**
 * A member kept revoked records `member.restore_held_back` once per hold: the first identity-provider restore after
 * the hold was set stamps this column; setting or lifting a hold clears it.
 */
export class Migration20261207120000_HeldBackReported extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "member" add column "revocation_hold_reported_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "member" drop column "revocation_hold_reported_at";`);
  }
}
