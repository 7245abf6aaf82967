import { inDatabase, quoteName, quoteString, quotedVariable } from './quote';

/**
 * Creates the S3 credential named `credentialName` (the backup URL base), or sets its secret
 * when it exists. The secret `<access key id>:<secret key>` is the parameter `@secret`: it never
 * appears in the statement text. Returns one row: `result` created or updated.
 */
export function credentialBatch(credentialName: string): string {
  const name = quoteString(credentialName);
  return [
    'SET NOCOUNT ON;',
    `DECLARE @verb nvarchar(6) = CASE WHEN EXISTS (SELECT 1 FROM sys.credentials WHERE name = ${name}) THEN N'ALTER' ELSE N'CREATE' END;`,
    `DECLARE @sql nvarchar(max) = @verb + N' CREDENTIAL ' + ${quoteString(quoteName(credentialName))} + N' WITH IDENTITY = N''S3 Access Key'', SECRET = ' + ${quotedVariable('@secret')} + N';';`,
    'EXEC (@sql);',
    "SELECT CASE @verb WHEN N'ALTER' THEN N'updated' ELSE N'created' END AS result;",
  ].join('\n');
}

/**
 * The SQL login `name` as it is: its SID (`0x...`, text) and whether the parameter `@password`
 * is its password (PWDCOMPARE), so an unchanged password is left alone. No row: no such login.
 */
export function loginStateQuery(name: string): string {
  return `SELECT CONVERT(varchar(200), sid, 1) AS sid, PWDCOMPARE(@password, password_hash) AS password_matches FROM sys.sql_logins WHERE name = ${quoteString(name)};`;
}

/** Creates SQL login `name` with SID `sid` (the same at both sites); the password is the parameter `@password`. */
export function createLoginBatch(name: string, sid: string): string {
  return [
    `DECLARE @sql nvarchar(max) = ${quoteString(`CREATE LOGIN ${quoteName(name)} WITH PASSWORD = `)} + ${quotedVariable('@password')} + ${quoteString(`, SID = ${sid}, CHECK_POLICY = OFF;`)};`,
    'EXEC (@sql);',
  ].join('\n');
}

/** Sets the password of SQL login `name` to the parameter `@password`. */
export function alterLoginPasswordBatch(name: string): string {
  return [
    `DECLARE @sql nvarchar(max) = ${quoteString(`ALTER LOGIN ${quoteName(name)} WITH PASSWORD = `)} + ${quotedVariable('@password')} + N';';`,
    'EXEC (@sql);',
  ].join('\n');
}

/** The server roles login `name` is a member of: rows with `role`. */
export function serverRolesQuery(name: string): string {
  return [
    'SELECT r.name AS role FROM sys.server_role_members AS m',
    'JOIN sys.server_principals AS r ON r.principal_id = m.role_principal_id',
    `JOIN sys.server_principals AS p ON p.principal_id = m.member_principal_id WHERE p.name = ${quoteString(name)};`,
  ].join('\n');
}

export function addServerRoleMemberStatement(role: string, name: string): string {
  return `ALTER SERVER ROLE ${quoteName(role)} ADD MEMBER ${quoteName(name)};`;
}

/** `CREATE DATABASE` in the server's default locations, then the full recovery model log shipping needs. */
export function createDatabaseBatch(database: string): string {
  return `CREATE DATABASE ${quoteName(database)}; ALTER DATABASE ${quoteName(database)} SET RECOVERY FULL;`;
}

export function setRecoveryFullStatement(database: string): string {
  return `ALTER DATABASE ${quoteName(database)} SET RECOVERY FULL;`;
}

/** The user of login `name` in `database`: a row with its SID as text (`0x...`), or none. */
export function databaseUserQuery(database: string, name: string): string {
  return `SELECT CONVERT(varchar(200), sid, 1) AS sid FROM ${quoteName(database)}.sys.database_principals WHERE name = ${quoteString(name)} AND type = 'S';`;
}

export function createDatabaseUserStatement(database: string, name: string): string {
  return inDatabase(database, `CREATE USER ${quoteName(name)} FOR LOGIN ${quoteName(name)};`);
}

