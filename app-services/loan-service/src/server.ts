import type { Logger } from 'pino';
import { ConfigurationError } from './config/configuration-error';
import { loadConfig } from './config/load-config';
import { createLogger } from './observability/create-logger';
import { createLoanService, StartupError } from './service';

/**
 * Entry point (`node dist/server.js`): validate configuration, migrate, listen on PORT (API and
 * probes) and METRICS_PORT (/metrics, /openapi.json), and on SIGTERM/SIGINT drain and exit 0.
 *
 * Every line the process writes is a JSON log line, failures to start included: those are one
 * `fatal` line (the reason in `msg`; bad settings also listed in `problems`) and exit code 1.
 *
 * Shutdown: /readyz answers 503 at once; after SHUTDOWN_DELAY_MS (time for Kubernetes to take
 * the pod out of the Service endpoints) the API listener closes, in-flight requests finish, idle
 * keep-alive connections close, the database pool closes, then the metrics listener closes,
 * and the process exits 0.
 */
async function main(startupLogger: Logger): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      startupLogger.fatal({ problems: error.problems }, `invalid configuration: ${error.problems.join('; ')}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  routeProcessWarnings(logger);
  const service = await createLoanService(config, logger);
  const { app, metricsApp, lifecycle } = service;

  let shutdown: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (shutdown !== undefined) return;
    lifecycle.shuttingDown = true;
    logger.info({ signal, shutdownDelayMs: config.shutdownDelayMs }, 'shutting down');
    shutdown = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownDelayMs))
      .then(() => service.close())
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

  try {
    const address = await app.listen({ port: config.port, host: config.host });
    const metricsAddress = await metricsApp.listen({ port: config.metricsPort, host: config.host });
    logger.info(
      {
        address,
        metricsAddress,
        database: config.database.client,
        documentStore: service.documentStore.description,
        authMode: config.auth.mode,
      },
      'loan-service listening',
    );
  } catch (error) {
    await service.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Node prints warnings (deprecations, the AWS SDK's Node version notice) to stderr as several
 * lines of text; they become warn lines of the JSON log instead.
 */
function routeProcessWarnings(logger: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    logger.warn({ warning: { name: warning.name, code: (warning as NodeJS.ErrnoException).code } }, warning.message);
  });
}

// Before the configuration (and so LOG_LEVEL) is known, start-up failures still need a logger.
const startupLogger = createLogger('info');
routeProcessWarnings(startupLogger);
main(startupLogger).catch((error: unknown) => {
  const reason = error instanceof Error ? error.message : String(error);
  // A StartupError's message says it all; anything else keeps its stack (inside the one JSON line).
  startupLogger.fatal(error instanceof StartupError ? {} : { err: error }, `failed to start: ${reason}`);
  process.exit(1);
});
