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

// Runs on both engines: .ci/run runs this file in its PGlite step too.
const onPostgres = engineName() === 'postgresql';

const smtp = new SmtpReceiver();
let t: TestApp;
const extraApps: App[] = [];

beforeAll(async () => {
  const port = await smtp.start();
  t = await createTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}` });
});

afterAll(async () => {
  for (const extra of extraApps) await extra.stop();
  await t.close();
  await smtp.stop();
});

// An answer that waited for the lock would never come while it is held: fail in seconds, not at the test's timeout.
const post = (app: App['app'], email: string) =>
  request(app).post('/auth/email-link').set('content-type', 'application/json').timeout(5000).send({ email });

interface Blocked {
  release: () => Promise<void>;
  /** Statements waiting for the database. */
  waiters: () => Promise<number>;
}

/** Makes every lookup of an address wait until release(): the database is there, but busy. */
const blockDatabase = (): Promise<Blocked> => (onPostgres ? lockAccounts() : holdOnlyConnection());

/**
 * PGlite has one connection (a pool of one): a transaction that keeps it makes every other statement wait for it.
 */
async function holdOnlyConnection(): Promise<Blocked> {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let holding!: () => void;
  const held = new Promise<void>((resolve) => (holding = resolve));
  const transaction = t.orm.em.fork().transactional(async (em) => {
    await em.execute('select 1');
    holding();
    await gate;
  });
  await held;
  const pool = (t.orm.em.getConnection().getKnex().client as { pool: { numPendingAcquires(): number } }).pool;
  return {
    release: async () => {
      open();
      await transaction;
    },
    waiters: async () => pool.numPendingAcquires(),
  };
}

/** A second connection holding an exclusive lock on the accounts table: every lookup of an address waits for it. */
async function lockAccounts(): Promise<Blocked> {
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

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const linkRows = async (userId: string): Promise<number> => {
  const [row] = await t.orm.em
    .fork()
    .getConnection()
    .execute(`select count(*)::int as count from sign_in_link where user_id = ?`, [userId]);
  return row.count;
};

describe(`POST /auth/email-link answers before the database work (${engineName()})`, () => {
  it('answers 202 while the database is busy, then the link arrives once it is free', async () => {
    const email = `timing-${unique()}@example.test`;
    const account = await t.services.tokens.userForEmail(email);
    const lock = await blockDatabase();
    try {
      // Both answers arrive although neither lookup can run: the answer does not depend on the account.
      const known = await post(t.app, email);
      const unknown = await post(t.app, `nobody-${unique()}@example.test`);
      expect([known.status, known.body]).toEqual([202, {}]);
      expect([unknown.status, unknown.body]).toEqual([202, {}]);
      await until(async () => (await lock.waiters()) > 0, 'the queued lookup to wait for the database');
      // Both requests' work is still to do (nothing may query the blocked database from here on PGlite).
      expect(t.services.signIn.emailLinkQueue().size).toBe(2);
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
    const lock = await blockDatabase();
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
    const orm = onPostgres
      ? await openOrm({ kind: 'postgres', url: t.db.url, dataDir: '' }, { max: 1 })
      : await openOrm({ kind: 'pglite-memory', dataDir: '' });
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

  it('answers a known and an unknown address in the same time (medians of interleaved requests)', async () => {
    const rounds = 15;
    // A fresh account per request: one account's cap of pending links would make later requests do less work.
    const known = await Promise.all(
      Array.from(
        { length: rounds },
        async () => (await t.services.tokens.userForEmail(`known-${unique()}@example.test`)).email,
      ),
    );
    // Its own app, with room for every request in the sign-in rate limit.
    const app = await createApp({ ...t, config: { ...t.config, SIGN_IN_RATE_LIMIT: 1000 } });
    extraApps.push(app);
    const timed = async (email: string): Promise<number> => {
      const started = process.hrtime.bigint();
      expect((await post(app.app, email)).status).toBe(202);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    await timed(`warm-up-${unique()}@example.test`);
    const knownMs: number[] = [];
    const unknownMs: number[] = [];
    // Each request's background job settles before the next request is timed, so a known address's link and
    // e-mail (work the caller must not wait for) never land inside the next measurement.
    for (const email of known) {
      knownMs.push(await timed(email));
      await t.services.signIn.emailLinksSettled();
      unknownMs.push(await timed(`nobody-${unique()}@example.test`));
      await t.services.signIn.emailLinksSettled();
    }
    // Generous on a noisy machine; answering after the work would add a transaction (look-up, link, outbox row)
    // to every known address's answer. Each known request is compared with the unknown one timed right after it,
    // so a slow moment of a loaded machine weighs on both sides of a pair, not on one median.
    const [k, u] = [median(knownMs), median(unknownMs)];
    const gap = median(knownMs.map((known, i) => known - unknownMs[i]));
    expect(Math.abs(gap)).toBeLessThanOrEqual(Math.max(15, Math.min(k, u)));
  });

  it('refuses bad input at once with 400, queueing nothing', async () => {
    const res = await post(t.app, 'not an address');
    expect(res.status).toBe(400);
    expect(t.services.signIn.emailLinkQueue().size).toBe(0);
  });
});
