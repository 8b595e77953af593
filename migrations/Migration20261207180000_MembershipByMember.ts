import { Migration } from '@mikro-orm/migrations';

/**
 * A member's memberships are read by member (a SCIM user's groups, a members page's groups): with the group in the
 * index too, those reads are index-only scans instead of a visit to each membership's scattered heap page.
 */
export class Migration20261207180000_MembershipByMember extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index if exists "group_membership_member_idx";`);
    this.addSql(`create index "group_membership_member_idx" on "group_membership" ("member_id", "group_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "group_membership_member_idx";`);
    this.addSql(`create index "group_membership_member_idx" on "group_membership" ("member_id");`);
  }
}
