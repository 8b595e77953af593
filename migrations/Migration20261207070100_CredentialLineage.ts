import { Migration } from '@mikro-orm/migrations';

export class Migration20261207070100_CredentialLineage extends Migration {
  override async up(): Promise<void> {
    // Rows from before this column have no recorded origin or parent (null): they are roots, shown as "Not recorded".
    this.addSql(
      `alter table "session" add column "parent_token_id" uuid null, add column "expires_at" timestamptz null;`,
    );
    this.addSql(`create index "session_parent_token_idx" on "session" ("parent_token_id");`);

    this.addSql(
      `alter table "api_key" add column "origin" text check ("origin" in ('session', 'access_token', 'oidc', 'email_link', 'invitation', 'cli')) null, add column "parent_token_id" uuid null, add column "parent_session_id" uuid null;`,
    );
    this.addSql(`create index "api_key_parent_session_idx" on "api_key" ("parent_session_id");`);
    this.addSql(`create index "api_key_parent_token_idx" on "api_key" ("parent_token_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "api_key_parent_session_idx";`);
    this.addSql(`drop index "api_key_parent_token_idx";`);
    this.addSql(
      `alter table "api_key" drop column "origin", drop column "parent_token_id", drop column "parent_session_id";`,
    );

    this.addSql(`drop index "session_parent_token_idx";`);
    this.addSql(`alter table "session" drop column "parent_token_id", drop column "expires_at";`);
  }
}
