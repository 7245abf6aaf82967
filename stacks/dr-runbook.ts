import * as os from 'os';
import * as path from 'path';
import * as fs from 'fs';
import { App } from 'cdktf';
import { PlatformError, formatValue } from '../constructs/platform-error';
import { SITE_NAMES, type Environment, type SiteName } from '../environments/schema';
import { buildPlatform, layerStacks } from './platform';
import { failoverRunbook, runbookStepsOf } from './runbook';

/** What `npm run dr` was asked: the environment and the site to promote. */
export interface DrRequest {
  readonly environmentName: string;
  readonly promote: SiteName;
}

const USAGE = 'npm run dr -- --env <environment> --promote <site>';

/**
 * Parses `--env production --promote kitwe` (either order, `--name=value` too).
 * @throws PlatformError naming the argument, the bad value and what is allowed
 */
export function parseDrArguments(argv: readonly string[], environmentNames: readonly string[]): DrRequest {
  const values: Record<string, string> = {};
  for (let index = 0; index < argv.length; index++) {
    const match = /^--(env|promote)(?:=(.*))?$/.exec(argv[index]);
    if (match === null) throw new PlatformError(`${formatValue(argv[index])} is not an argument of dr (allowed: ${USAGE})`);
    const value = match[2] ?? argv[++index];
    if (value === undefined || value === '') throw new PlatformError(`--${match[1]}: no value (allowed: ${USAGE})`);
    if (match[1] in values) throw new PlatformError(`--${match[1]}: given twice (allowed: ${USAGE})`);
    values[match[1]] = value;
  }
  for (const name of ['env', 'promote']) {
    if (!(name in values)) throw new PlatformError(`--${name}: missing (allowed: ${USAGE})`);
  }
  if (!environmentNames.includes(values.env)) {
    throw new PlatformError(`--env: ${formatValue(values.env)} is not an environment (allowed: ${environmentNames.join(', ')})`);
  }
  if (!(SITE_NAMES as readonly string[]).includes(values.promote)) {
    throw new PlatformError(`--promote: ${formatValue(values.promote)} is not a site (allowed: ${SITE_NAMES.join(', ')})`);
  }
  return { environmentName: values.env, promote: values.promote as SiteName };
}

/**
 * The runbook that promotes `request.promote` in its environment: the failover procedure
 * with the real names, commands and checks of the environment as its file stands, then its
 * reverse for failing back. Built in memory from the same stacks `npm run synth` writes.
 * @throws PlatformError when the site to promote is already the primary
 */
export function drRunbook(environments: readonly Environment[], request: DrRequest): string {
  const environment = environments.find((candidate) => candidate.name === request.environmentName)!;
  if (environment.sites[request.promote].role === 'primary') {
    const standby = SITE_NAMES.find((name) => environment.sites[name].role === 'disaster-recovery')!;
    throw new PlatformError(
      `--promote: ${formatValue(request.promote)} is already the primary of ${environment.name} (environments/${environment.name}.ts: sites.${request.promote}.role) (allowed: ${standby}, the disaster-recovery site; to fail back after a failover, the environment file names the new primary and the old one is promoted)`,
    );
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-dr-'));
  try {
    const app = new App({ outdir, stackTraces: false });
    const sites = buildPlatform(app, [environment]);
    const stacks = SITE_NAMES.flatMap((siteName) => layerStacks(sites.get(`${environment.name}-${siteName}`)!));
    return failoverRunbook(environment, runbookStepsOf(stacks));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
