import type { LoginConfig, LogShippingConfig } from '../config/log-shipping-config';
import type { S3Credentials } from '../connection/credentials-file';
import { JobFailure } from '../errors';
import type { Output } from '../log';
import type { SqlSession } from '../sql/sql-session';
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
  OPS_TABLES,
  remapDatabaseUserStatement,
  serverRolesQuery,
  setRecoveryFullStatement,
} from '../tsql/setup-statements';
import { describeDatabaseState, readDatabaseState } from './database-state';

export interface SetupInputs {
  readonly config: LogShippingConfig;
  /** Keys for the SQL Server credential, from S3_CREDENTIALS_FILE. */
  readonly credentials: S3Credentials;
  /** Each login's password, read from its passwordFile, by login name. */
  readonly passwords: ReadonlyMap<string, string>;
}

/**
 * Brings SQL Server to what log shipping needs, idempotently: the ops database and tables, the
 * S3 credential, the logins (same SID at both sites) with their server roles and, on the
 * primary, the database (full recovery model) with its users and their roles. One line per action.
 */
export async function runSetup(session: SqlSession, inputs: SetupInputs, output: Output): Promise<void> {
  const { config } = inputs;
  await ensureOpsDatabase(session, config.opsDatabase, output);
  const credential = await session.query(credentialBatch(config.backupUrlBase), {
    secret: `${inputs.credentials.accessKeyId}:${inputs.credentials.secretAccessKey}`,
  });
  output.report({ action: 'credential', name: config.backupUrlBase, result: String(credential[0]?.['result'] ?? 'updated') });
  for (const login of config.logins) await ensureLogin(session, config, login, passwordOf(inputs, login), output);
  if (config.role === 'secondary') return;
  await ensurePrimaryDatabase(session, config, output);
  for (const login of config.logins) await ensureDatabaseUser(session, config.database, login, output);
}

function passwordOf(inputs: SetupInputs, login: LoginConfig): string {
  const password = inputs.passwords.get(login.name);
  if (password === undefined) throw new Error(`no password was read for login "${login.name}"`);
  return password;
}

async function ensureOpsDatabase(session: SqlSession, opsDatabase: string, output: Output): Promise<void> {
  const present = (await session.query(databaseExistsQuery(opsDatabase)))[0]?.['present'];
  if (present !== 1) await session.execute(createOpsDatabaseBatch(opsDatabase));
  output.report({ action: 'ops-database', name: opsDatabase, result: present === 1 ? 'unchanged' : 'created' });
  for (const table of OPS_TABLES) {
    const result = (await session.query(createOpsTableBatch(opsDatabase, table)))[0]?.['result'];
    output.report({ action: 'ops-table', name: table, result: String(result ?? 'unchanged') });
  }
}

async function ensureLogin(session: SqlSession, config: LogShippingConfig, login: LoginConfig, password: string, output: Output): Promise<void> {
  const existing = (await session.query(loginStateQuery(login.name), { password }))[0];
  let result: string;
  if (existing === undefined) {
    await session.execute(createLoginBatch(login.name, login.sid), { password });
    result = 'created';
  } else {
    const sid = String(existing['sid']);
    if (sid.toLowerCase() !== login.sid.toLowerCase()) {
      throw new JobFailure(
        `login "${login.name}" exists at ${config.site} with SID ${sid}, not the configured ${login.sid}: the database users restored from the other site would not map to it. ` +
          `Drop the login (DROP LOGIN [${login.name}]) and run setup again, or set its SID in the platform config to ${sid} at both sites`,
      );
    }
    if (existing['password_matches'] === 1) result = 'unchanged';
    else {
      await session.execute(alterLoginPasswordBatch(login.name), { password });
      result = 'updated';
    }
  }
  output.report({ action: 'login', name: login.name, result });

  const roles = new Set((await session.query(serverRolesQuery(login.name))).map((row) => String(row['role']).toLowerCase()));
  for (const role of login.serverRoles) {
    const member = roles.has(role.toLowerCase());
    if (!member) await session.execute(addServerRoleMemberStatement(role, login.name));
    output.report({ action: 'server-role', login: login.name, role, result: member ? 'unchanged' : 'added' });
  }
}

async function ensurePrimaryDatabase(session: SqlSession, config: LogShippingConfig, output: Output): Promise<void> {
  const state = await readDatabaseState(session, config.database);
  let result: string;
  if (state === undefined) {
    await session.execute(createDatabaseBatch(config.database));
    result = 'created';
  } else if (state.state === 'RESTORING' || state.inStandby) {
    throw new JobFailure(
      `database "${config.database}" at ${config.site} is a restoring standby copy: recover it (the failover runbook's recover step) before this site serves as primary`,
    );
  } else if (state.state !== 'ONLINE') {
    throw new JobFailure(`database "${config.database}" at ${config.site} is ${describeDatabaseState(state)}: bring it ONLINE before this site serves as primary`);
  } else if (state.recoveryModel !== 'FULL') {
    await session.execute(setRecoveryFullStatement(config.database));
    result = 'updated';
  } else {
    result = 'unchanged';
  }
  output.report({ action: 'database', name: config.database, result });
}

async function ensureDatabaseUser(session: SqlSession, database: string, login: LoginConfig, output: Output): Promise<void> {
  const user = (await session.query(databaseUserQuery(database, login.name)))[0];
  let result: string;
  if (user === undefined) {
    await session.execute(createDatabaseUserStatement(database, login.name));
    result = 'created';
  } else if (String(user['sid']).toLowerCase() !== login.sid.toLowerCase()) {
    await session.execute(remapDatabaseUserStatement(database, login.name));
    result = 'updated';
  } else {
    result = 'unchanged';
  }
  output.report({ action: 'database-user', name: login.name, result });

  const roles = new Set((await session.query(databaseRolesQuery(database, login.name))).map((row) => String(row['role']).toLowerCase()));
  for (const role of login.databaseRoles) {
    const member = roles.has(role.toLowerCase());
    if (!member) await session.execute(addDatabaseRoleMemberStatement(database, role, login.name));
    output.report({ action: 'database-role', login: login.name, role, result: member ? 'unchanged' : 'added' });
  }
}

