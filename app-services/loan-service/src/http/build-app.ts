import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import { installErrorHandlers } from './error-handler';
import { buildOpenApiDocument } from './openapi-document';
import type { RouteDependencies } from './route-dependencies';
import { registerApplicationRoutes } from './routes/application-routes';
import { registerBusinessConfigurationRoutes } from './routes/business-configuration-routes';
import { registerDocumentRoutes } from './routes/document-routes';
import { registerGovernanceConfigurationRoutes } from './routes/governance-configuration-routes';
import { registerOperationsRoutes } from './routes/operations-routes';
import { registerScheduleRoutes } from './routes/schedule-routes';

/** Incoming request ids are honoured when they look like ids; anything else gets a fresh UUID. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
export const REQUEST_ID_HEADER = 'x-request-id';

/** Paths whose requests are not logged. */
const QUIET_PATHS = new Set(['/healthz', '/readyz']);

/** Where the API's routes live (the probes sit outside it). */
const API_PREFIX = '/v1/';

/** JSON bodies (everything but documents) are small. */
export const JSON_BODY_LIMIT_BYTES = 64 * 1024;

/** Creates the fastify instance: request ids, logging, metrics hooks and error mapping, no routes yet. */
export function createFastify(logger: Logger): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    requestIdHeader: false,
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      // Probes and scrapes every few seconds would drown the request log.
      disableRequestLogging: (request) => QUIET_PATHS.has(request.url),
    }),
    genReqId: (request: IncomingMessage) => {
      const incoming = request.headers[REQUEST_ID_HEADER];
      return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: JSON_BODY_LIMIT_BYTES,
    // Keep-alive connections that are idle when closing are closed; busy ones finish first.
    forceCloseConnections: 'idle',
  });
  // Only JSON (and, in the documents scope, the allowed document types) is accepted.
  app.removeContentTypeParser('text/plain');
  // Callback-style hooks: no promise per request on the hot path.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    // Applications, documents and searches carry personal data: no cache, shared or private, may
    // keep any API response. Downloads are not to be sniffed into something a browser would run.
    if (request.url.startsWith(API_PREFIX)) {
      reply.header('cache-control', 'no-store');
      reply.header('x-content-type-options', 'nosniff');
    }
    done(null, payload);
  });
  installErrorHandlers(app);
  return app;
}

/**
 * Registers the access hook, every route and the metrics hook. Returns the OpenAPI document
 * of the routes (built on first use), which the metrics listener serves.
 */
export function registerRoutes(dependencies: RouteDependencies, version: string): () => Record<string, unknown> {
  const { app, metrics, routes } = dependencies;
  routes.installAccessControl(app);
  app.addHook('onResponse', (request, reply, done) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) };
    metrics.httpRequests.inc(labels);
    if (reply.statusCode >= 400) metrics.httpErrors.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    done();
  });
  registerOperationsRoutes(dependencies);
  registerBusinessConfigurationRoutes(dependencies);
  registerGovernanceConfigurationRoutes(dependencies);
  registerApplicationRoutes(dependencies);
  registerScheduleRoutes(dependencies);
  registerDocumentRoutes(dependencies);
  let openApiDocument: Record<string, unknown> | undefined;
  return () => (openApiDocument ??= buildOpenApiDocument(routes.routes, version));
}
