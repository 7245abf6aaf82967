import { BucketReplication } from '../constructs/bucket-replication';
import { checkNamespaceBudget } from '../constructs/namespace-budget';
import { CrossSiteEgress, crossSiteEgressProps } from '../constructs/cross-site-egress';
import { FailoverCapacity } from '../constructs/failover-capacity';
import { memoryMiB } from '../constructs/quantities';
import { SiteProbe } from '../constructs/site-probe';
import { SqlServerLogShipping } from '../constructs/sql-server-log-shipping';
import { buildMonitoringRules } from './monitoring-rules';
import { buildPlatformDashboards } from '../constructs/platform-dashboards';
import { failoverMinutesUntilServed, runbookStepsOf } from './runbook';
import type { Environment, SiteName } from '../environments/schema';
import { platformPeers } from './layers/platform-peers';
import { LAYERS } from './layers/order';
import type { SiteLayers } from './platform';

/** The name of each site's probe of the other site (in its observability stack). */
export const SITE_PROBE_ID = 'site-probe';

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
  // SQL Server log shipping through the replicated sql-backups bucket. Its recovery time adds
  // the database's restore to every other step of the failover, so it is built after them.
  const sqlSite = (name: SiteName) => ({
    scope: sites[name].data.stack,
    server: sites[name].data.sqlServer,
    buckets: sites[name].data.buckets,
    objectStoreCredentials: sites[name].data.sqlServerUser.credentials,
    metrics: platformPeers(sites[name].base, name).metrics,
  });
  const settings = environment.sqlServer;
  const otherSteps = runbookStepsOf(names.flatMap((name) => LAYERS.map((layer) => sites[name][layer].stack)));
  const logShipping = new SqlServerLogShipping(primary.data.stack, 'sql-server-log-shipping', {
    environmentName: environment.name,
    primary: sqlSite(primaryName),
    standby: sqlSite(standbyName),
    replication,
    logBackupInterval: environment.objectives.logBackupInterval,
    recoveryPointObjective: environment.objectives.recoveryPoint,
    recoveryTimeObjective: environment.objectives.recoveryTime,
    sizing: {
      databaseMiB: memoryMiB(settings.databaseSize, `environments/${environment.name}.ts: sqlServer.databaseSize`),
      logMiBPerHour: memoryMiB(settings.logPerHour, `environments/${environment.name}.ts: sqlServer.logPerHour`),
      restoreMiBPerSecond: settings.restoreMiBPerSecond,
      differentialBackupInterval: settings.differentialBackupInterval,
      restoreInterval: settings.restoreInterval,
      standbyMode: settings.standbyMode,
    },
    otherFailoverMinutes: failoverMinutesUntilServed(environment, otherSteps),
  });

  // Each site's data namespace must hold MinIO, SQL Server, their jobs and its side of the replication.
  for (const [name, extra] of [
    [primaryName, [...replication.podBudgets, logShipping.primaryJobs.podBudget]],
    [standbyName, [replication.reader.podBudget, logShipping.standbyJobs.podBudget]],
  ] as const) {
    const data = sites[name].data;
    checkNamespaceBudget(`data layer ${data.stack.node.id}`, data.minio.namespace, environment.sites[name].sizing.namespaces.data, [data.minio.podBudget, data.buckets.podBudget, data.users.podBudget, data.sqlServer.podBudget, ...extra]);
  }

  // Each site probes the other through the other's object-storage endpoint, in its own observability
  // stack beside its rules, so the surviving site pages (SiteDown) when the other is lost.
  const other = (name: SiteName) => names.find((candidate) => candidate !== name)!;
  const siteProbes = new Map(
    names.map((name) => [
      name,
      new SiteProbe(sites[name].observability.stack, SITE_PROBE_ID, {
        cluster: sites[name].base.cluster,
        environmentName: environment.name,
        siteDnsDomain: environment.sites[name].dnsDomain,
        issuers: sites[name].traffic.certManager.issuers,
        metrics: platformPeers(sites[name].base, name).metrics,
        remoteStore: sites[other(name)].data.minio,
        remoteEndpoints: environment.sites[other(name)].network.crossSiteEndpoints,
      }),
    ]),
  );

  // Each site's alert and recording rules, for its role, from the components' typed alert inputs.
  for (const name of names) buildMonitoringRules(environment, name, sites[name], { replication, logShipping, siteProbe: siteProbes.get(name)! });
  // Each site's dashboards, in its observability stack: every site gets all of them, since the
  // roles swap after a failover (a panel of the other role shows no data).
  for (const name of names) {
    const site = sites[name];
    buildPlatformDashboards(site.observability.stack, {
      cluster: site.base.cluster,
      replication: replication.alertInputs,
      sqlServer: logShipping.alertInputs,
      vaultSnapshots: site.data.vaultSnapshots,
      loanService: { namespace: site.apps.loanService.namespace, objectivePercent: environment.objectives.availabilityPercent },
      elasticsearch: site.observability.elasticsearchExporter.alertInputs,
    });
  }

  // What may cross between the sites: the data components reach only the other site's
  // declared endpoints, which admit only the other site's ranges. Each site's rules live in
  // its own traffic stack, so either site applies them with the other gone.
  const crossSite = crossSiteEgressProps(Object.fromEntries(names.map((name) => [name, environment.sites[name].network])) as Record<SiteName, Environment['sites'][SiteName]['network']>);
  for (const name of names) {
    new CrossSiteEgress(sites[name].traffic.stack, 'cross-site-egress', { cluster: sites[name].base.cluster, ...crossSite[name] });
  }
}
