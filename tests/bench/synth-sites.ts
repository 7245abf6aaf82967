import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { loadEnvironments } from '../../environments/load';
import { buildPlatform } from '../../stacks/platform';

/**
 * Bench workload: synthesizes `sites` generated sites (production cloned into sites/2
 * environments, two sites each) into `outdir`, then prints one JSON line with the resource
 * count and the in-process synth time.
 *
 * Usage: node --import tsx tests/bench/synth-sites.ts <sites> <outdir>
 */
const [sitesArg, outdir] = process.argv.slice(2);
const sites = Number(sitesArg);
if (!Number.isInteger(sites) || sites < 2 || sites % 2 !== 0 || !outdir) {
  process.stderr.write(`usage: synth-sites.ts <sites: an even number >= 2> <outdir> (got ${JSON.stringify(process.argv.slice(2))})\n`);
  process.exit(2);
}
const started = process.hrtime.bigint();
const [production] = loadEnvironments(path.resolve(__dirname, '../../environments'), { only: ['production'] });
const environments = Array.from({ length: sites / 2 }, (_, index) => {
  const name = `production${index}`;
  const dnsFailover = { ...production.traffic.dnsFailover, tsigKeyVaultPath: production.traffic.dnsFailover.tsigKeyVaultPath?.replace('/production/', `/${name}/`) };
  return { ...production, name, traffic: { ...production.traffic, dnsFailover } };
});
const app = new App({ outdir, stackTraces: false });
buildPlatform(app, environments);
app.synth();
const synthMs = Number(process.hrtime.bigint() - started) / 1e6;

let resources = 0;
for (const stack of fs.readdirSync(path.join(outdir, 'stacks'))) {
  const config = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
  for (const ofType of Object.values(config.resource ?? {})) resources += Object.keys(ofType as object).length;
}
process.stdout.write(`${JSON.stringify({ sites, resources, synthMs })}\n`);
