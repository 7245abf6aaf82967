/**
 * Typed references between components: what one component exposes and another consumes,
 * instead of host names in strings. Each carries the network peer it is reached at, so the
 * consumer's NetworkPolicy is written from the same value as its connection settings.
 */

/** Pods selected by namespace and labels, on one TCP port: one side of a network rule. */
export interface NetworkPeer {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly port: number;
}

/** A SQL Server instance a workload connects to. */
export interface DatabaseEndpoint {
  /** In-cluster DNS name of its Service. */
  readonly host: string;
  readonly port: number;
  /** Its pods, for NetworkPolicies of consumers. */
  readonly peer: NetworkPeer;
}

/** An S3-compatible object store (MinIO) of one site. */
export interface ObjectStoreEndpoint {
  /** `https://` URL of the S3 API. */
  readonly url: string;
  /** Region name the store is configured with. */
  readonly region: string;
  readonly peer: NetworkPeer;
  /**
   * A Secret of this name in each consumer namespace holds, as `ca.crt`, the CA that signs
   * the store's certificate: consumers verify its TLS with it.
   */
  readonly caSecretName: string;
}

/** The Vault cluster of one site. */
export interface VaultEndpoint {
  /** `https://` address of the Vault API. */
  readonly address: string;
  readonly peer: NetworkPeer;
  /**
   * A Secret of this name in every consumer namespace holds, as `ca.crt`, the CA that signs
   * Vault's certificate: the Vault agent mounts it (`vault.hashicorp.com/tls-secret`) and
   * verifies the servers with it.
   */
  readonly caSecretName: string;
}

/** The metrics collector of one site: who scrapes, and how it selects what to scrape. */
export interface MetricsScraper {
  readonly peer: NetworkPeer;
  /** Labels a ServiceMonitor carries for this Prometheus to select it. */
  readonly serviceMonitorLabels: Readonly<Record<string, string>>;
}

/** `vault.lms-security.svc.cluster.local`: the in-cluster DNS name of a Service. */
export function serviceHost(service: string, namespace: string): string {
  return `${service}.${namespace}.svc.cluster.local`;
}

/** The API server as its clients' NetworkPolicies see it: its endpoints after Service translation. */
export interface ApiServerPeer {
  /** Address blocks of the API server's endpoints (the control-plane nodes), e.g. the site's ranges. */
  readonly addressBlocks: readonly string[];
  /** The port the API server listens on at those addresses, e.g. 6443. */
  readonly port: number;
}
