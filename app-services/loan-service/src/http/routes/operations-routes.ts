import { z } from 'zod';
import type { RouteDependencies } from '../route-dependencies';

const TAG = 'operations';
/** How long a readiness check may take before the dependency counts as unreachable. */
export const READINESS_CHECK_TIMEOUT_MS = 2000;

const readinessSchema = z.object({
  status: z.enum(['ready', 'not_ready', 'shutting_down']),
  checks: z.object({ database: z.string(), documentStore: z.string() }),
});

/**
 * /healthz and /readyz: unauthenticated, for the kubelet. (/metrics and /openapi.json are on the
 * metrics listener, see metrics-app.ts.)
 */
export function registerOperationsRoutes({ app, routes, checkDatabase, documentStore, lifecycle }: RouteDependencies): void {
  routes.add(app, {
    method: 'GET', url: '/healthz', tag: TAG, authenticated: false,
    summary: 'Liveness: the process serves HTTP. Checks no dependency.',
    responses: { 200: { description: 'Alive.', schema: z.object({ status: z.literal('ok') }) } },
    handler: async () => ({ status: 'ok' }),
  });
  routes.add(app, {
    method: 'GET', url: '/readyz', tag: TAG, authenticated: false,
    summary:
      'Readiness: the database answers a query on the service tables (a SQLite file is read afresh) and the document store ' +
      'is reachable. 503 names the failing one, and while shutting down.',
    responses: {
      200: { description: 'Ready.', schema: readinessSchema },
      503: { description: 'A dependency failed, or the instance is draining.', schema: readinessSchema },
    },
    handler: async ({ request, reply }) => {
      const [databaseCheck, storeCheck] = await Promise.all([
        check(checkDatabase),
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
