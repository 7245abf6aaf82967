import type { HeartbeatConfig, HeartbeatMode } from '../config/heartbeat-config';
import type { ConnectionSettings } from '../connection/connection-settings';
import { readCredentialsFile, type S3Credentials } from '../connection/credentials-file';
import { createS3Client } from '../connection/s3-client';
import { HEARTBEAT_OPERATIONS, ReaderMetrics, WriterMetrics, type HeartbeatMetrics } from './heartbeat-metrics';
import { HeartbeatReader } from './heartbeat-reader';
import { HeartbeatWriter } from './heartbeat-writer';
import type { Logger } from './logger';
import { startMetricsServer } from './metrics-server';

export interface HeartbeatOptions {
  readonly mode: HeartbeatMode;
  readonly config: HeartbeatConfig;
  readonly settings: ConnectionSettings;
  /** Address and port of the metrics server (port 0: any free port). */
  readonly host: string;
  readonly port: number;
  readonly log: Logger;
  /** The clock, in milliseconds since the epoch. @default Date.now */
  readonly now?: () => number;
}

/** A running heartbeat process. */
export interface RunningHeartbeat {
  /** The port the metrics server listens on. */
  readonly port: number;
  readonly metrics: HeartbeatMetrics;
  /** Resolves when the cycle now running (or, if none, the next one) has finished. */
  nextCycle(): Promise<void>;
  /** Stops the cycles (aborting requests in flight), then closes the metrics server. */
  stop(): Promise<void>;
}

/**
 * Starts the metrics server and runs a cycle at once, then one every `intervalSeconds` (at a
 * fixed rate; a cycle that overruns is followed by the next at once). Each cycle re-reads the
 * credentials file, which the Vault agent may have rotated; if that fails the cycle uses the
 * last credentials read and counts a `read-credentials` error. Throws a ConfigurationError when
 * the credentials file cannot be read at start.
 */
export async function startHeartbeat(options: HeartbeatOptions): Promise<RunningHeartbeat> {
  const { mode, config, settings, log } = options;
  const now = options.now ?? Date.now;
  let credentials: S3Credentials = readCredentialsFile(settings.credentialsFile);

  let worker: HeartbeatWriter | HeartbeatReader;
  let metrics: HeartbeatMetrics;
  if (mode === 'writer') {
    const writerMetrics = new WriterMetrics();
    worker = new HeartbeatWriter(config, writerMetrics, log, now);
    metrics = writerMetrics;
  } else {
    const readerMetrics = new ReaderMetrics(config.sourceSite as string, now);
    worker = new HeartbeatReader(config, readerMetrics, log);
    metrics = readerMetrics;
  }
  const server = await startMetricsServer(metrics.registry, options.host, options.port);
  log('info', 'replication heartbeat started', {
    mode,
    site: config.site,
    ...(mode === 'reader' ? { sourceSite: config.sourceSite } : {}),
    buckets: config.replicatedBuckets,
    intervalSeconds: config.intervalSeconds,
    endpoint: settings.endpoint,
    metricsPort: server.port,
  });

  const abort = new AbortController();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let waiting: Array<() => void> = [];

  const runCycle = async (): Promise<void> => {
    try {
      credentials = readCredentialsFile(settings.credentialsFile);
    } catch (error) {
      metrics.errors.inc({ bucket: '', operation: HEARTBEAT_OPERATIONS.readCredentials });
      log('warn', 'cannot re-read the credentials file; using the last credentials read', { error: (error as Error).message });
    }
    const client = createS3Client(settings, credentials);
    try {
      await worker.runCycle(client, abort.signal);
    } finally {
      client.destroy();
    }
  };

  const schedule = (startedAt: number): void => {
    if (stopped) return;
    const delay = Math.max(0, startedAt + config.intervalSeconds * 1000 - Date.now());
    timer = setTimeout(() => {
      const started = Date.now();
      running = runCycle()
        .catch((error: unknown) => log('error', 'heartbeat cycle failed', { error: String(error) }))
        .finally(() => {
          running = undefined;
          const done = waiting;
          waiting = [];
          for (const resolve of done) resolve();
          schedule(started);
        });
    }, delay);
  };
  schedule(Date.now() - config.intervalSeconds * 1000);

  return {
    port: server.port,
    metrics,
    nextCycle: () => new Promise<void>((resolve) => waiting.push(resolve)),
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      abort.abort();
      if (running !== undefined) await running;
      await server.close();
      log('info', 'replication heartbeat stopped', { mode });
    },
  };
}
