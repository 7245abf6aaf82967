import type { Construct } from 'constructs';
import { SqlServerLogShipping } from '../constructs/sql-server-log-shipping';
import type { Duration } from '../constructs/duration';
import type { Environment } from '../environments/schema';

/** The log shipping built for an environment: the one SqlServerLogShipping under `scopes`. */
export function logShippingOf(scopes: readonly Construct[]): SqlServerLogShipping | undefined {
  return scopes.flatMap((scope) => scope.node.findAll()).find((construct): construct is SqlServerLogShipping => construct instanceof SqlServerLogShipping);
}

/**
 * The synth summary of each environment's recovery objectives as its log shipping computes
 * them: worst-case data loss against the recovery point objective, estimated recovery time
 * against the recovery time objective. An environment that could not meet them never gets
 * here: the synth fails with the figures first.
 */
export function recoverySummary(environments: readonly Environment[], scopesOf: (environment: Environment) => readonly Construct[]): string {
  const lines = ['recovery objectives (SQL Server log shipping, computed from each environment file):'];
  for (const environment of environments) {
    const shipping = logShippingOf(scopesOf(environment));
    if (shipping === undefined) continue;
    const restore = shipping.restoreFromBackups;
    const gib = (restore.fullMiB + restore.differentialMiB + restore.logMiB) / 1024;
    lines.push(
      `  ${environment.name}: worst-case data loss ${readable(shipping.recoveryPoint)} (objective ${readable(environment.objectives.recoveryPoint)}); estimated recovery time ${readable(shipping.recoveryTime)} (objective ${readable(environment.objectives.recoveryTime)}), of which ${restore.minutes} min restore ${Number.isInteger(gib) ? gib : gib.toFixed(1)} GiB from backups alone`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `2 h 15 min`, `35 min`, `1 d`: a duration as people read it. */
export function readable(duration: Duration): string {
  const minutes = Math.ceil(duration.totalSeconds / 60);
  const parts = [[Math.floor(minutes / 1440), 'd'], [Math.floor((minutes % 1440) / 60), 'h'], [minutes % 60, 'min']] as const;
  return parts.filter(([amount]) => amount > 0).map(([amount, unit]) => `${amount} ${unit}`).join(' ') || '0 min';
}
