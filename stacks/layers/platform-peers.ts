import { serviceHost, type DatabaseEndpoint, type MetricsScraper, type NetworkPeer } from '../../constructs/service-references';
import type { BaseLayer } from './base';

/**
 * Where the site's shared services answer. The data, security, observability and traffic
 * layers will expose these as typed outputs of their components (SqlServer,
 * MonitoringStack); until each arrives, its in-cluster
 * Service name, pod labels and port are stated here, once, for every consumer.
 */
export function platformPeers(base: BaseLayer, _siteName?: string) {
  const namespaces = base.cluster.namespaces;
  const peer = (namespace: string, name: string, port: number): NetworkPeer => ({ namespace, podLabels: { 'app.kubernetes.io/name': name }, port });
  const sqlServer: DatabaseEndpoint = { host: serviceHost('sql-server', namespaces.data), port: 1433, peer: peer(namespaces.data, 'sql-server', 1433) };
  const metrics: MetricsScraper = { peer: peer(namespaces.observability, 'prometheus', 9090), serviceMonitorLabels: { 'lms.co.zm/scrape': 'true' } };
  return { sqlServer, metrics };
}
