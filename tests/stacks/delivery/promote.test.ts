import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { pinsDigest, type VerificationRecord } from '../../../stacks/delivery/pins-store';
import { PROJECT_ROOT, environmentNamed } from '../../support/environments';

/**
 * The promotion path as CI runs it: `npm run verify` and `npm run promote` as child processes
 * on a copy of the pins folder (the working folder is the scratch folder, so messages show
 * `pins/...`), real HTTP servers on 127.0.0.1 standing in for the sites' loan-service and
 * Alertmanager, and the real synth for the policy checks.
 */

const TSX = pathToFileURL(path.join(PROJECT_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const NEW_DIGEST = `sha256:${'1'.repeat(64)}`;
const OLD_DIGEST = environmentNamed('production').pins.loanService.digest;
const OLD_RELEASE = environmentNamed('production').pins.toolkitRelease;
const NEW_RELEASE = 'v999.0.0';

let scratch: string;
let pinsDir: string;

/** Runs a delivery command as CI does; asynchronously, so the sites' servers in this process can answer it. */
function run(script: 'promote' | 'verify', args: readonly string[], env: Record<string, string> = {}, root: string = PROJECT_ROOT): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, path.join(root, 'stacks/delivery', `${script}.ts`), ...args], {
      cwd: scratch,
      env: { ...process.env, LMS_PINS_DIR: '', GITHUB_RUN_ID: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Every file under the pins folder with its contents. */
function pinsTree(): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(pinsDir, relative), { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else files[child] = fs.readFileSync(path.join(pinsDir, child), 'utf8');
    }
  };
  walk('');
  return files;
}

/** Staging runs a newer loan-service build and toolkit release than production, and is otherwise the same. */
function newerStaging(): void {
  const staging = JSON.parse(fs.readFileSync(path.join(pinsDir, 'production.json'), 'utf8'));
  staging.toolkitRelease = NEW_RELEASE;
  staging.loanService.digest = NEW_DIGEST;
  fs.writeFileSync(path.join(pinsDir, 'staging.json'), `${JSON.stringify(staging, null, 2)}\n`);
}

interface FakeSite {
  readyzStatus: number;
  alerts: unknown[];
}

/** One HTTP server answering `/readyz` and Alertmanager's `/api/v2/alerts`, as a site would. */
async function startSite(site: FakeSite): Promise<{ url: string; close: () => Promise<void>; requests: string[] }> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? '');
    if (request.url === '/readyz') {
      response.statusCode = site.readyzStatus;
      response.end(site.readyzStatus === 200 ? 'ready' : 'not ready');
    } else if (request.url?.startsWith('/api/v2/alerts?')) {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(site.alerts));
    } else {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const lusaka: FakeSite = { readyzStatus: 200, alerts: [] };
const kitwe: FakeSite = { readyzStatus: 200, alerts: [] };
let servers: Awaited<ReturnType<typeof startSite>>[] = [];

function siteArgs(): string[] {
  const [l, k] = servers;
  return ['--readyz', `lusaka=${l.url}/readyz`, '--readyz', `kitwe=${k.url}/readyz`, '--alertmanager', `lusaka=${l.url}`, '--alertmanager', `kitwe=${k.url}`];
}

beforeAll(async () => {
  servers = [await startSite(lusaka), await startSite(kitwe)];
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-delivery-'));
  pinsDir = path.join(scratch, 'pins');
  fs.cpSync(path.join(PROJECT_ROOT, 'environments/pins'), pinsDir, { recursive: true, filter: (source) => !source.includes(`${path.sep}verified`) });
  Object.assign(lusaka, { readyzStatus: 200, alerts: [] });
  Object.assign(kitwe, { readyzStatus: 200, alerts: [] });
});

afterEach(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('npm run verify', () => {
  test('every site ready and no critical alert firing: writes the record binding the pins', async () => {
    newerStaging();
    const result = await run('verify', ['--env', 'staging', '--pins-dir', 'pins', ...siteArgs()]);
    const digest = pinsDigest(JSON.parse(fs.readFileSync(path.join(pinsDir, 'staging.json'), 'utf8')));
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`verified staging (${digest}): every site ready, no critical alert firing; wrote pins/verified/staging.json\n`);
    expect(result.status).toBe(0);
    const record = JSON.parse(fs.readFileSync(path.join(pinsDir, 'verified/staging.json'), 'utf8')) as VerificationRecord;
    expect(record).toEqual({
      environment: 'staging',
      pinsSha256: digest,
      toolkitRelease: NEW_RELEASE,
      verifiedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      run: '',
      sites: {
        lusaka: { readyz: { url: `${servers[0].url}/readyz`, status: 200 }, alertmanager: { url: servers[0].url, firingCritical: [] } },
        kitwe: { readyz: { url: `${servers[1].url}/readyz`, status: 200 }, alertmanager: { url: servers[1].url, firingCritical: [] } },
      },
    });
    expect(servers[0].requests).toContain(`/api/v2/alerts?active=true&silenced=false&inhibited=false&filter=${encodeURIComponent('severity="critical"')}`);
  });

  test('a site not ready or a critical alert firing: every problem listed, exit 1, no record', async () => {
    kitwe.readyzStatus = 503;
    lusaka.alerts = [
      { labels: { alertname: 'Watchdog', severity: 'none' }, status: { state: 'active' } },
      { labels: { alertname: 'SqlServerLogShippingBehind', severity: 'critical' }, status: { state: 'active' } },
    ];
    const before = pinsTree();
    const result = await run('verify', ['--env', 'staging', '--pins-dir', 'pins', ...siteArgs()]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      [
        'verify failed: staging is not verified (2 problems); no record written:',
        `  lusaka: alertmanager ${servers[0].url}: critical alerts firing: SqlServerLogShippingBehind (allowed: none)`,
        `  kitwe: loan-service ${servers[1].url}/readyz: HTTP 503 (allowed: 200)`,
        '',
      ].join('\n'),
    );
    expect(pinsTree()).toEqual(before);
  });

  test('a site without a URL is refused before anything is asked', async () => {
    const result = await run('verify', ['--env', 'staging', '--readyz', `lusaka=${servers[0].url}/readyz`, '--alertmanager', `lusaka=${servers[0].url}`, '--alertmanager', `kitwe=${servers[1].url}`]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('verify failed: --readyz: no URL for kitwe (allowed: one --readyz <site>=<https:// or http:// URL> per site (lusaka, kitwe))\n');
  });
});

describe('npm run promote', () => {
  /** Staging newer than production, deployed and verified. */
  async function verifiedNewerStaging(): Promise<void> {
    newerStaging();
    const verified = await run('verify', ['--env', 'staging', '--pins-dir', 'pins', ...siteArgs()]);
    if (verified.status !== 0) throw new Error(verified.stderr);
  }

  test.each([
    [['--from', 'qa', '--to', 'staging'], '--from: "qa" is not an environment (allowed: dev, staging, production)'],
    [['--from', 'staging'], '--to: is required (allowed: dev, staging, production)'],
    [['--from', 'staging', '--to', 'prod'], '--to: "prod" is not an environment (allowed: dev, staging, production)'],
    [['--from', 'dev', '--to', 'production'], '--to: "production" does not follow "dev" on the promotion path (allowed: dev -> staging, staging -> production; each environment runs what the one before it verified)'],
    [['--from', 'production', '--to', 'staging'], '--to: "staging" does not follow "production" on the promotion path (allowed: dev -> staging, staging -> production; each environment runs what the one before it verified)'],
    [['--from', 'staging', '--to', 'production', '--force'], "Unknown option '--force' (allowed: --from <environment> --to <environment> [--pins-dir <folder>])"],
  ])('%j is refused: %s', async (args, message) => {
    await verifiedNewerStaging();
    const before = pinsTree();
    const result = await run('promote', [...args, '--pins-dir', 'pins']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`promote failed: ${message}\n`);
    expect(result.stdout).toBe('');
    expect(pinsTree()).toEqual(before);
  });

  test('staging never verified: refused, nothing written', async () => {
    newerStaging();
    const before = pinsTree();
    const result = await run('promote', ['--from', 'staging', '--to', 'production', '--pins-dir', 'pins']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      "promote refused: staging's pins are not verified: pins/verified/staging.json does not exist (allowed: pins a post-deployment check verified; deploy staging, then `npm run verify -- --env staging` writes the record)\n",
    );
    expect(pinsTree()).toEqual(before);
  });

  test('staging\'s pins changed after they were verified: refused, nothing written', async () => {
    await verifiedNewerStaging();
    const verifiedDigest = pinsDigest(JSON.parse(fs.readFileSync(path.join(pinsDir, 'staging.json'), 'utf8')));
    const staging = JSON.parse(fs.readFileSync(path.join(pinsDir, 'staging.json'), 'utf8'));
    staging.loanService.digest = `sha256:${'2'.repeat(64)}`;
    fs.writeFileSync(path.join(pinsDir, 'staging.json'), `${JSON.stringify(staging, null, 2)}\n`);
    const before = pinsTree();
    const result = await run('promote', ['--from', 'staging', '--to', 'production', '--pins-dir', 'pins']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `promote refused: staging's pins are not the ones verified: pins/staging.json is ${pinsDigest(staging)}, pins/verified/staging.json verified staging ${verifiedDigest} (allowed: the pins verified after staging's last deploy; deploy and verify staging again)\n`,
    );
    expect(pinsTree()).toEqual(before);
  });

  test('a record of another environment, or one that is not a record, is refused, nothing written', async () => {
    await verifiedNewerStaging();
    const recordFile = path.join(pinsDir, 'verified/staging.json');
    const record = JSON.parse(fs.readFileSync(recordFile, 'utf8')) as VerificationRecord;
    fs.writeFileSync(recordFile, JSON.stringify({ ...record, environment: 'dev' }));
    let before = pinsTree();
    let result = await run('promote', ['--from', 'staging', '--to', 'production', '--pins-dir', 'pins']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `promote refused: staging's pins are not the ones verified: pins/staging.json is ${record.pinsSha256}, pins/verified/staging.json verified dev ${record.pinsSha256} (allowed: the pins verified after staging's last deploy; deploy and verify staging again)\n`,
    );
    expect(pinsTree()).toEqual(before);

    fs.writeFileSync(recordFile, JSON.stringify({ ...record, pinsSha256: 'trust me' }));
    before = pinsTree();
    result = await run('promote', ['--from', 'staging', '--to', 'production', '--pins-dir', 'pins']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`promote failed: pins/verified/staging.json: pinsSha256: Invalid string: must match pattern /^sha256:[0-9a-f]{64}$/ (allowed: a verification record written by \`npm run verify\`)\n`);
    expect(pinsTree()).toEqual(before);
  });

  test('invalid pins are refused naming the file, field, value and what is allowed', async () => {
    await verifiedNewerStaging();
    const staging = JSON.parse(fs.readFileSync(path.join(pinsDir, 'staging.json'), 'utf8'));
    staging.charts.traefik = '99.0.0';
    staging.loanService.digest = 'latest';
    fs.writeFileSync(path.join(pinsDir, 'staging.json'), JSON.stringify(staging));
    const before = pinsTree();
    const result = await run('promote', ['--from', 'staging', '--to', 'production', '--pins-dir', 'pins']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      [
        'promote failed: pins/staging.json: loanService.digest: "latest" is not an image digest (allowed: "sha256:" and 64 lower-case hex digits)',
        'pins/staging.json: charts.traefik: "99.0.0" is not a supported traefik chart version (allowed: 41.3.0; constructs/versions.ts lists the versions the components are written for)',
        '',
      ].join('\n'),
    );
    expect(pinsTree()).toEqual(before);
  });

  test('production failing its synth checks with staging\'s pins: refused with the synth\'s findings, nothing written', async () => {
    await verifiedNewerStaging();
    // Production whose Kitwe could not carry the primary's load once promoted: the synth stops.
    const environments = path.join(scratch, 'environments');
    fs.mkdirSync(environments);
    const production = fs.readFileSync(path.join(PROJECT_ROOT, 'environments/production.ts'), 'utf8');
    const kitwe = production.lastIndexOf('...bothSites,');
    expect(production.indexOf('...bothSites,')).toBeLessThan(kitwe);
    const smaller = `${production.slice(0, kitwe)}...bothSites, workloads: { loanService: { replicas: 2, standbyReplicas: 1, maxReplicas: 8, cpuRequest: '250m', memoryRequest: '256Mi', cpuLimit: '1', memoryLimit: '512Mi' } },${production.slice(kitwe + '...bothSites,'.length)}`;
    fs.writeFileSync(path.join(environments, 'production.ts'), smaller);
    const before = pinsTree();
    const result = await run('promote', ['--from', 'staging', '--to', 'production', '--pins-dir', 'pins'], { LMS_ENVIRONMENTS_DIR: environments });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      [
        "promote refused: production does not pass its checks with staging's pins (allowed: pins whose synth and policy checks pass):",
        '  synth failed: Validation failed with the following errors:',
        "    [production-kitwe-apps/failover-capacity] FailoverCapacity production-kitwe-apps/failover-capacity: loan-service replicas: 2 once promoted is below the primary's 3 (allowed: at least 3, so the disaster-recovery site carries the primary's load)",
        '',
      ].join('\n'),
    );
    expect(pinsTree()).toEqual(before);
  });

  test('a toolkit whose production objects break a policy rule: refused with the finding, nothing written', async () => {
    await verifiedNewerStaging();
    // A copy of the toolkit whose loan-service container may write its root filesystem.
    const toolkit = path.join(scratch, 'toolkit');
    for (const entry of ['stacks', 'constructs', 'charts-ts', 'environments', 'policy', 'vendor', 'package.json', 'cdktf.json', 'tsconfig.json']) {
      fs.cpSync(path.join(PROJECT_ROOT, entry), path.join(toolkit, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(toolkit, 'node_modules'), 'dir');
    const chart = path.join(toolkit, 'charts-ts/loan-service-chart.ts');
    const source = fs.readFileSync(chart, 'utf8');
    expect(source.match(/readOnlyRootFilesystem: true/g)).toHaveLength(1);
    fs.writeFileSync(chart, source.replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false'));
    const before = pinsTree();
    const result = await run('promote', ['--from', 'staging', '--to', 'production', '--pins-dir', 'pins'], {}, toolkit);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        "promote refused: production does not pass its checks with staging's pins (allowed: pins whose synth and policy checks pass):",
        '  synth failed: policy check failed (1 error; fix each, or suppress it with a reason; rules: policy/RULES.md):',
        '    production-lusaka-apps: LMS-K8S-005 Read-only root filesystem: Deployment lms-apps/loan-service: spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem: false (allowed: true)',
        '',
      ].join('\n'),
    );
    expect(pinsTree()).toEqual(before);
  });

  test('verified staging: production gets exactly staging\'s pins, and the reviewer sees what changes per stack', async () => {
    await verifiedNewerStaging();
    const staging = fs.readFileSync(path.join(pinsDir, 'staging.json'), 'utf8');
    const record = JSON.parse(fs.readFileSync(path.join(pinsDir, 'verified/staging.json'), 'utf8')) as VerificationRecord;
    const result = await run('promote', ['--from', 'staging', '--to', 'production', '--pins-dir', 'pins']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.readFileSync(path.join(pinsDir, 'production.json'), 'utf8')).toBe(staging);
    const deployment = 'kubernetes_manifest.loan-service_objects_deployment-lms-apps-loan-service_5182815F';
    const unchanged = (site: string) => ['base', 'data', 'observability', 'security', 'traffic', 'vault-config'].map((layer) => `  production-${site}-${layer}: no change`);
    expect(result.stdout).toBe(
      [
        'promote staging -> production: wrote pins/production.json',
        `verified: ${record.pinsSha256} at ${record.verifiedAt}`,
        'pins:',
        `  toolkitRelease: ${OLD_RELEASE} -> ${NEW_RELEASE}`,
        `  loanService.digest: ${OLD_DIGEST} -> ${NEW_DIGEST}`,
        `  (CI applies production from toolkit release ${NEW_RELEASE}; the stacks below compare both pins with this checkout's toolkit, so changes the release's code brings show in its own pull request)`,
        'stacks (2 of 14 change):',
        '  production-kitwe-apps: changed (1 resource)',
        `    ~ ${deployment}`,
        ...unchanged('kitwe'),
        '  production-lusaka-apps: changed (1 resource)',
        `    ~ ${deployment}`,
        ...unchanged('lusaka'),
        '',
      ].join('\n'),
    );
    expect(fs.readdirSync(pinsDir).sort()).toEqual(['dev.json', 'production.json', 'staging.json', 'verified']);

    // Promoted again: nothing left to move.
    const again = await run('promote', ['--from', 'staging', '--to', 'production', '--pins-dir', 'pins']);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(`promote staging -> production: production already runs staging's verified pins (${record.pinsSha256}); nothing to write\n`);
  });
});
