import { Testing } from 'cdktf';
import { SCRAPE_SELECTOR_LABELS } from '../../constructs/monitoring-stack';
import type { KubeObject } from '../../constructs/platform-component';
import { buildPlatform, layerStacks } from '../../stacks/platform';
import { ENVIRONMENTS } from '../support/environments';
import { selectsLabels, type LabelSelector } from '../support/label-selector';

const sites = buildPlatform(Testing.app(), ENVIRONMENTS);
const objectsOf = (site: string): KubeObject[] => layerStacks(sites.get(site)!).flatMap((stack) => stack.components.flatMap((component) => component.objects));
const isMonitor = (object: KubeObject) => object.kind === 'ServiceMonitor' || object.kind === 'PodMonitor';
const key = (object: KubeObject) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
const spec = (object: KubeObject) => object.spec as any;

/** Every site scrapes these; the primary also its replication heartbeat writer, the disaster-recovery site the reader. */
const COMMON = [
  'PodMonitor/lms-platform/cert-manager',
  'ServiceMonitor/lms-platform/traefik',
  'ServiceMonitor/lms-security/vault',
  'ServiceMonitor/lms-data/minio',
  'ServiceMonitor/lms-data/sql-server-log-shipping-metrics',
  'ServiceMonitor/lms-apps/loan-service',
  'ServiceMonitor/lms-observability/elasticsearch-exporter',
];
const BY_ROLE = {
  primary: [...COMMON, 'ServiceMonitor/lms-data/replication-heartbeat-writer'],
  'disaster-recovery': [...COMMON, 'ServiceMonitor/lms-data/replication-heartbeat-reader'],
};
/** Each site's probe of the other: a Service without a selector whose Endpoints name the other site's MinIO. */
const probeOf = (site: string) => `ServiceMonitor/lms-observability/peer-site-${site.endsWith('lusaka') ? 'kitwe' : 'lusaka'}`;

/**
 * Monitors whose pods and Services a Helm release renders: the release's helm-template test
 * proves each selects them (tests/constructs/<component>-helm.test.ts).
 */
const HELM_TARGETS: Readonly<Record<string, string>> = {
  'PodMonitor/lms-platform/cert-manager': 'cert-manager-helm.test.ts',
  'ServiceMonitor/lms-platform/traefik': 'ingress-gateway-helm.test.ts',
  'ServiceMonitor/lms-security/vault': 'vault-cluster-helm.test.ts',
};

const SITES = ENVIRONMENTS.flatMap((environment) => Object.entries(environment.sites).map(([siteName, site]) => [`${environment.name}-${siteName}`, site.role] as const));

describe.each(SITES)('%s (%s)', (site, role) => {
  const objects = objectsOf(site);
  const monitors = objects.filter(isMonitor);

  test('the ServiceMonitors and PodMonitors, by namespace', () => {
    expect(monitors.map(key).sort()).toEqual([...BY_ROLE[role], probeOf(site)].sort());
  });

  test('every one carries the labels the site\'s Prometheus selects by', () => {
    for (const monitor of monitors) expect([key(monitor), monitor.metadata.labels]).toEqual([key(monitor), expect.objectContaining(SCRAPE_SELECTOR_LABELS)]);
  });

  test('each monitor of the platform\'s own workloads selects a Service over pods a Deployment or StatefulSet of the platform runs, on a port that Service names', () => {
    const workloads = objects.filter((object) => object.kind === 'Deployment' || object.kind === 'StatefulSet');
    const own = monitors.filter((monitor) => HELM_TARGETS[key(monitor)] === undefined && key(monitor) !== probeOf(site));
    expect(own.length).toBeGreaterThan(0);
    for (const monitor of own) {
      expect([key(monitor), monitor.kind]).toEqual([key(monitor), 'ServiceMonitor']);
      const services = objects.filter(
        (object) => object.kind === 'Service' && object.metadata.namespace === monitor.metadata.namespace && selectsLabels(spec(monitor).selector as LabelSelector, object.metadata.labels as Record<string, string>),
      );
      expect([key(monitor), services.length]).toEqual([key(monitor), 1]);
      const [service] = services;
      const portNames = (spec(service!).ports as { name?: string }[]).map((port) => port.name);
      for (const endpoint of spec(monitor).endpoints as { port: string }[]) expect([key(monitor), portNames]).toEqual([key(monitor), expect.arrayContaining([endpoint.port])]);
      const backing = workloads.filter(
        (workload) => workload.metadata.namespace === service!.metadata.namespace && selectsLabels({ matchLabels: spec(service!).selector }, spec(workload).template.metadata.labels),
      );
      expect([key(monitor), backing.length]).toEqual([key(monitor), 1]);
    }
  });

  test('the probe of the other site selects its Service, which has no selector: its Endpoints name the other site\'s MinIO on the port the monitor scrapes', () => {
    const probe = monitors.find((monitor) => key(monitor) === probeOf(site))!;
    const services = objects.filter((object) => object.kind === 'Service' && object.metadata.namespace === probe.metadata.namespace && selectsLabels(spec(probe).selector as LabelSelector, object.metadata.labels as Record<string, string>));
    expect(services.map((service) => [service.metadata.name, spec(service).selector])).toEqual([[probe.metadata.name, undefined]]);
    const endpoints = objects.filter((object) => object.kind === 'Endpoints' && object.metadata.namespace === probe.metadata.namespace && object.metadata.name === probe.metadata.name) as any[];
    expect(endpoints).toHaveLength(1);
    const portName = (spec(probe).endpoints as { port: string }[])[0]!.port;
    expect(endpoints[0].subsets[0].ports.map((port: { name: string; port: number }) => [port.name, port.port])).toEqual([[portName, 9000]]);
  });

  test('each monitor of a Helm release\'s pods selects nothing the platform renders itself (the release renders its targets)', () => {
    for (const monitor of monitors.filter((candidate) => HELM_TARGETS[key(candidate)] !== undefined)) {
      const selector = spec(monitor).selector as LabelSelector;
      const matched = objects.filter((object) => {
        if (object.metadata.namespace !== monitor.metadata.namespace) return false;
        if (object.kind === 'Service') return monitor.kind === 'ServiceMonitor' && selectsLabels(selector, object.metadata.labels as Record<string, string>);
        if (object.kind === 'Deployment' || object.kind === 'StatefulSet') return monitor.kind === 'PodMonitor' && selectsLabels(selector, spec(object).template.metadata.labels);
        return false;
      });
      expect([key(monitor), matched.map(key)]).toEqual([key(monitor), []]);
    }
  });
});

test('the selector check can fail: a selector that matches no label is refused', () => {
  expect(selectsLabels({ matchLabels: { 'app.kubernetes.io/name': 'loan-service' } }, { 'app.kubernetes.io/name': 'other' })).toBe(false);
  expect(selectsLabels({ matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: ['controller'] }] }, { 'app.kubernetes.io/component': 'webhook' })).toBe(false);
  expect(() => selectsLabels({ matchExpressions: [{ key: 'a', operator: 'Like' }] }, {})).toThrow('label selector: operator "Like" is not one of In, NotIn, Exists, DoesNotExist');
});
