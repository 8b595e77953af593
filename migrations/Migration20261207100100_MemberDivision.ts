import { Migration } from '@mikro-orm/migrations';

/** The enterprise extension's `division` of a member (TestPlanIt and Entra send it). */
export class Migration20261207100100_MemberDivision extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "member" add column "division" varchar(200) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "member" drop column "division";`);
  }
}
