import { Migration } from '@mikro-orm/migrations';

export class Migration20261207070400_Webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "webhook_endpoint" ("id" uuid not null, "organization_id" uuid not null, "url" text not null, "event_types" jsonb null, "description" varchar(500) null, "enabled" boolean not null default true, "secret_ciphertext" text not null, "disabled_reason" varchar(200) null, "failing_since" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "webhook_endpoint_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "webhook_endpoint_org_idx" on "webhook_endpoint" ("organization_id", "created_at");`);

    this.addSql(
      `create table "webhook_event" ("id" varchar(64) not null, "organization_id" uuid not null, "type" varchar(60) not null, "sequence" bigint not null, "body" text not null, "created_at" timestamptz not null default now(), constraint "webhook_event_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "webhook_event_created_idx" on "webhook_event" ("created_at");`);
    this.addSql(
      `alter table "webhook_event" add constraint "webhook_event_org_sequence_unique" unique ("organization_id", "sequence");`,
    );

    this.addSql(
      `create table "webhook_delivery" ("id" uuid not null, "event_id" varchar(64) not null, "endpoint_id" uuid not null, "status" text check ("status" in ('PENDING', 'DELIVERED', 'FAILED')) not null default 'PENDING', "attempts" int not null default 0, "next_attempt_at" timestamptz not null default now(), "last_status_code" int null, "last_duration_ms" int null, "last_error" varchar(500) null, "delivered_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "webhook_delivery_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "webhook_delivery_event_idx" on "webhook_delivery" ("event_id");`);
    this.addSql(
      `create index "webhook_delivery_endpoint_idx" on "webhook_delivery" ("endpoint_id", "created_at", "id");`,
    );
    this.addSql(`create index "webhook_delivery_due_idx" on "webhook_delivery" ("status", "next_attempt_at");`);

    this.addSql(
      `create table "webhook_sequence" ("organization_id" uuid not null, "value" bigint not null default 0, constraint "webhook_sequence_pkey" primary key ("organization_id"));`,
    );

    this.addSql(
      `alter table "webhook_endpoint" add constraint "webhook_endpoint_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "webhook_event" add constraint "webhook_event_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_event_id_foreign" foreign key ("event_id") references "webhook_event" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoint" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "webhook_sequence" add constraint "webhook_sequence_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_endpoint_id_foreign";`);

    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_event_id_foreign";`);

    this.addSql(`drop table if exists "webhook_endpoint" cascade;`);

    this.addSql(`drop table if exists "webhook_event" cascade;`);

    this.addSql(`drop table if exists "webhook_delivery" cascade;`);

    this.addSql(`drop table if exists "webhook_sequence" cascade;`);
  }
}
