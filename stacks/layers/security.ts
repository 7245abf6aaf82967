import { VaultCluster } from '../../constructs/vault-cluster';
import { VaultSnapshots } from '../../constructs/vault-snapshots';
import { checkNamespaceBudget } from '../../constructs/namespace-budget';
import { SITE_NAMES } from '../../environments/schema';
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
  /** Raft snapshots into the replicated `vault-snapshots` bucket, and their restore at the other site. */
  readonly snapshots: VaultSnapshots;
}

/**
 * The security layer of a site: Vault (HA Raft, TLS from the site CA, the agent injector),
 * unsealed the way the environment chose, and its Raft snapshots on the environment's
 * schedule into the object store's replicated bucket. Its configuration (auth, policies, the KV mount)
 * is the site's `vault-config` stack, applied once Vault is initialised and unsealed.
 */
export function buildSecurityLayer(stack: SiteStack, { environment, siteName, site }: SiteInputs, base: BaseLayer, traffic: TrafficLayer): SecurityLayer {
  const peers = platformPeers(base, siteName);
  const vault = new VaultCluster(stack, 'vault', {
    cluster: base.cluster,
    registry: site.registry,
    chartRepository: site.chartRepository,
    siteDnsDomain: site.dnsDomain,
    issuers: traffic.certManager.issuers,
    unseal: environment.vault.unseal,
    replicas: environment.vault.replicas,
    apiServer: apiServerPeer(site),
    metrics: peers.metrics,
    storage: { data: { size: environment.vault.volumes.data }, audit: { size: environment.vault.volumes.audit } },
  });
  const snapshots = new VaultSnapshots(stack, 'vault-snapshots', {
    cluster: base.cluster,
    vault,
    registry: site.registry,
    environmentName: environment.name,
    siteRole: site.role,
    otherSiteName: SITE_NAMES.find((name) => name !== siteName)!,
    schedule: environment.vault.snapshotSchedule,
    objectStore: peers.objectStore,
  });
  checkNamespaceBudget(`security layer ${stack.node.id}`, vault.namespace, site.sizing.namespaces.security, [...vault.podBudgets, snapshots.podBudget]);
  return { stack, vault, snapshots };
}
