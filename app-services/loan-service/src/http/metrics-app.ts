import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { ServiceMetrics } from '../observability/service-metrics';
import { installErrorHandlers } from './error-handler';

/**
 * The second listener (`METRICS_PORT`): `GET /metrics` for Prometheus and `GET /openapi.json`,
 * and nothing else. Kept off the API port, which the ingress routes to, so neither the process's
 * internals nor the API's full description are reachable from outside the cluster. Requests are
 * not logged: Prometheus scrapes every few seconds.
 */
export function createMetricsApp(logger: Logger, metrics: ServiceMetrics, openApiDocument: () => Record<string, unknown>): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger.child({ listener: 'metrics' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: 'idle',
  });
  installErrorHandlers(app);
  app.get('/metrics', async (_request, reply) => reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()));
  app.get('/openapi.json', async () => openApiDocument());
  return app;
}
