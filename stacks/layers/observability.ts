import { AlertmanagerConfig } from '../../constructs/alertmanager-config';
import { EckOperator } from '../../constructs/eck-operator';
import { ElasticsearchSetup } from '../../constructs/elasticsearch-setup';
import { CronSchedule } from '../../constructs/cron-schedule';
import { ELASTICSEARCH_EXPORTER_NAME, ElasticsearchExporter } from '../../constructs/elasticsearch-exporter';
import { filebeatConfig, logstashPipelines } from '../../constructs/log-pipelines';
import { LOGSTASH_BEATS_SERVICE, LoggingStack } from '../../constructs/logging-stack';
import { LOGGING_NAMES } from '../../constructs/logging-names';
import { MonitoringStack } from '../../constructs/monitoring-stack';
import { checkNamespaceBudget } from '../../constructs/namespace-budget';
import { PEER_SITE_LOSS_SYMPTOMS } from '../../constructs/platform-alerts';
import type { SiteStack } from '../site-stack';
import { SITE_NAMES } from '../../environments/schema';
import type { BaseLayer } from './base';
import type { DataLayer } from './data';
import { platformPeers } from './platform-peers';
import type { SecurityLayer } from './security';
import type { SiteInputs } from './site-inputs';
import { apiServerPeer, type TrafficLayer } from './traffic';

/** What the observability layer holds. */
export interface ObservabilityLayer {
  readonly stack: SiteStack;
  /** Prometheus, Alertmanager, Grafana, kube-state-metrics and node-exporter at the site. */
  readonly monitoring: MonitoringStack;
  /** The ECK operator, which runs the logging stack's Elasticsearch, Kibana, Logstash and Filebeat. */
  readonly eckOperator: EckOperator;
  /** Applies the log classes' lifecycle policies and templates, the snapshot repositories and schedule. */
  readonly elasticsearchSetup: ElasticsearchSetup;
  /** The log cluster's Prometheus exporter (its alerts are built with the site's rules). */
  readonly elasticsearchExporter: ElasticsearchExporter;
  /** Elasticsearch, Kibana, Logstash and Filebeat at the site, run by the ECK operator. */
  readonly logging: LoggingStack;
}

/**
 * How the platform's alerts reach people, the same at every site: pages to the on-call pager,
 * tickets to the queue, and while a site's probe of the other fails (`SiteDown`) the alerts the
 * other site's loss sets off there held back.
 */
export function platformAlertRouting(): AlertmanagerConfig {
  return AlertmanagerConfig.define({ siteDownSymptoms: PEER_SITE_LOSS_SYMPTOMS });
}

/**
 * The observability layer of a site: metrics and alerting (kube-prometheus-stack) and the ECK
 * operator that runs the centralised logs. The rules and dashboards are built in the
 * cross-site pass, from every component's typed inputs.
 */
export function buildObservabilityLayer(stack: SiteStack, { environment, siteName, site }: SiteInputs, base: BaseLayer, traffic: TrafficLayer, security: SecurityLayer, data: DataLayer): ObservabilityLayer {
  const monitoring = new MonitoringStack(stack, 'monitoring', {
    cluster: base.cluster,
    environmentName: environment.name,
    registry: site.registry,
    chartRepository: site.chartRepository,
    chartVersion: environment.pins.charts.kubePrometheusStack,
    issuers: traffic.certManager.issuers,
    settings: environment.monitoring,
    alerting: platformAlertRouting(),
    vault: security.vault.endpoint,
    apiServer: apiServerPeer(site),
    nodeRanges: site.network.ranges,
  });
  const eckOperator = new EckOperator(stack, 'eck-operator', {
    cluster: base.cluster,
    registry: site.registry,
    chartRepository: site.chartRepository,
    chartVersion: environment.pins.charts.eckOperator,
    issuers: traffic.certManager.issuers,
    apiServer: apiServerPeer(site),
    metrics: monitoring.scraper,
  });
  const elasticsearchSetup = new ElasticsearchSetup(stack, 'elasticsearch-setup', {
    cluster: base.cluster,
    registry: site.registry,
    environmentName: environment.name,
    otherSiteName: SITE_NAMES.find((name) => name !== siteName)!,
    settings: environment.logging,
    vault: security.vault.endpoint,
    objectStore: data.minio.endpoint,
    snapshotUser: data.elasticsearchSnapshotUser,
    apiServer: apiServerPeer(site),
  });
  const elasticsearchExporter = new ElasticsearchExporter(stack, 'elasticsearch-exporter', {
    cluster: base.cluster,
    registry: site.registry,
    metrics: platformPeers(base).metrics,
    environmentName: environment.name,
    snapshotSchedule: CronSchedule.parse(environment.logging.snapshots.schedule, `environments/${environment.name}.ts: logging.snapshots.schedule`),
  });
  const otherSiteName = SITE_NAMES.find((name) => name !== siteName)!;
  const logging = new LoggingStack(stack, 'logging', {
    cluster: base.cluster,
    environmentName: environment.name,
    registry: site.registry,
    issuers: traffic.certManager.issuers,
    settings: environment.logging,
    storageClassName: site.storageClasses.standard,
    siteRole: site.role,
    otherSiteName,
    objectStore: data.minio.endpoint,
    apiServer: apiServerPeer(site),
    pipelines: logstashPipelines({ environmentName: environment.name, siteName }),
    filebeatConfig: filebeatConfig({ logstashHost: `${LOGGING_NAMES.logstash}-ls-${LOGSTASH_BEATS_SERVICE}.${base.cluster.namespaces.observability}.svc` }),
    snapshotClientSettings: elasticsearchSetup.snapshotClientSettings,
    secureSettingsSecrets: [elasticsearchSetup.secureSettingsSecret],
    elasticsearchClients: [
      { namespace: elasticsearchSetup.namespace, podLabels: elasticsearchSetup.podLabels },
      { namespace: elasticsearchExporter.namespace, podLabels: { 'app.kubernetes.io/name': ELASTICSEARCH_EXPORTER_NAME } },
    ],
    operator: eckOperator.peer,
  });
  // The resources meet a running operator and webhook; the setup Job starts once Elasticsearch is
  // declared (it waits for the cluster's health, and ECK picks up the keys Secret it fills).
  logging.applyAfter(eckOperator);
  elasticsearchSetup.applyAfter(logging);
  checkNamespaceBudget(`observability layer ${stack.node.id}`, monitoring.namespace, site.sizing.namespaces.observability, [
    ...monitoring.podBudgets,
    eckOperator.podBudget,
    elasticsearchSetup.podBudget,
    elasticsearchExporter.podBudget,
    ...logging.podBudgets,
  ]);
  return { stack, monitoring, eckOperator, elasticsearchSetup, elasticsearchExporter, logging };
}
