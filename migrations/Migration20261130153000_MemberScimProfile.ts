import { Migration } from '@mikro-orm/migrations';

export class Migration20261130153000_MemberScimProfile extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "member" add column "title" varchar(200) null, add column "phone_numbers" jsonb null, add column "cost_center" varchar(200) null, add column "enterprise_organization" varchar(200) null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "member" drop column "title", drop column "phone_numbers", drop column "cost_center", drop column "enterprise_organization";`,
    );
  }
}
