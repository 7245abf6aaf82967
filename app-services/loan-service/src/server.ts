import { ConfigurationError } from './config/configuration-error';
import { loadConfig } from './config/load-config';
import { createLogger } from './observability/create-logger';
import { createLoanService, StartupError } from './service';

/**
 * Entry point (`node dist/server.js`): validate configuration (exit 1 naming every bad setting),
 * migrate, listen, and on SIGTERM/SIGINT drain and exit 0.
 *
 * Shutdown: /readyz answers 503 at once; after SHUTDOWN_DELAY_MS (time for Kubernetes to take
 * the pod out of the Service endpoints) the listener closes, in-flight requests finish, idle
 * keep-alive connections close, the database pool closes, and the process exits 0.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`loan-service: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const service = await createLoanService(config, logger);
  const { app, lifecycle } = service;

  let shutdown: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (shutdown !== undefined) return;
    lifecycle.shuttingDown = true;
    logger.info({ signal, shutdownDelayMs: config.shutdownDelayMs }, 'shutting down');
    shutdown = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownDelayMs))
      .then(() => app.close())
      .then(() => {
        logger.info('shutdown complete');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  const address = await app.listen({ port: config.port, host: config.host });
  logger.info(
    { address, database: config.database.client, documentStore: service.documentStore.description, authMode: config.auth.mode },
    'loan-service listening',
  );
}

main().catch((error: unknown) => {
  const detail = error instanceof StartupError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`loan-service: failed to start: ${detail}\n`);
  process.exit(1);
});
