import { Migration } from '@mikro-orm/migrations';

/**
 * Messages already delivered or given up on keep only their subject: their body carried an invitation token
 * (the dispatcher now scrubs each message as it is delivered). Data only; the removed bodies cannot come back.
 */
export class Migration20261130124223_ScrubDeliveredOutbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `update "outbox_message" set "mail" = jsonb_build_object('subject', "mail"->'subject', 'text', '(body removed after delivery: it carried a one-time secret)') where "status" <> 'PENDING';`,
    );
  }

  override async down(): Promise<void> {
    // Nothing to undo: the scrubbed bodies are gone.
  }
}
