import { type Express } from 'express';
import { type AddressInfo } from 'node:net';
import { type AppOptions, createApp } from '../../src/app';
import { type TestContext, createTestContext } from './db';

export interface TestApp extends TestContext {
  app: Express;
}

/** The real Express app over a fresh test database (PostgreSQL when configured, else PGlite). */
export async function createTestApp(
  overrides: Record<string, string> = {},
  options: AppOptions = {},
): Promise<TestApp> {
  const ctx = await createTestContext(overrides);
  const { app, stop } = await createApp(ctx, options);
  return {
    ...ctx,
    app,
    close: async () => {
      await stop();
      await ctx.close();
    },
  };
}

/** Serves `app` on a free port of 127.0.0.1, for clients that need a real URL (newman, Runscope runners). */
export async function listening(app: Express): Promise<{ port: number; close: () => Promise<void> }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
