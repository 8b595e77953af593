import 'reflect-metadata';
import { createServer } from 'node:http';
import { ConfigError, loadConfig } from './config';
import { createApp } from './app';
import { createContainer } from './container';
import { migrate, openOrm } from './db';
import { createLogger } from './logger';
import { databaseTarget } from './mikro-orm.config';

/** The only module with side effects: reads the environment, opens the database, listens, stops on SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const target = databaseTarget(config.DATABASE_URL, config.DATA_DIR);
  const orm = await openOrm(target, config.DB_POOL_MAX);
  const applied = await migrate(orm);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  const container = createContainer(config, orm, logger);
  const { app, stop: stopApp } = await createApp(container);
  const server = createServer(app);
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  container.dispatcher.start();
  logger.info({ port: config.PORT, host: config.HOST, database: target.kind }, 'orgd listening');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Stop accepting, let in-flight requests finish, then drain the dispatcher and close the database.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const force = setTimeout(() => server.closeAllConnections(), 10_000);
    await closed;
    clearTimeout(force);
    await stopApp();
    await container.dispatcher.stop();
    await orm.close(true);
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: Error) => {
  // A one-line message for configuration and start-up failures, never a stack trace.
  const message = err instanceof ConfigError ? err.message : `orgd failed to start: ${err.message.split('\n')[0]}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
