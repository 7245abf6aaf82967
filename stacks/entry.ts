import * as path from 'path';
import { PlatformError } from '../constructs/platform-error';
import { loadEnvironments } from '../environments/load';
import type { Environment } from '../environments/schema';

/** The project root: outputs and the environments folder default to paths under it. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

/**
 * The validated environments an entry point works on. Settings (both optional):
 * - LMS_ENVIRONMENTS_DIR: folder of environment files; default `environments/`.
 * - LMS_ENVIRONMENTS: comma-separated environment names; default all.
 * - LMS_PINS_DIR: folder of the environments' pins (`<name>.json`); default `environments/pins/`.
 */
export function selectedEnvironments(): Environment[] {
  const only = process.env.LMS_ENVIRONMENTS?.split(',').map((name) => name.trim()).filter(Boolean);
  return loadEnvironments(process.env.LMS_ENVIRONMENTS_DIR ?? path.join(PROJECT_ROOT, 'environments'), { only, pinsDirectory: process.env.LMS_PINS_DIR });
}

/**
 * Runs an entry point: on failure prints `<verb> failed: ...` and sets exit code 1. Project
 * errors and construct validations already say what, where and what is allowed, so they are
 * printed without a stack trace; anything else is a bug and keeps its stack.
 */
export function runEntry(verb: string, main: () => void): void {
  // cdktf records a full stack trace for every token it creates; with source maps on (tsx
  // turns them on) each costs a source-map lookup, about a tenth of a synth. The maps of
  // the loaded modules stay cached, so they are switched back on for a bug's stack trace.
  const sourceMaps = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  try {
    main();
  } catch (error) {
    process.setSourceMapsEnabled(sourceMaps);
    reportFailure(verb, error);
  } finally {
    process.setSourceMapsEnabled(sourceMaps);
  }
}

/** `runEntry` for an entry point that waits on other processes. */
export async function runAsyncEntry(verb: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    reportFailure(verb, error);
  }
}

function reportFailure(verb: string, error: unknown): void {
  // cdktf ends its validation report with how to switch validations off: not advice to give.
  const message = (error as Error).message.replace(/\n+If you wish to ignore these validations.*$/s, '');
  const explained = error instanceof PlatformError || /^Validation failed/.test(message);
  process.stderr.write(`${verb} failed: ${explained ? message : ((error as Error).stack ?? String(error))}\n`);
  process.exitCode = 1;
}
