import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { applyOrder, readStacks, siteOfHost, stacksBySite } from './stacks';

describe('applyOrder', () => {
  test('dependencies first, then by name', () => {
    const stacks = [
      { name: 'production-lusaka-apps', dependencies: ['production-lusaka-base'] },
      { name: 'production-kitwe-apps', dependencies: ['production-kitwe-base'] },
      { name: 'production-lusaka-base', dependencies: [] },
      { name: 'production-kitwe-base', dependencies: [] },
    ];
    expect(applyOrder(stacks).map((s) => s.name)).toEqual(['production-kitwe-base', 'production-kitwe-apps', 'production-lusaka-base', 'production-lusaka-apps']);
  });

  test('a missing dependency or a cycle is an error', () => {
    expect(() => applyOrder([{ name: 'a', dependencies: ['b'] }])).toThrow('stack a depends on b, which was not synthesized');
    expect(() => applyOrder([{ name: 'a', dependencies: ['b'] }, { name: 'b', dependencies: ['a'] }])).toThrow('stack dependency cycle through a');
  });
});

describe('siteOfHost', () => {
  test('the site whose name is a label of the host', () => {
    expect(siteOfHost('state.prod.kitwe.lms.co.zm', ['lusaka', 'kitwe'])).toBe('kitwe');
    expect(siteOfHost('state.lusaka.lms.co.zm', ['lusaka', 'kitwe'])).toBe('lusaka');
  });

  test('no site, or two, is an error naming the host', () => {
    expect(() => siteOfHost('state.lms.co.zm', ['lusaka', 'kitwe'])).toThrow('cannot tell which site serves "state.lms.co.zm" (allowed: a host name with exactly one of lusaka, kitwe as a label)');
  });
});

describe('readStacks', () => {
  test('reads site, access, backend and objects of each stack from cdktf.out', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lms-stacks-')), 'cdktf.out');
    const write = (name: string, dependencies: string[], config: unknown) => {
      fs.mkdirSync(path.join(outdir, 'stacks', name), { recursive: true });
      fs.writeFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(config));
      return { name, dependencies, workingDirectory: `stacks/${name}`, synthesizedStackPath: `stacks/${name}/cdk.tf.json` };
    };
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'loan-service', namespace: 'lms-apps' } };
    const manifest = {
      stacks: {
        'production-kitwe-apps': write('production-kitwe-apps', ['production-kitwe-base'], {
          provider: { kubernetes: [{ alias: 'kitwe', host: 'https://api.prod.kitwe.lms.co.zm:6443' }] },
          terraform: { backend: { s3: { bucket: 'state-kitwe', key: 'production-kitwe-apps.tfstate', region: 'zm-kitwe-1', endpoints: { s3: 'https://state.prod.kitwe.lms.co.zm' } } } },
          resource: { kubernetes_manifest: { d: { manifest: deployment, wait: { rollout: true } } } },
        }),
        'production-kitwe-base': write('production-kitwe-base', [], {
          provider: { kubernetes: [{ alias: 'kitwe', config_context: 'lms-dev-kitwe' }] },
          terraform: { backend: { local: { path: '../../../.terraform-state/production-kitwe-base.tfstate' } } },
        }),
      },
    };
    fs.writeFileSync(path.join(outdir, 'manifest.json'), JSON.stringify(manifest));
    const [base, apps] = readStacks(outdir);
    expect(base).toMatchObject({ name: 'production-kitwe-base', site: 'kitwe', access: { kind: 'kubeconfig-context', context: 'lms-dev-kitwe' }, backend: { kind: 'local' }, objects: [] });
    expect(apps).toMatchObject({
      name: 'production-kitwe-apps',
      directory: path.join(outdir, 'stacks/production-kitwe-apps'),
      access: { kind: 'api-endpoint', host: 'https://api.prod.kitwe.lms.co.zm:6443' },
      backend: { kind: 's3', endpoint: 'https://state.prod.kitwe.lms.co.zm', bucket: 'state-kitwe', key: 'production-kitwe-apps.tfstate', region: 'zm-kitwe-1' },
      objects: [deployment],
    });
    expect([...apps.rolloutKinds]).toEqual(['Deployment']);
    expect([base.releases, apps.releases]).toEqual([[], []]);
    fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
  });
});

