import { z } from 'zod';
import type { Pins } from './pins';
import { RUN_ALWAYS, dnsLabel, inDomain, parsedFields, strict } from './common';
import { OPERATIONS_PLAN, objectives } from './objectives';
import { cidrBlock, overlaps, poolBlocks } from './network';
import { SITE_NAMES, site, type SiteName } from './site';
import { traffic } from './traffic';
import { vault } from './vault';
import { objectStorage } from './object-storage';
import { sqlServer } from './sql-server';
import { monitoring } from './monitoring';
import { logging } from './logging';
import { identityProvider } from './identity-provider';
import { worstCaseDataLoss } from '../../constructs/recovery-objectives';
import { erasureLayout } from '../../constructs/erasure-coding';
import { poolsFor } from './capacity';

/**
 * One environment file's default export, with the rules that span its sites or depend on
 * its tier. Rules within one site or one object sit on that object's schema.
 */
export const EnvironmentSchema = strict({
  /** Must equal the file name: `environments/<name>.ts`. */
  name: dnsLabel,
  tier: z.enum(['development', 'staging', 'production']),
  objectives,
  /** Public host name, certificates, operations network and DNS failover. */
  traffic,
  /** How Vault is unsealed, how many servers each site runs, when snapshots are taken. */
  vault,
  /** MinIO at both sites: server pools, parity, resources and the replication lag budget. */
  objectStorage,
  /** SQL Server at both sites and the log shipping between them. */
  sqlServer,
  /** Prometheus, Alertmanager and Grafana at both sites. */
  monitoring,
  /** Elasticsearch, Kibana, Logstash and Filebeat at both sites: node sets, retention per log class, snapshots. */
  logging,
  /** Who issues the bearer tokens the loan-service accepts: issuer, audience, published keys. */
  identityProvider,
  sites: strict(Object.fromEntries(SITE_NAMES.map((name) => [name, site])) as Record<SiteName, typeof site>),
}, {
  state: `a state backend for the whole environment is no longer accepted (allowed: one per site, as ${SITE_NAMES.map((name) => `sites.${name}.state`).join(' and ')}, so either site can be planned and applied with the other gone)`,
}).superRefine((env, ctx) => {
  const parsed = parsedFields(ctx);
  if (parsed(...SITE_NAMES.map((name) => ['sites', name, 'role']))) {
    const primaries = SITE_NAMES.filter((name) => env.sites[name].role === 'primary');
    if (primaries.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['sites'],
        message: `${primaries.length} primary sites (${primaries.join(', ') || 'none'}) (allowed: exactly one site with role "primary", the other "disaster-recovery")`,
      });
    }
  }
  if (parsed(['tier']) && env.tier === 'production') {
    const plan = OPERATIONS_PLAN;
    if (parsed(['objectives', 'recoveryPoint']) && env.objectives.recoveryPoint.isLongerThan(plan.recoveryPoint)) {
      ctx.addIssue({ code: 'custom', path: ['objectives', 'recoveryPoint'], message: `"${env.objectives.recoveryPoint}" is weaker than the operations plan (allowed in production: at most "${plan.recoveryPoint}")` });
    }
    if (parsed(['objectives', 'recoveryTime']) && env.objectives.recoveryTime.isLongerThan(plan.recoveryTime)) {
      ctx.addIssue({ code: 'custom', path: ['objectives', 'recoveryTime'], message: `"${env.objectives.recoveryTime}" is weaker than the operations plan (allowed in production: at most "${plan.recoveryTime}")` });
    }
    if (parsed(['objectives', 'availabilityPercent']) && env.objectives.availabilityPercent < plan.availabilityPercent) {
      ctx.addIssue({ code: 'custom', path: ['objectives', 'availabilityPercent'], message: `${env.objectives.availabilityPercent} is weaker than the operations plan (allowed in production: at least ${plan.availabilityPercent})` });
    }
    for (const siteName of SITE_NAMES) {
      const replicasPath = ['sites', siteName, 'workloads', 'loanService', 'replicas'];
      const replicas = parsed(replicasPath) ? env.sites[siteName].workloads.loanService.replicas : undefined;
      if (replicas !== undefined && replicas < 2) {
        ctx.addIssue({ code: 'custom', path: replicasPath, message: `${replicas} leaves no replica during a node failure or rollout (allowed in production: at least 2)` });
      }
    }
    if (parsed(['monitoring', 'prometheus', 'replicas']) && env.monitoring.prometheus.replicas < 2) {
      ctx.addIssue({ code: 'custom', path: ['monitoring', 'prometheus', 'replicas'], message: `${env.monitoring.prometheus.replicas} stops alerting while its one Prometheus restarts (allowed in production: 2 or 3)` });
    }
    if (parsed(['monitoring', 'alertmanager', 'replicas']) && env.monitoring.alertmanager.replicas < 2) {
      ctx.addIssue({ code: 'custom', path: ['monitoring', 'alertmanager', 'replicas'], message: `${env.monitoring.alertmanager.replicas} loses every page while its one Alertmanager restarts (allowed in production: 2 or 3, clustered)` });
    }
    if (parsed(['logging', 'elasticsearch', 'masters', 'count']) && env.logging.elasticsearch.masters.count < 3) {
      ctx.addIssue({ code: 'custom', path: ['logging', 'elasticsearch', 'masters', 'count'], message: `${env.logging.elasticsearch.masters.count} loses the log cluster with one master node (allowed in production: 3 or 5 master-eligible nodes)` });
    }
    if (parsed(['logging', 'elasticsearch', 'data', 'count']) && env.logging.elasticsearch.data.count < 2) {
      ctx.addIssue({ code: 'custom', path: ['logging', 'elasticsearch', 'data', 'count'], message: `${env.logging.elasticsearch.data.count} keeps no replica of any log shard (allowed in production: at least 2 data nodes)` });
    }
    if (parsed(['vault', 'replicas']) && env.vault.replicas < 3) {
      ctx.addIssue({ code: 'custom', path: ['vault', 'replicas'], message: `${env.vault.replicas} loses Vault with one node (allowed in production: 3 or 5, a Raft quorum that survives a node failure)` });
    }
    if (parsed(['objectStorage', 'pools'], ['objectStorage', 'parity'])) {
      env.objectStorage.pools.forEach((pool, index) => {
        const layout = erasureLayout(pool, env.objectStorage.parity);
        if (layout !== undefined && layout.parity * 2 <= layout.setSize && !layout.survivesOneServer) {
          ctx.addIssue({
            code: 'custom',
            path: ['objectStorage', 'pools', index],
            message: `${pool.servers} server(s) x ${pool.drivesPerServer} drive(s) with parity ${layout.parity}: losing one server takes ${layout.drivesPerSetOnOneServer} of each erasure set's ${layout.setSize} drives, below the read quorum ${layout.readQuorum} or write quorum ${layout.writeQuorum} (allowed in production: a layout that survives the loss of one node, e.g. at least 2 servers and parity at least the drives one server holds in a set)`,
          });
        }
        for (const siteName of SITE_NAMES) {
          if (!parsed(['sites', siteName, 'nodePools'])) continue;
          // The nodes the data namespace runs on (its `data` pools, or `general` where none).
          const dataNodes = poolsFor('data', env.sites[siteName].nodePools).reduce((sum, nodePool) => sum + nodePool.nodeCount, 0);
          if (pool.servers > dataNodes) {
            ctx.addIssue({
              code: 'custom',
              path: ['objectStorage', 'pools', index, 'servers'],
              message: `${pool.servers} MinIO servers do not fit the ${dataNodes} node(s) of ${siteName}'s data namespace, one server per node (allowed in production: at most ${dataNodes}, so losing a node loses one server)`,
            });
          }
        }
      });
    }
    if (parsed(['sqlServer', 'edition']) && env.sqlServer.edition === 'Developer') {
      ctx.addIssue({ code: 'custom', path: ['sqlServer', 'edition'], message: '"Developer" is not licensed for production (allowed in production: Standard or Enterprise)' });
    }
    for (const siteName of SITE_NAMES) {
      const state = parsed(['sites', siteName, 'state']) ? env.sites[siteName].state : undefined;
      if (state !== undefined && state.kind !== 's3') {
        ctx.addIssue({ code: 'custom', path: ['sites', siteName, 'state', 'kind'], message: `"${state.kind}" keeps production state on one machine (allowed in production: s3)` });
      }
    }
  }
  if (parsed(['objectives', 'recoveryPoint'], ['objectStorage', 'replicationLagBudget']) && env.objectStorage.replicationLagBudget.isLongerThan(env.objectives.recoveryPoint)) {
    ctx.addIssue({
      code: 'custom',
      path: ['objectStorage', 'replicationLagBudget'],
      message: `"${env.objectStorage.replicationLagBudget}" is longer than the recovery point objective "${env.objectives.recoveryPoint}" (allowed: at most the recovery point; replicated backups reach the other site within it)`,
    });
  }
  if (parsed(['objectives', 'recoveryPoint'], ['objectives', 'logBackupInterval'], ['objectStorage', 'replicationLagBudget'], ['sqlServer', 'restoreInterval'])) {
    const inputs = { logBackupInterval: env.objectives.logBackupInterval, replicationLagBudget: env.objectStorage.replicationLagBudget, restoreInterval: env.sqlServer.restoreInterval };
    const loss = worstCaseDataLoss(inputs);
    if (loss.isLongerThan(env.objectives.recoveryPoint)) {
      ctx.addIssue({
        code: 'custom',
        path: ['objectives', 'logBackupInterval'],
        message: `"${inputs.logBackupInterval}" + objectStorage.replicationLagBudget "${inputs.replicationLagBudget}" + sqlServer.restoreInterval "${inputs.restoreInterval}" = ${loss} of worst-case data loss, over the recovery point objective "${env.objectives.recoveryPoint}" (allowed: a sum of at most the recovery point; shorten one of the three)`,
      });
    }
  }
  for (const siteName of SITE_NAMES) {
    if (!parsed(['objectives', 'recoveryPoint'], ['sites', siteName, 'retention', 'backups'])) continue;
    const kept = env.sites[siteName].retention.backups;
    if (env.objectives.recoveryPoint.isLongerThan(kept)) {
      ctx.addIssue({
        code: 'custom',
        path: ['sites', siteName, 'retention', 'backups'],
        message: `"${kept}" is shorter than the recovery point objective "${env.objectives.recoveryPoint}" (allowed: at least the recovery point; older versions of backups expire and object locks lapse after this)`,
      });
    }
  }
  for (const siteName of SITE_NAMES) {
    const keysPath = ['identityProvider', 'jwks', siteName, 'url'];
    if (!parsed(keysPath, ['sites', siteName, 'dnsDomain'])) continue;
    const keysUrl = env.identityProvider.jwks[siteName].url;
    const dnsDomain = env.sites[siteName].dnsDomain;
    if (!inDomain(new URL(keysUrl).hostname, dnsDomain)) {
      ctx.addIssue({
        code: 'custom',
        path: keysPath,
        message: `${JSON.stringify(keysUrl)} is not in the site's dnsDomain ${JSON.stringify(dnsDomain)} (allowed: https://<host in *.${dnsDomain}>/..., so the site verifies tokens with the other site gone)`,
      });
    }
  }
  // Sites compared in pairs, each only if both states parsed; the later one is reported.
  SITE_NAMES.forEach((later, index) => {
    for (const earlier of SITE_NAMES.slice(0, index)) {
      if (parsed(['sites', earlier, 'network'], ['sites', later, 'network'])) {
        env.sites[later].network.ranges.forEach((cidr, rangeIndex) => {
          const clash = env.sites[earlier].network.ranges.find((other) => overlaps(cidrBlock(other)!, cidrBlock(cidr)!));
          if (clash) {
            ctx.addIssue({
              code: 'custom',
              path: ['sites', later, 'network', 'ranges', rangeIndex],
              message: `${JSON.stringify(cidr)} overlaps ${JSON.stringify(clash)} of ${earlier} (allowed: each site's own address ranges)`,
            });
          }
        });
        for (const block of poolBlocks(env.sites[later].network)) {
          const clash = poolBlocks(env.sites[earlier].network).find((other) => overlaps(cidrBlock(other.cidr)!, cidrBlock(block.cidr)!));
          if (clash) {
            ctx.addIssue({
              code: 'custom',
              path: ['sites', later, 'network', 'loadBalancer', 'addressPools', block.index, 'addresses', block.addressIndex],
              message: `${JSON.stringify(block.cidr)} overlaps ${JSON.stringify(clash.cidr)} of ${earlier} pool ${JSON.stringify(clash.pool)} (allowed: address pools no other site uses)`,
            });
          }
        }
      }
      if (!parsed(['sites', earlier, 'state'], ['sites', later, 'state'])) continue;
      const [one, other] = [env.sites[earlier].state, env.sites[later].state];
      if (one.kind === 's3' && other.kind === 's3' && one.endpoint === other.endpoint && one.bucket === other.bucket) {
        ctx.addIssue({
          code: 'custom',
          path: ['sites', later, 'state'],
          message: `bucket ${JSON.stringify(other.bucket)} at ${JSON.stringify(other.endpoint)} also holds the state of ${earlier} (allowed: a state store of the site's own, so losing one site never loses the other's state)`,
        });
      }
    }
  });
}, RUN_ALWAYS);

/** What an environment file exports (before defaults and parsing). */
export type EnvironmentInput = z.input<typeof EnvironmentSchema>;
/** What one site of an environment file holds (before parsing). */
export type SiteInput = EnvironmentInput['sites'][SiteName];
/** A parsed, validated environment file, before its pins are read. */
export type ParsedEnvironment = Omit<z.output<typeof EnvironmentSchema>, 'state'>;
/** A parsed, validated environment with what it runs (`environments/pins/<name>.json`). */
export type Environment = ParsedEnvironment & { readonly pins: Pins };
/** Where Terraform keeps one site's state. */
export type StateBackend = Environment['sites'][SiteName]['state'];
/** One parsed site of an environment: what the layer modules build a site from. */
export type Site = Environment['sites'][SiteName];
