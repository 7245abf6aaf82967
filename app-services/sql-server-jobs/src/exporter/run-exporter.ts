import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LogShippingConfig } from '../config/log-shipping-config';
import type { Logger } from '../log';
import type { SqlSession } from '../sql/sql-session';
import { SqlMetrics } from './sql-metrics';

/** How long a scrape waits for SQL Server before it answers with lms_sql_up 0. */
export const COLLECTION_TIMEOUT_MS = 10_000;

export interface ExporterOptions {
  readonly config: LogShippingConfig;
  /** Opens a session to SQL Server; called again after a failed collection. */
  readonly connect: () => Promise<SqlSession>;
  readonly host: string;
  readonly port: number;
  readonly log: Logger;
  /** @default COLLECTION_TIMEOUT_MS */
  readonly collectionTimeoutMs?: number;
}

export interface RunningExporter {
  readonly port: number;
  readonly metrics: SqlMetrics;
  stop(): Promise<void>;
}

/**
 * The exporter: `GET /metrics` collects from SQL Server (one session, reopened after a failure;
 * scrapes share a collection in flight) and answers in Prometheus text; `GET /healthz` answers
 * without touching SQL Server.
 */
export async function startExporter(options: ExporterOptions): Promise<RunningExporter> {
  const metrics = new SqlMetrics(options.config);
  const timeoutMs = options.collectionTimeoutMs ?? COLLECTION_TIMEOUT_MS;
  let session: SqlSession | undefined;
  let inFlight: Promise<void> | undefined;

  const collectOnce = async (): Promise<void> => {
    try {
      session ??= await options.connect();
      await metrics.collect(session);
    } catch (error) {
      metrics.collectionFailed();
      options.log('error', 'metrics collection failed', { error: (error as Error).message });
      const broken = session;
      session = undefined;
      await broken?.close().catch(() => undefined);
    }
  };
  const collect = (): Promise<void> => {
    inFlight ??= collectOnce().finally(() => {
      inFlight = undefined;
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        metrics.collectionFailed();
        options.log('error', 'metrics collection timed out', { timeoutMs });
        resolve();
      }, timeoutMs);
    });
    return Promise.race([inFlight, timeout]).finally(() => clearTimeout(timer));
  };

  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    if (path === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}\n');
      return;
    }
    if (path === '/metrics') {
      collect()
        .then(() => metrics.registry.metrics())
        .then(
          (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
          (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(error)}\n`),
        );
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found (try /metrics or /healthz)\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  options.log('info', 'exporter started', { site: options.config.site, role: options.config.role, database: options.config.database, metricsPort: port });
  return {
    port,
    metrics,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      // A collection in flight gets the collection timeout to finish, no more.
      if (inFlight !== undefined) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([inFlight, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
        clearTimeout(timer);
      }
      await session?.close().catch(() => undefined);
      options.log('info', 'exporter stopped');
    },
  };
}
