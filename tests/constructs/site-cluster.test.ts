import { DEFAULT_POD_SECURITY, PRIORITY_CLASSES } from '../../constructs/site-cluster';
import { PlatformComponent } from '../../constructs/platform-component';
import { PlatformError } from '../../constructs/platform-error';
import { NAMESPACE_ROLES } from '../../constructs/namespaces';
import { QUOTA_FIXTURE, SITE_CLUSTER_FIXTURE, siteClusterFixture } from '../support/fixtures';
import { validateKubeObject } from '../support/kube-schema';

function objectsOfKind(kind: string, overrides: Parameters<typeof siteClusterFixture>[0] = {}): Record<string, any>[] {
  return siteClusterFixture(overrides).objects.filter((object) => object.kind === kind) as Record<string, any>[];
}

describe('SiteCluster', () => {
  test('is a platform component: it renders objects and never touches Terraform', () => {
    const cluster = siteClusterFixture();
    expect(PlatformComponent.isPlatformComponent(cluster)).toBe(true);
    expect(cluster.node.children).toEqual([]);
  });

  test('every baseline namespace carries its Pod Security labels, pinned to the cluster version', () => {
    const namespaces = objectsOfKind('Namespace', { kubernetesVersion: '1.31' });
    expect(namespaces.map((ns) => ns.metadata.name).sort()).toEqual(NAMESPACE_ROLES.map((role) => `lms-${role}`).sort());
    const apps = namespaces.find((ns) => ns.metadata.name === 'lms-apps')!;
    expect(apps.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'cdktf',
      'app.kubernetes.io/part-of': 'lms-platform',
      'kubernetes.io/metadata.name': 'lms-apps',
      'lms.co.zm/environment': 'test',
      'lms.co.zm/site': 'lusaka',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.31',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.31',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.31',
    });
    expect(siteClusterFixture().namespaces.apps).toBe('lms-apps');
  });

  test('only node-agents is below restricted, and says why', () => {
    const notRestricted = objectsOfKind('Namespace').filter((ns) => ns.metadata.labels['pod-security.kubernetes.io/enforce'] !== 'restricted');
    expect(notRestricted.map((ns) => ns.metadata.name)).toEqual(['lms-node-agents']);
    expect(notRestricted[0].metadata.annotations['lms.co.zm/pod-security-reason']).toBe(DEFAULT_POD_SECURITY['node-agents'].reason);
  });

  test('every namespace has default-deny, DNS egress, its quota and the container defaults', () => {
    const cluster = siteClusterFixture({ namespaceQuotas: { ...SITE_CLUSTER_FIXTURE.namespaceQuotas, data: { ...QUOTA_FIXTURE, requestsCpu: '6', pods: 9 } } });
    const inNamespace = (kind: string, namespace: string) => cluster.objects.filter((o) => o.kind === kind && o.metadata.namespace === namespace) as Record<string, any>[];
    for (const role of NAMESPACE_ROLES) {
      const namespace = `lms-${role}`;
      const policies = inNamespace('NetworkPolicy', namespace);
      expect(policies.map((p) => p.metadata.name)).toEqual(['default-deny', 'allow-dns-egress']);
      expect(policies[0].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      expect(policies[1].spec.egress[0].ports).toEqual([
        { protocol: 'UDP', port: 53 },
        { protocol: 'TCP', port: 53 },
      ]);
      const quota = role === 'data' ? { ...QUOTA_FIXTURE, requestsCpu: '6', pods: 9 } : QUOTA_FIXTURE;
      expect(inNamespace('ResourceQuota', namespace)[0].spec.hard).toEqual({
        'requests.cpu': quota.requestsCpu,
        'requests.memory': quota.requestsMemory,
        'limits.cpu': quota.limitsCpu,
        'limits.memory': quota.limitsMemory,
        'requests.storage': quota.requestsStorage,
        persistentvolumeclaims: quota.persistentVolumeClaims,
        pods: quota.pods,
      });
      expect(inNamespace('LimitRange', namespace)[0].spec.limits[0]).toEqual({
        type: 'Container',
        default: { cpu: '500m', memory: '256Mi' },
        defaultRequest: { cpu: '100m', memory: '128Mi' },
      });
    }
  });

  test('PriorityClasses for critical data services, platform and apps', () => {
    const values = Object.fromEntries(objectsOfKind('PriorityClass').map((p) => [p.metadata.name, p.value]));
    expect(values).toEqual({ 'lms-critical-data': 1000000, 'lms-platform': 100000, 'lms-apps': 10000 });
    expect(Object.values(PRIORITY_CLASSES).map((p) => p.name)).toEqual(['lms-critical-data', 'lms-platform', 'lms-apps']);
  });

  test('every rendered object validates against its Kubernetes schema', () => {
    const cluster = siteClusterFixture();
    expect(cluster.objects.length).toBe(3 + NAMESPACE_ROLES.length * 5);
    for (const object of cluster.objects) validateKubeObject(object);
  });

  test('a level below restricted without a reason is rejected, naming the prop', () => {
    expect(() => siteClusterFixture({ podSecurity: { apps: { level: 'baseline' } } })).toThrow(
      new PlatformError(
        'SiteCluster test-lusaka-base/site: podSecurity.apps.reason: undefined is not allowed for level "baseline" (allowed: a sentence saying why the namespace cannot be "restricted")',
      ),
    );
  });

  test('an unknown namespace role or level is rejected', () => {
    expect(() => siteClusterFixture({ podSecurity: { billing: { level: 'restricted' } } as never })).toThrow(
      'SiteCluster test-lusaka-base/site: podSecurity: "billing" is not allowed (allowed: namespace roles platform, data, security, observability, node-agents, apps)',
    );
    expect(() => siteClusterFixture({ podSecurity: { apps: { level: 'open' as never } } })).toThrow(
      'SiteCluster test-lusaka-base/site: podSecurity.apps.level: "open" is not allowed (allowed: restricted, baseline, privileged)',
    );
  });

  test('a reasoned override is applied', () => {
    const cluster = siteClusterFixture({ podSecurity: { data: { level: 'baseline', reason: 'SQL Server needs a sysctl' } } });
    expect(cluster.podSecurity.data).toEqual({ level: 'baseline', reason: 'SQL Server needs a sysctl' });
    expect(cluster.podSecurity.apps.level).toBe('restricted');
    const data = cluster.objects.find((o) => o.kind === 'Namespace' && o.metadata.name === 'lms-data') as any;
    expect(data.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(data.metadata.annotations).toEqual({ 'lms.co.zm/pod-security-reason': 'SQL Server needs a sysctl' });
  });
});
