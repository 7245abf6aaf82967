import { App, Testing } from 'cdktf';
import { buildPlatform, type SiteLayers } from '../../stacks/platform';
import { LAYERS, stackName } from '../../stacks/layers';
import { SiteStack } from '../../stacks/site-stack';
import { SITE_NAMES } from '../../environments/schema';
import { VERSIONS } from '../../constructs/versions';
import { ENVIRONMENTS, environmentNamed } from '../support/environments';

function build() {
  const app = Testing.app() as App;
  const sites = buildPlatform(app, ENVIRONMENTS);
  return { app, sites };
}

const STACKS = ENVIRONMENTS.flatMap((env) => SITE_NAMES.flatMap((site) => LAYERS.map((layer) => [stackName(env.name, site, layer), env, site, layer] as const)));

describe('buildPlatform', () => {
  const { app, sites } = build();
  const stackOf = (envName: string, site: string, layer: keyof SiteLayers) => sites.get(`${envName}-${site}`)![layer].stack;
  const synthesized = new Map(STACKS.map(([name, env, site, layer]) => [name, JSON.parse(Testing.synth(stackOf(env.name, site, layer)))]));

  test('one stack per environment, site and layer, with stable names', () => {
    const names = app.node.children.filter((c): c is SiteStack => c instanceof SiteStack).map((stack) => stack.node.id);
    expect(names).toEqual(STACKS.map(([name]) => name));
    expect(names).toContain('production-lusaka-base');
    expect(names).toContain('production-kitwe-apps');
  });

  test('apps is applied after base on every site, and never depends on the other site', () => {
    for (const site of sites.values()) {
      expect(site.apps.stack.dependencies).toEqual([site.base.stack]);
      expect(site.base.stack.dependencies).toEqual([]);
    }
  });

  test.each(STACKS)('%s: the pinned providers of its own site, and its state at its own site', (name, env, site) => {
    const parsed = synthesized.get(name);
    expect(parsed.terraform.required_providers.kubernetes.version).toBe(VERSIONS.terraformProviders.kubernetes.version);
    expect(parsed.terraform.required_providers.helm.version).toBe(VERSIONS.terraformProviders.helm.version);
    expect(parsed.provider.kubernetes).toEqual([expect.objectContaining({ alias: site })]);
    expect(parsed.provider.helm).toEqual([expect.objectContaining({ alias: site })]);
    const providers = new Set(Object.values(parsed.resource as Record<string, Record<string, { provider: string }>>).flatMap((resources) => Object.values(resources).map((r) => r.provider)));
    expect([...providers]).toEqual([`kubernetes.${site}`]);
    const state = env.sites[site].state;
    const expected =
      state.kind === 's3'
        ? {
            s3: {
              bucket: state.bucket,
              key: `${name}.tfstate`,
              region: state.region,
              endpoints: { s3: state.endpoint },
              encrypt: true,
              use_path_style: true,
              use_lockfile: true,
              skip_credentials_validation: true,
              skip_region_validation: true,
              skip_requesting_account_id: true,
              skip_metadata_api_check: true,
              skip_s3_checksum: true,
            },
          }
        : { local: { path: `../../../${state.directory}/${name}.tfstate` } };
    expect(parsed.terraform.backend).toEqual(expected);
  });

  test('either production site plans with the other gone: a Kitwe stack names only Kitwe endpoints, and Lusaka only Lusaka', () => {
    const production = environmentNamed('production');
    for (const [site, other] of [['kitwe', 'lusaka'], ['lusaka', 'kitwe']] as const) {
      for (const layer of LAYERS) {
        const text = JSON.stringify(synthesized.get(stackName('production', site, layer)));
        const hosts = [...text.matchAll(/https:\/\/([a-z0-9.-]+)/g)].map((match) => match[1]).filter((host) => !host.endsWith('.svc.cluster.local'));
        expect(hosts.length).toBeGreaterThan(0);
        expect(hosts.filter((host) => !host.endsWith(`.${production.sites[site].dnsDomain}`))).toEqual([]);
        expect(text).not.toContain(production.sites[other].dnsDomain);
      }
    }
  });

  test('no synthesized stack carries a credential or a machine path', () => {
    const credentialKeys = /^(token|password|username|client_key|client_certificate|access_key|secret_key|sse_customer_key)$/;
    for (const parsed of synthesized.values()) {
      const blocks = [...Object.values(parsed.provider).flat(), ...parsed.provider.helm.map((h: any) => h.kubernetes), ...Object.values(parsed.terraform.backend)];
      for (const block of blocks as Record<string, unknown>[]) {
        expect(Object.keys(block).filter((key) => credentialKeys.test(key))).toEqual([]);
      }
      expect(JSON.stringify(parsed)).not.toMatch(/-----BEGIN|\/(home|root|tmp|work|Users)\//);
    }
  });

  test('the cross-site pass checks that each DR site can carry its primary once promoted', () => {
    for (const env of ENVIRONMENTS) {
      const standby = SITE_NAMES.find((site) => env.sites[site].role === 'disaster-recovery')!;
      const apps = stackOf(env.name, standby, 'apps');
      expect(apps.node.tryFindChild('failover-capacity')).toBeDefined();
      expect(apps.node.validate()).toEqual([]);
    }
  });

  test('the production Lusaka base and apps, composed', () => {
    const summary = (layer: keyof SiteLayers) =>
      Object.values(synthesized.get(stackName('production', 'lusaka', layer)).resource.kubernetes_manifest as Record<string, { manifest: any }>)
        .map((r) => `${r.manifest.kind} ${r.manifest.metadata.namespace ?? '-'} ${r.manifest.metadata.name}`)
        .sort();
    expect({ base: summary('base'), apps: summary('apps') }).toMatchSnapshot();
  });
});
