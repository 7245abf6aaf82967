import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { seedApprovedConfiguration } from '../support/fixtures';
import { HttpClient, LOAN_OFFICER_OLIVIA } from '../support/http-client';
import { freePort, jsonLines, type ServerProcess, spawnServer, startServer } from '../support/server-process';

/** A quote for a loan starting today (start dates may not lie in the past beyond a few days). */
const QUOTE_STARTING_TODAY = { productId: 'salary-advance', principalNgwee: 1_000_000, instalmentCount: 12, startDate: new Date().toISOString().slice(0, 10) };

describe('the built server as a process', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'loan-process-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  /**
   * A start-up failure is one JSON log line (level fatal) on stdout, nothing on stderr, and exit
   * code 1: whatever fails (settings, the database driver, the file system, the port), the log
   * pipeline gets one parseable event rather than a stack trace spread over many lines.
   */
  async function fatalLineOf(server: ServerProcess): Promise<Record<string, unknown>> {
    expect(await server.exited).toBe(1);
    expect(server.stderr.join('')).toBe('');
    const lines = jsonLines(server);
    const fatal = lines.filter((line) => line.level === 'fatal');
    expect(fatal).toHaveLength(1);
    expect(lines[lines.length - 1]).toBe(fatal[0]);
    expect(fatal[0]).toMatchObject({ service: 'loan-service', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    return fatal[0] as Record<string, unknown>;
  }

  it('exits 1 at once on bad configuration, naming the setting, value and allowed values', async () => {
    const server = await spawnServer({ DATABASE_CLIENT: 'oracle', MSSQL_PORT: 'ninety', VAULT_SECRETS_DIR: directory });
    const fatal = await fatalLineOf(server);
    expect(fatal.msg).toBe(
      'invalid configuration: DATABASE_CLIENT: "oracle" is not allowed (allowed: sqlite, mssql); ' +
        'MSSQL_PORT: "ninety" is not valid (allowed: an integer from 1 to 65535)',
    );
    expect(fatal.problems).toEqual([
      'DATABASE_CLIENT: "oracle" is not allowed (allowed: sqlite, mssql)',
      'MSSQL_PORT: "ninety" is not valid (allowed: an integer from 1 to 65535)',
    ]);
  });

  it('exits 1 without printing a too-short JWT secret read from Vault', async () => {
    writeFileSync(join(directory, 'auth-jwt-secret'), 'sup3r-secret\n');
    const server = await spawnServer({
      NODE_ENV: 'production', VAULT_SECRETS_DIR: directory, AUTH_JWT_ISSUER: 'https://id.lms.co.zm/realms/staff', AUTH_JWT_AUDIENCE: 'loan-service',
    });
    const fatal = await fatalLineOf(server);
    expect(fatal.problems).toEqual(['AUTH_JWT_SECRET: is 12 characters long (allowed: at least 32 characters; the value is secret and not shown)']);
    expect(server.stdout.join('')).not.toContain('sup3r');
  });

  it('exits 1 naming the database it cannot reach, with the driver\'s complaints as JSON too', async () => {
    const server = await spawnServer({
      DATABASE_CLIENT: 'mssql', MSSQL_HOST: '127.0.0.1', MSSQL_PORT: '1', MSSQL_DATABASE: 'loans', MSSQL_USER: 'loan_service',
      MSSQL_PASSWORD: 'not-printed', VAULT_SECRETS_DIR: directory,
    });
    const fatal = await fatalLineOf(server);
    expect(fatal.msg).toMatch(/^failed to start: cannot migrate the database \(mssql 127\.0\.0\.1:1, database loans\): Failed to connect to 127\.0\.0\.1:1/);
    expect(server.stdout.join('')).not.toContain('not-printed');
  });

  it('exits 1 with one JSON line when the SQLite file is not a database', async () => {
    const filename = join(directory, 'loan.sqlite');
    writeFileSync(filename, Buffer.alloc(8192, 0x41));
    const server = await spawnServer({ SQLITE_FILENAME: filename, DOCUMENTS_DIR: join(directory, 'documents'), VAULT_SECRETS_DIR: directory });
    expect((await fatalLineOf(server)).msg).toBe(`failed to start: cannot migrate the database (sqlite ${filename}): file is not a database`);
  });

  it('exits 1 with one JSON line when the SQLite directory cannot be created', async () => {
    writeFileSync(join(directory, 'a-file'), '');
    const filename = join(directory, 'a-file', 'data', 'loan.sqlite');
    const server = await spawnServer({ SQLITE_FILENAME: filename, DOCUMENTS_DIR: join(directory, 'documents'), VAULT_SECRETS_DIR: directory });
    expect((await fatalLineOf(server)).msg).toBe(
      `failed to start: cannot open the database (sqlite ${filename}): ENOTDIR: not a directory, mkdir '${join(directory, 'a-file', 'data')}'`,
    );
  });

  it('exits 1 with one JSON line when the port is taken', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const server = await spawnServer({
        PORT: String(port), SQLITE_FILENAME: join(directory, 'loan.sqlite'), DOCUMENTS_DIR: join(directory, 'documents'), VAULT_SECRETS_DIR: directory,
      });
      expect((await fatalLineOf(server)).msg).toBe(`failed to start: listen EADDRINUSE: address already in use 127.0.0.1:${port}`);
    } finally {
      blocker.close();
    }
  });

  it('drains in-flight requests on SIGTERM, drops none, and exits 0', async () => {
    const server = await startServer({
      AUTH_MODE: 'header',
      SQLITE_FILENAME: join(directory, 'loan.sqlite'),
      DOCUMENTS_DIR: join(directory, 'documents'),
      VAULT_SECRETS_DIR: directory,
      SHUTDOWN_DELAY_MS: '300',
    });
    const client = new HttpClient(server.baseUrl);
    await seedApprovedConfiguration(client);
    expect((await new HttpClient(server.metricsBaseUrl).get('/metrics')).status).toBe(200);

    const statuses: number[] = [];
    const failures: string[] = [];
    let signalled = false;
    let readinessDuringDrain: number | undefined;
    const WORKERS = 8;
    const REQUESTS_BEFORE_SIGTERM = 80;
    const MAX_REQUESTS_PER_WORKER = 200;

    const worker = async (): Promise<void> => {
      for (let sent = 0; sent < MAX_REQUESTS_PER_WORKER && !signalled; sent++) {
        try {
          // Quotes: each reads the product in force from the database and computes a schedule.
          const response = await client.post('/v1/schedules', { as: LOAN_OFFICER_OLIVIA, body: QUOTE_STARTING_TODAY });
          statuses.push(response.status);
        } catch (error) {
          failures.push(String((error as Error).cause ?? error));
        }
        if (!signalled && statuses.length >= REQUESTS_BEFORE_SIGTERM) {
          signalled = true;
          server.child.kill('SIGTERM');
          // During SHUTDOWN_DELAY_MS requests are still served, but /readyz turns 503 once the
          // signal is handled (asked a bounded number of times, as the kubelet would).
          for (let probe = 0; probe < 50 && readinessDuringDrain !== 503; probe++) {
            readinessDuringDrain = (await client.get('/readyz')).status;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));

    expect(failures).toEqual([]);
    expect(statuses.length).toBeGreaterThanOrEqual(REQUESTS_BEFORE_SIGTERM);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(readinessDuringDrain).toBe(503);
    expect(await server.exited).toBe(0);
    await expect(fetch(`${server.metricsBaseUrl}/metrics`)).rejects.toThrow('fetch failed');
    const log = server.stdout.join('');
    expect(log).toContain('"msg":"shutting down"');
    expect(log).toContain('"msg":"shutdown complete"');
  });
});