describe('readStacks: vault-config stacks', () => {
  const write = (outdir: string, config: unknown) => {
    fs.mkdirSync(path.join(outdir, 'stacks', 'dev-lusaka-vault-config'), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'stacks', 'dev-lusaka-vault-config', 'cdk.tf.json'), JSON.stringify(config));
    const entry = { name: 'dev-lusaka-vault-config', dependencies: [], workingDirectory: 'stacks/dev-lusaka-vault-config', synthesizedStackPath: 'stacks/dev-lusaka-vault-config/cdk.tf.json' };
    fs.writeFileSync(path.join(outdir, 'manifest.json'), JSON.stringify({ stacks: { [entry.name]: entry } }));
  };
  const backend = { local: { path: 'x.tfstate' } };

  test('the site is the vault provider\'s alias, the address a variable, and the policies are read in name order', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lms-stacks-')), 'cdktf.out');
    write(outdir, {
      provider: { vault: [{ alias: 'lusaka', address: '${var.vault_address}' }] },
      variable: { vault_address: { type: 'string', default: 'https://127.0.0.1:8200' } },
      terraform: { backend },
      resource: {
        vault_policy: { b: { name: 'vault-snapshot', policy: 'path "b" {}' }, a: { name: 'loan-service', policy: 'path "a" {}' } },
        vault_kubernetes_auth_backend_role: { r: { role_name: 'vault-snapshot' }, s: { role_name: 'loan-service' } },
      },
    });
    expect(readStacks(outdir)).toEqual([
      {
        name: 'dev-lusaka-vault-config',
        dependencies: [],
        directory: path.join(outdir, 'stacks/dev-lusaka-vault-config'),
        site: 'lusaka',
        access: { kind: 'vault', addressVariable: 'vault_address', defaultAddress: 'https://127.0.0.1:8200' },
        backend: { kind: 'local', path: 'x.tfstate' },
        objects: [],
        rolloutKinds: new Set(),
        releases: [],
        vaultPolicies: [
          { name: 'loan-service', policy: 'path "a" {}' },
          { name: 'vault-snapshot', policy: 'path "b" {}' },
        ],
        vaultRoles: ['loan-service', 'vault-snapshot'],
      },
    ]);
    fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
  });

  test('an address that is not a variable with a default is refused, naming the field', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lms-stacks-')), 'cdktf.out');
    write(outdir, { provider: { vault: [{ alias: 'lusaka', address: 'https://vault.example' }] }, terraform: { backend } });
    expect(() => readStacks(outdir)).toThrow(
      `${path.join(outdir, 'stacks/dev-lusaka-vault-config/cdk.tf.json')}: provider.vault[0].address: "https://vault.example" (the deploy tier expects a variable with a default, e.g. "\${var.vault_address}")`,
    );
    fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
  });
});

