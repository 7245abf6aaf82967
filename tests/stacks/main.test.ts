import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { KubeObject } from '../../constructs/platform-component';
import { Testing } from 'cdktf';
import { buildPlatform, layerStacks } from '../../stacks/platform';
import { failoverRunbook, runbookStepsOf } from '../../stacks/runbook';
import { ENVIRONMENTS, PROJECT_ROOT } from '../support/environments';
import { validateCustomResource, validateKubeObject } from '../support/kube-schema';
import { LAYERS } from '../../stacks/layers/order';

/** API versions of the built-in Kubernetes kinds; anything else is a custom resource. */
const BUILT_IN_API = /^(v1|(apps|batch|policy|autoscaling|networking\.k8s\.io|rbac\.authorization\.k8s\.io|scheduling\.k8s\.io|apiextensions\.k8s\.io)\/v[0-9a-z]+)$/;

/** Runs the synth entry point the way `npm run synth` does. */
function synth(cwd: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'stacks/main.ts'], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file under `dir`, relative path -> contents. */
function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(dir, full), fs.readFileSync(full));
    }
  };
  walk(dir);
  return files;
}

/** A fresh copy of the project's sources at `dir`, sharing node_modules. */
function checkout(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of ['stacks', 'constructs', 'charts-ts', 'environments', 'policy', 'vendor', 'package.json', 'cdktf.json', 'tsconfig.json']) {
    fs.cpSync(path.join(PROJECT_ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

let scratch: string;
beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-synth-'));
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('npm run synth', () => {
  let output: Map<string, Buffer>;

  beforeAll(() => {
    const outdir = path.join(scratch, 'first');
    const result = synth(PROJECT_ROOT, { CDKTF_OUTDIR: outdir });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    output = readTree(outdir);
  });

  test('writes every stack of every environment', () => {
    const manifest = JSON.parse(output.get('manifest.json')!.toString());
    expect(Object.keys(manifest.stacks)).toHaveLength(3 * 2 * (LAYERS.length + 1)); // + each site's vault-config
    for (const name of Object.keys(manifest.stacks)) {
      expect(output.has(`stacks/${name}/cdk.tf.json`)).toBe(true);
    }
  });

  test('writes each environment\'s failover runbook next to the stacks', () => {
    expect([...output.keys()].filter((file) => file.startsWith('runbooks/'))).toEqual(['runbooks/dev-failover.md', 'runbooks/production-failover.md', 'runbooks/staging-failover.md']);
    for (const environment of ENVIRONMENTS) {
      // With the steps its components contribute (the Vault snapshot restore among them).
      const sites = buildPlatform(Testing.app(), [environment]);
      const steps = runbookStepsOf([...sites.values()].flatMap(layerStacks));
      expect(steps.map((step) => step.id)).toEqual(expect.arrayContaining(['vault.fetch-newest-snapshot', 'vault.restore-snapshot', 'vault.verify-restore']));
      expect(output.get(`runbooks/${environment.name}-failover.md`)!.toString()).toBe(failoverRunbook(environment, steps));
    }
  });

  test('every Kubernetes object it renders validates against its schema', () => {
    let count = 0;
    for (const [file, contents] of output) {
      if (!file.endsWith('cdk.tf.json')) continue;
      const resources = JSON.parse(contents.toString()).resource?.kubernetes_manifest ?? {};
      for (const resource of Object.values(resources) as { manifest: KubeObject }[]) {
        if (BUILT_IN_API.test(resource.manifest.apiVersion)) {
          validateKubeObject(resource.manifest);
        } else {
          validateCustomResource(resource.manifest);
        }
        count++;
      }
    }
    // Per site: 33 baseline objects in base (its 54 CRDs are in its Helm releases' charts, not
    // kubernetes_manifest resources); in traffic, 8 NetworkPolicies
    // (cert-manager 3, Traefik 1, MetalLB 2, cross-site egress and ingress), 5 Certificates,
    // the root's bootstrap Issuer, the CA ClusterIssuer, the Gateway, its ServiceMonitor and 2
    // IPAddressPools, then an L2Advertisement in dev and staging, or in production the bank
    // CA's ClusterIssuer, 2 BGPPeers and a BGPAdvertisement; in security, Vault's certificate,
    // its 2 NetworkPolicies and the agent's trust certificate in each of 4 consumer
    // namespaces, and the snapshot job (ServiceAccount, CronJob, 2 NetworkPolicies); in apps, 7 loan-service objects and its route (HTTPRoute, 3 Middlewares,
    // Traefik's egress NetworkPolicy). The vault-config stacks hold no Kubernetes object.
    // In data, MinIO's 13 objects (and a PodDisruptionBudget where a pool has more than one server), the
    // bucket reconcile's and the users job's 5 each, and replication's 11 at the primary and 6 at the DR site;
    // SQL Server's 7 at each site, and its log-shipping jobs' 13 at the primary and 12 at the DR site;
    // in apps, 2 PrometheusRules (the platform's alerts, the loan-service's SLO) and the probe of the
    // other site (Service, Endpoints, ServiceMonitor, NetworkPolicy, and in production, whose public
    // issuer is the bank's CA, the certificate that carries it); in observability, 6 NetworkPolicies
    // around kube-prometheus-stack, 5 dashboard ConfigMaps, and the ECK operator's webhook
    // Certificate and NetworkPolicy. Per site, cert-manager's PodMonitor
    // (traffic) and Vault's ServiceMonitor (security). Per site, the Elasticsearch exporter's 5
    // objects, the log cluster's PrometheusRule and its dashboard ConfigMap; the logging stack's 15
    // (4 Certificates, 4 NetworkPolicies, the 4 ECK resources, Filebeat's ServiceAccount and read
    // access) and the Elasticsearch setup's 8.
    expect(count).toBe(3 * 2 * 2 + 3 * 2 * (6 + 5 + 2) + 3 * 2 * 4 + 2 * 1 + 3 * 2 * 2 + 3 * 2 * 33 + 2 * 2 * (19 + 1) + 2 * (19 + 4) + 3 * 2 * (3 + 4 + 4) + 3 * 2 * (7 + 5) + 2 * (13 + 5 + 5) + 2 * 2 * (14 + 5 + 5) + 3 * (11 + 6) + 3 * (2 * 7 + 13 + 12) + 3 * 2 * (5 + 1 + 1 + 15 + 8));
  });

  test('is byte-identical across runs and across checkouts in different directories', () => {
    const first = checkout(path.join(scratch, 'a', 'lms'));
    const second = checkout(path.join(scratch, 'b', 'elsewhere', 'platform'));
    expect(synth(first).status).toBe(0);
    expect(synth(second).status).toBe(0);
    const inFirst = readTree(path.join(first, 'cdktf.out'));
    const inSecond = readTree(path.join(second, 'cdktf.out'));
    expect([...inSecond.keys()]).toEqual([...output.keys()]);
    for (const [file, contents] of output) {
      expect({ file, same: contents.equals(inFirst.get(file)!) && contents.equals(inSecond.get(file)!) }).toEqual({ file, same: true });
    }
    const text = [...output.values()].map((b) => b.toString()).join('\n');
    expect(text).not.toContain(scratch);
    expect(text).not.toContain(PROJECT_ROOT);
  });

  test('`npx cdktf synth` writes the same output', () => {
    const outdir = path.join(scratch, 'cdktf-cli');
    const result = spawnSync(path.join(PROJECT_ROOT, 'node_modules/.bin/cdktf'), ['synth', '--output', outdir], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', CI: '1', FORCE_COLOR: '0' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    const viaCli = readTree(outdir);
    expect([...viaCli.keys()]).toEqual([...output.keys()]);
    for (const [file, contents] of output) expect({ file, same: contents.equals(viaCli.get(file)!) }).toEqual({ file, same: true });
  });

  test('a broken environment fails with one line per problem and leaves the previous output untouched', () => {
    const outdir = path.join(scratch, 'kept');
    fs.mkdirSync(path.join(outdir, 'stacks'), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'manifest.json'), '{"previous":true}');
    const before = readTree(outdir);

    const environments = path.join(scratch, 'broken-environments');
    fs.mkdirSync(environments);
    const production = fs
      .readFileSync(path.join(PROJECT_ROOT, 'environments/production.ts'), 'utf8')
      .replace("recoveryPoint: '1h'", "recoveryPoint: 'one hour'")
      .replace(/registry: 'registry\.lms\.co\.zm'/, "registry: 'docker.io'")
      .replace("role: 'disaster-recovery',", "role: 'disaster-recovery', colour: 'blue',");
    fs.writeFileSync(path.join(environments, 'production.ts'), production);

    const result = synth(PROJECT_ROOT, { CDKTF_OUTDIR: outdir, LMS_ENVIRONMENTS_DIR: environments });
    expect(result.status).toBe(1);
    const shown = path.relative(PROJECT_ROOT, path.join(environments, 'production.ts'));
    expect(result.stderr).toBe(
      [
        'synth failed: invalid environment configuration (4 problems):',
        `  ${shown}: objectives.recoveryPoint: "one hour" is not a duration (allowed: a whole number followed by s, m, h or d, e.g. "15m", "1h", "30d")`,
        `  ${shown}: sites.lusaka.registry: "docker.io" is not an approved in-country registry (allowed: registry.lms.co.zm)`,
        `  ${shown}: sites.kitwe.registry: "docker.io" is not an approved in-country registry (allowed: registry.lms.co.zm)`,
        `  ${shown}: sites.kitwe.colour: unknown key (allowed: role, dataCentre, cluster, kubernetesVersion, nodePools, storageClasses, registry, chartRepository, dnsDomain, network, state, sizing, workloads, retention)`,
        '',
      ].join('\n'),
    );
    expect(readTree(outdir)).toEqual(before);
    expect(fs.readdirSync(scratch).filter((name) => name.startsWith('kept.'))).toEqual([]);
  });

  test('a DR site that could not carry the primary once promoted fails synth, and nothing is written', () => {
    const outdir = path.join(scratch, 'failover-capacity');
    const environments = path.join(scratch, 'small-dr-environments');
    fs.mkdirSync(environments);
    const staging = fs.readFileSync(path.join(PROJECT_ROOT, 'environments/staging.ts'), 'utf8');
    // Kitwe's own sizing after the shared one: one replica even when promoted.
    const kitwe = staging.lastIndexOf('...bothSites,');
    const smaller = `${staging.slice(0, kitwe)}...bothSites, workloads: { loanService: { replicas: 1, standbyReplicas: 1, maxReplicas: 2, cpuRequest: '250m', memoryRequest: '256Mi', cpuLimit: '1', memoryLimit: '512Mi' } },${staging.slice(kitwe + '...bothSites,'.length)}`;
    expect(staging.indexOf('...bothSites,')).toBeLessThan(kitwe);
    fs.writeFileSync(path.join(environments, 'staging.ts'), smaller);
    const result = synth(PROJECT_ROOT, { CDKTF_OUTDIR: outdir, LMS_ENVIRONMENTS_DIR: environments });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      [
        'synth failed: Validation failed with the following errors:',
        "  [staging-kitwe-apps/failover-capacity] FailoverCapacity staging-kitwe-apps/failover-capacity: loan-service replicas: 1 once promoted is below the primary's 2 (allowed: at least 2, so the disaster-recovery site carries the primary's load)",
        '',
      ].join('\n'),
    );
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test('writes into an output folder whose parent does not exist yet', () => {
    const outdir = path.join(scratch, 'not', 'yet', 'there', 'cdktf.out');
    const result = synth(PROJECT_ROOT, { CDKTF_OUTDIR: outdir, LMS_ENVIRONMENTS: 'dev' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.readdirSync(path.join(outdir, 'stacks')).sort()).toEqual([
      'dev-kitwe-apps',
      'dev-kitwe-base',
      'dev-kitwe-data',
      'dev-kitwe-observability',
      'dev-kitwe-security',
      'dev-kitwe-traffic',
      'dev-kitwe-vault-config',
      'dev-lusaka-apps',
      'dev-lusaka-base',
      'dev-lusaka-data',
      'dev-lusaka-observability',
      'dev-lusaka-security',
      'dev-lusaka-traffic',
      'dev-lusaka-vault-config',
    ]);
  });

  test('LMS_ENVIRONMENTS selects environments, and names the allowed ones when wrong', () => {
    const outdir = path.join(scratch, 'only-production');
    expect(synth(PROJECT_ROOT, { CDKTF_OUTDIR: outdir, LMS_ENVIRONMENTS: 'production' }).status).toBe(0);
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')).stacks)).toEqual([
      'production-kitwe-apps',
      'production-kitwe-base',
      'production-kitwe-data',
      'production-kitwe-observability',
      'production-kitwe-security',
      'production-kitwe-traffic',
      'production-kitwe-vault-config',
      'production-lusaka-apps',
      'production-lusaka-base',
      'production-lusaka-data',
      'production-lusaka-observability',
      'production-lusaka-security',
      'production-lusaka-traffic',
      'production-lusaka-vault-config',
    ]);
    const wrong = synth(PROJECT_ROOT, { CDKTF_OUTDIR: outdir, LMS_ENVIRONMENTS: 'prod' });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toBe(
      'synth failed: invalid environment configuration (1 problem):\n  LMS_ENVIRONMENTS: "prod" is not an environment (allowed: dev, production, staging)\n',
    );
  });
});
