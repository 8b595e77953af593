import { Migration } from '@mikro-orm/migrations';

/**
 * The logs answer questions about a person: each provisioning request records the member or group it concerned,
 * its warning (a success that skipped something) and the provider its key was issued for; indexes let a member's
 * last provisioning, and the event log filtered by actor or source, be read by index instead of by scan.
 */
export class Migration20261207100300_LogQueries extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "scim_request_log" add column "target_type" varchar(10) null, add column "target_id" uuid null, add column "warning" varchar(1000) null, add column "key_provider" varchar(40) null;`,
    );
    this.addSql(
      `create index "scim_request_log_target_idx" on "scim_request_log" ("organization_id", "target_id", "occurred_at") where "target_id" is not null;`,
    );
    this.addSql(
      `create index "audit_event_actor_user_idx" on "audit_event" ("organization_id", "actor_user_id", "occurred_at") where "actor_user_id" is not null;`,
    );
    this.addSql(
      `create index "audit_event_actor_member_idx" on "audit_event" ("organization_id", "actor_member_id", "occurred_at") where "actor_member_id" is not null;`,
    );
    this.addSql(
      `create index "audit_event_org_kind_time_idx" on "audit_event" ("organization_id", "actor_kind", "occurred_at", "id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "audit_event_org_kind_time_idx";`);
    this.addSql(`drop index if exists "audit_event_actor_member_idx";`);
    this.addSql(`drop index if exists "audit_event_actor_user_idx";`);
    this.addSql(`drop index if exists "scim_request_log_target_idx";`);
    this.addSql(
      `alter table "scim_request_log" drop column "target_type", drop column "target_id", drop column "warning", drop column "key_provider";`,
    );
  }
}
