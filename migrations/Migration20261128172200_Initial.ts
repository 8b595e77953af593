import { Migration } from '@mikro-orm/migrations';

export class Migration20261128172200_Initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "organization" ("id" uuid not null, "name" varchar(200) not null, "seat_limit" int null, "enabled" boolean not null default true, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, constraint "organization_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "member_group" ("id" uuid not null, "organization_id" uuid not null, "display_name" varchar(400) not null, "external_id" varchar(400) null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, constraint "member_group_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "group_org_created_idx" on "member_group" ("organization_id", "created_at", "id");`);
    this.addSql(
      `create index "group_org_display_name_idx" on "member_group" ("organization_id", lower("display_name"));`,
    );
    this.addSql(
      `create unique index "group_org_external_id_unique" on "member_group" ("organization_id", "external_id") where "external_id" is not null;`,
    );

    this.addSql(
      `create table "audit_event" ("id" uuid not null, "organization_id" uuid not null, "type" varchar(100) not null, "actor_kind" varchar(20) not null, "actor_user_id" uuid null, "actor_member_id" uuid null, "target_type" varchar(40) null, "target_id" uuid null, "data" jsonb null, "request_id" varchar(100) null, "occurred_at" timestamptz not null default now(), constraint "audit_event_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "audit_event_target_idx" on "audit_event" ("target_id");`);
    this.addSql(`create index "audit_event_org_time_idx" on "audit_event" ("organization_id", "occurred_at", "id");`);

    this.addSql(
      `create table "outbox_message" ("id" uuid not null, "organization_id" uuid not null, "member_id" uuid null, "kind" varchar(40) not null, "recipient" varchar(320) not null, "mail" jsonb not null, "status" text check ("status" in ('PENDING', 'SENT', 'FAILED')) not null default 'PENDING', "attempts" int not null default 0, "next_attempt_at" timestamptz not null default now(), "last_error" text null, "created_at" timestamptz not null default now(), "sent_at" timestamptz null, constraint "outbox_message_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "outbox_pending_idx" on "outbox_message" ("status", "next_attempt_at");`);

    this.addSql(
      `create table "scim_request_log" ("id" uuid not null, "organization_id" uuid not null, "occurred_at" timestamptz not null default now(), "method" varchar(10) not null, "path" varchar(1000) not null, "client" varchar(40) null, "status" int not null, "duration_ms" int not null, "summary" varchar(1000) null, "request_id" varchar(100) null, constraint "scim_request_log_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "scim_request_log_org_time_idx" on "scim_request_log" ("organization_id", "occurred_at", "id");`,
    );

    this.addSql(
      `create table "scim_settings" ("organization_id" uuid not null, "enabled" boolean not null default false, "provider" text check ("provider" in ('default', 'jumpcloud', 'okta', 'azure-ad', 'onelogin', 'ping', 'google', 'rippling')) not null default 'default', "invite_users_after_provisioning" boolean not null default true, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "scim_settings_pkey" primary key ("organization_id"));`,
    );

    this.addSql(
      `create table "app_user" ("id" uuid not null, "email" varchar(320) not null, "name" varchar(200) null, "created_at" timestamptz not null default now(), constraint "app_user_pkey" primary key ("id"));`,
    );
    this.addSql(`create unique index "app_user_email_lower_unique" on "app_user" (lower("email"));`);

    this.addSql(
      `create table "member" ("id" uuid not null, "organization_id" uuid not null, "user_id" uuid null, "email" varchar(320) not null, "user_name" varchar(320) not null, "given_name" varchar(200) null, "family_name" varchar(200) null, "formatted_name" varchar(400) null, "display_name" varchar(400) null, "external_id" varchar(400) null, "emails" jsonb null, "employee_number" varchar(200) null, "department" varchar(200) null, "manager" varchar(400) null, "role" text check ("role" in ('OWNER', 'ADMIN', 'USER', 'CUSTOM')) not null default 'USER', "permissions" jsonb not null, "status" text check ("status" in ('STAGED', 'INVITED', 'ACCEPTED', 'CONFIRMED', 'REVOKED')) not null default 'INVITED', "prior_status" text check ("prior_status" in ('STAGED', 'INVITED', 'ACCEPTED', 'CONFIRMED', 'REVOKED')) null, "revocation_reason" varchar(500) null, "source" text check ("source" in ('INVITE', 'SCIM', 'OWNER')) not null default 'INVITE', "invitation_token_hash" varchar(64) null, "invitation_expires_at" timestamptz null, "confirmation_key" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, constraint "member_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "member_invitation_token_idx" on "member" ("invitation_token_hash");`);
    this.addSql(`create index "member_user_idx" on "member" ("user_id");`);
    this.addSql(`create index "member_org_created_idx" on "member" ("organization_id", "created_at", "id");`);
    this.addSql(
      `create unique index "member_org_external_id_unique" on "member" ("organization_id", "external_id") where "external_id" is not null;`,
    );
    this.addSql(
      `create unique index "member_org_user_name_unique" on "member" ("organization_id", lower("user_name"));`,
    );
    this.addSql(`create unique index "member_org_email_unique" on "member" ("organization_id", lower("email"));`);

    this.addSql(
      `create table "group_membership" ("group_id" uuid not null, "member_id" uuid not null, "created_at" timestamptz not null default now(), constraint "group_membership_pkey" primary key ("group_id", "member_id"));`,
    );
    this.addSql(`create index "group_membership_member_idx" on "group_membership" ("member_id");`);

    this.addSql(
      `create table "api_key" ("id" uuid not null, "kind" text check ("kind" in ('SCIM', 'ACCESS_TOKEN')) not null, "organization_id" uuid null, "user_id" uuid null, "hash" varchar(64) not null, "hint" varchar(16) not null, "name" varchar(200) null, "created_at" timestamptz not null default now(), "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "api_key_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "api_key" add constraint "api_key_hash_unique" unique ("hash");`);
    this.addSql(`create index "api_key_user_idx" on "api_key" ("user_id");`);
    this.addSql(`create index "api_key_org_kind_idx" on "api_key" ("organization_id", "kind");`);

    this.addSql(
      `alter table "member_group" add constraint "member_group_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "audit_event" add constraint "audit_event_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "outbox_message" add constraint "outbox_message_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "scim_request_log" add constraint "scim_request_log_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "scim_settings" add constraint "scim_settings_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "member" add constraint "member_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "member" add constraint "member_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "group_membership" add constraint "group_membership_group_id_foreign" foreign key ("group_id") references "member_group" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "group_membership" add constraint "group_membership_member_id_foreign" foreign key ("member_id") references "member" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "api_key" add constraint "api_key_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "api_key" add constraint "api_key_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "member_group" drop constraint "member_group_organization_id_foreign";`);

    this.addSql(`alter table "audit_event" drop constraint "audit_event_organization_id_foreign";`);

    this.addSql(`alter table "outbox_message" drop constraint "outbox_message_organization_id_foreign";`);

    this.addSql(`alter table "scim_request_log" drop constraint "scim_request_log_organization_id_foreign";`);

    this.addSql(`alter table "scim_settings" drop constraint "scim_settings_organization_id_foreign";`);

    this.addSql(`alter table "member" drop constraint "member_organization_id_foreign";`);

    this.addSql(`alter table "api_key" drop constraint "api_key_organization_id_foreign";`);

    this.addSql(`alter table "group_membership" drop constraint "group_membership_group_id_foreign";`);

    this.addSql(`alter table "member" drop constraint "member_user_id_foreign";`);

    this.addSql(`alter table "api_key" drop constraint "api_key_user_id_foreign";`);

    this.addSql(`alter table "group_membership" drop constraint "group_membership_member_id_foreign";`);

    this.addSql(`drop table if exists "organization" cascade;`);

    this.addSql(`drop table if exists "member_group" cascade;`);

    this.addSql(`drop table if exists "audit_event" cascade;`);

    this.addSql(`drop table if exists "outbox_message" cascade;`);

    this.addSql(`drop table if exists "scim_request_log" cascade;`);

    this.addSql(`drop table if exists "scim_settings" cascade;`);

    this.addSql(`drop table if exists "app_user" cascade;`);

    this.addSql(`drop table if exists "member" cascade;`);

    this.addSql(`drop table if exists "group_membership" cascade;`);

    this.addSql(`drop table if exists "api_key" cascade;`);
  }
}
