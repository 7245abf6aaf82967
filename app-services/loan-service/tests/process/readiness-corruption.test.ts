import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedApprovedConfiguration } from '../support/fixtures';
import { HttpClient } from '../support/http-client';
import { type ServerProcess, startServer } from '../support/server-process';

/**
 * The running service's SQLite connection keeps serving pages from its cache after the file is
 * damaged under it, so readiness must read the file afresh: damage shows as 503 at once.
 *
 * The service is started, seeded and restarted first: a clean shutdown checkpoints the
 * write-ahead log into the file, so the pages read afresh come from the file itself (pages
 * still in the log shadow the file's copies, and a checkpoint would write them back over damage).
 */
describe('readiness of a damaged SQLite file (the built server as a process)', () => {
  let directory: string;
  let server: ServerProcess;
  let client: HttpClient;
  let filename: string;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'loan-readiness-'));
    filename = join(directory, 'loan.sqlite');
    const environment = { AUTH_MODE: 'header', SQLITE_FILENAME: filename, DOCUMENTS_DIR: join(directory, 'documents'), VAULT_SECRETS_DIR: directory };
    const first = await startServer(environment);
    await seedApprovedConfiguration(new HttpClient(first.baseUrl));
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(existsSync(`${filename}-wal`)).toBe(false);
    server = await startServer(environment);
    client = new HttpClient(server.baseUrl);
    expect((await client.get('/readyz')).json).toEqual({ status: 'ready', checks: { database: 'ok', documentStore: 'ok' } });
  });
  afterEach(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(directory, { recursive: true, force: true });
  });

  function overwrite(offset: number, bytes: Buffer): void {
    const descriptor = openSync(filename, 'r+');
    try {
      writeSync(descriptor, bytes, 0, bytes.length, offset);
    } finally {
      closeSync(descriptor);
    }
  }

  it('answers 503 once the header is overwritten', async () => {
    overwrite(0, Buffer.alloc(100, 0x41));
    const response = await client.get('/readyz');
    expect(response.status).toBe(503);
    expect(response.json).toEqual({ status: 'not_ready', checks: { database: 'failed: file is not a database', documentStore: 'ok' } });
  });

  it('answers 503 once the whole file is overwritten', async () => {
    overwrite(0, Buffer.alloc(64 * 1024, 0x00));
    const response = await client.get('/readyz');
    expect(response.status).toBe(503);
    expect(response.json.checks.database).toMatch(/^failed: /);
  });
});
