import { Migration } from '@mikro-orm/migrations';

export class Migration20261130120951_AccountIdentity extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "account_event" ("id" uuid not null, "user_id" uuid not null, "type" varchar(100) not null, "details" jsonb null, "request_id" varchar(100) null, "created_at" timestamptz not null default now(), constraint "account_event_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "account_event_user_time_idx" on "account_event" ("user_id", "created_at", "id");`);

    this.addSql(
      `alter table "account_event" add constraint "account_event_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "app_user" add column "oidc_issuer" varchar(500) null, add column "oidc_subject" varchar(255) null;`,
    );
    this.addSql(
      `alter table "app_user" add constraint "app_user_oidc_subject_unique" unique ("oidc_issuer", "oidc_subject");`,
    );

    this.addSql(`alter table "api_key" add column "expires_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "account_event" cascade;`);

    this.addSql(`alter table "api_key" drop column "expires_at";`);

    this.addSql(`alter table "app_user" drop constraint "app_user_oidc_subject_unique";`);
    this.addSql(`alter table "app_user" drop column "oidc_issuer", drop column "oidc_subject";`);
  }
}
