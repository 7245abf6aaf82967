import { FailoverCapacity } from '../constructs/failover-capacity';
import type { Environment, SiteName } from '../environments/schema';
import type { SiteLayers } from './platform';

/**
 * The cross-site wiring pass of one environment: connects the primary's components with the
 * disaster-recovery site's, each link created in the DR site's stack that depends on it.
 * Every component that spans both sites (log shipping, bucket replication, snapshot
 * restores) is wired here, from the typed outputs of both sites' layers.
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
}
