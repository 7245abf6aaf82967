import * as fs from 'fs';
import * as https from 'https';
import * as yaml from 'js-yaml';
import * as os from 'os';
import * as path from 'path';
import { describeWithTools } from '../support/tools';
import { ChartRepositoryServer, indexPath, packagePath, planChartRepositories } from './chart-repository';
import { createAuthority, issueServingCertificate } from './pki';
import type { SynthesizedRelease, SynthesizedStack } from './stacks';

const SITES = ['lusaka', 'kitwe'];

function release(overrides: Partial<SynthesizedRelease> = {}): SynthesizedRelease {
  return { name: 'cert-manager', namespace: 'lms-platform', chart: 'cert-manager', version: 'v1.19.6', repository: 'https://charts.lusaka.lms.co.zm', values: [], ...overrides };
}

function stack(name: string, releases: SynthesizedRelease[]): SynthesizedStack {
  return {
    name,
    dependencies: [],
    directory: `/nowhere/${name}`,
    site: name.split('-')[1],
    access: { kind: 'kubeconfig-context', context: `lms-${name}` },
    backend: { kind: 'local', path: 'x.tfstate' },
    objects: [],
    rolloutKinds: new Set(),
    releases,
    vaultPolicies: [],
    vaultRoles: [],
  };
}

describe('planChartRepositories', () => {
  const chartDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-charts-'));
  for (const file of ['cert-manager-v1.19.6.tgz', 'metallb-0.16.1.tgz', 'metallb-0.15.0.tgz']) fs.writeFileSync(path.join(chartDir, file), 'package');
  afterAll(() => fs.rmSync(chartDir, { recursive: true, force: true }));

  test('a chart the stack carries needs no repository and no package', () => {
    const local: SynthesizedRelease = { name: 'crds-metallb', namespace: 'kube-system', chart: 'crds-metallb', version: '0.16.1+0123456789ab', localChart: '/nowhere/charts/crds-metallb', values: [] };
    const plan = planChartRepositories([stack('dev-lusaka-base', [local])], chartDir, SITES);
    expect([...plan.values()].flat()).toEqual([]);
  });

  test('each site gets the repositories on its hosts, with exactly the packages the releases name', () => {
    const plan = planChartRepositories(
      [
        stack('dev-lusaka-base', [release(), release({ name: 'metallb', chart: 'metallb', version: '0.16.1' })]),
        stack('dev-kitwe-base', [release({ repository: 'https://charts.kitwe.lms.co.zm/' })]),
        stack('dev-lusaka-apps', [release({ name: 'cert-manager-2' })]),
      ],
      chartDir,
      SITES,
    );
    expect([...plan.keys()]).toEqual(['kitwe', 'lusaka']);
    expect(plan.get('kitwe')).toEqual([
      { url: 'https://charts.kitwe.lms.co.zm', packages: [{ chart: 'cert-manager', version: 'v1.19.6', file: path.join(chartDir, 'cert-manager-v1.19.6.tgz'), releasedBy: ['dev-kitwe-base helm_release cert-manager'] }] },
    ]);
    expect(plan.get('lusaka')).toEqual([
      {
        url: 'https://charts.lusaka.lms.co.zm',
        packages: [
          { chart: 'cert-manager', version: 'v1.19.6', file: path.join(chartDir, 'cert-manager-v1.19.6.tgz'), releasedBy: ['dev-lusaka-base helm_release cert-manager', 'dev-lusaka-apps helm_release cert-manager-2'] },
          { chart: 'metallb', version: '0.16.1', file: path.join(chartDir, 'metallb-0.16.1.tgz'), releasedBy: ['dev-lusaka-base helm_release metallb'] },
        ],
      },
    ]);
  });

  test('no release, no repository', () => {
    expect(planChartRepositories([stack('dev-lusaka-base', [])], chartDir, SITES)).toEqual(new Map());
  });

  test('a chart version the chart folder lacks is an error naming stack, release, chart, version and folder', () => {
    expect(() => planChartRepositories([stack('dev-lusaka-base', [release({ name: 'metallb', chart: 'metallb', version: '0.16.2' })])], chartDir, SITES)).toThrow(
      `dev-lusaka-base helm_release metallb: chart "metallb" version "0.16.2" from https://charts.lusaka.lms.co.zm: no metallb-0.16.2.tgz in ${chartDir} (the chart folder, LMS_CHART_DIR; it has metallb-0.15.0.tgz, metallb-0.16.1.tgz)`,
    );
    expect(() => planChartRepositories([stack('dev-lusaka-base', [release({ name: 'vault', chart: 'vault', version: '0.34.1' })])], chartDir, SITES)).toThrow(
      `dev-lusaka-base helm_release vault: chart "vault" version "0.34.1" from https://charts.lusaka.lms.co.zm: no vault-0.34.1.tgz in ${chartDir} (the chart folder, LMS_CHART_DIR; it has no package of vault)`,
    );
  });

  test('a repository that is not https on port 443 of one site is an error naming it', () => {
    expect(() => planChartRepositories([stack('dev-lusaka-base', [release({ repository: 'http://charts.lusaka.lms.co.zm' })])], chartDir, SITES)).toThrow(
      'dev-lusaka-base helm_release cert-manager: repository "http://charts.lusaka.lms.co.zm": the test chart repositories serve https on port 443 without query or credentials (allowed: https://<host>[/path])',
    );
    expect(() => planChartRepositories([stack('dev-lusaka-base', [release({ repository: 'oci://registry.lusaka.lms.co.zm/charts' })])], chartDir, SITES)).toThrow(
      'dev-lusaka-base helm_release cert-manager: repository "oci://registry.lusaka.lms.co.zm/charts": the test chart repositories serve https on port 443',
    );
    expect(() => planChartRepositories([stack('dev-lusaka-base', [release({ repository: 'https://charts.lms.co.zm' })])], chartDir, SITES)).toThrow(
      'cannot tell which site serves "charts.lms.co.zm" (allowed: a host name with exactly one of lusaka, kitwe as a label)',
    );
  });

  test('paths of the index and the package on the repository host', () => {
    expect([indexPath(release()), packagePath(release())]).toEqual(['/index.yaml', '/cert-manager-v1.19.6.tgz']);
    const nested = release({ repository: 'https://charts.prod.lusaka.lms.co.zm/stable/' });
    expect([indexPath(nested), packagePath(nested)]).toEqual(['/stable/index.yaml', '/stable/cert-manager-v1.19.6.tgz']);
  });
});

