import { PROMETHEUS_PORT, SCRAPE_SELECTOR_LABELS } from '../../constructs/monitoring-stack';
import type { MetricsScraper, NetworkPeer } from '../../constructs/service-references';
import type { BaseLayer } from './base';

/**
 * The site's Prometheus as the layers built before the observability layer see it: its pods
 * and port, and the labels it selects scrape targets by, from the MonitoringStack's own
 * constants (a platform test checks it equals `MonitoringStack.scraper`).
 */
export function platformPeers(base: BaseLayer, _siteName?: string) {
  const namespaces = base.cluster.namespaces;
  const peer = (namespace: string, name: string, port: number): NetworkPeer => ({ namespace, podLabels: { 'app.kubernetes.io/name': name }, port });
  const metrics: MetricsScraper = { peer: peer(namespaces.observability, 'prometheus', PROMETHEUS_PORT), serviceMonitorLabels: SCRAPE_SELECTOR_LABELS };
  return { metrics };
}
