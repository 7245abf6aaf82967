import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import knex, { type Knex } from 'knex';
import type { DatabaseConfig } from '../config/service-config';

/**
 * Opens a knex connection pool for the configured dialect.
 *
 * - `sqlite` (better-sqlite3): one connection (SQLite serialises writes anyway, and `:memory:`
 *   is per connection); WAL journal and foreign keys switched on; the file's directory is created.
 * - `mssql` (tedious): a pool of `DB_POOL_MAX` connections, TLS per `MSSQL_ENCRYPT`.
 */
export function createDatabase(config: DatabaseConfig): Knex {
  if (config.client === 'sqlite') {
    if (config.filename !== ':memory:') mkdirSync(dirname(config.filename), { recursive: true });
    return knex({
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
    client: 'mssql',
    connection: {
      server: config.host,
      port: config.port,
      database: config.database,
      user: config.user,
      password: config.password,
      options: { encrypt: config.encrypt, trustServerCertificate: false },
    },
    pool: { min: 0, max: config.poolMax },
  });
}
