import {
  cachedHeadersQuery,
  databaseStateQuery,
  insertHeaderStatement,
  insertJobRunStatement,
  insertRestoredFileStatement,
  lastBackupsQuery,
  lastJobRunsQuery,
  lastLogBackupLsnQuery,
  lastRestoredBackupQuery,
  lastRestoreRunQuery,
} from '../../src/tsql/queries';
import { parseTsql } from '../support/tsql-parser';

describe('queries', () => {
  it.each([
    ['database state', databaseStateQuery('lms'), "SELECT state_desc, is_in_standby, recovery_model_desc FROM sys.databases WHERE name = N'lms';"],
    [
      'last log backup LSN',
      lastLogBackupLsnQuery('lms'),
      "SELECT CONVERT(varchar(30), last_log_backup_lsn) AS last_log_backup_lsn FROM sys.database_recovery_status WHERE database_id = DB_ID(N'lms');",
    ],
    [
      'last restored backup',
      lastRestoredBackupQuery('lms'),
      [
        "SELECT TOP (1) CONVERT(varchar(30), b.last_lsn) AS last_lsn, DATEDIFF_BIG(millisecond, '19700101', b.backup_finish_date) AS backup_finish_ms, b.type,",
        '  (SELECT TOP (1) CONVERT(varchar(30), fb.checkpoint_lsn) FROM msdb.dbo.restorehistory AS fr JOIN msdb.dbo.backupset AS fb ON fb.backup_set_id = fr.backup_set_id',
        "   WHERE fr.destination_database_name = N'lms' AND fb.type = 'D' ORDER BY fr.restore_history_id DESC) AS base_checkpoint_lsn",
        'FROM msdb.dbo.restorehistory AS r JOIN msdb.dbo.backupset AS b ON b.backup_set_id = r.backup_set_id',
        "WHERE r.destination_database_name = N'lms' ORDER BY r.restore_history_id DESC;",
      ].join('\n'),
    ],
    [
      'last backups per type',
      lastBackupsQuery('lms'),
      [
        "SELECT type, DATEDIFF_BIG(second, '19700101', MAX(backup_finish_date)) AS last_finish_seconds FROM msdb.dbo.backupset",
        "WHERE database_name = N'lms' AND is_copy_only = 0 AND type IN ('D', 'I', 'L') GROUP BY type;",
      ].join('\n'),
    ],
    [
      'cached headers',
      cachedHeadersQuery('lms_ops'),
      [
        'SELECT first_key, keys, database_name, backup_type, CONVERT(varchar(30), first_lsn) AS first_lsn, CONVERT(varchar(30), last_lsn) AS last_lsn,',
        '  CONVERT(varchar(30), checkpoint_lsn) AS checkpoint_lsn, CONVERT(varchar(30), database_backup_lsn) AS database_backup_lsn,',
        "  CONVERT(varchar(30), differential_base_lsn) AS differential_base_lsn, DATEDIFF_BIG(millisecond, '19700101', backup_finish_date) AS backup_finish_ms",
        'FROM [lms_ops].dbo.backup_file;',
      ].join('\n'),
    ],
    [
      'header insert',
      insertHeaderStatement('lms_ops'),
      [
        'INSERT INTO [lms_ops].dbo.backup_file (first_key, keys, database_name, backup_type, first_lsn, last_lsn, checkpoint_lsn, database_backup_lsn, differential_base_lsn, backup_finish_date, read_at)',
        'VALUES (@first_key, @keys, @database_name, @backup_type, CAST(@first_lsn AS numeric(25,0)), CAST(@last_lsn AS numeric(25,0)), CAST(@checkpoint_lsn AS numeric(25,0)),',
        '  CAST(@database_backup_lsn AS numeric(25,0)), CAST(@differential_base_lsn AS numeric(25,0)), @backup_finish_date, SYSUTCDATETIME());',
      ].join('\n'),
    ],
    [
      'restored file insert',
      insertRestoredFileStatement('lms_ops'),
      [
        'INSERT INTO [lms_ops].dbo.restored_file (first_key, backup_type, first_lsn, last_lsn, backup_finish_date, restored_at)',
        'VALUES (@first_key, @backup_type, CAST(@first_lsn AS numeric(25,0)), CAST(@last_lsn AS numeric(25,0)), @backup_finish_date, SYSUTCDATETIME());',
      ].join('\n'),
    ],
    [
      'job run insert',
      insertJobRunStatement('lms_ops'),
      [
        'INSERT INTO [lms_ops].dbo.job_run (job, started_at, finished_at, outcome, stopped_at_gap, detail)',
        'VALUES (@job, @started_at, SYSUTCDATETIME(), @outcome, @stopped_at_gap, @detail);',
      ].join('\n'),
    ],
    [
      'last job runs',
      lastJobRunsQuery('lms_ops'),
      "SELECT job, outcome, DATEDIFF_BIG(second, '19700101', MAX(finished_at)) AS last_finished_seconds FROM [lms_ops].dbo.job_run GROUP BY job, outcome;",
    ],
    [
      'last restore run',
      lastRestoreRunQuery('lms_ops'),
      "SELECT TOP (1) stopped_at_gap FROM [lms_ops].dbo.job_run WHERE job = N'restore' ORDER BY finished_at DESC, id DESC;",
    ],
  ])('%s: exact text that the T-SQL grammar of node-sql-parser parses', (_name, text, expected) => {
    expect(text).toBe(expected);
    expect(() => parseTsql(text)).not.toThrow();
  });
});
