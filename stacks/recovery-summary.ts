import type { Construct } from 'constructs';
import { SqlServerLogShipping } from '../constructs/sql-server-log-shipping';
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
    lines.push(
      `  ${environment.name}: worst-case data loss ${shipping.recoveryPoint} (objective ${environment.objectives.recoveryPoint}); estimated recovery time ${shipping.recoveryTime} (objective ${environment.objectives.recoveryTime}, restoring ${restore.fullMiB + restore.differentialMiB + restore.logMiB} MiB from backups alone in ${restore.minutes} min)`,
    );
  }
  return `${lines.join('\n')}\n`;
}
