import { App, Testing } from 'cdktf';
import { buildPlatform } from '../../stacks/platform';
import { LAYERS, stackName } from '../../stacks/layers';
import { SITE_NAMES } from '../../environments/schema';
import { VERSIONS } from '../../constructs/versions';
import { ENVIRONMENTS } from '../support/environments';

function build() {
  const app = Testing.app() as App;
  const stacks = buildPlatform(app, ENVIRONMENTS);
  return { app, stacks };
}

describe('buildPlatform', () => {
  const { stacks } = build();

  test('one stack per environment, site and layer, with stable names', () => {
    const names = [...stacks.values()].flatMap((site) => LAYERS.map((layer) => site[layer].node.id));
    expect(names).toEqual(
      ENVIRONMENTS.flatMap((env) => SITE_NAMES.flatMap((site) => LAYERS.map((layer) => stackName(env.name, site, layer)))),
    );
    expect(names).toContain('production-lusaka-base');
    expect(names).toContain('production-kitwe-apps');
  });

  test('apps is applied after base on every site', () => {
    for (const site of stacks.values()) {
      expect(site.apps.dependencies).toEqual([site.base]);
      expect(site.base.dependencies).toEqual([]);
    }
  });

  test.each(ENVIRONMENTS.flatMap((env) => SITE_NAMES.flatMap((site) => LAYERS.map((layer) => [stackName(env.name, site, layer), env, site] as const))))(
    '%s synthesizes to valid Terraform JSON with the pinned providers',
    (name, env, site) => {
      const stack = stacks.get(`${env.name}-${site}`)![name.endsWith('-base') ? 'base' : 'apps'];
      const synthesized = Testing.synth(stack);
      const parsed = JSON.parse(synthesized);
      expect(stack.node.id).toBe(name);
      if (parsed.provider) {
        expect(parsed.terraform.required_providers.kubernetes.version).toBe(VERSIONS.terraformProviders.kubernetes.version);
        expect(parsed.terraform.required_providers.helm.version).toBe(VERSIONS.terraformProviders.helm.version);
        expect(parsed.provider.kubernetes[0].alias).toBe(site);
      }
      if (env.state.kind === 's3') {
        expect(parsed.terraform.backend.s3).toEqual({
          bucket: env.state.bucket,
          key: `${name}.tfstate`,
          region: env.state.region,
          endpoints: { s3: env.state.endpoint },
          encrypt: true,
          use_path_style: true,
          use_lockfile: true,
          skip_credentials_validation: true,
          skip_region_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: true,
          skip_s3_checksum: true,
        });
      } else {
        expect(parsed.terraform.backend.local).toEqual({ path: `../../../.terraform-state/${name}.tfstate` });
      }
    },
  );

  test('no synthesized stack carries a credential or a machine path', () => {
    const credentialKeys = /^(token|password|username|client_key|client_certificate|access_key|secret_key|sse_customer_key)$/;
    for (const site of stacks.values()) {
      for (const layer of LAYERS) {
        const text = Testing.synth(site[layer]);
        const parsed = JSON.parse(text);
        const blocks = [...Object.values(parsed.provider ?? {}).flat(), ...(parsed.provider?.helm ?? []).map((h: any) => h.kubernetes), ...Object.values(parsed.terraform.backend)];
        for (const block of blocks as Record<string, unknown>[]) {
          expect(Object.keys(block).filter((key) => credentialKeys.test(key))).toEqual([]);
        }
        expect(text).not.toMatch(/-----BEGIN|\/(home|root|tmp|work|Users)\//);
      }
    }
  });

  test('the production Lusaka baseline, composed', () => {
    const base = JSON.parse(Testing.synth(stacks.get('production-lusaka')!.base));
    const summary = Object.values(base.resource.kubernetes_manifest as Record<string, { manifest: any }>)
      .map((r) => `${r.manifest.kind} ${r.manifest.metadata.namespace ?? '-'} ${r.manifest.metadata.name}`)
      .sort();
    expect(summary).toMatchSnapshot();
  });
});
