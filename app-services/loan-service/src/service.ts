import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { createAuthenticator } from './auth/authenticator';
import { registerConsoleRoutes } from './console/console-routes';
import type { DatabaseConfig, ServiceConfig } from './config/service-config';
import { createDatabase } from './db/create-database';
import { migrateToLatest } from './db/migration-source';
import { createDocumentStore } from './documents/create-document-store';
import type { DocumentStore } from './documents/document-store';
import { DocumentUploader } from './documents/document-uploader';
import { S3DocumentStore } from './documents/s3-document-store';
import { ApplicationService } from './domain/application-service';
import { BusinessConfigurationService } from './domain/business-configuration-service';
import { DocumentService } from './domain/document-service';
import type { Clock } from './domain/service-context';
import { createFastify, registerRoutes } from './http/build-app';
import { createDatabaseCheck } from './http/database-readiness';
import { createMetricsApp } from './http/metrics-app';
import type { Lifecycle } from './http/route-dependencies';
import { RouteRegistry } from './http/route-registry';
import { ServiceMetrics } from './observability/service-metrics';
import { ApplicationRepository } from './repositories/application-repository';
import { ConfigVersionRepository } from './repositories/config-version-repository';
import { DocumentRepository } from './repositories/document-repository';

/** A built, migrated service ready to `listen`: the API app on PORT, the metrics app on METRICS_PORT. */
export interface LoanService {
  readonly app: FastifyInstance;
  /** Serves only /metrics and /openapi.json. */
  readonly metricsApp: FastifyInstance;
  readonly database: Knex;
  readonly documentStore: DocumentStore;
  readonly metrics: ServiceMetrics;
  readonly lifecycle: Lifecycle;
  /** Closes the API app (in-flight requests finish, then the database pool and the store close), then the metrics app. */
  close(): Promise<void>;
}

/** Optional replacements, for tests. */
export interface LoanServiceOptions {
  readonly clock?: Clock;
}

/** A failure to start that is explained by its message alone (no stack trace needed). */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

/** `sqlite ./data/loan-service.sqlite` or `mssql sql.lms:1433, database loans` (never the password). */
export function describeDatabase(config: DatabaseConfig): string {
  return config.client === 'sqlite' ? `sqlite ${config.filename}` : `mssql ${config.host}:${config.port}, database ${config.database}`;
}

/** The service version, from package.json (one directory above both src/ and dist/). */
export function serviceVersion(): string {
  const packageJson = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  return packageJson.version;
}

/**
 * Opens the database (running migrations), the document store and the HTTP app. Closing the
 * app (`app.close()`) waits for in-flight requests, then closes the database pool and the store.
 */
export async function createLoanService(config: ServiceConfig, logger: Logger, options: LoanServiceOptions = {}): Promise<LoanService> {
  const clock = options.clock ?? (() => new Date());
  let database: Knex;
  try {
    database = createDatabase(config.database, logger);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StartupError(`cannot open the database (${describeDatabase(config.database)}): ${reason}`, { cause: error });
  }
  try {
    await migrateToLatest(database);
  } catch (error) {
    await database.destroy();
    const reason = error instanceof Error ? error.message : String(error);
    throw new StartupError(`cannot migrate the database (${describeDatabase(config.database)}): ${reason}`, { cause: error });
  }
  const documentStore = createDocumentStore(config.documents, logger);
  const metrics = new ServiceMetrics();
  metrics.observeDatabasePool(database);

  const configVersions = new ConfigVersionRepository(database);
  const configuration = new BusinessConfigurationService(configVersions, metrics, clock);
  const documentRepository = new DocumentRepository(database);
  const applications = new ApplicationService(new ApplicationRepository(database), configVersions, configuration, metrics, clock, documentRepository);
  const documents = new DocumentService(documentRepository, documentStore, applications);
  const documentUploads = new DocumentUploader(
    documentRepository, documentStore, applications, metrics, clock, config.documents.maxDocumentBytes,
  );

  const app = createFastify(logger);
  const lifecycle: Lifecycle = { shuttingDown: false };
  const authenticate = createAuthenticator(config.auth);
  const openApiDocument = registerRoutes(
    {
      app,
      routes: new RouteRegistry(authenticate),
      configuration,
      applications,
      documents,
      documentUploads,
      metrics,
      checkDatabase: createDatabaseCheck(database, config.database),
      documentStore,
      lifecycle,
      maxDocumentBytes: config.documents.maxDocumentBytes,
    },
    serviceVersion(),
  );
  registerConsoleRoutes({ app, authenticate, configuration, clock, authMode: config.auth.mode });
  app.addHook('onClose', async () => {
    await database.destroy();
    if (documentStore instanceof S3DocumentStore) documentStore.destroy();
  });
  const metricsApp = createMetricsApp(logger, metrics, openApiDocument);
  return {
    app,
    metricsApp,
    database,
    documentStore,
    metrics,
    lifecycle,
    async close() {
      try {
        await app.close();
      } finally {
        await metricsApp.close();
      }
    },
  };
}
