import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/load-config';
import { createLogger } from '../../src/observability/create-logger';
import type { Clock } from '../../src/domain/service-context';
import { createLoanService, type LoanService } from '../../src/service';
import { HttpClient } from './http-client';

// Hoisted above the imports: the service under test authenticates through withBranchesHeader.
jest.mock('../../src/auth/authenticator', () => {
  const actual = jest.requireActual('../../src/auth/authenticator');
  const { withBranchesHeader } = jest.requireActual('./branches-header');
  return { ...actual, createAuthenticator: withBranchesHeader(actual.createAuthenticator) };
});

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

/** The day the in-process test services believe it is (the fixtures' start date). */
export const TEST_TODAY = '2026-01-15';

/** A clock that starts at 08:00 UTC on TEST_TODAY and then runs at the real pace. */
export function clockFrom(start: string): Clock {
  const offset = Date.parse(start) - Date.now();
  return () => new Date(Date.now() + offset);
}

/**
 * Starts the service in-process (fastify `listen` on port 0) with header authentication, SQLite
 * in memory and filesystem documents unless `environment` says otherwise. Its clock starts on
 * TEST_TODAY unless `options.clock` says otherwise, so dates in the fixtures stay valid.
 */
export async function startTestService(
  environment: Record<string, string> = {},
  options: { readonly clock?: Clock } = {},
): Promise<TestService> {
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
  const service = await createLoanService(config, createLogger(config.logLevel, sink), {
    clock: options.clock ?? clockFrom(`${TEST_TODAY}T08:00:00.000Z`),
  });
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
