import { Duration } from './duration';

/**
 * The recovery point and recovery time that SQL Server log shipping can promise, computed from
 * its settings. Pure arithmetic, shared by the environment schema (which refuses an environment
 * that cannot meet its objectives, naming its fields) and the log-shipping construct (which
 * exposes the figures to the synth summary, the runbook and the alert rules).
 */

/** What the worst-case data loss is made of. */
export interface DataLossInputs {
  /** How often the primary backs its transaction log up. */
  readonly logBackupInterval: Duration;
  /** The longest the replicated `sql-backups` bucket may lag behind at the other site. */
  readonly replicationLagBudget: Duration;
  /** How often the disaster-recovery site restores what has arrived. */
  readonly restoreInterval: Duration;
}

/**
 * The worst-case data loss at a failover: a transaction committed just after a log backup waits
 * a full interval for the next one, that file may take the whole lag budget to reach the other
 * site, and then waits up to a restore interval before the standby copy holds it. The figure
 * counts the restore interval although a failover restores the files already in the bucket:
 * the standby copy's own recovery point is what the alerts measure and what survives a damaged
 * bucket, so the promise holds on it.
 */
export function worstCaseDataLoss(inputs: DataLossInputs): Duration {
  return inputs.logBackupInterval.plus(inputs.replicationLagBudget).plus(inputs.restoreInterval);
}

/** The parts of the data-loss figure in words, for the runbook and the synth summary. */
export function dataLossTerms(inputs: DataLossInputs): string {
  return `log backups every ${inputs.logBackupInterval} + replication lag budget ${inputs.replicationLagBudget} + restores every ${inputs.restoreInterval}`;
}

/** What a restore from backups takes: the sizes and the measured or configured throughput. */
export interface RestoreInputs {
  /** Size of the database's data (what a full backup restores), in MiB. */
  readonly databaseMiB: number;
  /** Transaction log the database writes per hour at its busiest, in MiB. */
  readonly logMiBPerHour: number;
  /** How often differential backups are taken: the logs to restore after the newest differential. */
  readonly differentialBackupInterval: Duration;
  /** How often full backups are taken: a differential holds at most this much change. */
  readonly fullBackupInterval: Duration;
  /** How often logs are backed up: one file per interval to restore. */
  readonly logBackupInterval: Duration;
  /** Restore throughput from the object store into SQL Server, in MiB/s. */
  readonly restoreMiBPerSecond: number;
}

/** Time SQL Server spends per backup file besides reading it: open, verify, redo and undo start-up. */
export const RESTORE_SECONDS_PER_FILE = 10;
/** Time to bring a restored database online (`RESTORE ... WITH RECOVERY`, undo of open transactions). */
export const RECOVERY_SECONDS = 300;

/** A restore's parts, in MiB and files, and the whole in whole minutes (rounded up). */
export interface RestoreEstimate {
  readonly fullMiB: number;
  readonly differentialMiB: number;
  readonly logMiB: number;
  readonly logFiles: number;
  readonly minutes: number;
}

/**
 * A restore from backups alone (the standby copy lost or unusable): the newest full, the newest
 * differential (at most a full interval of change, never more than the database), the logs since
 * that differential, at the restore throughput, plus each file's overhead and the recovery.
 */
export function restoreFromBackups(inputs: RestoreInputs): RestoreEstimate {
  const hours = (duration: Duration) => duration.totalSeconds / 3600;
  const fullMiB = inputs.databaseMiB;
  const differentialMiB = Math.min(inputs.databaseMiB, Math.ceil(inputs.logMiBPerHour * hours(inputs.fullBackupInterval)));
  const logMiB = Math.ceil(inputs.logMiBPerHour * hours(inputs.differentialBackupInterval));
  const logFiles = Math.ceil(inputs.differentialBackupInterval.totalSeconds / inputs.logBackupInterval.totalSeconds);
  const seconds = (fullMiB + differentialMiB + logMiB) / inputs.restoreMiBPerSecond + (2 + logFiles) * RESTORE_SECONDS_PER_FILE + RECOVERY_SECONDS;
  return { fullMiB, differentialMiB, logMiB, logFiles, minutes: Math.ceil(seconds / 60) };
}

/**
 * What the standby copy restores at a failover (it is kept restoring): the logs of one restore
 * interval and the replication lag budget that have not been applied yet, then the recovery.
 */
export function catchUpAtFailover(inputs: Omit<RestoreInputs, 'databaseMiB' | 'fullBackupInterval' | 'differentialBackupInterval'> & Pick<DataLossInputs, 'restoreInterval' | 'replicationLagBudget'>): RestoreEstimate {
  const behind = inputs.restoreInterval.plus(inputs.replicationLagBudget);
  const logMiB = Math.ceil((inputs.logMiBPerHour * behind.totalSeconds) / 3600);
  const logFiles = Math.ceil(behind.totalSeconds / inputs.logBackupInterval.totalSeconds);
  const seconds = logMiB / inputs.restoreMiBPerSecond + logFiles * RESTORE_SECONDS_PER_FILE + RECOVERY_SECONDS;
  return { fullMiB: 0, differentialMiB: 0, logMiB, logFiles, minutes: Math.ceil(seconds / 60) };
}
