import { randomUUID } from 'node:crypto';
import { type TestDatabase, createTestDatabase, engineName } from '../helpers/db';

const BEFORE = 'Migration20261130162500_GroupSource';
const MIGRATION = 'Migration20261207070000_InvitationAddress';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

describe(`migration ${MIGRATION} (${engineName()})`, () => {
  it('binds an outstanding token to the recipient of its latest invitation mail; one without a mail stays unbound', async () => {
    const migrator = db.orm.getMigrator();
    await migrator.down({ to: BEFORE });
    const sql = db.orm.em.fork().getConnection();
    const orgId = randomUUID();
    await sql.execute(`insert into organization (id, name) values (?, 'Backfill')`, [orgId]);
    const member = (email: string, hash: string | null) =>
      sql.execute(
        `insert into member (id, organization_id, email, user_name, role, permissions, status, source,
           invitation_token_hash, invitation_expires_at, version)
         values (?, ?, ?, ?, 'USER', '{}'::jsonb, 'INVITED', 'SCIM', ?, now() + interval '7 days', 1) returning id`,
        [randomUUID(), orgId, email, email, hash],
      );
    const mail = (memberId: string, recipient: string, createdAt: string) =>
      sql.execute(
        `insert into outbox_message (id, organization_id, member_id, kind, recipient, mail, created_at)
         values (?, ?, ?, 'INVITATION', ?, '{}'::jsonb, ?::timestamptz)`,
        [randomUUID(), orgId, memberId, recipient, createdAt],
      );
    const [{ id: renamed }] = await member('now@corp.example', 'a'.repeat(64));
    await mail(renamed, 'Old@Evil.example', '2026-01-01T00:00:00Z');
    await mail(renamed, 'Latest@Evil.example', '2026-01-02T00:00:00Z');
    const [{ id: unmailed }] = await member('unmailed@corp.example', 'b'.repeat(64));
    const [{ id: staged }] = await member('staged@corp.example', null);
    await mail(staged, 'staged@corp.example', '2026-01-01T00:00:00Z');

    await migrator.up();
    const rows = await sql.execute<{ id: string; invitation_email: string | null }[]>(
      `select id, invitation_email from member where organization_id = ?`,
      [orgId],
    );
    const of = (id: string) => rows.find((r) => r.id === id)?.invitation_email;
    expect(of(renamed)).toBe('latest@evil.example');
    expect(of(unmailed)).toBeNull();
    expect(of(staged)).toBeNull();
    expect(await migrator.checkMigrationNeeded()).toBe(false);
  });
});
