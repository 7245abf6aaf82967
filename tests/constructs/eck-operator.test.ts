import { Testing } from 'cdktf';
import { DEFAULT_ECK_OPERATOR_RESOURCES, ECK_METRICS_PORT, ECK_WEBHOOK_PORT, eckPodLabels } from '../../constructs/eck-operator';
import { checkNamespaceBudget } from '../../constructs/namespace-budget';
import { SCRAPE_SELECTOR_LABELS } from '../../constructs/monitoring-stack';
import { VERSIONS } from '../../constructs/versions';
import { buildPlatform } from '../../stacks/platform';
import { eckOperatorFixture } from '../support/eck-operator';
import { environmentNamed } from '../support/environments';
import { QUOTA_FIXTURE } from '../support/fixtures';

const REGISTRY = 'registry.lms.co.zm';

describe('EckOperator', () => {
  const operator = eckOperatorFixture();
  const values = operator.values as any;

  test('one release of the pinned chart from the site repository, in the observability namespace, after its certificate and its NetworkPolicy', () => {
    const [release, ...others] = operator.helmReleases;
    expect(others).toEqual([]);
    expect([release!.name, release!.namespace, release!.chart]).toEqual(['eck-operator', 'lms-observability', { repository: 'https://charts.lusaka.lms.co.zm', name: 'eck-operator', version: VERSIONS.charts.eckOperator.version }]);
    expect(release!.after).toEqual(['Certificate/lms-observability/elastic-operator-webhook', 'NetworkPolicy/lms-observability/elastic-operator']);
    expect(operator.objects.map((object) => `${object.kind}/${object.metadata.namespace}/${object.metadata.name}`)).toEqual(release!.after);
  });

  test('the CRDs stay with the base layer; the operator manages the observability namespace and node-agents (Filebeat) only', () => {
    expect(values.installCRDs).toBe(false);
    expect(operator.managedNamespaces).toEqual(['lms-observability', 'lms-node-agents']);
    expect(values.managedNamespaces).toEqual(['lms-observability', 'lms-node-agents']);
    expect(values.webhook.namespaceSelector).toEqual({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['lms-observability', 'lms-node-agents'] }] });
    // The chart refuses a webhook without them.
    expect(values.createClusterScopedResources).toBe(true);
  });

  test('its image from the site registry by digest, and the Elastic images it names from the same registry', () => {
    const image = VERSIONS.images.eckOperator;
    expect(values.image).toEqual({ repository: `${REGISTRY}/eck/eck-operator`, tag: '3.5.0', digest: image.digest, pullPolicy: 'IfNotPresent', fips: false });
    expect(operator.image).toBe(`${REGISTRY}/eck/eck-operator:3.5.0@${image.digest}`);
    expect([values.config.containerRegistry, values.config.ubiOnly]).toEqual([REGISTRY, false]);
    expect(values.config).not.toHaveProperty('containerRepository');
    expect(JSON.stringify(values)).not.toMatch(/docker\.elastic\.co|docker\.io|quay\.io/);
  });

  test("the webhook's certificate comes from the site's internal CA through cert-manager, for the name the API server calls", () => {
    expect(values.webhook).toEqual(
      expect.objectContaining({ enabled: true, manageCerts: false, certManagerCert: 'elastic-operator-webhook', certsSecret: 'elastic-operator-webhook-cert', port: ECK_WEBHOOK_PORT, failurePolicy: 'Ignore' }),
    );
    expect(operator.webhookCertificate).toEqual(
      expect.objectContaining({
        name: 'elastic-operator-webhook',
        namespace: 'lms-observability',
        secretName: 'elastic-operator-webhook-cert',
        dnsNames: ['elastic-operator-webhook.lms-observability.svc', 'elastic-operator-webhook.lms-observability.svc.cluster.local'],
        usages: ['server auth'],
      }),
    );
    expect((operator.objects[0] as any).spec.issuerRef).toEqual({ name: 'lms-test-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' });
  });

  test('no telemetry, no tracing; metrics on their port for a PodMonitor the site\'s Prometheus selects', () => {
    expect([values.telemetry, values.tracing]).toEqual([{ disabled: true }, { enabled: false }]);
    expect(values.config.metrics).toEqual({ port: String(ECK_METRICS_PORT), secureMode: { enabled: false } });
    expect(values.podMonitor).toEqual({ enabled: true, labels: SCRAPE_SELECTOR_LABELS, interval: null, scrapeTimeout: null });
    expect(values.serviceMonitor).toEqual({ enabled: false });
  });

  test('a restricted pod: non-root user 1001, RuntimeDefault seccomp, no privilege escalation, no capabilities, read-only root; requests and limits; the platform priority', () => {
    expect(values.podSecurityContext).toEqual({ runAsNonRoot: true, runAsUser: 1001, runAsGroup: 1001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(values.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(values.resources).toEqual({ requests: { cpu: '100m', memory: '150Mi' }, limits: { cpu: '1', memory: '1Gi' } });
    expect(values.priorityClassName).toBe('lms-platform');
    expect(values.podLabels).toEqual({ 'app.kubernetes.io/part-of': 'lms-platform', 'lms.co.zm/environment': 'test', 'lms.co.zm/site': 'lusaka' });
  });

  test('its NetworkPolicy: the API server calls the webhook, Prometheus scrapes; out to the API server and the HTTP APIs of Elasticsearch, Kibana and Logstash', () => {
    const policy = operator.objects.find((object) => object.kind === 'NetworkPolicy') as any;
    expect(policy.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'elastic-operator', 'app.kubernetes.io/instance': 'eck-operator' } });
    expect(policy.spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '10.10.0.0/24' } }], ports: [{ protocol: 'TCP', port: ECK_WEBHOOK_PORT }] },
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lms-observability' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
        ports: [{ protocol: 'TCP', port: ECK_METRICS_PORT }],
      },
    ]);
    const observability = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lms-observability' } } };
    expect(policy.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.10.0.0/24' } }], ports: [{ protocol: 'TCP', port: 6443 }] },
      { to: [{ ...observability, podSelector: { matchLabels: { 'common.k8s.elastic.co/type': 'elasticsearch', 'elasticsearch.k8s.elastic.co/cluster-name': 'logs' } } }], ports: [{ protocol: 'TCP', port: 9200 }] },
      { to: [{ ...observability, podSelector: { matchLabels: { 'common.k8s.elastic.co/type': 'kibana', 'kibana.k8s.elastic.co/name': 'logs' } } }], ports: [{ protocol: 'TCP', port: 5601 }] },
      { to: [{ ...observability, podSelector: { matchLabels: { 'common.k8s.elastic.co/type': 'logstash', 'logstash.k8s.elastic.co/name': 'logs' } } }], ports: [{ protocol: 'TCP', port: 9600 }] },
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
    ]);
    expect(operator.peer).toEqual({ namespace: 'lms-observability', podLabels: { 'app.kubernetes.io/name': 'elastic-operator', 'app.kubernetes.io/instance': 'eck-operator' } });
  });

  test("the labels ECK gives each kind's pods", () => {
    expect(['elasticsearch', 'kibana', 'logstash', 'beat'].map((kind) => eckPodLabels(kind as never, 'logs'))).toEqual([
      { 'common.k8s.elastic.co/type': 'elasticsearch', 'elasticsearch.k8s.elastic.co/cluster-name': 'logs' },
      { 'common.k8s.elastic.co/type': 'kibana', 'kibana.k8s.elastic.co/name': 'logs' },
      { 'common.k8s.elastic.co/type': 'logstash', 'logstash.k8s.elastic.co/name': 'logs' },
      { 'common.k8s.elastic.co/type': 'beat', 'beat.k8s.elastic.co/name': 'logs' },
    ]);
  });

  test('what the quota must hold: one operator pod (a StatefulSet of one replaces its pod, never surges), with the given resources', () => {
    expect(operator.podBudget).toEqual({ what: 'the ECK operator', pods: 1, perPod: DEFAULT_ECK_OPERATOR_RESOURCES });
    const sized = eckOperatorFixture({ resources: { cpuRequest: '200m', memoryRequest: '256Mi', cpuLimit: '500m', memoryLimit: '512Mi' } });
    expect([sized.podBudget.perPod, (sized.values as any).resources]).toEqual([
      { cpuRequest: '200m', memoryRequest: '256Mi', cpuLimit: '500m', memoryLimit: '512Mi' },
      { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
    ]);
    expect(() => checkNamespaceBudget('observability layer test', 'lms-observability', { ...QUOTA_FIXTURE, limitsMemory: '512Mi' }, [operator.podBudget])).toThrow(
      'observability layer test: namespace lms-observability quota limitsMemory: "512Mi" is below the 1024Mi of memory limits of its pods (the ECK operator 1 x 1024Mi) (allowed: at least 1024Mi, or the quota refuses pods and they never start)',
    );
  });

  test('the chart has no probe settings: the release records why its StatefulSet goes without', () => {
    expect(operator.helmReleases[0]!.policySuppressions?.map((suppression) => `${suppression.ruleId} ${suppression.object}`)).toEqual(['LMS-K8S-009 StatefulSet/lms-observability/elastic-operator']);
  });

  test.each([
    [{ chartRepository: 'http://charts.lusaka.lms.co.zm' }, 'EckOperator test-lusaka-observability/eck-operator: chartRepository: "http://charts.lusaka.lms.co.zm" is not allowed (allowed: an https:// URL of the site\'s in-country chart repository)'],
    [
      { registry: 'https://registry.lms.co.zm' },
      'EckOperator test-lusaka-observability/eck-operator: registry: "https://registry.lms.co.zm" is not allowed (allowed: a registry host name, with a port if it needs one, e.g. "registry.lms.co.zm": the operator puts the Elastic images\' paths after it)',
    ],
    [
      { registry: 'registry.lms.co.zm/mirror' },
      'EckOperator test-lusaka-observability/eck-operator: registry: "registry.lms.co.zm/mirror" is not allowed (allowed: a registry host name, with a port if it needs one, e.g. "registry.lms.co.zm": the operator puts the Elastic images\' paths after it)',
    ],
    [
      { apiServer: { addressBlocks: [], port: 6443 } },
      "EckOperator test-lusaka-observability/eck-operator: apiServer.addressBlocks: [] is not allowed (allowed: at least one address block of the API server's endpoints (the operator's NetworkPolicy lets it in and out there))",
    ],
    [
      { resources: { cpuRequest: '2', memoryRequest: '150Mi', cpuLimit: '1', memoryLimit: '1Gi' } },
      'EckOperator test-lusaka-observability/eck-operator: resources.cpuRequest: "2" is above cpuLimit "1" (allowed: a request no larger than its limit)',
    ],
  ] as const)('refuses %j', (overrides, message) => {
    expect(() => eckOperatorFixture(overrides as never)).toThrow(message);
  });
});

