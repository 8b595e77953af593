import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { type Orm, openOrm } from '../../src/db';
import { cliActor } from '../../src/domain/actor';
import { OutboxStatus } from '../../src/domain/enums';
import { OutboxMessage } from '../../src/entities';
import { MailFolder } from '../../src/services/mail-folder';
import { OutboxDispatcher, SCRUBBED_TEXT } from '../../src/services/outbox-dispatcher';
import { type TestContext, createTestContext, engineName, testPostgresUrl } from '../helpers/db';
import { makeOrganization, unique } from '../helpers/factories';
import { SmtpReceiver } from '../helpers/smtp';

// A real SMTP conversation (smtp-server <- nodemailer), not a mocked transport.
let ctx: TestContext;
const smtp = new SmtpReceiver();
let smtpUrl: string;
const silent = pino({ level: 'silent' });
const FROM = 'orgd <no-reply@orgd.test>';

beforeAll(async () => {
  ctx = await createTestContext();
  smtpUrl = `smtp://127.0.0.1:${await smtp.start()}`;
});
afterAll(async () => {
  await smtp.stop();
  await ctx?.close();
});
beforeEach(() => {
  smtp.rejecting = false;
  smtp.rejected = 0;
  smtp.delayMs = 0;
  smtp.messages.length = 0;
});

const dispatcher = (orm: Orm = ctx.orm, options: Partial<ConstructorParameters<typeof OutboxDispatcher>[2]> = {}) =>
  new OutboxDispatcher(orm, silent, { smtpUrl, from: FROM, ...options });

const outboxOf = (memberId: string) => ctx.orm.em.fork().findOneOrFail(OutboxMessage, { memberId });

/** Lets the backoff of every pending message run out now, instead of waiting seconds in a test. */
const fastForward = () =>
  ctx.orm.em.fork().execute(`update outbox_message set next_attempt_at = now() where status = 'PENDING'`);

async function invite(orgId: string) {
  const email = `invitee-${unique()}@example.test`;
  const { member, invitationToken } = await ctx.services.memberLifecycle.invite(cliActor(), orgId, { email });
  return { email, member, link: `http://orgd.test/invitations/accept?token=${encodeURIComponent(invitationToken)}` };
}

