import { Migration } from '@mikro-orm/migrations';

export class Migration20261130123642_EmailSignInLink extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "sign_in_link" ("id" uuid not null, "user_id" uuid not null, "hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "sign_in_link_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "sign_in_link" add constraint "sign_in_link_hash_unique" unique ("hash");`);
    this.addSql(`create index "sign_in_link_user_idx" on "sign_in_link" ("user_id", "expires_at");`);

    this.addSql(
      `alter table "sign_in_link" add constraint "sign_in_link_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(`alter table "outbox_message" alter column "organization_id" drop not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "outbox_message" where "organization_id" is null;`);
    this.addSql(`drop table if exists "sign_in_link" cascade;`);

    this.addSql(`alter table "outbox_message" alter column "organization_id" set not null;`);
  }
}
