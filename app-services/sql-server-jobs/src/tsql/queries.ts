import { quoteName, quoteString } from './quote';

/**
 * The database as SQL Server has it: one row (`state_desc` ONLINE, RESTORING, ...,
 * `is_in_standby`, `recovery_model_desc`), or none when it does not exist.
 */
export function databaseStateQuery(database: string): string {
  return `SELECT state_desc, is_in_standby, recovery_model_desc FROM sys.databases WHERE name = ${quoteString(database)};`;
}

/** The LSN of the last log backup as text; NULL while no full backup has started the log chain. */
export function lastLogBackupLsnQuery(database: string): string {
  return `SELECT CONVERT(varchar(30), last_log_backup_lsn) AS last_log_backup_lsn FROM sys.database_recovery_status WHERE database_id = DB_ID(${quoteString(database)});`;
}

/**
 * The last backup restored into the database, from msdb: `last_lsn` (text), `backup_finish_ms`
 * (milliseconds since the epoch; the server runs in UTC), `type` (D full, I differential, L log) and
 * `base_checkpoint_lsn`, the CheckpointLSN of the last full backup restored: differentials on it apply.
 */
export function lastRestoredBackupQuery(database: string): string {
  return [
    "SELECT TOP (1) CONVERT(varchar(30), b.last_lsn) AS last_lsn, DATEDIFF_BIG(millisecond, '19700101', b.backup_finish_date) AS backup_finish_ms, b.type,",
    '  (SELECT TOP (1) CONVERT(varchar(30), fb.checkpoint_lsn) FROM msdb.dbo.restorehistory AS fr JOIN msdb.dbo.backupset AS fb ON fb.backup_set_id = fr.backup_set_id',
    `   WHERE fr.destination_database_name = ${quoteString(database)} AND fb.type = 'D' ORDER BY fr.restore_history_id DESC) AS base_checkpoint_lsn`,
    'FROM msdb.dbo.restorehistory AS r JOIN msdb.dbo.backupset AS b ON b.backup_set_id = r.backup_set_id',
    `WHERE r.destination_database_name = ${quoteString(database)} ORDER BY r.restore_history_id DESC;`,
  ].join('\n');
}

/** The newest finish time per backup type (D, I, L) of the database in msdb, in seconds since the epoch. */
export function lastBackupsQuery(database: string): string {
  return [
    "SELECT type, DATEDIFF_BIG(second, '19700101', MAX(backup_finish_date)) AS last_finish_seconds FROM msdb.dbo.backupset",
    `WHERE database_name = ${quoteString(database)} AND is_copy_only = 0 AND type IN ('D', 'I', 'L') GROUP BY type;`,
  ].join('\n');
}

/** The cached headers of ops `backup_file`, LSNs as text. */
export function cachedHeadersQuery(opsDatabase: string): string {
  return [
    'SELECT first_key, keys, database_name, backup_type, CONVERT(varchar(30), first_lsn) AS first_lsn, CONVERT(varchar(30), last_lsn) AS last_lsn,',
    '  CONVERT(varchar(30), checkpoint_lsn) AS checkpoint_lsn, CONVERT(varchar(30), database_backup_lsn) AS database_backup_lsn,',
    "  CONVERT(varchar(30), differential_base_lsn) AS differential_base_lsn, DATEDIFF_BIG(millisecond, '19700101', backup_finish_date) AS backup_finish_ms",
    `FROM ${quoteName(opsDatabase)}.dbo.backup_file;`,
  ].join('\n');
}

/** Caches one header; the LSNs are text parameters, converted by SQL Server without loss. */
export function insertHeaderStatement(opsDatabase: string): string {
  return [
    `INSERT INTO ${quoteName(opsDatabase)}.dbo.backup_file (first_key, keys, database_name, backup_type, first_lsn, last_lsn, checkpoint_lsn, database_backup_lsn, differential_base_lsn, backup_finish_date, read_at)`,
    'VALUES (@first_key, @keys, @database_name, @backup_type, CAST(@first_lsn AS numeric(25,0)), CAST(@last_lsn AS numeric(25,0)), CAST(@checkpoint_lsn AS numeric(25,0)),',
    '  CAST(@database_backup_lsn AS numeric(25,0)), CAST(@differential_base_lsn AS numeric(25,0)), @backup_finish_date, SYSUTCDATETIME());',
  ].join('\n');
}

/** Records one restored backup set in ops `restored_file`. */
export function insertRestoredFileStatement(opsDatabase: string): string {
  return [
    `INSERT INTO ${quoteName(opsDatabase)}.dbo.restored_file (first_key, backup_type, first_lsn, last_lsn, backup_finish_date, restored_at)`,
    'VALUES (@first_key, @backup_type, CAST(@first_lsn AS numeric(25,0)), CAST(@last_lsn AS numeric(25,0)), @backup_finish_date, SYSUTCDATETIME());',
  ].join('\n');
}

/** Records one run of a job in ops `job_run`. */
export function insertJobRunStatement(opsDatabase: string): string {
  return [
    `INSERT INTO ${quoteName(opsDatabase)}.dbo.job_run (job, started_at, finished_at, outcome, stopped_at_gap, detail)`,
    'VALUES (@job, @started_at, SYSUTCDATETIME(), @outcome, @stopped_at_gap, @detail);',
  ].join('\n');
}

/** The newest run per job and outcome, in seconds since the epoch. */
export function lastJobRunsQuery(opsDatabase: string): string {
  return `SELECT job, outcome, DATEDIFF_BIG(second, '19700101', MAX(finished_at)) AS last_finished_seconds FROM ${quoteName(opsDatabase)}.dbo.job_run GROUP BY job, outcome;`;
}

/** Whether the newest restore run stopped at a gap: one row with `stopped_at_gap`, or none. */
export function lastRestoreRunQuery(opsDatabase: string): string {
  return `SELECT TOP (1) stopped_at_gap FROM ${quoteName(opsDatabase)}.dbo.job_run WHERE job = N'restore' ORDER BY finished_at DESC, id DESC;`;
}