/** Maps an existing user whose SID is not the login's (an orphaned user) back to the login. */
export function remapDatabaseUserStatement(database: string, name: string): string {
  return inDatabase(database, `ALTER USER ${quoteName(name)} WITH LOGIN = ${quoteName(name)};`);
}

/** The database roles user `name` of `database` is a member of: rows with `role`. */
export function databaseRolesQuery(database: string, name: string): string {
  const db = quoteName(database);
  return [
    `SELECT r.name AS role FROM ${db}.sys.database_role_members AS m`,
    `JOIN ${db}.sys.database_principals AS r ON r.principal_id = m.role_principal_id`,
    `JOIN ${db}.sys.database_principals AS u ON u.principal_id = m.member_principal_id WHERE u.name = ${quoteString(name)};`,
  ].join('\n');
}

export function addDatabaseRoleMemberStatement(database: string, role: string, name: string): string {
  return inDatabase(database, `ALTER ROLE ${quoteName(role)} ADD MEMBER ${quoteName(name)};`);
}

/** Whether the ops database exists: one row, `present` 1 or 0. */
export function databaseExistsQuery(database: string): string {
  return `SELECT CASE WHEN DB_ID(${quoteString(database)}) IS NULL THEN 0 ELSE 1 END AS present;`;
}

/** The ops database, in the simple recovery model: its rows are a record, not shipped. */
export function createOpsDatabaseBatch(opsDatabase: string): string {
  return `CREATE DATABASE ${quoteName(opsDatabase)}; ALTER DATABASE ${quoteName(opsDatabase)} SET RECOVERY SIMPLE;`;
}

/** The ops tables, each created when missing: `backup_file`, `restored_file`, `job_run`. */
export const OPS_TABLES = ['backup_file', 'restored_file', 'job_run'] as const;
export type OpsTable = (typeof OPS_TABLES)[number];

const OPS_TABLE_COLUMNS: Record<OpsTable, string> = {
  // One row per backup set read with RESTORE HEADERONLY: keys is the JSON list of its objects.
  backup_file:
    'first_key nvarchar(400) NOT NULL PRIMARY KEY, keys nvarchar(max) NOT NULL, database_name nvarchar(128) NULL, backup_type smallint NOT NULL, ' +
    'first_lsn numeric(25,0) NOT NULL, last_lsn numeric(25,0) NOT NULL, checkpoint_lsn numeric(25,0) NOT NULL, database_backup_lsn numeric(25,0) NULL, ' +
    'differential_base_lsn numeric(25,0) NULL, backup_finish_date datetime2(3) NOT NULL, read_at datetime2(3) NOT NULL',
  restored_file:
    'id bigint IDENTITY(1,1) NOT NULL PRIMARY KEY, first_key nvarchar(400) NOT NULL, backup_type smallint NOT NULL, first_lsn numeric(25,0) NOT NULL, ' +
    'last_lsn numeric(25,0) NOT NULL, backup_finish_date datetime2(3) NOT NULL, restored_at datetime2(3) NOT NULL',
  job_run:
    "id bigint IDENTITY(1,1) NOT NULL PRIMARY KEY, job nvarchar(32) NOT NULL, started_at datetime2(3) NOT NULL, finished_at datetime2(3) NOT NULL, " +
    "outcome nvarchar(16) NOT NULL CHECK (outcome IN (N'success', N'failure')), stopped_at_gap bit NOT NULL DEFAULT 0, detail nvarchar(max) NULL",
};

/** Creates ops table `table` when missing; returns one row, `result` created or unchanged. */
export function createOpsTableBatch(opsDatabase: string, table: OpsTable): string {
  const name = `${quoteName(opsDatabase)}.dbo.${quoteName(table)}`;
  return [
    'SET NOCOUNT ON;',
    `IF OBJECT_ID(${quoteString(name)}, N'U') IS NULL`,
    'BEGIN',
    `  CREATE TABLE ${name} (${OPS_TABLE_COLUMNS[table]});`,
    "  SELECT N'created' AS result;",
    'END',
    "ELSE SELECT N'unchanged' AS result;",
  ].join('\n');
}
