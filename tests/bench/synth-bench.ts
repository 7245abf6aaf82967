import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LAYERS } from '../../stacks/layers/order';

/**
 * `npm run bench`: cold wall time and peak RSS of a full synth (every environment), beside
 * the official `cdktf synth` CLI on the same app in the same run, then how synth time grows
 * with the number of sites. Medians of RUNS cold processes each. Needs GNU time
 * (/usr/bin/time, Debian package `time`) for peak RSS.
 */
const ROOT = path.resolve(__dirname, '../..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SITE_COUNTS = [2, 4, 8, 16];
const GNU_TIME = '/usr/bin/time';

if (!fs.existsSync(GNU_TIME)) {
  process.stderr.write(`bench: ${GNU_TIME} is missing (install the Debian package "time"); it measures peak RSS\n`);
  process.exit(2);
}
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-bench-'));

interface Sample {
  wallSeconds: number;
  peakRssMiB: number;
  stdout: string;
}

/** Runs `command` once under GNU time: wall seconds, peak RSS of the process tree's largest member. */
function measure(command: string[], env: Record<string, string> = {}): Sample {
  const report = path.join(scratch, 'time.txt');
  const result = spawnSync(GNU_TIME, ['-f', '%e %M', '-o', report, ...command], {
    cwd: ROOT,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', CI: '1', FORCE_COLOR: '0', ...env },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`bench: ${command.join(' ')} exited ${result.status}:\n${result.stderr}`);
  }
  const [wall, rssKiB] = fs.readFileSync(report, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
  return { wallSeconds: wall, peakRssMiB: rssKiB / 1024, stdout: result.stdout };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function repeat(command: string[], env: (run: number) => Record<string, string>): Sample[] {
  return Array.from({ length: RUNS }, (_, run) => measure(command, env(run)));
}

const node = process.execPath;
const ours = repeat([node, '--import', 'tsx', 'stacks/main.ts'], (run) => ({ CDKTF_OUTDIR: path.join(scratch, `ours-${run}`) }));
const cli = repeat([path.join(ROOT, 'node_modules/.bin/cdktf'), 'synth', '--output', path.join(scratch, 'cli')], () => ({}));

const oursWall = median(ours.map((s) => s.wallSeconds));
const cliWall = median(cli.map((s) => s.wallSeconds));
const oursRss = median(ours.map((s) => s.peakRssMiB));
const cliRss = median(cli.map((s) => s.peakRssMiB));

const lines: string[] = [];
lines.push(`Full synth of every environment (3 environments x 2 sites x (${LAYERS.length} layers + vault-config)), median of ${RUNS} cold runs, ${os.cpus().length} cores`);
lines.push('');
lines.push('| command | wall (s) | peak RSS (MiB) | wall vs cdktf CLI |');
lines.push('|---|---:|---:|---:|');
lines.push(`| npm run synth (node --import tsx stacks/main.ts) | ${oursWall.toFixed(2)} | ${oursRss.toFixed(0)} | ${(oursWall / cliWall).toFixed(2)}x |`);
lines.push(`| npx cdktf synth (same app) | ${cliWall.toFixed(2)} | ${cliRss.toFixed(0)} | 1.00x |`);
lines.push('');
lines.push(`Scaling with generated sites (production cloned), median of ${RUNS} cold runs`);
lines.push('');
lines.push('| sites | resources | wall (s) | in-process synth (ms) | synth ms per resource | peak RSS (MiB) |');
lines.push('|---:|---:|---:|---:|---:|---:|');
for (const sites of SITE_COUNTS) {
  const samples = repeat([node, '--import', 'tsx', 'tests/bench/synth-sites.ts', String(sites), path.join(scratch, `sites-${sites}`)], () => ({}));
  const parsed = samples.map((s) => JSON.parse(s.stdout.trim().split('\n').pop()!) as { resources: number; synthMs: number });
  const resources = parsed[0].resources;
  const synthMs = median(parsed.map((p) => p.synthMs));
  lines.push(
    `| ${sites} | ${resources} | ${median(samples.map((s) => s.wallSeconds)).toFixed(2)} | ${synthMs.toFixed(0)} | ${(synthMs / resources).toFixed(2)} | ${median(samples.map((s) => s.peakRssMiB)).toFixed(0)} |`,
  );
}
fs.rmSync(scratch, { recursive: true, force: true });
process.stdout.write(`${lines.join('\n')}\n`);
