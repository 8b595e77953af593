import { Express } from 'express';
import { createApp } from '../../src/app';
import { TestContext, createTestContext } from './db';

export interface TestApp extends TestContext {
  app: Express;
}

/** The real Express app over a fresh test database (PostgreSQL when configured, else PGlite). */
export async function createTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const ctx = await createTestContext(overrides);
  const { app, stop } = await createApp(ctx);
  return {
    ...ctx,
    app,
    close: async () => {
      await stop();
      await ctx.close();
    },
  };
}
