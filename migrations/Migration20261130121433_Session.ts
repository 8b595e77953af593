import { Migration } from '@mikro-orm/migrations';

export class Migration20261130121433_Session extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "session" ("id" uuid not null, "user_id" uuid not null, "hash" varchar(64) not null, "method" text check ("method" in ('email_link', 'access_token', 'oidc', 'invitation')) not null, "user_agent" varchar(200) null, "created_at" timestamptz not null default now(), "last_seen_at" timestamptz not null default now(), "revoked_at" timestamptz null, constraint "session_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "session" add constraint "session_hash_unique" unique ("hash");`);
    this.addSql(`create index "session_user_idx" on "session" ("user_id", "created_at");`);

    this.addSql(
      `alter table "session" add constraint "session_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "session" cascade;`);
  }
}