describe("the platform's EckOperator at each site", () => {
  test('every site runs it in its observability layer, scraped by the Prometheus of that layer', () => {
    const sites = buildPlatform(Testing.app(), [environmentNamed('dev')]);
    for (const [name, site] of sites) {
      expect({ name, namespace: site.observability.eckOperator.namespace, managed: site.observability.eckOperator.managedNamespaces }).toEqual({ name, namespace: 'lms-observability', managed: ['lms-observability', 'lms-node-agents'] });
      const values = site.observability.eckOperator.values as any;
      expect(values.podMonitor.labels).toEqual(site.observability.monitoring.scraper.serviceMonitorLabels);
    }
    expect([...sites.keys()]).toEqual(['dev-lusaka', 'dev-kitwe']);
  });

  test('an observability namespace one pod short of the logs and metrics fails the synth, naming the ECK operator among its pods', () => {
    const dev = environmentNamed('dev');
    const lusaka = dev.sites.lusaka;
    // 18 pods hold the metrics and the logs, the ECK operator among them.
    const pods = 17;
    const namespaces = { ...lusaka.sizing.namespaces, observability: { ...lusaka.sizing.namespaces.observability, pods } };
    const narrowed = { ...dev, sites: { ...dev.sites, lusaka: { ...lusaka, sizing: { ...lusaka.sizing, namespaces } } } };
    expect(() => buildPlatform(Testing.app(), [narrowed])).toThrow(
      'observability layer dev-lusaka-observability: namespace lms-observability quota pods: 17 is below its 18 pods (Prometheus servers 1, Alertmanagers 1, Grafana 2, the Prometheus operator 2, kube-state-metrics 2, the ECK operator 1, the Elasticsearch setup job 2, the Elasticsearch exporter 2, Elasticsearch masters 1, Elasticsearch data 1, Kibana 2, Logstash 1) (allowed: at least 18, or the quota refuses pods and they never start)',
    );
  });
});
