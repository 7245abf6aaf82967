import { AlertmanagerConfig } from '../../constructs/alertmanager-config';
import { CronSchedule } from '../../constructs/cron-schedule';
import { ElasticsearchExporter } from '../../constructs/elasticsearch-exporter';
import { MonitoringStack } from '../../constructs/monitoring-stack';
import { checkNamespaceBudget } from '../../constructs/namespace-budget';
import { PEER_SITE_LOSS_SYMPTOMS } from '../../constructs/platform-alerts';
import type { SiteStack } from '../site-stack';
import type { BaseLayer } from './base';
import { platformPeers } from './platform-peers';
import type { SecurityLayer } from './security';
import type { SiteInputs } from './site-inputs';
import { apiServerPeer, type TrafficLayer } from './traffic';

/** What the observability layer holds. */
export interface ObservabilityLayer {
  readonly stack: SiteStack;
  /** Prometheus, Alertmanager, Grafana, kube-state-metrics and node-exporter at the site. */
  readonly monitoring: MonitoringStack;
  /** The log cluster's Prometheus exporter (its alerts are built with the site's rules). */
  readonly elasticsearchExporter: ElasticsearchExporter;
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
 * The observability layer of a site: metrics and alerting (kube-prometheus-stack). The rules
 * and dashboards are built in the cross-site pass, from every component's typed inputs.
 */
export function buildObservabilityLayer(stack: SiteStack, { environment, site }: SiteInputs, base: BaseLayer, traffic: TrafficLayer, security: SecurityLayer): ObservabilityLayer {
  const monitoring = new MonitoringStack(stack, 'monitoring', {
    cluster: base.cluster,
    environmentName: environment.name,
    registry: site.registry,
    chartRepository: site.chartRepository,
    issuers: traffic.certManager.issuers,
    settings: environment.monitoring,
    alerting: platformAlertRouting(),
    vault: security.vault.endpoint,
    apiServer: apiServerPeer(site),
    nodeRanges: site.network.ranges,
  });
  const elasticsearchExporter = new ElasticsearchExporter(stack, 'elasticsearch-exporter', {
    cluster: base.cluster,
    registry: site.registry,
    metrics: platformPeers(base).metrics,
    environmentName: environment.name,
    snapshotSchedule: CronSchedule.parse(environment.logging.snapshots.schedule, `environments/${environment.name}.ts: logging.snapshots.schedule`),
  });
  checkNamespaceBudget(`observability layer ${stack.node.id}`, monitoring.namespace, site.sizing.namespaces.observability, [...monitoring.podBudgets, elasticsearchExporter.podBudget]);
  return { stack, monitoring, elasticsearchExporter };
}
