import { JobFailure } from '../../src/errors';
import { runSetup, type SetupInputs } from '../../src/setup/run-setup';
import { databaseStateQuery } from '../../src/tsql/queries';
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
  serverRolesQuery,
} from '../../src/tsql/setup-statements';
import { LOAN_SERVICE_SID, LOG_SHIPPING_SID, primaryConfig, secondaryConfig } from '../support/configs';
import { FakeSqlSession } from '../support/fake-sql-session';
import { recordedOutput } from '../support/output';

const PASSWORDS = new Map([
  ['loan_service', "loan-service-p'ssword"],
  ['log_shipping', 'log-shipping-password'],
]);
const CREDENTIALS = { accessKeyId: 'lms-sql-backups', secretAccessKey: 's3-secret-key' };
const SECRETS = ["loan-service-p'ssword", 'log-shipping-password', 's3-secret-key'];

function inputs(config = primaryConfig()): SetupInputs {
  return { config, credentials: CREDENTIALS, passwords: PASSWORDS };
}

function created(session: FakeSqlSession): FakeSqlSession {
  for (const table of ['backup_file', 'restored_file', 'job_run'] as const) session.on(createOpsTableBatch('lms_ops', table), [{ result: 'created' }]);
  return session.on(credentialBatch('s3://minio.lms-data.svc.cluster.local:9000/sql-backups'), [{ result: 'created' }]);
}

