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

  test('each layer is applied after the layers before it on its own site, never after the other site', () => {
    for (const site of sites.values()) {
      expect(site.base.stack.dependencies).toEqual([]);
      expect(site.traffic.stack.dependencies).toEqual([site.base.stack]);
      expect(site.security.stack.dependencies).toEqual([site.base.stack, site.traffic.stack]);
      expect(site.data.stack.dependencies).toEqual([site.base.stack, site.traffic.stack, site.security.stack]);
      expect(site.observability.stack.dependencies).toEqual([site.base.stack, site.traffic.stack, site.security.stack]);
      expect(site.apps.stack.dependencies).toEqual([site.base.stack, site.traffic.stack, site.security.stack, site.data.stack, site.observability.stack]);
      expect(site.vaultConfig.dependencies).toEqual([site.security.stack]);
    }
  });

  test.each(STACKS)('%s: the pinned providers of its own site, and its state at its own site', (name, env, site, layer) => {
    const parsed = synthesized.get(name);
    expect(parsed.terraform.required_providers.kubernetes.version).toBe(VERSIONS.terraformProviders.kubernetes.version);
    expect(parsed.terraform.required_providers.helm.version).toBe(VERSIONS.terraformProviders.helm.version);
    expect(parsed.provider.kubernetes).toEqual([expect.objectContaining({ alias: site })]);
    expect(parsed.provider.helm).toEqual([expect.objectContaining({ alias: site })]);
    const providers = new Set(Object.values(parsed.resource as Record<string, Record<string, { provider: string }>>).flatMap((resources) => Object.values(resources).map((r) => r.provider)));
    expect([...providers].sort()).toEqual(layer === 'base' || layer === 'traffic' || layer === 'security' || layer === 'observability' ? [`helm.${site}`, `kubernetes.${site}`] : [`kubernetes.${site}`]);
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
        const parsed = synthesized.get(stackName('production', site, layer));
        const text = JSON.stringify(parsed);
        // What Terraform connects to: the site's API server and its state store.
        const connections = [parsed.provider.kubernetes[0].host, parsed.provider.helm[0].kubernetes.host, parsed.terraform.backend.s3.endpoints.s3];
        expect(connections.map((url: string) => new URL(url).hostname.endsWith(`.${production.sites[site].dnsDomain}`))).toEqual([true, true, true]);
        // Any in-country host named anywhere else belongs to the site too, but for the other
        // site's MinIO: the primary's bucket replication names it as the target it copies to (a
        // name in a Job's script), and each site's probe of the other verifies its certificate by
        // that name (the ServiceMonitor's TLS server name); neither is a connection of the plan.
        // Nor is the identity provider's issuer, in the apps layer: the name its tokens carry,
        // which the loan-service compares and never connects to (it fetches the keys from the
        // provider's node in its own site's domain).
        const replicationTarget = site === 'lusaka' && layer === 'data' ? `minio.${production.sites[other].dnsDomain}` : undefined;
        const probedName = layer === 'observability' ? `minio.${production.sites[other].dnsDomain}` : undefined;
        const issuer = layer === 'apps' ? new URL(production.identityProvider.issuer).hostname : undefined;
        const hosts = [...text.matchAll(/https:\/\/([a-z0-9.-]+\.lms\.co\.zm)/g)].map((match) => match[1]);
        expect(hosts.filter((host) => !host.endsWith(`.${production.sites[site].dnsDomain}`) && host !== replicationTarget && host !== issuer)).toEqual([]);
        const otherNames = [...text.matchAll(new RegExp(`[a-z0-9.-]*${production.sites[other].dnsDomain.replace(/\./g, '\\.')}`, 'g'))].map((match) => match[0]);
        expect([...new Set(otherNames)]).toEqual([replicationTarget ?? probedName].filter((name) => name !== undefined));
      }
    }
  });

  test.each(ENVIRONMENTS.flatMap((env) => SITE_NAMES.map((site) => [env.name, site] as const)))('%s %s traffic: pools before Traefik, certificates after cert-manager, every listener certificate requested', (envName, site) => {
    const parsed = synthesized.get(stackName(envName, site, 'traffic'));
    const releases = parsed.resource.helm_release as Record<string, { name: string; depends_on?: string[] }>;
    const manifests = parsed.resource.kubernetes_manifest as Record<string, { manifest: any; depends_on?: string[] }>;
    const releaseId = (name: string) => `helm_release.${Object.keys(releases).find((id) => releases[id].name === name)}`;
    const pools = Object.keys(manifests).filter((id) => manifests[id].manifest.kind === 'IPAddressPool').map((id) => `kubernetes_manifest.${id}`);
    expect(pools.length).toBeGreaterThan(0);
    const traefik = releases[releaseId('traefik').slice('helm_release.'.length)];
    expect(pools.filter((pool) => !traefik.depends_on?.includes(pool))).toEqual([]);
    const certificates = Object.values(manifests).filter((r) => r.manifest.kind === 'Certificate');
    for (const certificate of certificates) expect(certificate.depends_on).toContain(releaseId('cert-manager'));
    const gateway = Object.values(manifests).find((r) => r.manifest.kind === 'Gateway')!.manifest;
    const secrets = new Set(certificates.map((r) => r.manifest.spec.secretName));
    const refs = gateway.spec.listeners.flatMap((listener: any) => (listener.tls?.certificateRefs ?? []).map((ref: any) => ref.name));
    expect(refs.length).toBe(4);
    expect(refs.filter((name: string) => !secrets.has(name))).toEqual([]);
    const issuers = new Set(Object.values(manifests).filter((r) => r.manifest.kind === 'ClusterIssuer').map((r) => r.manifest.metadata.name));
    expect(certificates.map((r) => r.manifest.spec.issuerRef.name).filter((name: string) => name !== `lms-${envName}-root-bootstrap` && !issuers.has(name))).toEqual([]);
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

  test('every custom resource a stack writes has its CRD installed by the base layer of its site', () => {
    const builtIn = /^(v1|(apps|batch|policy|autoscaling|networking\.k8s\.io|rbac\.authorization\.k8s\.io|scheduling\.k8s\.io|apiextensions\.k8s\.io)\/v[0-9a-z]+)$/;
    for (const [name, env, site, layer] of STACKS.filter(([, , , layer]) => layer !== 'base')) {
      const installed = new Set(sites.get(`${env.name}-${site}`)!.base.customResources.kinds);
      const manifests = Object.values(synthesized.get(name).resource.kubernetes_manifest as Record<string, { manifest: { apiVersion: string; kind: string } }>).map((r) => r.manifest);
      const custom = manifests.filter((m) => !builtIn.test(m.apiVersion)).map((m) => `${m.apiVersion.split('/')[0]}/${m.kind}`);
      expect({ stack: name, layer, missing: custom.filter((kind) => !installed.has(kind)) }).toEqual({ stack: name, layer, missing: [] });
      expect(custom.length).toBeGreaterThan(0);
    }
  });

  test('the production Lusaka base and apps, composed', () => {
    const summary = (layer: keyof SiteLayers) =>
      Object.values(synthesized.get(stackName('production', 'lusaka', layer)).resource.kubernetes_manifest as Record<string, { manifest: any }>)
        .map((r) => `${r.manifest.kind} ${r.manifest.metadata.namespace ?? '-'} ${r.manifest.metadata.name}`)
        .sort();
    const releases = (layer: keyof SiteLayers) =>
      Object.values(synthesized.get(stackName('production', 'lusaka', layer)).resource.helm_release as Record<string, { namespace: string; name: string; chart: string }>)
        .map((r) => `helm_release ${r.namespace} ${r.name} ${r.chart}`)
        .sort();
    expect({ base: [...summary('base'), ...releases('base')], apps: summary('apps') }).toMatchSnapshot();
  });
});

