import {
  addDatabaseRoleMemberStatement,
  addServerRoleMemberStatement,
  alterLoginPasswordBatch,
  createDatabaseBatch,
  createDatabaseUserStatement,
  createLoginBatch,
  createOpsDatabaseBatch,
  createOpsTableBatch,
  credentialBatch,
  databaseExistsQuery,
  databaseRolesQuery,
  databaseUserQuery,
  loginStateQuery,
  remapDatabaseUserStatement,
  serverRolesQuery,
  setRecoveryFullStatement,
} from '../../src/tsql/setup-statements';
import { parseTsql } from '../support/tsql-parser';

const SID = '0x1F2E3D4C5B6A79880123456789ABCDEF';

describe('setup statements', () => {
  it('creates or alters the S3 credential with the secret as a parameter, never in the text', () => {
    const batch = credentialBatch('s3://minio.lms-data.svc.cluster.local:9000/sql-backups');
    expect(batch).toBe(
      [
        'SET NOCOUNT ON;',
        "DECLARE @verb nvarchar(6) = CASE WHEN EXISTS (SELECT 1 FROM sys.credentials WHERE name = N's3://minio.lms-data.svc.cluster.local:9000/sql-backups') THEN N'ALTER' ELSE N'CREATE' END;",
        "DECLARE @sql nvarchar(max) = @verb + N' CREDENTIAL ' + N'[s3://minio.lms-data.svc.cluster.local:9000/sql-backups]' + N' WITH IDENTITY = N''S3 Access Key'', SECRET = ' + N'N''' + REPLACE(@secret, N'''', N'''''') + N'''' + N';';",
        'EXEC (@sql);',
        "SELECT CASE @verb WHEN N'ALTER' THEN N'updated' ELSE N'created' END AS result;",
      ].join('\n'),
    );
    expect(() => parseTsql(batch)).not.toThrow();
  });

  it('reads a login and compares the password without sending it in the text', () => {
    const query = loginStateQuery('loan_service');
    expect(query).toBe("SELECT CONVERT(varchar(200), sid, 1) AS sid, PWDCOMPARE(@password, password_hash) AS password_matches FROM sys.sql_logins WHERE name = N'loan_service';");
    expect(() => parseTsql(query)).not.toThrow();
  });

  it('creates a login with its SID, or sets its password, by dynamic SQL around the @password parameter', () => {
    const create = createLoginBatch('loan_service', SID);
    expect(create).toBe(
      [
        `DECLARE @sql nvarchar(max) = N'CREATE LOGIN [loan_service] WITH PASSWORD = ' + N'N''' + REPLACE(@password, N'''', N'''''') + N'''' + N', SID = ${SID}, CHECK_POLICY = OFF;';`,
        'EXEC (@sql);',
      ].join('\n'),
    );
    const alter = alterLoginPasswordBatch("o'brien");
    expect(alter).toBe(
      [
        "DECLARE @sql nvarchar(max) = N'ALTER LOGIN [o''brien] WITH PASSWORD = ' + N'N''' + REPLACE(@password, N'''', N'''''') + N'''' + N';';",
        'EXEC (@sql);',
      ].join('\n'),
    );
    expect(() => parseTsql(create)).not.toThrow();
    expect(() => parseTsql(alter)).not.toThrow();
  });

  it('reads and adds server role memberships', () => {
    const query = serverRolesQuery('log_shipping');
    expect(query).toBe(
      [
        'SELECT r.name AS role FROM sys.server_role_members AS m',
        'JOIN sys.server_principals AS r ON r.principal_id = m.role_principal_id',
        "JOIN sys.server_principals AS p ON p.principal_id = m.member_principal_id WHERE p.name = N'log_shipping';",
      ].join('\n'),
    );
    expect(() => parseTsql(query)).not.toThrow();
    expect(addServerRoleMemberStatement('dbcreator', 'log_shipping')).toBe('ALTER SERVER ROLE [dbcreator] ADD MEMBER [log_shipping];');
  });

  it('creates the database in the full recovery model', () => {
    expect(createDatabaseBatch('lms')).toBe('CREATE DATABASE [lms]; ALTER DATABASE [lms] SET RECOVERY FULL;');
    expect(setRecoveryFullStatement('lms')).toBe('ALTER DATABASE [lms] SET RECOVERY FULL;');
  });

  it('reads, creates and remaps database users and their roles inside the database', () => {
    const user = databaseUserQuery('lms', 'loan_service');
    expect(user).toBe("SELECT CONVERT(varchar(200), sid, 1) AS sid FROM [lms].sys.database_principals WHERE name = N'loan_service' AND type = 'S';");
    expect(() => parseTsql(user)).not.toThrow();
    expect(createDatabaseUserStatement('lms', 'loan_service')).toBe("EXEC [lms].sys.sp_executesql N'CREATE USER [loan_service] FOR LOGIN [loan_service];';");
    expect(remapDatabaseUserStatement('lms', 'loan_service')).toBe("EXEC [lms].sys.sp_executesql N'ALTER USER [loan_service] WITH LOGIN = [loan_service];';");
    const roles = databaseRolesQuery('lms', 'loan_service');
    expect(roles).toBe(
      [
        'SELECT r.name AS role FROM [lms].sys.database_role_members AS m',
        'JOIN [lms].sys.database_principals AS r ON r.principal_id = m.role_principal_id',
        "JOIN [lms].sys.database_principals AS u ON u.principal_id = m.member_principal_id WHERE u.name = N'loan_service';",
      ].join('\n'),
    );
    expect(() => parseTsql(roles)).not.toThrow();
    expect(addDatabaseRoleMemberStatement('lms', 'db_datareader', 'loan_service')).toBe(
      "EXEC [lms].sys.sp_executesql N'ALTER ROLE [db_datareader] ADD MEMBER [loan_service];';",
    );
  });

  it('creates the ops database and its tables when missing', () => {
    const exists = databaseExistsQuery('lms_ops');
    expect(exists).toBe("SELECT CASE WHEN DB_ID(N'lms_ops') IS NULL THEN 0 ELSE 1 END AS present;");
    expect(() => parseTsql(exists)).not.toThrow();
    expect(createOpsDatabaseBatch('lms_ops')).toBe('CREATE DATABASE [lms_ops]; ALTER DATABASE [lms_ops] SET RECOVERY SIMPLE;');
    expect(createOpsTableBatch('lms_ops', 'job_run')).toBe(
      [
        'SET NOCOUNT ON;',
        "IF OBJECT_ID(N'[lms_ops].dbo.[job_run]', N'U') IS NULL",
        'BEGIN',
        "  CREATE TABLE [lms_ops].dbo.[job_run] (id bigint IDENTITY(1,1) NOT NULL PRIMARY KEY, job nvarchar(32) NOT NULL, started_at datetime2(3) NOT NULL, finished_at datetime2(3) NOT NULL, outcome nvarchar(16) NOT NULL CHECK (outcome IN (N'success', N'failure')), stopped_at_gap bit NOT NULL DEFAULT 0, detail nvarchar(max) NULL);",
        "  SELECT N'created' AS result;",
        'END',
        "ELSE SELECT N'unchanged' AS result;",
      ].join('\n'),
    );
    expect(createOpsTableBatch('lms_ops', 'backup_file')).toContain(
      'CREATE TABLE [lms_ops].dbo.[backup_file] (first_key nvarchar(400) NOT NULL PRIMARY KEY, keys nvarchar(max) NOT NULL, database_name nvarchar(128) NULL, backup_type smallint NOT NULL, ' +
        'first_lsn numeric(25,0) NOT NULL, last_lsn numeric(25,0) NOT NULL, checkpoint_lsn numeric(25,0) NOT NULL, database_backup_lsn numeric(25,0) NULL, ' +
        'differential_base_lsn numeric(25,0) NULL, backup_finish_date datetime2(3) NOT NULL, read_at datetime2(3) NOT NULL);',
    );
    expect(createOpsTableBatch('lms_ops', 'restored_file')).toContain(
      'CREATE TABLE [lms_ops].dbo.[restored_file] (id bigint IDENTITY(1,1) NOT NULL PRIMARY KEY, first_key nvarchar(400) NOT NULL, backup_type smallint NOT NULL, first_lsn numeric(25,0) NOT NULL, ' +
        'last_lsn numeric(25,0) NOT NULL, backup_finish_date datetime2(3) NOT NULL, restored_at datetime2(3) NOT NULL);',
    );
  });
});
