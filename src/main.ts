import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { ConfigError, loadConfig } from './config';
import express from 'express';
import { createApp } from './app';
import { runOrgctl } from './cli/commands';
import { DataDirLock } from './cli/data-dir-lock';
import { createContainer } from './container';
import { migrate, openOrm } from './db';
import { metricsHandler } from './http/metrics';
import { createLogger } from './logger';
import { databaseTarget } from './database-target';

/** The only module with side effects: reads the environment, opens the database, listens, stops on SIGTERM. */
async function main(): Promise<void> {
  // What a request allocates dies with it, but under load much of it outlives two scavenges and is promoted: the
  // old space then fills with garbage up to the next full collection. V8 lets it grow to up to four times what the
  // last full collection left live; twice bounds the server's RSS (about 85 MB less on a members page walk) for a
  // few percent more CPU (full collections come more often; each marks only the live heap, which stays the same).
  setFlagsFromString('--heap-growing-percent=100');
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const target = databaseTarget(config.DATABASE_URL, config.DATA_DIR);
  // PGlite has one owner: lock DATA_DIR before opening it; orgctl reaches us on the socket.
  const lock = target.kind === 'postgres' ? null : await DataDirLock.acquire(target.dataDir);
  const orm = await openOrm(target, { max: config.DB_POOL_MAX, acquireTimeoutMs: config.DB_POOL_ACQUIRE_TIMEOUT_MS });
  const applied = await migrate(orm);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  const container = createContainer(config, orm, logger);
  container.changeListener?.start(); // credentials are verified in the database until it listens
  const { app, stop: stopApp } = await createApp(container);
  const server = createServer(app);
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  container.dispatcher.start();
  container.webhookDispatcher.start();
  // METRICS_PORT: /metrics on a port of its own, without a token (an operator exposes it only to the scraper).
  const metricsServer =
    container.metrics && config.METRICS_PORT
      ? createServer(express().get('/metrics', metricsHandler(container.metrics, null)))
      : null;
  if (metricsServer) {
    await new Promise<void>((resolve, reject) => {
      metricsServer.once('error', reject);
      metricsServer.listen(config.METRICS_PORT, config.METRICS_HOST, resolve);
    });
    logger.info({ port: config.METRICS_PORT, host: config.METRICS_HOST }, 'metrics listening');
  }
  container.rateLimits.startSweeping(); // stopped by rateLimits.close() at shutdown
  // Dead sessions and sign-in links are purged every few minutes; stopped at shutdown.
  container.services.sessions.startPurging();
  container.services.signIn.startPurging();
  lock?.serve(async (argv) => {
    const result = await runOrgctl(argv, container, (err) => logger.error({ err }, 'orgctl command failed'));
    // The command path only: arguments carry emails and names.
    logger.info(
      {
        command: argv
          .filter((a) => !a.startsWith('-'))
          .slice(0, 2)
          .join(' '),
        exitCode: result.exitCode,
      },
      'orgctl command',
    );
    return result;
  });
  // The bound port, not config.PORT: with PORT=0 (tests) the system picks one and this line tells it.
  const { port } = server.address() as AddressInfo;
  logger.info({ port, host: config.HOST, database: target.kind }, 'orgd listening');
  // Without PUBLIC_URL the default names config.PORT; with PORT=0 only the bound port is the real address.
  const consoleUrl = `${config.PUBLIC_URL === `http://localhost:${config.PORT}` ? `http://localhost:${port}` : config.PUBLIC_URL}/`;
  logger.info({ url: consoleUrl }, `console at ${consoleUrl}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // A step that never finishes must not leave a half-stopped process holding DATA_DIR.
    setTimeout(() => {
      logger.error('shutdown did not finish within 30 s; exiting');
      process.exit(1);
    }, 30_000).unref();
    // Stop accepting, let in-flight requests finish, then drain the dispatcher and close the database.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const force = setTimeout(() => server.closeAllConnections(), 10_000);
    metricsServer?.close();
    await Promise.all([closed, lock?.close()]);
    clearTimeout(force);
    await stopApp();
    // The link requests already answered 202 get their link and e-mail written (the outbox delivers it).
    await container.services.signIn.emailLinksSettled();
    await Promise.all([container.services.sessions.stopPurging(), container.services.signIn.stopPurging()]);
    await container.dispatcher.stop();
    await container.webhookDispatcher.stop();
    await container.services.scimRequestLog.flush().catch(() => undefined);
    await container.services.lastUsed.flush();
    await container.rateLimits.close();
    await container.changeListener?.close();
    await orm.close(true);
    logger.info('stopped');
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    process.exit(0);
  };
  // This module owns the signals. Libraries install their own handlers (Apollo's stopOnTerminationSignals
  // stops Apollo on SIGTERM, and a second, concurrent stop() from ours then never resolves): drop them.
  process.removeAllListeners('SIGTERM');
  process.removeAllListeners('SIGINT');
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: Error) => {
  // A one-line message for configuration and start-up failures, never a stack trace.
  const message = err instanceof ConfigError ? err.message : `orgd failed to start: ${err.message.split('\n')[0]}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
