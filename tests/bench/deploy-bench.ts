import { spawnSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';

/**
 * `node --import tsx tests/bench/deploy-bench.ts`: wall time of the deploy tier
 * (`npm run test:deploy`: two local sites per environment, every stack applied, re-planned,
 * checked and destroyed, then the production site-loss drill), median of BENCH_RUNS runs
 * (default 3), with the parts it reports: site start time and memory, the round trip per
 * environment and the drill. Settings pass through (LMS_ENVIRONMENTS, LMS_TOOLS_DIR, ...).
 */
const ROOT = path.resolve(__dirname, '../..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface Run {
  readonly wallSeconds: number;
  readonly passed: boolean;
  readonly siteStartSeconds: number[];
  readonly siteResidentMiB: number[];
  readonly parts: Map<string, number>;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function runOnce(): Run {
  const started = Date.now();
  const result = spawnSync('npm', ['run', '--silent', 'test:deploy'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, maxBuffer: 256 * 1024 * 1024 });
  const wallSeconds = (Date.now() - started) / 1000;
  const output = `${result.stdout}\n${result.stderr}`;
  const siteStartSeconds: number[] = [];
  const siteResidentMiB: number[] = [];
  const parts = new Map<string, number>();
  for (const match of output.matchAll(/control plane ready on \S+ in ([\d.]+) s, \d+ nodes, (\d+) MiB resident/g)) {
    siteStartSeconds.push(Number(match[1]));
    siteResidentMiB.push(Number(match[2]));
  }
  for (const match of output.matchAll(/\] (\S+): round trip took (\d+) s/g)) parts.set(`round trip ${match[1]}`, Number(match[2]));
  for (const match of output.matchAll(/\] site-loss drill took (\d+) s/g)) parts.set('site-loss drill (production)', Number(match[1]));
  if (result.status !== 0) process.stderr.write(`bench: npm run test:deploy exited ${result.status}; its last lines:\n${output.trimEnd().split('\n').slice(-25).join('\n')}\n`);
  return { wallSeconds, passed: result.status === 0, siteStartSeconds, siteResidentMiB, parts };
}

const runs = Array.from({ length: RUNS }, (_, index) => {
  process.stderr.write(`bench: run ${index + 1} of ${RUNS}\n`);
  return runOnce();
});

const lines: string[] = [];
lines.push(`Deploy tier (npm run test:deploy, LMS_ENVIRONMENTS=${process.env.LMS_ENVIRONMENTS ?? 'dev'}), median of ${RUNS} runs, ${os.cpus().length} cores`);
lines.push('');
lines.push('| what | median (s) | runs (s) |');
lines.push('|---|---:|---:|');
lines.push(`| npm run test:deploy, whole | ${median(runs.map((r) => r.wallSeconds)).toFixed(0)} | ${runs.map((r) => r.wallSeconds.toFixed(0)).join(', ')} |`);
for (const part of [...new Set(runs.flatMap((r) => [...r.parts.keys()]))]) {
  const values = runs.flatMap((r) => (r.parts.has(part) ? [r.parts.get(part)!] : []));
  lines.push(`| ${part} | ${median(values).toFixed(0)} | ${values.join(', ')} |`);
}
const starts = runs.flatMap((r) => r.siteStartSeconds);
const memory = runs.flatMap((r) => r.siteResidentMiB);
if (starts.length > 0) {
  lines.push(`| one site's control plane, start to nodes Ready | ${median(starts).toFixed(1)} | ${starts.map((s) => s.toFixed(1)).join(', ')} |`);
  lines.push('');
  lines.push(`One site's control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok) right after start: median ${median(memory).toFixed(0)} MiB resident.`);
}
lines.push('');
lines.push(`Runs passed: ${runs.filter((r) => r.passed).length} of ${RUNS}.`);
process.stdout.write(`${lines.join('\n')}\n`);
if (runs.some((r) => !r.passed)) process.exitCode = 1;