describe(`outbox dispatcher over SMTP (${engineName()})`, () => {
  it('delivers an invitation exactly once, with its accept link', async () => {
    const { orgId, organization } = await makeOrganization(ctx.services);
    const { email, member, link } = await invite(orgId);
    const d = dispatcher();
    expect(await d.drainOnce()).toBe(1);
    expect(await d.drainOnce()).toBe(0);
    await d.stop();

    expect(smtp.messages).toHaveLength(1);
    const [mail] = smtp.messages;
    expect(mail.to).toEqual([email]);
    expect(mail.from).toBe('no-reply@orgd.test');
    expect(mail.raw).toContain(`Subject: You are invited to join ${organization.name}`);
    expect(mail.text).toContain(link);
    const row = await outboxOf(member.id);
    expect([row.status, row.attempts, row.lastError]).toEqual([OutboxStatus.SENT, 1, null]);
    expect(row.sentAt).toBeInstanceOf(Date);
  });

  it('keeps the token only until delivery: the row stays, its body is scrubbed (sent or given up)', async () => {
    const { orgId, organization } = await makeOrganization(ctx.services);
    const { email, member, link } = await invite(orgId);
    const token = decodeURIComponent(link.split('token=')[1]);
    expect(JSON.stringify((await outboxOf(member.id)).mail)).toContain(token); // pending: the mail still needs it
    const d = dispatcher();
    expect(await d.drainOnce()).toBe(1);
    expect(smtp.to(email)[0].text).toContain(token); // what the invitee got
    const sent = await outboxOf(member.id);
    expect(sent.status).toBe(OutboxStatus.SENT);
    expect(sent.mail).toEqual({ subject: `You are invited to join ${organization.name}`, text: SCRUBBED_TEXT });
    const rawRow = await ctx.orm.em.fork().execute(`select * from outbox_message where id = ?`, [sent.id]);
    expect(JSON.stringify(rawRow)).not.toContain(token);
    expect(JSON.stringify(rawRow)).not.toContain(token.slice(-12));

    // A message given up on keeps no token either (it is of no use to anyone any more).
    const failing = await invite(orgId);
    const failToken = decodeURIComponent(failing.link.split('token=')[1]);
    smtp.rejecting = true;
    const once = dispatcher(ctx.orm, { maxAttempts: 1 });
    await once.drainOnce();
    await once.stop();
    await d.stop();
    const failed = await outboxOf(failing.member.id);
    expect(failed.status).toBe(OutboxStatus.FAILED);
    expect(failed.mail.text).toBe(SCRUBBED_TEXT);
    expect(
      JSON.stringify(await ctx.orm.em.fork().execute(`select * from outbox_message where id = ?`, [failed.id])),
    ).not.toContain(failToken);
  });

  it('keeps a message PENDING with backoff while SMTP refuses it, then delivers it once', async () => {
    const { orgId } = await makeOrganization(ctx.services);
    const { email, member, link } = await invite(orgId);
    const d = dispatcher();
    smtp.rejecting = true;
    expect(await d.drainOnce()).toBe(0);
    let row = await outboxOf(member.id);
    expect([row.status, row.attempts]).toEqual([OutboxStatus.PENDING, 1]);
    expect(row.lastError).toMatch(/451/);
    // Backoff: 2^attempts * 5 s, so not before ~10 s from now.
    expect(row.nextAttemptAt.getTime() - Date.now()).toBeGreaterThan(8_000);
    expect(await d.drainOnce()).toBe(0); // not due yet: no new attempt
    expect(smtp.rejected).toBe(1);

    smtp.rejecting = false;
    await fastForward();
    expect(await d.drainOnce()).toBe(1);
    await d.stop();
    row = await outboxOf(member.id);
    expect([row.status, row.attempts, row.lastError]).toEqual([OutboxStatus.SENT, 2, null]);
    expect(smtp.to(email)).toHaveLength(1);
    expect(smtp.to(email)[0].text).toContain(link);
  });

  it('gives up after maxAttempts (FAILED, never retried)', async () => {
    const { orgId } = await makeOrganization(ctx.services);
    const { member } = await invite(orgId);
    const d = dispatcher(ctx.orm, { maxAttempts: 2 });
    smtp.rejecting = true;
    await d.drainOnce();
    await fastForward();
    await d.drainOnce();
    const row = await outboxOf(member.id);
    expect([row.status, row.attempts]).toEqual([OutboxStatus.FAILED, 2]);
    smtp.rejecting = false;
    await fastForward();
    expect(await d.drainOnce()).toBe(0);
    await d.stop();
    expect(smtp.messages).toHaveLength(0);
  });

  it('polls in the background and stop() waits for the batch in flight', async () => {
    const { orgId } = await makeOrganization(ctx.services);
    const d = dispatcher(ctx.orm, { intervalMs: 50 });
    d.start();
    const { email } = await invite(orgId);
    await smtp.waitFor(() => smtp.to(email).length === 1);
    await d.stop();
    expect(smtp.messages).toHaveLength(1);
  });

  it('writes the message to DATA_DIR/mail when SMTP_URL is unset; the log names the file, never the link', async () => {
    const { orgId } = await makeOrganization(ctx.services, 'Société Ünïcode');
    const { email, member, link } = await invite(orgId);
    let logged = '';
    const sink = new Writable({ write: (chunk, _enc, done) => ((logged += chunk), done()) });
    const folder = new MailFolder(mkdtempSync(path.join(tmpdir(), 'orgd-mail-')));
    const d = new OutboxDispatcher(ctx.orm, pino({ level: 'trace' }, sink), { from: FROM, mailFolder: folder });
    expect(await d.drainOnce()).toBe(1);
    await d.stop();
    const file = path.join(folder.dir, `${(await outboxOf(member.id)).id}.eml`);
    expect(JSON.parse(logged.trim().split('\n')[0])).toMatchObject({ to: email, file });
    expect(logged).not.toContain(link);
    expect(logged).not.toContain(new URL(link).searchParams.get('token'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^Content-Type: text\/plain/m);
    const [listed] = await folder.list(email.toUpperCase());
    expect(listed).toMatchObject({ to: email, file, subject: expect.stringContaining('Société Ünïcode') });
    expect((await folder.show(listed.id)).text).toContain(link);
    expect((await outboxOf(member.id)).status).toBe(OutboxStatus.SENT);
  });

  it('two dispatchers draining one database deliver each message once', async () => {
    const { orgId } = await makeOrganization(ctx.services);
    const invited = [];
    for (let i = 0; i < 30; i++) invited.push(await invite(orgId));
    // On PostgreSQL the second one has its own connection pool, as a second server instance would;
    // PGlite has one connection per process, so there the two share it.
    const url = testPostgresUrl() ? ctx.db.url : null;
    const secondOrm = url ? await openOrm({ kind: 'postgres', url, dataDir: '' }, { max: 4 }) : ctx.orm;
    const a = dispatcher(ctx.orm, { batchSize: 4 });
    const b = dispatcher(secondOrm, { batchSize: 4 });
    try {
      const drain = async (d: OutboxDispatcher) => {
        let total = 0;
        for (let n = await d.drainOnce(); n > 0; n = await d.drainOnce()) total += n;
        return total;
      };
      const [byA, byB] = await Promise.all([drain(a), drain(b)]);
      expect(byA + byB).toBe(30);
      if (url) expect(Math.min(byA, byB)).toBeGreaterThan(0); // both really took part
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      if (url) await secondOrm.close(true);
    }
    for (const { email } of invited) expect(smtp.to(email)).toHaveLength(1);
    expect(smtp.messages).toHaveLength(30);
    const rows = await ctx.orm.em.fork().find(OutboxMessage, { memberId: { $in: invited.map((i) => i.member.id) } });
    expect(rows.every((r) => r.status === OutboxStatus.SENT && r.attempts === 1)).toBe(true);
  });

  it('works through a backlog at once instead of one batch per polling interval', async () => {
    const { orgId } = await makeOrganization(ctx.services);
    const invited = [];
    for (let i = 0; i < 25; i++) invited.push(await invite(orgId));
    // One batch per minute would deliver 5 of these in the test's time; a backlog must not wait for the interval.
    const d = dispatcher(ctx.orm, { batchSize: 5, intervalMs: 60_000 });
    d.start();
    const deadline = Date.now() + 20_000;
    while (invited.some(({ email }) => smtp.to(email).length === 0) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await d.stop();
    for (const { email } of invited) expect(smtp.to(email)).toHaveLength(1);
  });

  it('a slow SMTP relay does not make a batch outlive its lease (no second delivery by another instance)', async () => {
    const { orgId } = await makeOrganization(ctx.services);
    const invited = [];
    for (let i = 0; i < 4; i++) invited.push(await invite(orgId));
    smtp.delayMs = 700; // each message takes longer than half of the 1 s lease below
    const slow = dispatcher(ctx.orm, { leaseSeconds: 1, batchSize: 10 });
    const other = dispatcher(ctx.orm, { leaseSeconds: 1, batchSize: 10 });
    const first = slow.drainOnce();
    // Another instance polls while the first is still sending its batch, after the lease has run out.
    await new Promise((r) => setTimeout(r, 1200));
    const second = await other.drainOnce();
    const delivered = (await first) + second;
    while ((await other.drainOnce()) > 0) continue;
    await Promise.all([slow.stop(), other.stop()]);
    for (const { email } of invited) expect(smtp.to(email)).toHaveLength(1);
    expect(delivered).toBeLessThanOrEqual(4);
    // Handed-back rows were not counted as attempts.
    const rows = await ctx.orm.em.fork().find(OutboxMessage, { memberId: { $in: invited.map((i) => i.member.id) } });
    expect(rows.map((r) => [r.status, r.attempts])).toEqual(invited.map(() => [OutboxStatus.SENT, 1]));
  });
});
