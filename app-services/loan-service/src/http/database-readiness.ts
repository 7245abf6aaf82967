import Database from 'better-sqlite3';
import type { Knex } from 'knex';
import type { DatabaseConfig } from '../config/service-config';

/** The service's own tables (see db/migrations): readiness reads from each. */
export const SERVICE_TABLES = ['config_versions', 'loan_applications', 'application_documents'] as const;

/**
 * The database part of /readyz: a real query on the service's tables, not `select 1`.
 *
 * - Every dialect: one row (at most) of each service table, through the pool, so a missing
 *   schema, a lost permission or a dead pool all fail it.
 * - A SQLite file, also: the same reads on a fresh read-only connection. The pool's connection
 *   trusts its page cache and keeps answering from it after the file has been damaged or
 *   replaced under it; a new connection reads the file itself and fails ("file is not a
 *   database", "database disk image is malformed", "no such table"). Reading a root page of each
 *   table is cheap whatever the file's size, unlike `PRAGMA quick_check`.
 */
export function createDatabaseCheck(database: Knex, config: DatabaseConfig): () => Promise<void> {
  return async () => {
    for (const table of SERVICE_TABLES) await database(table).select(database.raw('1 as present')).limit(1);
    if (config.client === 'sqlite' && config.filename !== ':memory:') readFileAfresh(config.filename);
  };
}

function readFileAfresh(filename: string): void {
  const connection = new Database(filename, { readonly: true, fileMustExist: true });
  try {
    for (const table of SERVICE_TABLES) connection.prepare(`select 1 from "${table}" limit 1`).get();
  } finally {
    connection.close();
  }
}
