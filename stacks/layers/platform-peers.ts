import type { MetricsScraper, NetworkPeer } from '../../constructs/service-references';
import type { BaseLayer } from './base';

/**
 * Where the site's shared services answer that no layer builds yet: the observability layer
 * will expose its scraper as a typed output of its MonitoringStack; until then its pod labels
 * and port are stated here, once, for every consumer.
 */
export function platformPeers(base: BaseLayer, _siteName?: string) {
  const namespaces = base.cluster.namespaces;
  const peer = (namespace: string, name: string, port: number): NetworkPeer => ({ namespace, podLabels: { 'app.kubernetes.io/name': name }, port });
  const metrics: MetricsScraper = { peer: peer(namespaces.observability, 'prometheus', 9090), serviceMonitorLabels: { 'lms.co.zm/scrape': 'true' } };
  return { metrics };
}
