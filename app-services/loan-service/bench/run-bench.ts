import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

/**
 * `npm run bench`: starts the built service (SQLite and documents in a temp dir, header auth,
 * info-level JSON logs to a discarded stdout, as in production) and a bare fastify hello-world,
 * drives each case with autocannon for DURATION_SECONDS with CONNECTIONS connections, and
 * prints a markdown table. A benchmark, not a test: it asserts nothing about speed.
 */
const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SERVICE_ROOT = join(__dirname, '..');

const OFFICER = { 'x-authenticated-user': 'bench-officer', 'x-authenticated-roles': 'loan_officer', 'x-authenticated-branches': 'lusaka-cairo-road' };
const JSON_HEADERS = { ...OFFICER, 'content-type': 'application/json' };
const PRODUCT = {
  name: 'Salary advance', currency: 'ZMW', annualInterestRateBps: 2400, interestMethod: 'reducing_balance',
  repaymentFrequency: 'monthly', arrangementFeeBps: 250, flatFeeNgwee: 5000, minPrincipalNgwee: 50_000,
  maxPrincipalNgwee: 5_000_000, minInstalments: 1, maxInstalments: 24,
};
const RISK_GRADES = { grades: [{ grade: 'A', minCreditScore: 700, maxPrincipalNgwee: 5_000_000 }] };
// Loans may start from 7 days before today to a year after: the bench quotes and applies for today.
const SCHEDULE_REQUEST = { productId: 'salary-advance', principalNgwee: 1_000_000, instalmentCount: 12, startDate: new Date().toISOString().slice(0, 10) };
const APPLICATION = {
  productId: 'salary-advance',
  applicant: { nationalId: '123456/78/1', fullName: 'Mwila Banda', monthlyIncomeNgwee: 1_000_000 },
  creditScore: 720, principalNgwee: 1_000_000, instalmentCount: 12,
};

interface Row {
  readonly name: string;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly failures: number;
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'loan-bench-'));
  const children: ChildProcess[] = [];
  try {
    const servicePort = await freePort();
    children.push(await startProcess(join(SERVICE_ROOT, 'dist', 'server.js'), {
      PORT: String(servicePort), HOST: '127.0.0.1', AUTH_MODE: 'header', LOG_LEVEL: 'info',
      SQLITE_FILENAME: join(directory, 'bench.sqlite'), DOCUMENTS_DIR: join(directory, 'documents'), VAULT_SECRETS_DIR: directory,
    }, 'loan-service listening'));
    const helloPort = await freePort();
    children.push(await startProcess(join(SERVICE_ROOT, 'dist-bench', 'hello-server.js'), { PORT: String(helloPort) }, 'listening'));

    const service = `http://127.0.0.1:${servicePort}`;
    await seed(service);
    const rows: Row[] = [
      await measure('bare fastify hello-world (ceiling)', { url: `http://127.0.0.1:${helloPort}/` }),
      await measure('GET /healthz', { url: `${service}/healthz` }),
      await measure('POST /v1/schedules (12-month quote)', { url: `${service}/v1/schedules`, method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(SCHEDULE_REQUEST) }),
      await measure('POST /v1/applications (SQLite insert)', { url: `${service}/v1/applications`, method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(APPLICATION) }),
    ];
    printTable(rows);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    rmSync(directory, { recursive: true, force: true });
  }
}

async function measure(name: string, options: { url: string; method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }): Promise<Row> {
  process.stderr.write(`measuring ${name} for ${DURATION_SECONDS}s with ${CONNECTIONS} connections...\n`);
  const result = await autocannon({ ...options, connections: CONNECTIONS, duration: DURATION_SECONDS });
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}

function printTable(rows: readonly Row[]): void {
  const ceiling = rows[0]?.requestsPerSecond ?? 1;
  const lines = [
    `| case | req/s | p50 ms | p99 ms | share of ceiling | failed |`,
    `| --- | ---: | ---: | ---: | ---: | ---: |`,
    ...rows.map((row) =>
      `| ${row.name} | ${Math.round(row.requestsPerSecond)} | ${row.p50} | ${row.p99} | ${(row.requestsPerSecond / ceiling).toFixed(2)} | ${row.failures} |`,
    ),
  ];
  process.stdout.write(`\n${DURATION_SECONDS} s per case, ${CONNECTIONS} connections, Node ${process.version}\n\n${lines.join('\n')}\n`);
}

async function seed(service: string): Promise<void> {
  const admin = (user: string) => ({ 'x-authenticated-user': user, 'x-authenticated-roles': 'config_admin', 'content-type': 'application/json' });
  for (const [path, body] of [['/v1/products/salary-advance/versions', PRODUCT], ['/v1/risk-grades/versions', RISK_GRADES]] as const) {
    const proposed = await fetch(`${service}${path}`, { method: 'POST', headers: admin('bench-maker'), body: JSON.stringify(body) });
    const { version } = (await proposed.json()) as { version: number };
    const approved = await fetch(`${service}${path}/${version}/approve`, { method: 'POST', headers: { 'x-authenticated-user': 'bench-checker', 'x-authenticated-roles': 'config_admin' } });
    if (approved.status !== 200) throw new Error(`seeding ${path} failed with ${approved.status}`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function startProcess(entry: string, environment: Record<string, string>, readyText: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [entry], { env: { PATH: process.env.PATH ?? '', ...environment }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('utf8');
      if (seen.includes(readyText)) {
        // Keep draining stdout (the service logs every request) without holding it.
        seen = '';
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code} before it was ready`)));
  });
  return child;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
