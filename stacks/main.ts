import * as path from 'path';
import { App } from 'cdktf';
import { PROJECT_ROOT, runEntry, selectedEnvironments } from './entry';
import { buildPlatform } from './platform';
import { synthesizeAtomically } from './synthesize';

/**
 * Entry point of `npm run synth` and `cdktf synth`: validates every environment, builds
 * every stack and writes cdktf.out/ atomically. Output folder from CDKTF_OUTDIR (set by the
 * cdktf CLI; default `cdktf.out`); environment selection as in ./entry.ts.
 */
runEntry('synth', () => {
  const outdir = process.env.CDKTF_OUTDIR ?? path.join(PROJECT_ROOT, 'cdktf.out');
  const environments = selectedEnvironments();
  synthesizeAtomically(outdir, (directory) => {
    const app = new App({ outdir: directory, stackTraces: false });
    buildPlatform(app, environments);
    app.synth();
  });
});
