import { Testing } from 'cdktf';
import { AlertmanagerConfig } from '../../constructs/alertmanager-config';
import { DEFAULT_MONITORING_RESOURCES, SCRAPE_SELECTOR_LABELS } from '../../constructs/monitoring-stack';
import { VAULT_AGENT_RESOURCES } from '../../constructs/vault-values';
import { platformPeers } from '../../stacks/layers/platform-peers';
import { buildPlatform } from '../../stacks/platform';
import { ENVIRONMENTS } from '../support/environments';
import { monitoringStackFixture, monitoringStackFixtureProps } from '../support/monitoring';

describe('MonitoringStack', () => {
  const monitoring = monitoringStackFixture();

  test('one release of the pinned chart from the site repository, after its NetworkPolicies', () => {
    const [release] = monitoring.helmReleases;
    expect([release!.name, release!.namespace, release!.chart]).toEqual(['monitoring', 'lms-observability', { repository: 'https://charts.lusaka.lms.co.zm', name: 'kube-prometheus-stack', version: '88.5.3' }]);
    expect(release!.after).toEqual(monitoring.objects.map((object) => `NetworkPolicy/${object.metadata.namespace}/${object.metadata.name}`));
  });

  test('what the quota must hold: every container of every pod, the Vault agents, the rollout surges and the volumes', () => {
    expect(monitoring.podBudgets).toEqual([
      { what: 'Prometheus servers', pods: 2, perPod: { cpuRequest: '510m', memoryRequest: '2080Mi', cpuLimit: '2100m', memoryLimit: '4160Mi' }, volumes: { claims: 1, storage: '100Gi' } },
      { what: 'Alertmanagers', pods: 3, perPod: expect.objectContaining({ cpuRequest: `${60 + Number.parseInt(VAULT_AGENT_RESOURCES.cpuRequest, 10)}m` }), volumes: { claims: 1, storage: '2Gi' } },
      { what: 'Grafana', pods: 3, perPod: expect.any(Object) },
      { what: 'the Prometheus operator', pods: 2, perPod: DEFAULT_MONITORING_RESOURCES.operator },
      { what: 'kube-state-metrics', pods: 2, perPod: DEFAULT_MONITORING_RESOURCES.kubeStateMetrics },
    ]);
  });

  test('Grafana and Alertmanager each read their own Vault secret through a role bound to the service account the chart runs them as', () => {
    expect(monitoring.vaultConsumers.map((consumer) => [consumer.role, consumer.namespace, consumer.serviceAccount, consumer.secrets.map(String)])).toEqual([
      ['grafana', 'lms-observability', 'monitoring-grafana', ['kv/test/grafana-admin']],
      ['alertmanager', 'lms-observability', 'monitoring-alertmanager', ['kv/test/alert-receivers']],
    ]);
  });

  test.each([
    [{ chartRepository: 'http://charts.lusaka.lms.co.zm' }, 'MonitoringStack test-lusaka-observability/monitoring: chartRepository: "http://charts.lusaka.lms.co.zm" is not allowed (allowed: an https:// URL of the site\'s in-country chart repository)'],
    [{ scrapeInterval: '5m' }, 'MonitoringStack test-lusaka-observability/monitoring: scrapeInterval: "5m" is not allowed (allowed: whole seconds from "1s" to "120s", e.g. "30s" (the alerts\' rate windows need several samples))'],
    [{ resources: { prometheus: DEFAULT_MONITORING_RESOURCES.operator } }, 'MonitoringStack test-lusaka-observability/monitoring: resources: "prometheus" is not allowed (allowed: containers operator, configReloader, alertmanager, grafana, grafanaSidecar, kubeStateMetrics, nodeExporter (Prometheus\'s come from the environment))'],
    [{ resources: { grafana: { cpuRequest: '2', memoryRequest: '128Mi', cpuLimit: '1', memoryLimit: '512Mi' } } }, 'MonitoringStack test-lusaka-observability/monitoring: resources.grafana.cpuRequest: "2" is above cpuLimit "1" (allowed: a request no larger than its limit)'],
  ] as const)('refuses %j', (overrides, message) => {
    expect(() => monitoringStackFixture(overrides as never)).toThrow(message);
  });

  test('refuses an Alertmanager configuration whose receivers read their URLs anywhere but where the Vault agent writes them', () => {
    const alerting = AlertmanagerConfig.define({ siteDownSymptoms: ['ObjectStoreHeartbeatMissing'] });
    const elsewhere = Object.create(alerting, { secretFiles: { value: ['/etc/alertmanager/secrets/on-call-pager-url'] } }) as AlertmanagerConfig;
    expect(() => monitoringStackFixture({ alerting: elsewhere })).toThrow(
      'MonitoringStack test-lusaka-observability/monitoring: alerting: "/etc/alertmanager/secrets/on-call-pager-url" is not allowed (allowed: receiver URL files in /vault/secrets/, where the Vault agent writes them)',
    );
    expect(monitoringStackFixtureProps().alerting.secretFiles).toEqual(['/vault/secrets/on-call-pager-url', '/vault/secrets/tickets-url']);
  });
});

describe('the platform\'s MonitoringStack at each site', () => {
  const sites = buildPlatform(Testing.app(), ENVIRONMENTS);

  test.each([...sites.keys()])('%s: the scraper the earlier layers were given is the one the stack runs', (name) => {
    const site = sites.get(name)!;
    expect(platformPeers(site.base).metrics).toEqual(site.observability.monitoring.scraper);
    expect(site.observability.monitoring.scraper.serviceMonitorLabels).toEqual(SCRAPE_SELECTOR_LABELS);
  });
});
