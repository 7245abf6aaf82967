import { z } from 'zod';
import type { RouteDependencies } from '../route-dependencies';

const TAG = 'operations';
/** How long a readiness check may take before the dependency counts as unreachable. */
export const READINESS_CHECK_TIMEOUT_MS = 2000;

const readinessSchema = z.object({
  status: z.enum(['ready', 'not_ready', 'shutting_down']),
  checks: z.object({ database: z.string(), documentStore: z.string() }),
});

/** /healthz, /readyz, /metrics and /openapi.json: unauthenticated, for the kubelet, Prometheus and clients. */
export function registerOperationsRoutes(
  { app, routes, database, documentStore, metrics, lifecycle }: RouteDependencies,
  openApiDocument: () => Record<string, unknown>,
): void {
  routes.add(app, {
    method: 'GET', url: '/healthz', tag: TAG, authenticated: false,
    summary: 'Liveness: the process serves HTTP. Checks no dependency.',
    responses: { 200: { description: 'Alive.', schema: z.object({ status: z.literal('ok') }) } },
    handler: async () => ({ status: 'ok' }),
  });
  routes.add(app, {
    method: 'GET', url: '/readyz', tag: TAG, authenticated: false,
    summary: 'Readiness: the database and the document store answer. 503 names the failing one, and while shutting down.',
    responses: {
      200: { description: 'Ready.', schema: readinessSchema },
      503: { description: 'A dependency failed, or the instance is draining.', schema: readinessSchema },
    },
    handler: async ({ request, reply }) => {
      const [databaseCheck, storeCheck] = await Promise.all([
        check(() => database.raw('select 1 as ok')),
        check(() => documentStore.checkReachable()),
      ]);
      const checks = { database: databaseCheck, documentStore: storeCheck };
      if (lifecycle.shuttingDown) return reply.code(503).send({ status: 'shutting_down', checks });
      if (databaseCheck !== 'ok' || storeCheck !== 'ok') {
        request.log.warn({ checks }, 'not ready');
        return reply.code(503).send({ status: 'not_ready', checks });
      }
      return { status: 'ready', checks };
    },
  });
  routes.add(app, {
    method: 'GET', url: '/metrics', tag: TAG, authenticated: false,
    summary: 'Prometheus metrics: HTTP, database pool, business counters, process.',
    responses: { 200: { description: 'Prometheus text exposition format.', contentType: 'text/plain; version=0.0.4' } },
    handler: async ({ reply }) => reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()),
  });
  routes.add(app, {
    method: 'GET', url: '/openapi.json', tag: TAG, authenticated: false,
    summary: 'This OpenAPI 3.1 description.',
    responses: { 200: { description: 'The OpenAPI document.' } },
    handler: async () => openApiDocument(),
  });
}

/** `ok`, or `failed: <reason>` (a reason, never a secret: driver messages name hosts, not passwords). */
async function check(probe: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${READINESS_CHECK_TIMEOUT_MS} ms`)), READINESS_CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return 'ok';
  } catch (error) {
    const message = error instanceof Error ? error.message || error.name : String(error);
    return `failed: ${message}`;
  } finally {
    clearTimeout(timer);
  }
}
