import type { FastifyInstance } from 'fastify';
import type { ApplicationService } from '../domain/application-service';
import type { BusinessConfigurationService } from '../domain/business-configuration-service';
import type { DocumentService } from '../domain/document-service';
import type { DocumentStore } from '../documents/document-store';
import type { DocumentUploader } from '../documents/document-uploader';
import type { ServiceMetrics } from '../observability/service-metrics';
import type { RouteRegistry } from './route-registry';

/** Whether the process is draining after SIGTERM (then /readyz answers 503). */
export interface Lifecycle {
  shuttingDown: boolean;
}

/** What the route modules need. */
export interface RouteDependencies {
  readonly app: FastifyInstance;
  readonly routes: RouteRegistry;
  readonly configuration: BusinessConfigurationService;
  readonly applications: ApplicationService;
  readonly documents: DocumentService;
  readonly documentUploads: DocumentUploader;
  readonly metrics: ServiceMetrics;
  /** The database part of /readyz (see database-readiness.ts); rejects when not ready. */
  readonly checkDatabase: () => Promise<void>;
  readonly documentStore: DocumentStore;
  readonly lifecycle: Lifecycle;
  readonly maxDocumentBytes: number;
}
