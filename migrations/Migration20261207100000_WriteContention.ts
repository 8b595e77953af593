import { Migration } from '@mikro-orm/migrations';

/**
 * Two changes that keep large and concurrent writes from waiting on each other.
 *
 * Member pages keep half their space free, so that a change of columns no index covers (role, permissions, status,
 * version, updated_at) is a HOT update: the new row version stays on its page and none of the table's seven indexes
 * gets an entry. A role mapping set on a large group rewrites every member of it; with full pages each row moves and
 * every index grows, several times the work. Rows written before this keep their pages until they next move.
 *
 * Webhook events are numbered by the dispatcher rather than by the write that records them: a write numbering its
 * events locked its organization's counter until it committed, so the organization's concurrent writes (a SCIM sync)
 * committed one at a time. An event now takes a place in a global order (`ord`) when it is written and its sequence
 * number when the dispatcher numbers it, before any delivery of it is attempted.
 */
export class Migration20261207100000_WriteContention extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "member" set (fillfactor = 50);`);
    this.addSql(`create sequence "webhook_event_ord_seq";`);
    this.addSql(
      `alter table "webhook_event" add column "ord" bigint not null default nextval('webhook_event_ord_seq');`,
    );
    this.addSql(`alter sequence "webhook_event_ord_seq" owned by "webhook_event"."ord";`);
    this.addSql(`alter table "webhook_event" alter column "sequence" drop not null;`);
    this.addSql(`create index "webhook_event_unnumbered_idx" on "webhook_event" ("ord") where "sequence" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "webhook_event_unnumbered_idx";`);
    this.addSql(`alter table "webhook_event" alter column "sequence" set not null;`);
    this.addSql(`alter table "webhook_event" drop column "ord";`);
    this.addSql(`alter table "member" reset (fillfactor);`);
  }
}
