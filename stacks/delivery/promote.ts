import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { PlatformError } from '../../constructs/platform-error';
import type { Pins } from '../../environments/schema';
import { PROJECT_ROOT, runEntry } from '../entry';
import {
  PROMOTION_ORDER,
  loadPins,
  pinsDigest,
  pinsDirectory,
  pinsText,
  promotedEnvironment,
  readVerification,
  verificationFile,
  writeAtomically,
  type PromotedEnvironment,
} from './pins-store';
import { diffStacks, type StackChange } from './stack-diff';

/**
 * `npm run promote -- --from staging --to production [--pins-dir <dir>]`: writes the change
 * that moves exactly `--from`'s pins to `--to` (`environments/pins/<to>.json`), and prints
 * what changes, per stack, for the reviewer of that change. It refuses, writing nothing, when
 * `--from`'s pins were not verified after their deploy (`verified/<from>.json` missing, or
 * binding other pins), or when `--to` does not synthesize and pass its policy checks with them.
 * The synth reads environment files from LMS_ENVIRONMENTS_DIR like `npm run synth`.
 */

/** A refusal: the promotion is not allowed as asked; nothing was written. */
class PromotionRefused extends PlatformError {}

interface PromoteOptions {
  readonly from: PromotedEnvironment;
  readonly to: PromotedEnvironment;
  readonly pinsDir: string;
}

/** A path as messages show it: relative to the working folder. */
function shown(file: string): string {
  return path.relative(process.cwd(), file).split(path.sep).join('/') || '.';
}

