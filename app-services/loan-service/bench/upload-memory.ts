import { request as httpRequest } from 'node:http';
import { freePort, processMemoryMiB, startProcess, stopProcess } from './bench-processes';

/** How many uploads are in flight at once, and how large each is: the service's default MAX_DOCUMENT_BYTES. */
export const CONCURRENT_UPLOADS = Number(process.env.BENCH_CONCURRENT_UPLOADS ?? 60);
export const UPLOAD_BYTES = 10 * 1024 * 1024;
/** The loan-service container's memory limit in production (environments/production.ts, containerDefaults.memoryLimit). */
export const POD_MEMORY_LIMIT_MIB = Number(process.env.BENCH_POD_MEMORY_LIMIT_MIB ?? 512);

/** One row of the upload memory table. */
export interface UploadMemoryRow {
  readonly name: string;
  /** Status codes the uploads were answered with, e.g. `60 x 201`. */
  readonly outcome: string;
  readonly seconds: number;
  readonly idleRssMiB: number;
  readonly peakRssMiB: number;
}

const OFFICER = { 'x-authenticated-user': 'bench-officer', 'x-authenticated-roles': 'loan_officer', 'x-authenticated-branches': 'lusaka-cairo-road' };

/**
 * Starts a fresh service process per case (so its peak resident set size, VmHWM, belongs to that
 * case alone), sends CONCURRENT_UPLOADS uploads of UPLOAD_BYTES at once and reads VmHWM after.
 */
export async function measureUploadMemory(
  serviceEntry: string,
  environment: Record<string, string>,
  prepare: (service: string) => Promise<string>,
): Promise<UploadMemoryRow[]> {
  // A PDF-looking body: the bytes a real payslip upload would start with, then filler.
  const body = Buffer.alloc(UPLOAD_BYTES, 0x20);
  body.write('%PDF-1.7\n', 0, 'latin1');
  const cases: Array<{ name: string; headers: Record<string, string> }> = [
    { name: `${CONCURRENT_UPLOADS} concurrent ${UPLOAD_BYTES / 1024 / 1024} MiB uploads, no identity`, headers: {} },
    { name: `${CONCURRENT_UPLOADS} concurrent ${UPLOAD_BYTES / 1024 / 1024} MiB uploads, loan_officer`, headers: OFFICER },
  ];
  const rows: UploadMemoryRow[] = [];
  for (const uploadCase of cases) {
    const port = await freePort();
    const child = await startProcess(serviceEntry, { ...environment, PORT: String(port), METRICS_PORT: String(await freePort()) }, 'loan-service listening');
    try {
      const service = `http://127.0.0.1:${port}`;
      const applicationId = await prepare(service);
      const idleRssMiB = processMemoryMiB(child.pid as number, 'VmRSS');
      process.stderr.write(`measuring ${uploadCase.name}...\n`);
      const started = process.hrtime.bigint();
      const url = new URL(`${service}/v1/applications/${applicationId}/documents?kind=payslip`);
      const outcomes = await Promise.all(
        Array.from({ length: CONCURRENT_UPLOADS }, () => upload(url, { ...uploadCase.headers, 'content-type': 'application/pdf' }, body)),
      );
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      rows.push({ name: uploadCase.name, outcome: summarise(outcomes), seconds, idleRssMiB, peakRssMiB: processMemoryMiB(child.pid as number, 'VmHWM') });
    } finally {
      await stopProcess(child);
    }
  }
  return rows;
}

/** Posts `body` with a Content-Length; resolves with the status, or the error name if no response came. */
function upload(url: URL, headers: Record<string, string>, body: Buffer): Promise<string> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: string): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const request = httpRequest(url, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (response) => {
      response.resume();
      response.once('end', () => settle(String(response.statusCode)));
      response.once('error', (error: NodeJS.ErrnoException) => settle(error.code ?? error.name));
    });
    // A server that answers before reading the whole body may close the connection under the writer.
    request.once('error', (error: NodeJS.ErrnoException) => settle(error.code ?? error.name));
    request.end(body);
  });
}

function summarise(outcomes: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const outcome of outcomes) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  return [...counts].sort().map(([outcome, count]) => `${count} x ${outcome}`).join(', ');
}

/** The markdown table: peak RSS next to the pod memory limit and the margin left. */
export function uploadMemoryTable(rows: readonly UploadMemoryRow[]): string {
  return [
    '| case | answers | seconds | idle RSS MiB | peak RSS MiB | pod limit MiB | margin MiB |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((row) =>
      `| ${row.name} | ${row.outcome} | ${row.seconds.toFixed(1)} | ${Math.round(row.idleRssMiB)} | ${Math.round(row.peakRssMiB)} | ` +
        `${POD_MEMORY_LIMIT_MIB} | ${Math.round(POD_MEMORY_LIMIT_MIB - row.peakRssMiB)} |`,
    ),
  ].join('\n');
}
