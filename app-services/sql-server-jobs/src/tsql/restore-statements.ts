import type { StandbyConfig } from '../config/log-shipping-config';
import { quoteName, quoteString, urlList } from './quote';

export type RestoreKind = 'full' | 'differential' | 'log';

/**
 * The columns of RESTORE HEADERONLY on SQL Server 2022 (16.x), in order: INSERT ... EXEC needs
 * every one. The LSNs are numeric(25,0), more digits than a JavaScript number holds, so the
 * header is read through a temporary table and the LSNs come back as text.
 * @see https://learn.microsoft.com/sql/t-sql/statements/restore-statements-headeronly-transact-sql
 */
const HEADER_COLUMNS = [
  'BackupName nvarchar(128) NULL', 'BackupDescription nvarchar(255) NULL', 'BackupType smallint NULL', 'ExpirationDate datetime NULL',
  'Compressed bit NULL', 'Position smallint NULL', 'DeviceType tinyint NULL', 'UserName nvarchar(128) NULL', 'ServerName nvarchar(128) NULL',
  'DatabaseName nvarchar(128) NULL', 'DatabaseVersion int NULL', 'DatabaseCreationDate datetime NULL', 'BackupSize numeric(20,0) NULL',
  'FirstLSN numeric(25,0) NULL', 'LastLSN numeric(25,0) NULL', 'CheckpointLSN numeric(25,0) NULL', 'DatabaseBackupLSN numeric(25,0) NULL',
  'BackupStartDate datetime NULL', 'BackupFinishDate datetime NULL', 'SortOrder smallint NULL', 'CodePage smallint NULL',
  'UnicodeLocaleId int NULL', 'UnicodeComparisonStyle int NULL', 'CompatibilityLevel tinyint NULL', 'SoftwareVendorId int NULL',
  'SoftwareVersionMajor int NULL', 'SoftwareVersionMinor int NULL', 'SoftwareVersionBuild int NULL', 'MachineName nvarchar(128) NULL',
  'Flags int NULL', 'BindingID uniqueidentifier NULL', 'RecoveryForkID uniqueidentifier NULL', 'Collation nvarchar(128) NULL',
  'FamilyGUID uniqueidentifier NULL', 'HasBulkLoggedData bit NULL', 'IsSnapshot bit NULL', 'IsReadOnly bit NULL', 'IsSingleUser bit NULL',
  'HasBackupChecksums bit NULL', 'IsDamaged bit NULL', 'BeginsLogChain bit NULL', 'HasIncompleteMetaData bit NULL', 'IsForceOffline bit NULL',
  'IsCopyOnly bit NULL', 'FirstRecoveryForkID uniqueidentifier NULL', 'ForkPointLSN numeric(25,0) NULL', 'RecoveryModel nvarchar(60) NULL',
  'DifferentialBaseLSN numeric(25,0) NULL', 'DifferentialBaseGUID uniqueidentifier NULL', 'BackupTypeDescription nvarchar(60) NULL',
  'BackupSetGUID uniqueidentifier NULL', 'CompressedBackupSize numeric(20,0) NULL', 'Containment tinyint NULL', 'KeyAlgorithm nvarchar(32) NULL',
  'EncryptorThumbprint varbinary(20) NULL', 'EncryptorType nvarchar(32) NULL', 'LastValidRestoreTime datetime NULL', 'TimeZone nvarchar(32) NULL',
  'CompressionAlgorithm nvarchar(32) NULL',
] as const;

/** `RESTORE HEADERONLY FROM URL = N'...'[, URL = ...];` as SQL Server documents it. */
export function restoreHeaderOnlyStatement(urls: readonly string[]): string {
  return `RESTORE HEADERONLY FROM ${urlList(urls)};`;
}

/**
 * The batch that runs {@link restoreHeaderOnlyStatement} and returns the header's columns the
 * restore planning needs, LSNs as text and the finish time as seconds since the epoch (UTC).
 */
export function readBackupHeaderBatch(urls: readonly string[]): string {
  return [
    'SET NOCOUNT ON;',
    `CREATE TABLE #header (${HEADER_COLUMNS.join(', ')});`,
    `INSERT INTO #header EXEC (${quoteString(restoreHeaderOnlyStatement(urls))});`,
    'SELECT BackupType AS backup_type, DatabaseName AS database_name, CONVERT(varchar(30), FirstLSN) AS first_lsn, CONVERT(varchar(30), LastLSN) AS last_lsn,',
    '  CONVERT(varchar(30), CheckpointLSN) AS checkpoint_lsn, CONVERT(varchar(30), DatabaseBackupLSN) AS database_backup_lsn,',
    '  CONVERT(varchar(30), DifferentialBaseLSN) AS differential_base_lsn, DATEDIFF_BIG(millisecond, \'19700101\', BackupFinishDate) AS backup_finish_ms',
    'FROM #header ORDER BY Position;',
    'DROP TABLE #header;',
  ].join('\n');
}

/**
 * Restores one backup set, leaving the database RESTORING (`norecovery`) or read-only with an
 * undo file (`standby`), with the checksums verified. `replace` overwrites an existing database:
 * the first step of a reseed.
 */
export function restoreStatement(database: string, kind: RestoreKind, urls: readonly string[], standby: StandbyConfig, replace: boolean): string {
  const options = [standby.mode === 'standby' ? `STANDBY = ${quoteString(standby.undoFile)}` : 'NORECOVERY', 'CHECKSUM', ...(replace ? ['REPLACE'] : [])];
  return `RESTORE ${kind === 'log' ? 'LOG' : 'DATABASE'} ${quoteName(database)} FROM ${urlList(urls)} WITH ${options.join(', ')};`;
}

/** Brings a restoring or standby database online; no backup can be restored after it. */
export function recoverStatement(database: string): string {
  return `RESTORE DATABASE ${quoteName(database)} WITH RECOVERY;`;
}
