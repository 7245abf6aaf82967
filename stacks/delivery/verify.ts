import * as path from 'path';
import { parseArgs } from 'util';
import { PlatformError } from '../../constructs/platform-error';
import { SITE_NAMES, type SiteName } from '../../environments/schema';
import { runAsyncEntry } from '../entry';
import { loadPins, pinsDigest, pinsDirectory, promotedEnvironment, verificationFile, writeAtomically, type PromotedEnvironment, type VerificationRecord } from './pins-store';

/**
 * `npm run verify -- --env <env> --readyz lusaka=<url> --readyz kitwe=<url>
 * --alertmanager lusaka=<url> --alertmanager kitwe=<url> [--pins-dir <dir>]`: the
 * post-deployment check. At every site the loan-service's `/readyz` must answer 200 and
 * Alertmanager must hold no firing (active, not silenced, not inhibited) alert labelled
 * `severity="critical"`. When all pass it writes `verified/<env>.json`, binding the
 * environment's current pins (`pinsDigest`); that record is what `npm run promote` requires.
 * When any fails it prints every failure, exits 1 and writes nothing.
 * In CI, NODE_EXTRA_CA_CERTS names the in-country CA the sites' certificates chain to.
 */

const TIMEOUT_MS = 10_000;

interface VerifyOptions {
  readonly environment: PromotedEnvironment;
  readonly pinsDir: string;
  readonly readyz: Readonly<Record<SiteName, string>>;
  readonly alertmanager: Readonly<Record<SiteName, string>>;
}

/** `lusaka=https://...` per site, each site exactly once. */
function perSite(option: string, values: readonly string[] | undefined): Record<SiteName, string> {
  const urls: Partial<Record<SiteName, string>> = {};
  const allowed = `one ${option} <site>=<https:// or http:// URL> per site (${SITE_NAMES.join(', ')})`;
  for (const value of values ?? []) {
    const match = /^([a-z]+)=(https?:\/\/\S+)$/.exec(value);
    if (!match) throw new PlatformError(`${option}: ${JSON.stringify(value)} is not <site>=<URL> (allowed: ${allowed})`);
    const site = match[1] as SiteName;
    if (!SITE_NAMES.includes(site)) throw new PlatformError(`${option}: ${JSON.stringify(match[1])} is not a site (allowed: ${SITE_NAMES.join(', ')})`);
    if (urls[site] !== undefined) throw new PlatformError(`${option}: ${site} is given twice (allowed: ${allowed})`);
    urls[site] = match[2];
  }
  const missing = SITE_NAMES.filter((site) => urls[site] === undefined);
  if (missing.length > 0) throw new PlatformError(`${option}: no URL for ${missing.join(', ')} (allowed: ${allowed})`);
  return urls as Record<SiteName, string>;
}

function parseOptions(argv: readonly string[]): VerifyOptions {
  let values: { env?: string; 'pins-dir'?: string; readyz?: string[]; alertmanager?: string[] };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { env: { type: 'string' }, 'pins-dir': { type: 'string' }, readyz: { type: 'string', multiple: true }, alertmanager: { type: 'string', multiple: true } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new PlatformError(`${(error as Error).message} (allowed: --env <environment> --readyz <site>=<url> ... --alertmanager <site>=<url> ... [--pins-dir <folder>])`);
  }
  return {
    environment: promotedEnvironment('--env', values.env),
    pinsDir: pinsDirectory(values['pins-dir']),
    readyz: perSite('--readyz', values.readyz),
    alertmanager: perSite('--alertmanager', values.alertmanager),
  };
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
  return { status: response.status, body: await response.text() };
}

/** The names of the firing critical alerts an Alertmanager holds (API v2). */
async function firingCritical(base: string): Promise<{ names?: string[]; problem?: string }> {
  const url = `${base.replace(/\/+$/, '')}/api/v2/alerts?active=true&silenced=false&inhibited=false&filter=${encodeURIComponent('severity="critical"')}`;
  let answer: { status: number; body: string };
  try {
    answer = await get(url);
  } catch (error) {
    return { problem: `${url}: no answer: ${(error as Error).cause ? String((error as Error).cause) : (error as Error).message}` };
  }
  if (answer.status !== 200) return { problem: `${url}: HTTP ${answer.status} (allowed: 200)` };
  let alerts: { labels?: Record<string, string>; status?: { state?: string } }[];
  try {
    alerts = JSON.parse(answer.body) as typeof alerts;
    if (!Array.isArray(alerts)) throw new Error('not a list of alerts');
  } catch (error) {
    return { problem: `${url}: not an Alertmanager alert list: ${(error as Error).message}` };
  }
  // The filter is applied here too: an Alertmanager that ignored it must not hide a critical alert behind others.
  const names = alerts
    .filter((alert) => alert.labels?.severity === 'critical' && (alert.status?.state ?? 'active') === 'active')
    .map((alert) => alert.labels?.alertname ?? '(unnamed)')
    .sort();
  return { names };
}

export async function verify(argv: readonly string[], now: () => Date = () => new Date()): Promise<string> {
  const options = parseOptions(argv);
  const pins = loadPins(options.pinsDir, options.environment);
  const failures: string[] = [];
  const sites = {} as VerificationRecord['sites'];
  for (const site of SITE_NAMES) {
    const readyzUrl = options.readyz[site];
    let status = 0;
    try {
      status = (await get(readyzUrl)).status;
      if (status !== 200) failures.push(`${site}: loan-service ${readyzUrl}: HTTP ${status} (allowed: 200)`);
    } catch (error) {
      failures.push(`${site}: loan-service ${readyzUrl}: no answer: ${(error as Error).cause ? String((error as Error).cause) : (error as Error).message}`);
    }
    const alerts = await firingCritical(options.alertmanager[site]);
    if (alerts.problem) failures.push(`${site}: alertmanager ${alerts.problem}`);
    else if (alerts.names!.length > 0) failures.push(`${site}: alertmanager ${options.alertmanager[site]}: critical alerts firing: ${alerts.names!.join(', ')} (allowed: none)`);
    sites[site] = { readyz: { url: readyzUrl, status }, alertmanager: { url: options.alertmanager[site], firingCritical: alerts.names ?? [] } };
  }
  if (failures.length > 0) {
    throw new PlatformError(`${options.environment} is not verified (${failures.length} problem${failures.length === 1 ? '' : 's'}); no record written:\n${failures.map((line) => `  ${line}`).join('\n')}`);
  }
  const server = process.env.GITHUB_SERVER_URL;
  const run = server && process.env.GITHUB_REPOSITORY && process.env.GITHUB_RUN_ID ? `${server}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}` : '';
  const record: VerificationRecord = {
    environment: options.environment,
    pinsSha256: pinsDigest(pins),
    toolkitRelease: pins.toolkitRelease,
    verifiedAt: now().toISOString(),
    run,
    sites,
  };
  const file = verificationFile(options.pinsDir, options.environment);
  writeAtomically(file, `${JSON.stringify(record, null, 2)}\n`);
  return `verified ${options.environment} (${record.pinsSha256}): every site ready, no critical alert firing; wrote ${path.relative(process.cwd(), file).split(path.sep).join('/')}\n`;
}

if (require.main === module) {
  void runAsyncEntry('verify', async () => {
    process.stdout.write(await verify(process.argv.slice(2)));
  });
}