function parseOptions(argv: readonly string[]): PromoteOptions {
  let values: { from?: string; to?: string; 'pins-dir'?: string };
  try {
    ({ values } = parseArgs({ args: [...argv], options: { from: { type: 'string' }, to: { type: 'string' }, 'pins-dir': { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new PlatformError(`${(error as Error).message} (allowed: --from <environment> --to <environment> [--pins-dir <folder>])`);
  }
  const from = promotedEnvironment('--from', values.from);
  const to = promotedEnvironment('--to', values.to);
  const next = PROMOTION_ORDER[PROMOTION_ORDER.indexOf(from) + 1];
  if (to !== next) {
    const allowed = PROMOTION_ORDER.slice(0, -1).map((env, index) => `${env} -> ${PROMOTION_ORDER[index + 1]}`).join(', ');
    throw new PlatformError(`--to: ${JSON.stringify(to)} does not follow ${JSON.stringify(from)} on the promotion path (allowed: ${allowed}; each environment runs what the one before it verified)`);
  }
  return { from, to, pinsDir: pinsDirectory(values['pins-dir']) };
}

/** The pins fields that differ, as `field: old -> new` lines. */
function pinChanges(before: Pins, after: Pins): string[] {
  const flat = (pins: Pins): [string, string][] => [
    ['toolkitRelease', pins.toolkitRelease],
    ['loanService.tag', pins.loanService.tag],
    ['loanService.digest', pins.loanService.digest],
    ...Object.entries(pins.charts).map(([name, version]): [string, string] => [`charts.${name}`, version]),
  ];
  const old = new Map(flat(before));
  return flat(after)
    .filter(([field, value]) => old.get(field) !== value)
    .map(([field, value]) => `${field}: ${old.get(field)} -> ${value}`);
}

/** Synthesizes one environment with the pins folder given, as `npm run synth` would; the failure's message on error. */
function synthesize(environment: PromotedEnvironment, pinsDir: string, outdir: string): string | undefined {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'stacks', 'main.ts')], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: { ...process.env, LMS_ENVIRONMENTS: environment, LMS_PINS_DIR: pinsDir, CDKTF_OUTDIR: outdir },
  });
  if (result.status === 0) return undefined;
  return (result.stderr || result.stdout || `exit ${result.status}`).trim();
}

function describeChange(change: StackChange): string[] {
  if (change.kind === 'unchanged') return [`  ${change.stack}: no change`];
  const total = change.added.length + change.removed.length + change.changed.length;
  return [
    `  ${change.stack}: ${change.kind}${change.kind === 'changed' ? ` (${total} resource${total === 1 ? '' : 's'})` : ''}`,
    ...change.added.map((address) => `    + ${address}`),
    ...change.removed.map((address) => `    - ${address}`),
    ...change.changed.map((address) => `    ~ ${address}`),
  ];
}

export function promote(argv: readonly string[]): string {
  const options = parseOptions(argv);
  const { from, to, pinsDir } = options;
  const fromPins = loadPins(pinsDir, from);
  const toPins = loadPins(pinsDir, to);

  const recordFile = verificationFile(pinsDir, from);
  const record = readVerification(pinsDir, from);
  const digest = pinsDigest(fromPins);
  if (record === undefined) {
    throw new PromotionRefused(
      `${from}'s pins are not verified: ${shown(recordFile)} does not exist (allowed: pins a post-deployment check verified; deploy ${from}, then \`npm run verify -- --env ${from}\` writes the record)`,
    );
  }
  if (record.environment !== from || record.pinsSha256 !== digest) {
    throw new PromotionRefused(
      `${from}'s pins are not the ones verified: ${shown(path.join(pinsDir, `${from}.json`))} is ${digest}, ${shown(recordFile)} verified ${record.environment} ${record.pinsSha256} (allowed: the pins verified after ${from}'s last deploy; deploy and verify ${from} again)`,
    );
  }

  const changes = pinChanges(toPins, fromPins);
  if (changes.length === 0) return `promote ${from} -> ${to}: ${to} already runs ${from}'s verified pins (${digest}); nothing to write\n`;

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-promote-'));
  try {
    // The synth reads every environment's pins: a copy of the folder with `to` replaced.
    const proposed = path.join(scratch, 'pins');
    fs.mkdirSync(proposed);
    for (const name of PROMOTION_ORDER) {
      const source = path.join(pinsDir, `${name}.json`);
      if (fs.existsSync(source)) fs.copyFileSync(source, path.join(proposed, `${name}.json`));
    }
    fs.writeFileSync(path.join(proposed, `${to}.json`), pinsText(fromPins));
    const failed = synthesize(to, proposed, path.join(scratch, 'after'));
    if (failed !== undefined) {
      throw new PromotionRefused(`${to} does not pass its checks with ${from}'s pins (allowed: pins whose synth and policy checks pass):\n${failed.replace(/^/gm, '  ')}`);
    }
    const currentFailed = synthesize(to, pinsDir, path.join(scratch, 'before'));
    const stackChanges = currentFailed === undefined ? diffStacks(path.join(scratch, 'before'), path.join(scratch, 'after')) : undefined;

    writeAtomically(path.join(pinsDir, `${to}.json`), pinsText(fromPins));

    const changedCount = stackChanges?.filter((change) => change.kind !== 'unchanged').length;
    return [
      `promote ${from} -> ${to}: wrote ${shown(path.join(pinsDir, `${to}.json`))}`,
      `verified: ${record.pinsSha256} at ${record.verifiedAt}${record.run ? ` (${record.run})` : ''}`,
      'pins:',
      ...changes.map((line) => `  ${line}`),
      ...(toPins.toolkitRelease === fromPins.toolkitRelease
        ? []
        : [`  (CI applies ${to} from toolkit release ${fromPins.toolkitRelease}; the stacks below compare both pins with this checkout's toolkit, so changes the release's code brings show in its own pull request)`]),
      stackChanges === undefined
        ? `stacks: not compared: ${to} does not synthesize with its current pins:\n${currentFailed!.replace(/^/gm, '  ')}`
        : `stacks (${changedCount} of ${stackChanges.length} change):`,
      ...(stackChanges ?? []).flatMap(describeChange),
      '',
    ].join('\n');
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runEntry('promote', () => {
    try {
      process.stdout.write(promote(process.argv.slice(2)));
    } catch (error) {
      if (error instanceof PromotionRefused) {
        process.stderr.write(`promote refused: ${error.message}\n`);
        process.exitCode = 1;
        return;
      }
      throw error;
    }
  });
}
