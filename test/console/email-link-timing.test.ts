import { Client } from 'pg';
import pino from 'pino';
import { Writable } from 'node:stream';
import request from 'supertest';
import { type App, createApp } from '../../src/app';
import { openOrm } from '../../src/db';
import { SignInService } from '../../src/services/sign-in.service';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { SmtpReceiver } from '../helpers/smtp';

// Holding a lock from a second connection needs a database other connections can reach.
const onPostgres = engineName() === 'postgresql';
const suite = onPostgres ? describe : describe.skip;
if (!onPostgres) console.log('email-link timing: skipped on PGlite (no second connection to hold a lock from)');

const smtp = new SmtpReceiver();
let t: TestApp;
const extraApps: App[] = [];

beforeAll(async () => {
  if (!onPostgres) return;
  const port = await smtp.start();
  t = await createTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}` });
});

afterAll(async () => {
  if (!onPostgres) return;
  for (const extra of extraApps) await extra.stop();
  await t.close();
  await smtp.stop();
});

// An answer that waited for the lock would never come while it is held: fail in seconds, not at the test's timeout.
const post = (app: App['app'], email: string) =>
  request(app).post('/auth/email-link').set('content-type', 'application/json').timeout(5000).send({ email });

/** A second connection holding an exclusive lock on the accounts table: every lookup of an address waits for it. */
async function lockAccounts(): Promise<{ release: () => Promise<void>; waiters: () => Promise<number> }> {
  const client = new Client({ connectionString: t.db.url });
  await client.connect();
  await client.query('begin');
  await client.query('lock table app_user in access exclusive mode');
  return {
    release: async () => {
      await client.query('rollback');
      await client.end();
    },
    // Statements of other connections waiting for a lock in this database.
    waiters: async () =>
      Number(
        (
          await client.query(
            `select count(*)::int as n from pg_locks l join pg_database d on d.oid = l.database
             where not l.granted and d.datname = current_database()`,
          )
        ).rows[0].n,
      ),
  };
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const linkRows = async (userId: string): Promise<number> => {
  const [row] = await t.orm.em
    .fork()
    .getConnection()
    .execute(`select count(*)::int as count from sign_in_link where user_id = ?`, [userId]);
  return row.count;
};

suite('POST /auth/email-link answers before the database work (postgresql)', () => {
  it('answers 202 while the accounts table is locked, then the link arrives once the lock goes', async () => {
    const email = `timing-${unique()}@example.test`;
    const account = await t.services.tokens.userForEmail(email);
    const lock = await lockAccounts();
    try {
      // Both answers arrive although neither lookup can run: the answer does not depend on the account.
      const known = await post(t.app, email);
      const unknown = await post(t.app, `nobody-${unique()}@example.test`);
      expect([known.status, known.body]).toEqual([202, {}]);
      expect([unknown.status, unknown.body]).toEqual([202, {}]);
      await until(async () => (await lock.waiters()) > 0, 'the queued lookup to wait for the lock');
      expect(await linkRows(account.id)).toBe(0);
    } finally {
      await lock.release();
    }
    await t.services.signIn.emailLinksSettled();
    expect(await linkRows(account.id)).toBe(1);
    await t.dispatcher.drainOnce();
    await smtp.waitFor(() => smtp.to(email).length === 1);
    const token = /sign-in\/link\?token=(\S+)/.exec(smtp.to(email)[0].text)![1];
    const verified = await request(t.app)
      .post('/auth/email-link/verify')
      .set('content-type', 'application/json')
      .send({ token: decodeURIComponent(token) });
    expect(verified.status).toBe(200);
    expect(verified.body.user.id).toBe(account.id);
  });

  it('refuses with 503 and Retry-After once the queue is full, and does the queued work afterwards', async () => {
    const signIn = new SignInService(t, t.services, { emailLinkQueueMax: 2 });
    const app = await createApp({ ...t, services: { ...t.services, signIn } });
    extraApps.push(app);
    const emails = [0, 1, 2].map(() => `queue-${unique()}@example.test`);
    const accounts = await Promise.all(emails.map((e) => t.services.tokens.userForEmail(e)));
    const lock = await lockAccounts();
    try {
      expect((await post(app.app, emails[0])).status).toBe(202);
      // The first job is running (blocked on the lock): two more may wait, the next is refused.
      await until(async () => (await lock.waiters()) > 0, 'the first job to wait for the lock');
      expect((await post(app.app, emails[1])).status).toBe(202);
      expect((await post(app.app, emails[2])).status).toBe(202);
      const refused = await post(app.app, `late-${unique()}@example.test`);
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe('SERVICE_UNAVAILABLE');
      expect(refused.headers['retry-after']).toBe('5');
      expect(signIn.emailLinkQueue()).toEqual({ size: 3, failed: 0 });
    } finally {
      await lock.release();
    }
    await signIn.emailLinksSettled();
    for (const account of accounts) expect(await linkRows(account.id)).toBe(1);
    expect(signIn.emailLinkQueue()).toEqual({ size: 0, failed: 0 });
  });

  it('logs a request the database could not serve (the caller had its 202 already)', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'error' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    // An ORM whose connections are gone: every statement fails, as during an outage.
    const orm = await openOrm({ kind: 'postgres', url: t.db.url, dataDir: '' }, { max: 1 });
    await orm.close(true);
    const signIn = new SignInService({ orm, config: t.config, logger }, t.services);
    const email = `outage-${unique()}@example.test`;
    signIn.requestEmailLink(email);
    await signIn.emailLinksSettled();
    expect(signIn.emailLinkQueue()).toEqual({ size: 0, failed: 1 });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ level: 50, msg: 'sending an e-mail sign-in link failed' });
    expect(entry.err).toBeDefined();
    expect(lines[0]).not.toContain(email);
  });

  it('refuses bad input at once with 400, queueing nothing', async () => {
    const res = await post(t.app, 'not an address');
    expect(res.status).toBe(400);
    expect(t.services.signIn.emailLinkQueue().size).toBe(0);
  });
});