describe('buildPlatform: namespace quotas', () => {
  /** The dev environment with one namespace quota field changed at Lusaka. */
  const devWith = (namespace: 'security' | 'apps' | 'data', field: string, value: string) => {
    const dev = environmentNamed('dev');
    const lusaka = dev.sites.lusaka;
    const namespaces = { ...lusaka.sizing.namespaces, [namespace]: { ...lusaka.sizing.namespaces[namespace], [field]: value } };
    return { ...dev, sites: { ...dev.sites, lusaka: { ...lusaka, sizing: { ...lusaka.sizing, namespaces } } } };
  };

  test('a security namespace too small for Vault, its volumes and its snapshot job fails the synth, naming the pods', () => {
    expect(() => buildPlatform(Testing.app(), [devWith('security', 'requestsStorage', '2Gi')])).toThrow(
      'security layer dev-lusaka-security: namespace lms-security quota requestsStorage: "2Gi" is below the 3072Mi its volume claims request (Vault servers 1 x 3072Mi) (allowed: at least 3072Mi, or the quota refuses the claims and the pods never start)',
    );
  });

  test('an apps namespace that cannot hold the loan-service at its autoscaler maximum with its Vault agents fails the synth', () => {
    expect(() => buildPlatform(Testing.app(), [devWith('apps', 'limitsCpu', '2')])).toThrow(
      'apps layer dev-lusaka-apps: namespace lms-apps quota limitsCpu: "2" is below the 2250m of CPU limits of its pods (loan-service pods (autoscaler maximum and a surge pod, with the Vault agent) 3 x 750m) (allowed: at least 2250m, or the quota refuses pods and they never start)',
    );
  });

  test('a data namespace too small for MinIO, SQL Server, their jobs and its side of the replication fails the synth', () => {
    expect(() => buildPlatform(Testing.app(), [devWith('data', 'persistentVolumeClaims', '4')])).toThrow(
      'data layer dev-lusaka-data: namespace lms-data quota persistentVolumeClaims: 4 is below its 5 volume claims (MinIO servers 1 x 4, SQL Server 1 x 1) (allowed: at least 5, or the quota refuses the claims and the pods never start)',
    );
    expect(() => buildPlatform(Testing.app(), [devWith('data', 'limitsCpu', '6')])).toThrow(
      'data layer dev-lusaka-data: namespace lms-data quota limitsCpu: "6" is below the 6750m of CPU limits of its pods (MinIO servers 1 x 500m, the bucket reconcile job 2 x 500m, the object store users job 2 x 500m, SQL Server 1 x 1000m, the replication setup job 2 x 500m, the heartbeat writer 1 x 500m, the SQL Server log-shipping jobs and their metrics exporter 7 x 250m) (allowed: at least 6750m, or the quota refuses pods and they never start)',
    );
  });
});

