import * as path from 'path';
import { App } from 'cdktf';
import { PlatformError } from '../constructs/platform-error';
import { loadEnvironments } from '../environments/load';
import { buildPlatform } from './platform';
import { synthesizeAtomically } from './synthesize';

/**
 * Entry point of `npm run synth` and `cdktf synth`: validates every environment, builds
 * every stack and writes cdktf.out/ atomically.
 *
 * Settings (all optional):
 * - CDKTF_OUTDIR: output folder (set by the cdktf CLI); default `cdktf.out`.
 * - LMS_ENVIRONMENTS_DIR: folder of environment files; default `environments/`.
 * - LMS_ENVIRONMENTS: comma-separated environment names to synthesize; default all.
 */
function main(): void {
  const projectRoot = path.resolve(__dirname, '..');
  const outdir = process.env.CDKTF_OUTDIR ?? path.join(projectRoot, 'cdktf.out');
  const only = process.env.LMS_ENVIRONMENTS?.split(',').map((name) => name.trim()).filter(Boolean);
  const environments = loadEnvironments(process.env.LMS_ENVIRONMENTS_DIR ?? path.join(projectRoot, 'environments'), { only });

  synthesizeAtomically(outdir, (directory) => {
    const app = new App({ outdir: directory, stackTraces: false });
    buildPlatform(app, environments);
    app.synth();
  });
}

try {
  main();
} catch (error) {
  if (error instanceof PlatformError || /^Validation failed/.test((error as Error).message)) {
    // Project errors and construct validations already say what, where and what is allowed.
    process.stderr.write(`synth failed: ${(error as Error).message}\n`);
  } else {
    process.stderr.write(`synth failed: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exitCode = 1;
}
