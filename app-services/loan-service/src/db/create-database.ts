import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import knex, { type Knex } from 'knex';
import type { Logger } from 'pino';
import type { DatabaseConfig, MssqlDatabaseConfig } from '../config/service-config';

/**
 * knex's own messages (e.g. "Acquire connection error" with a stack trace) as JSON log lines
 * instead of coloured multi-line console text.
 */
function knexLog(logger: Logger | undefined): Knex.Config['log'] {
  if (logger === undefined) return undefined;
  const log = logger.child({ component: 'knex' });
  return {
    warn: (message: unknown) => log.warn(String(message)),
    error: (message: unknown) => log.error(String(message)),
    deprecate: (method: string, alternative: string) => log.warn(`${method} is deprecated, use ${alternative}`),
    debug: (message: unknown) => log.debug(String(message)),
  };
}

/**
 * Opens a knex connection pool for the configured dialect.
 *
 * - `sqlite` (better-sqlite3): one connection (SQLite serialises writes anyway, and `:memory:`
 *   is per connection); WAL journal and foreign keys switched on; the file's directory is created.
 * - `mssql` (tedious): a pool of `DB_POOL_MAX` connections, TLS per `MSSQL_ENCRYPT`. The login's
 *   password is read for each new connection (`mssqlConnection`), so a password the Vault agent
 *   rewrites is used without a restart.
 *
 * knex's own warnings go to `logger` as JSON lines (the service passes its logger; without
 * one, knex prints to the console).
 */
export function createDatabase(config: DatabaseConfig, logger?: Logger): Knex {
  if (config.client === 'sqlite') {
    if (config.filename !== ':memory:') mkdirSync(dirname(config.filename), { recursive: true });
    return knex({
      log: knexLog(logger),
      client: 'better-sqlite3',
      connection: { filename: config.filename },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate: (connection: { pragma: (statement: string) => unknown }, done: (error: Error | null) => void) => {
          connection.pragma('journal_mode = WAL');
          connection.pragma('foreign_keys = ON');
          connection.pragma('busy_timeout = 5000');
          done(null);
        },
      },
    });
  }
  return knex({
    log: knexLog(logger),
    client: 'mssql',
    connection: mssqlConnection(config),
    pool: { min: 0, max: config.poolMax },
  });
}

/** The SQL Server connection settings with the password as it is now, and when they go stale. */
export type MssqlConnectionSettings = Knex.MsSqlConnectionConfig & { readonly expirationChecker: () => boolean };

/**
 * knex's connection provider for SQL Server: knex calls it for the first connection and again
 * whenever `expirationChecker` reports the settings stale, which is when the password file
 * holds another password than the one they carry. New connections then log in with the new
 * password; a pooled connection found stale on acquire is replaced rather than reused.
 */
export function mssqlConnection(config: MssqlDatabaseConfig): () => MssqlConnectionSettings {
  return () => {
    const password = config.password();
    return {
      server: config.host,
      port: config.port,
      database: config.database,
      user: config.user,
      password,
      options: { encrypt: config.encrypt, trustServerCertificate: false },
      expirationChecker: () => config.password() !== password,
    };
  };
}
