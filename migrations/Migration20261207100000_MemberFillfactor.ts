import { Migration } from '@mikro-orm/migrations';

/**
 * Leaves half of each member page free, so that a change of columns no index covers (role, permissions, status,
 * version, updated_at) is a HOT update: the new row version stays on its page and none of the table's seven indexes
 * gets an entry. A role mapping set on a large group rewrites every member of it; with full pages each row moves and
 * every index grows, several times the work. Rows written before this keep their pages until they next move.
 */
export class Migration20261207100000_MemberFillfactor extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "member" set (fillfactor = 50);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "member" reset (fillfactor);`);
  }
}
