import * as path from 'path';
import { App } from 'cdktf';
import { SITE_NAMES } from '../environments/schema';
import { PROJECT_ROOT, runEntry, selectedEnvironments } from './entry';
import { buildPlatform, layerStacks } from './platform';
import { policySummary } from './policy-summary';
import { writeRunbooks } from './runbook';
import { synthesizeAtomically } from './synthesize';
import { imageSummary } from './image-summary';
import { recoverySummary } from './recovery-summary';
import { STATE_BOOTSTRAP_CONTEXT, STATE_BOOTSTRAP_SETTING, stateBootstrapSites, stateBootstrapSummary } from './state-bootstrap';

/**
 * Entry point of `npm run synth` and `cdktf synth`: validates every environment, builds
 * every stack, checks every object against the policy pack, writes cdktf.out/ atomically
 * (with each environment's failover runbook in cdktf.out/runbooks/, next to the stacks it
 * refers to) and prints the policy summary, each environment's computed recovery point and
 * recovery time, and the images still pinned by stand-in digests.
 * Output folder from CDKTF_OUTDIR (set by the cdktf CLI; default `cdktf.out`); environment
 * selection as in ./entry.ts. LMS_STATE_BOOTSTRAP=<environment>-<site>[,...] synthesizes those
 * sites' stacks with local bootstrap state (./state-bootstrap.ts).
 */
runEntry('synth', () => {
  const outdir = process.env.CDKTF_OUTDIR ?? path.join(PROJECT_ROOT, 'cdktf.out');
  const environments = selectedEnvironments();
  const bootstrapSites = stateBootstrapSites(process.env[STATE_BOOTSTRAP_SETTING], environments);
  let summary = '';
  synthesizeAtomically(outdir, (directory) => {
    const context = bootstrapSites.length > 0 ? { [STATE_BOOTSTRAP_CONTEXT]: bootstrapSites } : undefined;
    const app = new App({ outdir: directory, stackTraces: false, context });
    const sites = buildPlatform(app, environments);
    app.synth();
    const stacksOf = (environment: { name: string }) => SITE_NAMES.flatMap((siteName) => layerStacks(sites.get(`${environment.name}-${siteName}`)!));
    writeRunbooks(directory, environments, stacksOf);
    summary = policySummary([...sites.values()].flatMap(layerStacks)) + recoverySummary(environments, stacksOf);
  });
  process.stdout.write(summary + imageSummary() + stateBootstrapSummary(bootstrapSites));
});
