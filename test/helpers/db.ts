import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { type Config, loadConfig } from '../../src/config';
import { type Container, createContainer } from '../../src/container';
import { type Orm, migrate, openOrm } from '../../src/db';

/** The PostgreSQL server the tests use, when one is configured; PGlite otherwise. */
export function testPostgresUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  return url && /^postgres(ql)?:\/\//.test(url) ? url : undefined;
}

export const engineName = (): string => (testPostgresUrl() ? 'postgresql' : 'pglite');

/** One plain `pg` connection for `work` (creating and dropping databases, the bench's seeding), closed after it. */
export async function withClient<T>(url: string, work: (c: Client) => Promise<T>, connectTimeoutMs = 3000): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** CREATE DATABASE fails while another one copies template1 at the same moment (parallel workers): retry. */
async function createDatabaseWithRetry(admin: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await withClient(admin, (c) => c.query(`create database "${name}"`));
      return;
    } catch (err) {
      if (attempt >= 10 || !/being accessed by other users/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 400));
    }
  }
}

export interface TestDatabase {
  orm: Orm;
  url: string;
  drop: () => Promise<void>;
}

/** A fresh database built by running the migrations: a new PostgreSQL database, or in-memory PGlite. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = testPostgresUrl();
  if (!admin) {
    const orm = await openOrm({ kind: 'pglite-memory', dataDir: '' });
    await migrate(orm);
    return { orm, url: 'pglite://memory', drop: async () => orm.close(true) };
  }
  const name = `orgd_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await createDatabaseWithRetry(admin, name);
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const url = u.toString();
  const orm = await openOrm({ kind: 'postgres', url, dataDir: '' }, { max: 20 });
  await migrate(orm);
  return {
    orm,
    url,
    drop: async () => {
      await orm.close(true);
      await withClient(admin, (c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

export interface TestContext extends Container {
  db: TestDatabase;
  close: () => Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  // DATA_DIR outside the checkout: without SMTP_URL the outbox writes its mails under DATA_DIR/mail.
  const dataDir = path.join(tmpdir(), `orgd-test-${process.pid}`);
  return loadConfig({
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://orgd.test',
    DATA_DIR: dataDir,
    ...overrides,
  } as NodeJS.ProcessEnv);
}

export async function createTestContext(overrides: Record<string, string> = {}): Promise<TestContext> {
  const db = await createTestDatabase();
  const config = testConfig(overrides);
  const target = db.url.startsWith('pglite') ? undefined : { kind: 'postgres' as const, url: db.url, dataDir: '' };
  const container = createContainer(config, db.orm, pino({ level: 'silent' }), target);
  return {
    ...container,
    db,
    close: async () => {
      await container.rateLimits.close();
      await db.drop();
    },
  };
}
