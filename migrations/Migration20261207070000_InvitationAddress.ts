import { Migration } from '@mikro-orm/migrations';

export class Migration20261207070000_InvitationAddress extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "member" add column "invitation_email" varchar(320) null;`);
    // An outstanding token is bound to the address its e-mail went to: the recipient of the member's latest
    // invitation mail. A token whose mail cannot be found stays unbound, which makes it invalid (reinvite).
    this.addSql(
      `update "member" m set "invitation_email" = lower(o."recipient")
         from (select distinct on ("member_id") "member_id", "recipient" from "outbox_message"
                where "kind" = 'INVITATION' and "member_id" is not null
                order by "member_id", "created_at" desc, "id" desc) o
        where o."member_id" = m."id" and m."invitation_token_hash" is not null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "member" drop column "invitation_email";`);
  }
}
