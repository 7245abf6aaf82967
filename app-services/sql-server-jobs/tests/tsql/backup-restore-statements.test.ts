import {
  backupDatabaseStatement,
  backupDifferentialStatement,
  backupLogStatement,
  backupTailLogStatement,
} from '../../src/tsql/backup-statements';
import { readBackupHeaderBatch, recoverStatement, restoreHeaderOnlyStatement, restoreStatement } from '../../src/tsql/restore-statements';
import { parseTsql } from '../support/tsql-parser';

const BASE = 's3://minio.lms-data.svc.cluster.local:9000/sql-backups/lusaka/lms/20260105T080000Z';
const FULL = [`${BASE}-full-1of2.bak`, `${BASE}-full-2of2.bak`];
const LOG = [`${BASE}-log.trn`];

describe('backup statements', () => {
  it('takes a striped, compressed, checksummed full backup', () => {
    expect(backupDatabaseStatement('lms', FULL, 20971520)).toBe(
      `BACKUP DATABASE [lms] TO URL = N'${FULL[0]}', URL = N'${FULL[1]}' WITH COMPRESSION, CHECKSUM, FORMAT, MAXTRANSFERSIZE = 20971520, STATS = 10;`,
    );
  });

  it('takes differential, log and tail-log backups', () => {
    const dif = [`${BASE}-differential.dif`];
    expect(backupDifferentialStatement('lms', dif, 4194304)).toBe(
      `BACKUP DATABASE [lms] TO URL = N'${dif[0]}' WITH DIFFERENTIAL, COMPRESSION, CHECKSUM, FORMAT, MAXTRANSFERSIZE = 4194304;`,
    );
    expect(backupLogStatement('lms', LOG, 65536)).toBe(`BACKUP LOG [lms] TO URL = N'${LOG[0]}' WITH COMPRESSION, CHECKSUM, FORMAT, MAXTRANSFERSIZE = 65536;`);
    expect(backupTailLogStatement('lms', LOG, 65536)).toBe(
      `BACKUP LOG [lms] TO URL = N'${LOG[0]}' WITH NORECOVERY, NO_TRUNCATE, COMPRESSION, CHECKSUM, FORMAT, MAXTRANSFERSIZE = 65536;`,
    );
  });
});

describe('restore statements', () => {
  it('reads headers from every URL of a set', () => {
    expect(restoreHeaderOnlyStatement(FULL)).toBe(`RESTORE HEADERONLY FROM URL = N'${FULL[0]}', URL = N'${FULL[1]}';`);
  });

  it('reads the header through a temporary table with the 59 columns of SQL Server 2022, LSNs as text', () => {
    const batch = readBackupHeaderBatch(LOG);
    const lines = batch.split('\n');
    expect(lines[0]).toBe('SET NOCOUNT ON;');
    const columns = /^CREATE TABLE #header \((.*)\);$/.exec(lines[1] ?? '')?.[1]?.split(', ') ?? [];
    expect(columns).toHaveLength(59);
    expect(columns.slice(0, 3)).toEqual(['BackupName nvarchar(128) NULL', 'BackupDescription nvarchar(255) NULL', 'BackupType smallint NULL']);
    expect(columns.slice(-3)).toEqual(['LastValidRestoreTime datetime NULL', 'TimeZone nvarchar(32) NULL', 'CompressionAlgorithm nvarchar(32) NULL']);
    expect(lines[2]).toBe(`INSERT INTO #header EXEC (N'RESTORE HEADERONLY FROM URL = N''${LOG[0]}'';');`);
    expect(lines.slice(3)).toEqual([
      'SELECT BackupType AS backup_type, DatabaseName AS database_name, CONVERT(varchar(30), FirstLSN) AS first_lsn, CONVERT(varchar(30), LastLSN) AS last_lsn,',
      '  CONVERT(varchar(30), CheckpointLSN) AS checkpoint_lsn, CONVERT(varchar(30), DatabaseBackupLSN) AS database_backup_lsn,',
      "  CONVERT(varchar(30), DifferentialBaseLSN) AS differential_base_lsn, DATEDIFF_BIG(millisecond, '19700101', BackupFinishDate) AS backup_finish_ms",
      'FROM #header ORDER BY Position;',
      'DROP TABLE #header;',
    ]);
  });

  it('restores full, differential and log sets WITH NORECOVERY or STANDBY, with checksums, REPLACE on a reseed', () => {
    expect(restoreStatement('lms', 'full', FULL, { mode: 'norecovery' }, true)).toBe(
      `RESTORE DATABASE [lms] FROM URL = N'${FULL[0]}', URL = N'${FULL[1]}' WITH NORECOVERY, CHECKSUM, REPLACE;`,
    );
    expect(restoreStatement('lms', 'differential', LOG, { mode: 'standby', undoFile: "/var/opt/mssql/data/lms's.tuf" }, false)).toBe(
      `RESTORE DATABASE [lms] FROM URL = N'${LOG[0]}' WITH STANDBY = N'/var/opt/mssql/data/lms''s.tuf', CHECKSUM;`,
    );
    expect(restoreStatement('lms', 'log', LOG, { mode: 'norecovery' }, false)).toBe(`RESTORE LOG [lms] FROM URL = N'${LOG[0]}' WITH NORECOVERY, CHECKSUM;`);
  });

  it('recovers', () => {
    expect(recoverStatement('lms')).toBe('RESTORE DATABASE [lms] WITH RECOVERY;');
  });

  it('writes only statements outside the T-SQL grammar of node-sql-parser (BACKUP and RESTORE)', () => {
    expect(() => parseTsql(backupLogStatement('lms', LOG, 65536))).toThrow();
    expect(() => parseTsql(recoverStatement('lms'))).toThrow();
  });
});
