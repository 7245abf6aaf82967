import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort, processCpuMilliseconds, startProcess, stopProcess } from './bench-processes';
import { measureUploadMemory, POD_MEMORY_LIMIT_MIB, uploadMemoryTable } from './upload-memory';

/**
 * `npm run bench`: starts the built service (SQLite and documents in a temp dir, header auth,
 * info-level JSON logs to a discarded stdout, as in production) and a bare fastify hello-world,
 * drives each case with autocannon for DURATION_SECONDS with CONNECTIONS connections, and
 * prints a markdown table. Then, against a fresh service process per case, it sends concurrent
 * 10 MiB document uploads (without identity, and as a loan officer) and prints the service's
 * peak resident set size next to the production pod memory limit. A benchmark, not a test: it
 * asserts nothing about speed or memory.
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
  /** CPU time (user + system) the serving process spent per request answered. */
  readonly cpuMicrosecondsPerRequest: number;
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'loan-bench-'));
  const children: ChildProcess[] = [];
  try {
    const servicePort = await freePort();
    const serviceProcess = await startProcess(join(SERVICE_ROOT, 'dist', 'server.js'), {
      PORT: String(servicePort), METRICS_PORT: String(await freePort()), HOST: '127.0.0.1', AUTH_MODE: 'header', LOG_LEVEL: 'info',
      SQLITE_FILENAME: join(directory, 'bench.sqlite'), DOCUMENTS_DIR: join(directory, 'documents'), VAULT_SECRETS_DIR: directory,
    }, 'loan-service listening');
    children.push(serviceProcess);
    const helloPort = await freePort();
    const helloProcess = await startProcess(join(SERVICE_ROOT, 'dist-bench', 'hello-server.js'), { PORT: String(helloPort) }, 'listening');
    children.push(helloProcess);

    const service = `http://127.0.0.1:${servicePort}`;
    await seed(service);
    const rows: Row[] = [
      await measure('bare fastify hello-world (ceiling)', helloProcess, { url: `http://127.0.0.1:${helloPort}/` }),
      await measure('GET /healthz', serviceProcess, { url: `${service}/healthz` }),
      await measure('POST /v1/schedules (12-month quote)', serviceProcess, { url: `${service}/v1/schedules`, method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(SCHEDULE_REQUEST) }),
      await measure('POST /v1/applications (SQLite insert)', serviceProcess, { url: `${service}/v1/applications`, method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(APPLICATION) }),
    ];
    printTable(rows);
    for (const child of children.splice(0)) await stopProcess(child);

    const uploadDirectory = join(directory, 'uploads');
    const uploadRows = await measureUploadMemory(
      join(SERVICE_ROOT, 'dist', 'server.js'),
      {
        HOST: '127.0.0.1', AUTH_MODE: 'header', LOG_LEVEL: 'info', SQLITE_FILENAME: join(uploadDirectory, 'bench.sqlite'),
        DOCUMENTS_DIR: join(uploadDirectory, 'documents'), VAULT_SECRETS_DIR: directory,
      },
      async (uploadService) => {
        await seed(uploadService);
        const created = await fetch(`${uploadService}/v1/applications`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(APPLICATION) });
        if (created.status !== 201) throw new Error(`creating an application failed with ${created.status}`);
        return ((await created.json()) as { id: string }).id;
      },
    );
    process.stdout.write(`\nDocument uploads against the filesystem store (pod memory limit ${POD_MEMORY_LIMIT_MIB} MiB):\n\n${uploadMemoryTable(uploadRows)}\n`);
  } finally {
    for (const child of children) await stopProcess(child);
    rmSync(directory, { recursive: true, force: true });
  }
}

async function measure(
  name: string,
  server: ChildProcess,
  options: { url: string; method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
): Promise<Row> {
  process.stderr.write(`measuring ${name} for ${DURATION_SECONDS}s with ${CONNECTIONS} connections...\n`);
  const cpuBefore = processCpuMilliseconds(server.pid as number);
  const result = await autocannon({ ...options, connections: CONNECTIONS, duration: DURATION_SECONDS });
  const cpuUsed = processCpuMilliseconds(server.pid as number) - cpuBefore;
  return {
    cpuMicrosecondsPerRequest: (cpuUsed * 1000) / Math.max(1, result.requests.total),
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
    `| case | req/s | p50 ms | p99 ms | share of ceiling | failed | server CPU µs/req |`,
    `| --- | ---: | ---: | ---: | ---: | ---: | ---: |`,
    ...rows.map((row) =>
      `| ${row.name} | ${Math.round(row.requestsPerSecond)} | ${row.p50} | ${row.p99} | ${(row.requestsPerSecond / ceiling).toFixed(2)} | ${row.failures} | ` +
        `${Math.round(row.cpuMicrosecondsPerRequest)} |`,
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

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
