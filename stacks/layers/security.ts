import { VaultCluster } from '../../constructs/vault-cluster';
import type { SiteStack } from '../site-stack';
import type { BaseLayer } from './base';
import { platformPeers } from './platform-peers';
import type { SiteInputs } from './site-inputs';
import { apiServerPeer, type TrafficLayer } from './traffic';

/** What the security layer gives the layers after it. */
export interface SecurityLayer {
  readonly stack: SiteStack;
  /** The site's Vault: every workload's secrets come from it. */
  readonly vault: VaultCluster;
}

/**
 * The security layer of a site: Vault (HA Raft, TLS from the site CA, the agent injector),
 * unsealed the way the environment chose. Its Raft snapshots go to the object store, so
 * the data layer holds them. Its configuration (auth, policies, the KV mount)
 * is the site's `vault-config` stack, applied once Vault is initialised and unsealed.
 */
export function buildSecurityLayer(stack: SiteStack, { environment, siteName, site }: SiteInputs, base: BaseLayer, traffic: TrafficLayer): SecurityLayer {
  const peers = platformPeers(base, siteName);
  const vault = new VaultCluster(stack, 'vault', {
    cluster: base.cluster,
    registry: site.registry,
    chartRepository: site.chartRepository,
    chartVersion: environment.pins.charts.vault,
    siteDnsDomain: site.dnsDomain,
    issuers: traffic.certManager.issuers,
    unseal: environment.vault.unseal,
    replicas: environment.vault.replicas,
    apiServer: apiServerPeer(site),
    metrics: peers.metrics,
    storage: { data: { size: environment.vault.volumes.data }, audit: { size: environment.vault.volumes.audit } },
  });
  return { stack, vault };
}