describe('setup', () => {
  it('on a new primary creates the ops database and tables, the credential, the logins with their SIDs, the database and its users', async () => {
    const session = created(new FakeSqlSession());
    const output = recordedOutput();
    await runSetup(session, inputs(), output);
    expect(output.reports).toEqual([
      { action: 'ops-database', name: 'lms_ops', result: 'created' },
      { action: 'ops-table', name: 'backup_file', result: 'created' },
      { action: 'ops-table', name: 'restored_file', result: 'created' },
      { action: 'ops-table', name: 'job_run', result: 'created' },
      { action: 'credential', name: 's3://minio.lms-data.svc.cluster.local:9000/sql-backups', result: 'created' },
      { action: 'login', name: 'loan_service', result: 'created' },
      { action: 'login', name: 'log_shipping', result: 'created' },
      { action: 'server-role', login: 'log_shipping', role: 'dbcreator', result: 'added' },
      { action: 'database', name: 'lms', result: 'created' },
      { action: 'database-user', name: 'loan_service', result: 'created' },
      { action: 'database-role', login: 'loan_service', role: 'db_datareader', result: 'added' },
      { action: 'database-role', login: 'loan_service', role: 'db_datawriter', result: 'added' },
      { action: 'database-role', login: 'loan_service', role: 'db_ddladmin', result: 'added' },
      { action: 'database-user', name: 'log_shipping', result: 'created' },
      { action: 'database-role', login: 'log_shipping', role: 'db_backupoperator', result: 'added' },
    ]);
    expect(session.texts()).toEqual([
      databaseExistsQuery('lms_ops'),
      createOpsDatabaseBatch('lms_ops'),
      createOpsTableBatch('lms_ops', 'backup_file'),
      createOpsTableBatch('lms_ops', 'restored_file'),
      createOpsTableBatch('lms_ops', 'job_run'),
      credentialBatch('s3://minio.lms-data.svc.cluster.local:9000/sql-backups'),
      loginStateQuery('loan_service'),
      createLoginBatch('loan_service', LOAN_SERVICE_SID),
      serverRolesQuery('loan_service'),
      loginStateQuery('log_shipping'),
      createLoginBatch('log_shipping', LOG_SHIPPING_SID),
      serverRolesQuery('log_shipping'),
      addServerRoleMemberStatement('dbcreator', 'log_shipping'),
      databaseStateQuery('lms'),
      createDatabaseBatch('lms'),
      databaseUserQuery('lms', 'loan_service'),
      createDatabaseUserStatement('lms', 'loan_service'),
      databaseRolesQuery('lms', 'loan_service'),
      addDatabaseRoleMemberStatement('lms', 'db_datareader', 'loan_service'),
      addDatabaseRoleMemberStatement('lms', 'db_datawriter', 'loan_service'),
      addDatabaseRoleMemberStatement('lms', 'db_ddladmin', 'loan_service'),
      databaseUserQuery('lms', 'log_shipping'),
      createDatabaseUserStatement('lms', 'log_shipping'),
      databaseRolesQuery('lms', 'log_shipping'),
      addDatabaseRoleMemberStatement('lms', 'db_backupoperator', 'log_shipping'),
    ]);
  });

  it('passes secrets only as parameters, never in statement text', async () => {
    const session = created(new FakeSqlSession());
    await runSetup(session, inputs(), recordedOutput());
    const texts = session.texts().join('\n');
    for (const secret of SECRETS) expect(texts).not.toContain(secret);
    expect(session.statements.find((statement) => statement.text.startsWith('SET NOCOUNT ON;\nDECLARE @verb'))?.parameters).toEqual({ secret: 'lms-sql-backups:s3-secret-key' });
    expect(session.statements.find((statement) => statement.text === createLoginBatch('loan_service', LOAN_SERVICE_SID))?.parameters).toEqual({
      password: "loan-service-p'ssword",
    });
  });

  it('changes nothing that is already as configured, and sets a changed password', async () => {
    const session = created(new FakeSqlSession())
      .on(databaseExistsQuery('lms_ops'), [{ present: 1 }])
      .on(loginStateQuery('loan_service'), [{ sid: LOAN_SERVICE_SID, password_matches: 1 }])
      .on(loginStateQuery('log_shipping'), [{ sid: LOG_SHIPPING_SID.toLowerCase(), password_matches: 0 }])
      .on(serverRolesQuery('log_shipping'), [{ role: 'dbcreator' }])
      .on(databaseStateQuery('lms'), [{ state_desc: 'ONLINE', is_in_standby: false, recovery_model_desc: 'FULL' }])
      .on(databaseUserQuery('lms', 'loan_service'), [{ sid: LOAN_SERVICE_SID }])
      .on(databaseUserQuery('lms', 'log_shipping'), [{ sid: LOG_SHIPPING_SID }])
      .on(databaseRolesQuery('lms', 'loan_service'), [{ role: 'db_datareader' }, { role: 'db_datawriter' }, { role: 'db_ddladmin' }])
      .on(databaseRolesQuery('lms', 'log_shipping'), [{ role: 'db_backupoperator' }]);
    const output = recordedOutput();
    await runSetup(session, inputs(), output);
    expect(output.reports.filter((report) => report['result'] !== 'unchanged')).toEqual([
      { action: 'ops-table', name: 'backup_file', result: 'created' },
      { action: 'ops-table', name: 'restored_file', result: 'created' },
      { action: 'ops-table', name: 'job_run', result: 'created' },
      { action: 'credential', name: 's3://minio.lms-data.svc.cluster.local:9000/sql-backups', result: 'created' },
      { action: 'login', name: 'log_shipping', result: 'updated' },
    ]);
    expect(session.texts()).toContain(alterLoginPasswordBatch('log_shipping'));
    expect(session.texts()).not.toContain(createOpsDatabaseBatch('lms_ops'));
  });

  it('on a secondary sets up logins and the credential only: the users come inside the restored database', async () => {
    const session = created(new FakeSqlSession());
    const output = recordedOutput();
    await runSetup(session, inputs(secondaryConfig()), output);
    expect(output.reports.map((report) => report['action'])).toEqual([
      'ops-database',
      'ops-table',
      'ops-table',
      'ops-table',
      'credential',
      'login',
      'login',
      'server-role',
    ]);
    expect(session.texts()).not.toContain(databaseStateQuery('lms'));
  });

  it('refuses a primary whose database is a restoring standby copy', async () => {
    const session = created(new FakeSqlSession()).on(databaseStateQuery('lms'), [{ state_desc: 'RESTORING', is_in_standby: false, recovery_model_desc: 'FULL' }]);
    await expect(runSetup(session, inputs(primaryConfig({ site: 'kitwe', ownPrefix: 'kitwe/lms/' })), recordedOutput())).rejects.toThrow(
      new JobFailure(
        'database "lms" at kitwe is a restoring standby copy: recover it (the failover runbook\'s recover step) before this site serves as primary',
      ),
    );
    const standby = created(new FakeSqlSession()).on(databaseStateQuery('lms'), [{ state_desc: 'ONLINE', is_in_standby: true, recovery_model_desc: 'FULL' }]);
    await expect(runSetup(standby, inputs(), recordedOutput())).rejects.toThrow(JobFailure);
  });

  it('refuses a login that exists with another SID, naming both and what to do', async () => {
    const session = created(new FakeSqlSession()).on(loginStateQuery('loan_service'), [{ sid: '0xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', password_matches: 1 }]);
    await expect(runSetup(session, inputs(secondaryConfig()), recordedOutput())).rejects.toThrow(
      new JobFailure(
        `login "loan_service" exists at kitwe with SID 0xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA, not the configured ${LOAN_SERVICE_SID}: the database users restored from the other site would not map to it. ` +
          'Drop the login (DROP LOGIN [loan_service]) and run setup again, or set its SID in the platform config to 0xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA at both sites',
      ),
    );
  });
});