describe('buildPlatform: where the other site replicates into', () => {
  const devWithEndpoints = (endpoints: { name: string; address: string; ports: number[]; purpose: string }[]) => {
    const dev = environmentNamed('dev');
    const lusaka = dev.sites.lusaka;
    return { ...dev, sites: { ...dev.sites, lusaka: { ...lusaka, network: { ...lusaka.network, crossSiteEndpoints: endpoints } } } };
  };

  test('a site without the object-storage endpoint', () => {
    expect(() => buildPlatform(Testing.app(), [devWithEndpoints([])])).toThrow(
      'environments/dev.ts: sites.lusaka.network.crossSiteEndpoints: no endpoint named "object-storage" (allowed: one, the address the other site replicates MinIO buckets into)',
    );
  });

  test('an object-storage endpoint outside every load-balancer pool', () => {
    expect(() => buildPlatform(Testing.app(), [devWithEndpoints([{ name: 'object-storage', address: '10.12.250.8/32', ports: [9000], purpose: 'replication' }])])).toThrow(
      'environments/dev.ts: sites.lusaka.network.crossSiteEndpoints: "10.12.250.8/32" of "object-storage" is in no load-balancer address pool (allowed: an address of one of "public", "replication", which MetalLB gives MinIO\'s replication Service)',
    );
  });
});
