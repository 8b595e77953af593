import { Migration } from '@mikro-orm/migrations';

export class Migration20261130130916_AuditActorKey extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "audit_event" add column "actor_api_key_id" uuid null, add column "actor_provider" varchar(40) null, add column "client_request_id" varchar(100) null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "audit_event" drop column "actor_api_key_id", drop column "actor_provider", drop column "client_request_id";`,
    );
  }
}
