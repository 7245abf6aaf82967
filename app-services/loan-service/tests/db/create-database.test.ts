import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECRET_RECHECK_MS, SecretFiles } from '../../src/config/secrets';
import type { MssqlDatabaseConfig } from '../../src/config/service-config';
import { createDatabase, mssqlConnection } from '../../src/db/create-database';
import { rewriteLikeVaultAgent } from '../support/vault-files';

/**
 * No SQL Server runs here: the password rotation is checked on what knex is given (its
 * connection provider) and on knex's own pool, with the driver's connect replaced by a
 * recorder of the settings each new connection would log in with.
 */
describe('SQL Server logins follow the password the Vault agent rewrites', () => {
  let vault: string;
  let clock: number;
  let config: MssqlDatabaseConfig;
  beforeEach(() => {
    vault = mkdtempSync(join(tmpdir(), 'vault-'));
    clock = 0;
    rewriteLikeVaultAgent(vault, 'mssql-password', 'first-password\n');
    const secrets = new SecretFiles(vault, {}, { now: () => clock });
    config = {
      client: 'mssql', host: 'sql-server.lms-data.svc.cluster.local', port: 1433, database: 'loan_service', user: 'loan_service',
      password: secrets.getter('mssql-password'), encrypt: true, poolMax: 4,
    };
  });
  afterEach(() => {
    rmSync(vault, { recursive: true, force: true });
  });

  it('the connection provider gives the current password and reports its settings stale once the file changes', () => {
    const provide = mssqlConnection(config);
    const first = provide();
    expect({ ...first, expirationChecker: undefined }).toEqual({
      server: 'sql-server.lms-data.svc.cluster.local',
      port: 1433,
      database: 'loan_service',
      user: 'loan_service',
      password: 'first-password',
      options: { encrypt: true, trustServerCertificate: false },
      expirationChecker: undefined,
    });
    expect(first.expirationChecker()).toBe(false);
    rewriteLikeVaultAgent(vault, 'mssql-password', 'second-password\n');
    clock += SECRET_RECHECK_MS;
    expect(first.expirationChecker()).toBe(true);
    const second = provide();
    expect(second.password).toBe('second-password');
    expect(second.expirationChecker()).toBe(false);
  });

  it('knex gives new connections the new password and replaces a pooled one after a rotation', async () => {
    const database = createDatabase(config);
    const client = database.client as {
      acquireConnection(): Promise<object>;
      releaseConnection(connection: object): Promise<void>;
      acquireRawConnection(): Promise<object>;
      destroyRawConnection(connection: object): Promise<void>;
      validateConnection(connection: object): Promise<boolean>;
      connectionSettings: { password: string };
    };
    const loggedInWith: string[] = [];
    const destroyed: object[] = [];
    // The driver's connect, replaced: what knex passes it is what tedious would log in with.
    client.acquireRawConnection = async function acquireRawConnection(this: typeof client) {
      loggedInWith.push(this.connectionSettings.password);
      return { connection: loggedInWith.length };
    };
    client.destroyRawConnection = async (connection) => {
      destroyed.push(connection);
    };
    client.validateConnection = async () => true;
    try {
      const first = await client.acquireConnection();
      await client.releaseConnection(first);
      // Same password: the pooled connection is reused.
      expect(await client.acquireConnection()).toBe(first);
      await client.releaseConnection(first);
      expect(loggedInWith).toEqual(['first-password']);

      rewriteLikeVaultAgent(vault, 'mssql-password', 'second-password\n');
      clock += SECRET_RECHECK_MS;
      const second = await client.acquireConnection();
      expect(second).not.toBe(first);
      expect(loggedInWith).toEqual(['first-password', 'second-password']);
      expect(destroyed).toEqual([first]);
      await client.releaseConnection(second);
    } finally {
      await database.destroy();
    }
  });
});
