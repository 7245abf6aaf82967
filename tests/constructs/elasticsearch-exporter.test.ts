import { CronSchedule } from '../../constructs/cron-schedule';
import { ElasticsearchExporter, type ElasticsearchExporterProps } from '../../constructs/elasticsearch-exporter';
import type { KubeObject } from '../../constructs/platform-component';
import { checkPolicies } from '../../policy';
import { selectorMatches } from '../../policy/objects';
import { siteClusterFixture, testScope } from '../support/fixtures';
import { validateCustomResource, validateKubeObject } from '../support/kube-schema';

const REGISTRY = 'registry.lms.co.zm';
const PROMETHEUS = { 'app.kubernetes.io/name': 'prometheus' };
const props = (overrides: Partial<ElasticsearchExporterProps> = {}): ElasticsearchExporterProps => ({
  cluster: siteClusterFixture(),
  registry: REGISTRY,
  metrics: { peer: { namespace: 'lms-observability', podLabels: PROMETHEUS, port: 9090 }, serviceMonitorLabels: { 'lms.co.zm/scrape': 'true' } },
  environmentName: 'production',
  snapshotSchedule: CronSchedule.parse('15 * * * *', 'environments/production.ts: logging.snapshots.schedule'),
  ...overrides,
});
const exporter = (overrides: Partial<ElasticsearchExporterProps> = {}) => new ElasticsearchExporter(testScope('test-lusaka-observability'), 'elasticsearch-exporter', props(overrides));
const WHERE = 'ElasticsearchExporter test-lusaka-observability/elasticsearch-exporter';
const objectOf = (component: ElasticsearchExporter, kind: string) => component.objects.find((object) => object.kind === kind) as any;

