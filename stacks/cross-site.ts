import { BucketReplication } from '../constructs/bucket-replication';
import { checkNamespaceBudget } from '../constructs/namespace-budget';
import { CrossSiteEgress, crossSiteEgressProps } from '../constructs/cross-site-egress';
import { FailoverCapacity } from '../constructs/failover-capacity';
import type { Environment, SiteName } from '../environments/schema';
import { platformPeers } from './layers/platform-peers';
import type { SiteLayers } from './platform';

/**
 * The cross-site wiring pass of one environment: connects the primary's components with the
 * disaster-recovery site's, each link created in the DR site's stack that depends on it.
 * Every component that spans both sites (the network rules between them, and as they
 * arrive log shipping, bucket replication, snapshot restores) is wired here, from the typed
 * outputs of both sites' layers.
 */
export function wireSites(environment: Environment, sites: Readonly<Record<SiteName, SiteLayers>>): void {
  const names = Object.keys(sites) as SiteName[];
  const primaryName = names.find((name) => environment.sites[name].role === 'primary')!;
  const standbyName = names.find((name) => environment.sites[name].role === 'disaster-recovery')!;
  const primary = sites[primaryName];
  const standby = sites[standbyName];

  new FailoverCapacity(standby.apps.stack, 'failover-capacity', {
    primary: primary.apps.loanService,
    standby: standby.apps.loanService,
  });

  // Every bucket with business data replicates from the primary to the disaster-recovery
  // site; the source side lives in the primary's data stack, the heartbeat reader in the DR's.
  const side = (name: SiteName) => {
    const site = sites[name];
    return {
      scope: site.data.stack,
      cluster: site.base.cluster,
      store: site.data.minio,
      buckets: site.data.buckets,
      vault: site.security.vault.endpoint,
      metrics: platformPeers(site.base, name).metrics,
      registry: environment.sites[name].registry,
    };
  };
  const replication = new BucketReplication(primary.data.stack, 'bucket-replication', {
    environmentName: environment.name,
    source: side(primaryName),
    target: side(standbyName),
    approvedDomains: primary.traffic.certManager.issuers.approvedDomains,
    lagBudget: environment.objectStorage.replicationLagBudget,
  });
  // Each site's data namespace must hold MinIO, its jobs and its side of the replication.
  for (const [name, extra] of [
    [primaryName, replication.podBudgets],
    [standbyName, [replication.reader.podBudget]],
  ] as const) {
    const data = sites[name].data;
    checkNamespaceBudget(`data layer ${data.stack.node.id}`, data.minio.namespace, environment.sites[name].sizing.namespaces.data, [data.minio.podBudget, data.buckets.podBudget, data.users.podBudget, ...extra]);
  }

  // What may cross between the sites: the data components reach only the other site's
  // declared endpoints, which admit only the other site's ranges. Each site's rules live in
  // its own traffic stack, so either site applies them with the other gone.
  const crossSite = crossSiteEgressProps(Object.fromEntries(names.map((name) => [name, environment.sites[name].network])) as Record<SiteName, Environment['sites'][SiteName]['network']>);
  for (const name of names) {
    new CrossSiteEgress(sites[name].traffic.stack, 'cross-site-egress', { cluster: sites[name].base.cluster, ...crossSite[name] });
  }
}