/** GET over HTTPS to the server's address with the given Host, trusting only `caPem` and checking the certificate for `servername`. */
function get(server: ChartRepositoryServer, host: string, requestPath: string, caPem: string, servername = host): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = https.request({ host: '127.0.0.1', port: server.port, path: requestPath, servername, headers: { host }, ca: caPem }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
    request.end();
  });
}

describeWithTools('ChartRepositoryServer (real helm repo index over the pinned packages)', ['helm', 'chartDir'], (tools) => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-chart-server-'));
  const authority = createAuthority(path.join(directory, 'ca'));
  const host = 'charts.lusaka.lms.co.zm';
  const certificate = issueServingCertificate(authority, path.join(directory, 'pki'), 'charts', [host], ['127.0.0.1']);
  let server: ChartRepositoryServer;

  beforeAll(async () => {
    const [repository] = planChartRepositories([stack('dev-lusaka-base', [release({ name: 'metallb', chart: 'metallb', version: '0.16.1' })])], tools.chartDir, SITES).get('lusaka')!;
    server = await ChartRepositoryServer.start({ site: 'lusaka', ip: '127.0.0.1', port: 0, certificate, directory: path.join(directory, 'server'), helm: tools.helm }, [repository]);
  });

  afterAll(async () => {
    await server?.stop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  test('index.yaml lists exactly the released chart under the repository URL, and the package is served', async () => {
    const index = await get(server, host, '/index.yaml', authority.certPem);
    expect(index.status).toBe(200);
    const entries = (yaml.load(index.body.toString('utf8')) as { entries: Record<string, Array<{ version: string; urls: string[] }>> }).entries;
    expect(Object.keys(entries)).toEqual(['metallb']);
    expect(entries.metallb.map((entry) => [entry.version, entry.urls])).toEqual([['0.16.1', ['https://charts.lusaka.lms.co.zm/metallb-0.16.1.tgz']]]);

    const chart = await get(server, host, '/metallb-0.16.1.tgz', authority.certPem);
    expect(chart.status).toBe(200);
    expect(chart.body.equals(fs.readFileSync(path.join(tools.chartDir, 'metallb-0.16.1.tgz')))).toBe(true);
  });

  test('other hosts, paths and packages are not served; every request is logged', async () => {
    const before = server.requests.length;
    expect((await get(server, host, '/cert-manager-v1.19.6.tgz', authority.certPem)).status).toBe(404);
    expect((await get(server, host, '/../served/charts.lusaka.lms.co.zm/index.yaml', authority.certPem)).status).toBe(404);
    expect((await get(server, 'charts.kitwe.lms.co.zm', '/index.yaml', authority.certPem, host)).status).toBe(404);
    expect(server.requests.slice(before)).toEqual([
      { host, method: 'GET', path: '/cert-manager-v1.19.6.tgz', status: 404 },
      { host, method: 'GET', path: '/served/charts.lusaka.lms.co.zm/index.yaml', status: 404 },
      { host: 'charts.kitwe.lms.co.zm', method: 'GET', path: '/index.yaml', status: 404 },
    ]);
  });

  test('a package that is not the chart and version its name says fails publishing', () => {
    const fake = path.join(directory, 'fake');
    fs.mkdirSync(fake, { recursive: true });
    fs.copyFileSync(path.join(tools.chartDir, 'metallb-0.16.1.tgz'), path.join(fake, 'metallb-0.16.2.tgz'));
    const [repository] = planChartRepositories([stack('dev-lusaka-base', [release({ name: 'metallb', chart: 'metallb', version: '0.16.2' })])], fake, SITES).get('lusaka')!;
    expect(() => server.publish([repository])).toThrow(
      `dev-lusaka-base helm_release metallb: ${path.join(fake, 'metallb-0.16.2.tgz')} is not chart metallb version 0.16.2 at https://charts.lusaka.lms.co.zm/metallb-0.16.2.tgz (helm repo index found: metallb 0.16.1)`,
    );
  });
});
