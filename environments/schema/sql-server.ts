import { z } from 'zod';
import { CronSchedule } from '../../constructs/cron-schedule';
import type { Duration } from '../../constructs/duration';
import { RUN_ALWAYS, duration, parsedFields, strict } from './common';
import { cpuQuantity, memoryMiBOf, memoryQuantity, requestsWithinLimits } from './resources';

/** SQL Server editions as `MSSQL_PID` names them. */
export const SQL_SERVER_EDITIONS = ['Developer', 'Express', 'Standard', 'Enterprise'] as const;
/** The least memory SQL Server 2022 on Linux is supported with. */
export const SQL_SERVER_MIN_MEMORY_MIB = 4096;

/** A size: a whole number of Mi, Gi or Ti. */
const size = memoryQuantity;

/**
 * SQL Server at both sites (the same at each, so either can be primary) and the log shipping
 * between them. With the environment's `objectives.logBackupInterval` and
 * `objectStorage.replicationLagBudget` these settings give the recovery point and recovery time
 * the environment can promise; the environment refuses settings that cannot meet its objectives.
 */
export const sqlServer = strict({
  /**
   * `MSSQL_PID`. Backup to S3 needs Standard, Enterprise or Developer; Developer is not
   * licensed for production.
   */
  edition: z.enum(SQL_SERVER_EDITIONS, {
    error: (issue) => `${JSON.stringify(issue.input)} is not a SQL Server edition (allowed: ${SQL_SERVER_EDITIONS.join(', ')})`,
  }),
  /** Requests and limits of the server container; the memory limit is at least 4Gi. */
  resources: strict({ cpuRequest: cpuQuantity, memoryRequest: memoryQuantity, cpuLimit: cpuQuantity, memoryLimit: memoryQuantity }).superRefine(
    requestsWithinLimits(
      [
        ['cpuRequest', 'cpuLimit', 'cpu'],
        ['memoryRequest', 'memoryLimit', 'memory'],
      ],
      'Kubernetes rejects a container whose request exceeds its limit',
    ),
    RUN_ALWAYS,
  ),
  /** The volume at `/var/opt/mssql`: data, logs, the error log and the standby undo file. */
  volumeSize: size,
  /** The database's data size at its largest this year: what a full restore reads. */
  databaseSize: size,
  /** Transaction log written per hour at the busiest hour: what log restores read. */
  logPerHour: size,
  /**
   * Restore throughput from the site's object store into SQL Server, in MiB/s, as measured in
   * the last restore test (or configured until there is one).
   */
  restoreMiBPerSecond: z.number().positive().max(10_000),
  /** How often a differential backup is taken between the daily full backups (at most daily). */
  differentialBackupInterval: duration,
  /** How often the disaster-recovery site restores the log backups that have arrived. */
  restoreInterval: duration,
  /**
   * How the disaster-recovery copy waits: `norecovery` (not readable, fastest to apply) or
   * `standby` (read-only between restores, for reports; each restore undoes and redoes open
   * transactions).
   */
  standbyMode: z.enum(['norecovery', 'standby']),
}).superRefine((settings, ctx) => {
  const parsed = parsedFields(ctx);
  if (parsed(['resources', 'memoryLimit'])) {
    const mib = memoryMiBOf(settings.resources.memoryLimit);
    if (mib < SQL_SERVER_MIN_MEMORY_MIB) {
      ctx.addIssue({
        code: 'custom',
        path: ['resources', 'memoryLimit'],
        message: `${JSON.stringify(settings.resources.memoryLimit)} is below the 4Gi SQL Server 2022 on Linux needs (allowed: at least "4Gi")`,
      });
    }
  }
  if (parsed(['edition']) && settings.edition === 'Express') {
    ctx.addIssue({
      code: 'custom',
      path: ['edition'],
      message: '"Express" cannot back up to S3, and log shipping goes through the replicated sql-backups bucket (allowed: Standard, Enterprise, or Developer outside production)',
    });
  }
  if (parsed(['databaseSize'], ['volumeSize']) && memoryMiBOf(settings.databaseSize) > memoryMiBOf(settings.volumeSize)) {
    ctx.addIssue({
      code: 'custom',
      path: ['databaseSize'],
      message: `${JSON.stringify(settings.databaseSize)} does not fit the ${JSON.stringify(settings.volumeSize)} volume (allowed: at most volumeSize)`,
    });
  }
  for (const field of ['differentialBackupInterval', 'restoreInterval'] as const) {
    const problem = parsed([field]) ? unevenInterval(settings[field]) : undefined;
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: problem });
  }
}, RUN_ALWAYS);

/**
 * Why `interval` makes no schedule with equal gaps (jobs run from cron schedules), or
 * undefined when it divides an hour or a day evenly.
 */
export function unevenInterval(interval: Duration): string | undefined {
  try {
    CronSchedule.every(interval, 'interval');
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^interval: /, '');
  }
}

export type SqlServerSettings = z.output<typeof sqlServer>;
