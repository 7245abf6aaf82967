import { Testing, TerraformStack } from 'cdktf';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { DEFAULT_POD_SECURITY, PRIORITY_CLASSES, SiteCluster } from '../../constructs/site-cluster';
import { PlatformError } from '../../constructs/platform-error';
import { NAMESPACE_ROLES } from '../../constructs/namespaces';
import { siteClusterProps } from '../../stacks/platform';
import { environmentNamed } from '../support/environments';
import { validateKubeObject } from '../support/kube-schema';

const production = environmentNamed('production');

function siteCluster(props: Partial<ConstructorParameters<typeof SiteCluster>[2]> = {}) {
  const stack = new TerraformStack(Testing.app(), 'production-lusaka-base');
  const cluster = new SiteCluster(stack, 'site', { ...siteClusterProps(production, 'lusaka'), ...props });
  return { stack, cluster, synthesized: Testing.synth(stack) };
}

function manifestsOfKind(synthesized: string, kind: string): Record<string, any>[] {
  const resources = JSON.parse(synthesized).resource.kubernetes_manifest as Record<string, { manifest: Record<string, any> }>;
  return Object.values(resources).map((r) => r.manifest).filter((m) => m.kind === kind);
}

describe('SiteCluster', () => {
  test('configures one aliased kubernetes and helm provider pair for the site', () => {
    const { synthesized } = siteCluster();
    expect(synthesized).toHaveProviderWithProperties(KubernetesProvider, { alias: 'lusaka', host: 'https://api.prod.lusaka.lms.co.zm:6443' });
    expect(synthesized).toHaveProviderWithProperties(HelmProvider, { alias: 'lusaka', kubernetes: { host: 'https://api.prod.lusaka.lms.co.zm:6443' } });
    const parsed = JSON.parse(synthesized);
    expect(parsed.provider.kubernetes).toHaveLength(1);
    expect(parsed.provider.helm).toHaveLength(1);
  });

  test('a kubeconfig-context site names the context and nothing else', () => {
    const dev = environmentNamed('dev');
    const stack = new TerraformStack(Testing.app(), 'dev-kitwe-base');
    new SiteCluster(stack, 'site', siteClusterProps(dev, 'kitwe'));
    const provider = JSON.parse(Testing.synth(stack)).provider.kubernetes[0];
    expect(provider).toEqual({ alias: 'kitwe', config_context: 'lms-dev-kitwe' });
  });

  test('every baseline namespace carries its Pod Security labels, pinned to the cluster version', () => {
    const { synthesized, cluster } = siteCluster();
    const namespaces = manifestsOfKind(synthesized, 'Namespace');
    expect(namespaces.map((ns) => ns.metadata.name).sort()).toEqual(NAMESPACE_ROLES.map((role) => `lms-${role}`).sort());
    const apps = namespaces.find((ns) => ns.metadata.name === 'lms-apps')!;
    expect(apps.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.30',
      'pod-security.kubernetes.io/warn': 'restricted',
      'lms.co.zm/environment': 'production',
      'lms.co.zm/site': 'lusaka',
    });
    expect(cluster.namespaces.apps).toBe('lms-apps');
  });

  test('only node-agents is below restricted, and says why', () => {
    const { synthesized } = siteCluster();
    const notRestricted = manifestsOfKind(synthesized, 'Namespace').filter(
      (ns) => ns.metadata.labels['pod-security.kubernetes.io/enforce'] !== 'restricted',
    );
    expect(notRestricted.map((ns) => ns.metadata.name)).toEqual(['lms-node-agents']);
    expect(notRestricted[0].metadata.annotations['lms.co.zm/pod-security-reason']).toBe(DEFAULT_POD_SECURITY['node-agents'].reason);
  });

  test('every namespace has default-deny, DNS egress, a quota sized from the environment and container defaults', () => {
    const { synthesized } = siteCluster();
    for (const role of NAMESPACE_ROLES) {
      const namespace = `lms-${role}`;
      const policies = manifestsOfKind(synthesized, 'NetworkPolicy').filter((p) => p.metadata.namespace === namespace);
      expect(policies.find((p) => p.metadata.name === 'default-deny')!.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      const dns = policies.find((p) => p.metadata.name === 'allow-dns-egress')!;
      expect(dns.spec.egress[0].ports).toEqual([
        { protocol: 'UDP', port: 53 },
        { protocol: 'TCP', port: 53 },
      ]);
      const quota = manifestsOfKind(synthesized, 'ResourceQuota').find((q) => q.metadata.namespace === namespace)!;
      const sizing = production.sites.lusaka.sizing.namespaces[role];
      expect(quota.spec.hard).toEqual({
        'requests.cpu': sizing.requestsCpu,
        'requests.memory': sizing.requestsMemory,
        'limits.cpu': sizing.limitsCpu,
        'limits.memory': sizing.limitsMemory,
        'requests.storage': sizing.requestsStorage,
        persistentvolumeclaims: sizing.persistentVolumeClaims,
        pods: sizing.pods,
      });
      const limits = manifestsOfKind(synthesized, 'LimitRange').find((l) => l.metadata.namespace === namespace)!;
      expect(limits.spec.limits[0]).toEqual({
        type: 'Container',
        default: { cpu: '1', memory: '512Mi' },
        defaultRequest: { cpu: '100m', memory: '128Mi' },
      });
    }
  });

  test('PriorityClasses for critical data services, platform and apps', () => {
    const { synthesized } = siteCluster();
    expect(synthesized).toHaveResourceWithProperties(Manifest, {
      manifest: expect.objectContaining({ kind: 'PriorityClass', value: 1000000, metadata: expect.objectContaining({ name: 'lms-critical-data' }) }),
    });
    const values = Object.fromEntries(manifestsOfKind(synthesized, 'PriorityClass').map((p) => [p.metadata.name, p.value]));
    expect(values).toEqual({ 'lms-critical-data': 1000000, 'lms-platform': 100000, 'lms-apps': 10000 });
    expect(Object.values(PRIORITY_CLASSES).map((p) => p.name)).toEqual(['lms-critical-data', 'lms-platform', 'lms-apps']);
  });

  test('every rendered object validates against its Kubernetes schema', () => {
    const { cluster } = siteCluster();
    expect(cluster.objects.length).toBe(3 + NAMESPACE_ROLES.length * 5);
    for (const object of cluster.objects) validateKubeObject(object);
  });

  test('namespaced objects depend on their namespace', () => {
    const { synthesized } = siteCluster();
    const resources = JSON.parse(synthesized).resource.kubernetes_manifest as Record<string, { manifest: any; depends_on?: string[] }>;
    const quota = Object.values(resources).find((r) => r.manifest.kind === 'ResourceQuota' && r.manifest.metadata.namespace === 'lms-data')!;
    expect(quota.depends_on).toEqual([expect.stringMatching(/^kubernetes_manifest\.site_baseline_namespace-lms-data_[0-9A-F]{8}$/)]);
  });

  test('a level below restricted without a reason is rejected, naming the prop', () => {
    expect(() => siteCluster({ podSecurity: { apps: { level: 'baseline' } } })).toThrow(
      new PlatformError(
        'SiteCluster production-lusaka-base/site: podSecurity.apps.reason: undefined is not allowed for level "baseline" (allowed: a sentence saying why the namespace cannot be "restricted")',
      ),
    );
  });

  test('an unknown namespace role or level is rejected', () => {
    expect(() => siteCluster({ podSecurity: { billing: { level: 'restricted' } } as never })).toThrow(
      'SiteCluster production-lusaka-base/site: podSecurity: "billing" is not allowed (allowed: namespace roles platform, data, security, observability, node-agents, apps)',
    );
    expect(() => siteCluster({ podSecurity: { apps: { level: 'open' as never } } })).toThrow(
      'SiteCluster production-lusaka-base/site: podSecurity.apps.level: "open" is not allowed (allowed: restricted, baseline, privileged)',
    );
  });

  test('a reasoned override is applied', () => {
    const { cluster } = siteCluster({ podSecurity: { data: { level: 'baseline', reason: 'SQL Server needs a sysctl' } } });
    expect(cluster.podSecurity.data).toEqual({ level: 'baseline', reason: 'SQL Server needs a sysctl' });
    expect(cluster.podSecurity.apps.level).toBe('restricted');
  });
});