describe('readStacks: helm releases', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lms-stacks-')), 'cdktf.out');
  });
  afterEach(() => fs.rmSync(path.dirname(outdir), { recursive: true, force: true }));

  /** One stack `dev-lusaka-base` with these helm providers and helm_release resources. */
  const readOne = (helmProviders: unknown[], releases: Record<string, unknown>) => {
    fs.mkdirSync(path.join(outdir, 'stacks/dev-lusaka-base'), { recursive: true });
    const config = {
      provider: { kubernetes: [{ alias: 'lusaka', config_context: 'lms-dev-lusaka' }], helm: helmProviders },
      terraform: { backend: { local: { path: 'x.tfstate' } } },
      resource: { helm_release: releases },
    };
    fs.writeFileSync(path.join(outdir, 'stacks/dev-lusaka-base/cdk.tf.json'), JSON.stringify(config));
    const entry = { name: 'dev-lusaka-base', dependencies: [], workingDirectory: 'stacks/dev-lusaka-base', synthesizedStackPath: 'stacks/dev-lusaka-base/cdk.tf.json' };
    fs.writeFileSync(path.join(outdir, 'manifest.json'), JSON.stringify({ stacks: { [entry.name]: entry } }));
    return readStacks(outdir)[0];
  };
  const helm = [{ alias: 'lusaka', kubernetes: { config_context: 'lms-dev-lusaka' } }];
  const certManager = {
    name: 'cert-manager',
    namespace: 'lms-platform',
    repository: 'https://charts.lusaka.lms.co.zm',
    chart: 'cert-manager',
    version: 'v1.19.6',
    values: ['crds:\n  enabled: true\n', 'replicaCount: 2\n'],
    skip_crds: true,
    wait: true,
    timeout: 600,
    atomic: false,
    max_history: 5,
    provider: 'helm.lusaka',
    depends_on: ['kubernetes_manifest.namespace'],
  };

  test('name, namespace, chart, version, repository and values of each release, in resource-name order', () => {
    const stack = readOne(helm, { 'z-metallb': { ...certManager, name: 'metallb', chart: 'metallb', version: '0.16.1', namespace: undefined, values: undefined }, 'a-cert-manager': certManager });
    expect(stack.releases).toEqual([
      { name: 'cert-manager', namespace: 'lms-platform', chart: 'cert-manager', version: 'v1.19.6', repository: 'https://charts.lusaka.lms.co.zm', values: ['crds:\n  enabled: true\n', 'replicaCount: 2\n'] },
      { name: 'metallb', namespace: 'default', chart: 'metallb', version: '0.16.1', repository: 'https://charts.lusaka.lms.co.zm', values: [] },
    ]);
  });

  test('a release without chart, version or repository is an error naming the field', () => {
    const file = () => path.join(outdir, 'stacks/dev-lusaka-base/cdk.tf.json');
    expect(() => readOne(helm, { cm: { ...certManager, version: undefined } })).toThrow(`${file()}: resource.helm_release.cm.version: null (the deploy tier needs a non-empty string)`);
    expect(() => readOne(helm, { cm: { ...certManager, repository: '' } })).toThrow(`${file()}: resource.helm_release.cm.repository: "" (the deploy tier needs a non-empty string)`);
    expect(() => readOne(helm, { cm: { ...certManager, values: 'replicaCount: 2' } })).toThrow(`${file()}: resource.helm_release.cm.values: "replicaCount: 2" (allowed: a list of YAML strings)`);
  });

  test("a chart the stack carries: name and version from its Chart.yaml, no repository; a missing folder or a version beside it is an error", () => {
    const file = () => path.join(outdir, 'stacks/dev-lusaka-base/cdk.tf.json');
    const crds = { name: 'crds-metallb', namespace: 'kube-system', chart: './charts/crds-metallb', values: ['{}\n'], provider: 'helm.lusaka' };
    expect(() => readOne(helm, { crds })).toThrow(`${file()}: resource.helm_release.crds.chart: "./charts/crds-metallb": no ${path.join(outdir, 'stacks/dev-lusaka-base/charts/crds-metallb/Chart.yaml')} (the synth writes a local chart into the stack's folder)`);
    fs.mkdirSync(path.join(outdir, 'stacks/dev-lusaka-base/charts/crds-metallb'), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'stacks/dev-lusaka-base/charts/crds-metallb/Chart.yaml'), 'apiVersion: v2\nname: crds-metallb\nversion: 0.16.1+0123456789ab\n');
    expect(readOne(helm, { crds }).releases).toEqual([
      { name: 'crds-metallb', namespace: 'kube-system', chart: 'crds-metallb', version: '0.16.1+0123456789ab', localChart: path.join(outdir, 'stacks/dev-lusaka-base/charts/crds-metallb'), values: ['{}\n'] },
    ]);
    expect(() => readOne(helm, { crds: { ...crds, version: '0.16.1' } })).toThrow(`${file()}: resource.helm_release.crds: a local chart (./charts/crds-metallb) with a repository or version (allowed: neither; Chart.yaml states the version)`);
  });

  test("a release must use the stack's one helm provider, aliased like the kubernetes provider", () => {
    const file = () => path.join(outdir, 'stacks/dev-lusaka-base/cdk.tf.json');
    expect(() => readOne(helm, { cm: { ...certManager, provider: 'helm.kitwe' } })).toThrow(`${file()}: resource.helm_release.cm.provider: "helm.kitwe" (allowed: "helm.lusaka", the stack's helm provider)`);
    expect(() => readOne([], { cm: certManager })).toThrow(`${file()}: provider.helm: [] (the deploy tier expects exactly one helm provider per stack, with the kubernetes provider's alias "lusaka")`);
    expect(() => readOne([{ ...helm[0], alias: 'kitwe' }], { cm: certManager })).toThrow(`${file()}: provider.helm: ["kitwe"] (the deploy tier expects exactly one helm provider per stack, with the kubernetes provider's alias "lusaka")`);
  });
});

describe('stacksBySite', () => {
  test('keeps each site\'s stacks in apply order, sites by name', () => {
    const stacks = [
      { name: 'p-kitwe-base', site: 'kitwe' },
      { name: 'p-lusaka-base', site: 'lusaka' },
      { name: 'p-kitwe-apps', site: 'kitwe' },
      { name: 'p-lusaka-apps', site: 'lusaka' },
    ];
    expect(stacksBySite(stacks).map((list) => list.map((stack) => stack.name))).toEqual([
      ['p-kitwe-base', 'p-kitwe-apps'],
      ['p-lusaka-base', 'p-lusaka-apps'],
    ]);
  });
});
