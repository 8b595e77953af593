import { Migration } from '@mikro-orm/migrations';

/**
 * The deprovisioning safeguard: its settings per organization (on by default: 50 in 60 minutes), the deprovisionings
 * it holds, and a partial index over the audit trail's applied SCIM deprovisionings, which it counts.
 */
export class Migration20261207080100_DeprovisioningSafeguard extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "scim_settings" add column "deprovisioning_safeguard_enabled" boolean not null default true, add column "deprovisioning_threshold" int not null default 50, add column "deprovisioning_window_minutes" int not null default 60;`,
    );
    this.addSql(
      `create table "held_deprovisioning" ("id" uuid not null, "organization_id" uuid not null, "member_id" uuid null, "member_email" varchar(320) not null, "action" text check ("action" in ('DEACTIVATE', 'DELETE')) not null, "status" text check ("status" in ('HELD', 'APPLIED', 'DISCARDED')) not null default 'HELD', "requested_at" timestamptz not null default now(), "request_id" varchar(100) null, "client_request_id" varchar(100) null, "api_key_hint" varchar(16) null, "resolved_at" timestamptz null, "resolved_by_member_id" uuid null, constraint "held_deprovisioning_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "held_deprovisioning_org_idx" on "held_deprovisioning" ("organization_id", "status", "requested_at", "id");`,
    );
    this.addSql(
      `create unique index "held_deprovisioning_member_action_held_unique" on "held_deprovisioning" ("member_id", "action") where "status" = 'HELD';`,
    );
    this.addSql(
      `alter table "held_deprovisioning" add constraint "held_deprovisioning_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "held_deprovisioning" add constraint "held_deprovisioning_member_id_foreign" foreign key ("member_id") references "member" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `create index "audit_event_scim_deprovisioning_idx" on "audit_event" ("organization_id", "occurred_at") where "actor_kind" = 'SCIM' and ("type" = 'member.removed' or ("type" = 'member.updated' and "data" ->> 'to' = 'REVOKED'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "audit_event_scim_deprovisioning_idx";`);
    this.addSql(`drop table if exists "held_deprovisioning" cascade;`);
    this.addSql(
      `alter table "scim_settings" drop column "deprovisioning_safeguard_enabled", drop column "deprovisioning_threshold", drop column "deprovisioning_window_minutes";`,
    );
  }
}
