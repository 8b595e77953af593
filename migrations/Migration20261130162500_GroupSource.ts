import { Migration } from '@mikro-orm/migrations';

export class Migration20261130162500_GroupSource extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "member_group" add column "source" text check ("source" in ('MANUAL', 'SCIM')) not null default 'MANUAL';`,
    );
    // Before this column, only identity providers set a group's externalId in practice: the best reading of the past.
    this.addSql(`update "member_group" set "source" = 'SCIM' where "external_id" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "member_group" drop column "source";`);
  }
}