describe('ElasticsearchExporter', () => {
  const component = exporter();

  test('runs in the observability namespace: its account, one pod, the metrics Service, the ServiceMonitor and its NetworkPolicy', () => {
    expect(component.objects.map((object: KubeObject) => `${object.kind}/${object.metadata.namespace}/${object.metadata.name}`)).toEqual([
      'ServiceAccount/lms-observability/elasticsearch-exporter',
      'Deployment/lms-observability/elasticsearch-exporter',
      'Service/lms-observability/elasticsearch-exporter',
      'ServiceMonitor/lms-observability/elasticsearch-exporter',
      'NetworkPolicy/lms-observability/elasticsearch-exporter',
    ]);
    for (const object of component.objects) {
      if (object.kind === 'ServiceMonitor') validateCustomResource(object);
      else validateKubeObject(object);
    }
  });

  test('reads health, every node, every index and the snapshots, as ECK\'s elastic user, verifying ECK\'s HTTP CA', () => {
    const pod = objectOf(component, 'Deployment').spec.template.spec;
    const [container] = pod.containers;
    expect(container.image).toBe(`${REGISTRY}/prometheus-community/elasticsearch-exporter:v1.9.0@sha256:bafecc67649ee2670407196eb969f624b6bf0866cd5c63cd0f40a55e541bd7bf`);
    expect(container.args).toEqual([
      '--es.uri=https://logs-es-http.lms-observability.svc:9200',
      '--es.ca=/etc/elasticsearch-exporter/ca/ca.crt',
      '--es.all',
      '--es.indices',
      '--collector.snapshots',
      '--es.timeout=16s',
      '--web.listen-address=:9114',
    ]);
    expect(container.env).toEqual([
      { name: 'ES_USERNAME', value: 'elastic' },
      { name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: 'logs-es-elastic-user', key: 'elastic' } } },
    ]);
    expect(pod.volumes).toEqual([{ name: 'ca', secret: { secretName: 'logs-es-http-certs-public', items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } }]);
    expect(container.volumeMounts).toEqual([{ name: 'ca', mountPath: '/etc/elasticsearch-exporter/ca', readOnly: true }]);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.priorityClassName).toBe('lms-platform');
  });

  test('passes every policy rule: restricted pod, probes, limits, own NetworkPolicy, pinned image from the approved registry', () => {
    const report = checkPolicies(component.objects, { approvedRegistries: [REGISTRY] });
    expect(report.findings).toEqual([]);
    // Judged, not skipped: the Deployment meets each workload rule.
    expect(report.rules.filter((rule) => rule.compliant === 0).map((rule) => rule.id)).toEqual(report.rules.filter((rule) => rule.notApplicable === report.objectCount).map((rule) => rule.id));
  });

  test('is scraped by the site\'s Prometheus every 30 s through the platform\'s scrape labels', () => {
    const monitor = objectOf(component, 'ServiceMonitor');
    expect(monitor.metadata.labels).toEqual({ ...siteClusterFixture().labels, 'lms.co.zm/scrape': 'true' });
    expect(monitor.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s', scrapeTimeout: '25s' }]);
    expect(selectorMatches(monitor.spec.selector, objectOf(component, 'Service').metadata.labels)).toBe(true);
  });

  test('lets Prometheus in on 9114 and reaches only Elasticsearch\'s pods on 9200, and DNS', () => {
    const policy = objectOf(component, 'NetworkPolicy');
    expect(policy.spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lms-observability' } }, podSelector: { matchLabels: PROMETHEUS } }], ports: [{ protocol: 'TCP', port: 9114 }] },
    ]);
    expect(policy.spec.egress[0]).toEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lms-observability' } }, podSelector: { matchLabels: { 'common.k8s.elastic.co/type': 'elasticsearch', 'elasticsearch.k8s.elastic.co/cluster-name': 'logs' } } }],
      ports: [{ protocol: 'TCP', port: 9200 }],
    });
    expect(policy.spec.egress[1].ports.map((port: { port: number }) => port.port)).toEqual([53, 53]);
  });

  test('counts one pod and its rolling-update surge against the namespace quota, and hands its alerts what they read', () => {
    expect(component.podBudget).toEqual({ what: 'the Elasticsearch exporter', pods: 2, perPod: { cpuRequest: '50m', cpuLimit: '250m', memoryRequest: '64Mi', memoryLimit: '128Mi' } });
    expect(component.alertInputs).toEqual({
      job: 'elasticsearch-exporter',
      environmentName: 'production',
      snapshotRepository: 'es-snapshots',
      snapshotSchedule: props().snapshotSchedule,
      filebeat: { namespace: 'lms-node-agents', daemonSet: 'filebeat-beat-filebeat' },
    });
  });

  test('a 60 s interval keeps the scrape timeout at 25 s and Elasticsearch\'s at 16 s; 15 s shortens both', () => {
    expect(objectOf(exporter({ interval: '60s' }), 'ServiceMonitor').spec.endpoints[0]).toEqual({ port: 'metrics', path: '/metrics', interval: '60s', scrapeTimeout: '25s' });
    const fast = exporter({ interval: '15s' });
    expect(objectOf(fast, 'ServiceMonitor').spec.endpoints[0].scrapeTimeout).toBe('10s');
    expect(fast.args).toContain('--es.timeout=6s');
  });

  test.each([
    ['environmentName', { environmentName: 'Production' }, `${WHERE}: environmentName: "Production" is not allowed (allowed: a lower-case environment name, e.g. "production")`],
    ['metrics.peer.namespace', { metrics: { peer: { namespace: 'lms-platform', podLabels: PROMETHEUS, port: 9090 }, serviceMonitorLabels: {} } }, `${WHERE}: metrics.peer.namespace: "lms-platform" is not allowed (allowed: the observability namespace "lms-observability", where the exporter runs)`],
    ['interval', { interval: '5s' as '15s' }, `${WHERE}: interval: "5s" is not allowed (allowed: "15s", "30s" or "60s")`],
    ['resources', { resources: { cpuRequest: '500m', cpuLimit: '250m', memoryRequest: '64Mi', memoryLimit: '128Mi' } }, `${WHERE}: resources.cpuRequest: "500m" is not allowed (allowed: at most resources.cpuLimit, "250m")`],
  ])('refuses a bad %s, naming it', (_prop, overrides, message) => {
    expect(() => exporter(overrides as Partial<ElasticsearchExporterProps>)).toThrow(message);
  });
});
