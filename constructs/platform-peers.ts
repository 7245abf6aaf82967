import type { NamespaceRole } from './namespaces';

/**
 * How platform components are found on the network: the namespace role they run in, the
 * pod labels they carry and the port they serve. NetworkPolicies of other components are
 * written against these, so the constructs that deploy each component label their pods
 * exactly so.
 */
export const PLATFORM_PEERS = {
  ingressController: { namespaceRole: 'platform', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' }, port: 8080 },
  prometheus: { namespaceRole: 'observability', podLabels: { 'app.kubernetes.io/name': 'prometheus' }, port: 9090 },
  sqlServer: { namespaceRole: 'data', podLabels: { 'app.kubernetes.io/name': 'sql-server' }, port: 1433 },
  minio: { namespaceRole: 'data', podLabels: { 'app.kubernetes.io/name': 'minio' }, port: 9000 },
  vault: { namespaceRole: 'security', podLabels: { 'app.kubernetes.io/name': 'vault' }, port: 8200 },
} as const satisfies Record<string, { namespaceRole: NamespaceRole; podLabels: Record<string, string>; port: number }>;

export type PlatformPeer = keyof typeof PLATFORM_PEERS;

/** The in-cluster DNS name of a peer's Service: `vault.lms-security.svc.cluster.local`. */
export function peerServiceHost(service: string, namespace: string): string {
  return `${service}.${namespace}.svc.cluster.local`;
}

/**
 * Labels a ServiceMonitor carries for the platform's Prometheus to select it
 * (`serviceMonitorSelector`); every workload's ServiceMonitor uses them.
 */
export const SCRAPE_LABELS: Readonly<Record<string, string>> = { 'lms.co.zm/scrape': 'true' };
