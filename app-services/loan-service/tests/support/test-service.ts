import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/load-config';
import { createLogger } from '../../src/observability/create-logger';
import { createLoanService, type LoanService } from '../../src/service';
import { HttpClient } from './http-client';

/** A service listening on 127.0.0.1 with a real SQLite database and document store in a temp dir. */
export interface TestService {
  readonly client: HttpClient;
  /** The second listener: /metrics and /openapi.json. */
  readonly metricsClient: HttpClient;
  readonly service: LoanService;
  /** Every JSON log line written so far. */
  readonly logLines: Array<Record<string, unknown>>;
  readonly directory: string;
  close(): Promise<void>;
}

/**
 * Starts the service in-process (fastify `listen` on port 0) with header authentication, SQLite
 * in memory and filesystem documents unless `environment` says otherwise.
 */
export async function startTestService(environment: Record<string, string> = {}): Promise<TestService> {
  const directory = mkdtempSync(join(tmpdir(), 'loan-service-test-'));
  const config = loadConfig({
    SQLITE_FILENAME: ':memory:',
    DOCUMENTS_DIR: join(directory, 'documents'),
    VAULT_SECRETS_DIR: join(directory, 'vault'),
    AUTH_MODE: 'header',
    LOG_LEVEL: 'info',
    ...environment,
  });
  const logLines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') logLines.push(JSON.parse(line));
      callback();
    },
  });
  const service = await createLoanService(config, createLogger(config.logLevel, sink));
  const address = await service.app.listen({ port: 0, host: '127.0.0.1' });
  const metricsAddress = await service.metricsApp.listen({ port: 0, host: '127.0.0.1' });
  return {
    client: new HttpClient(address),
    metricsClient: new HttpClient(metricsAddress),
    service,
    logLines,
    directory,
    async close() {
      await service.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
