import type { Knex } from 'knex';
import * as initialSchema from './migrations/001-initial-schema';
import * as applicationBranch from './migrations/002-application-branch';

interface Migration {
  up(database: Knex): Promise<void>;
  down(database: Knex): Promise<void>;
}

/**
 * Migrations are imported as modules rather than discovered on disk, so the same list runs from
 * the TypeScript sources in tests and from dist/ in the container. Append new ones; never rename.
 */
const MIGRATIONS: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['001-initial-schema', initialSchema],
  ['002-application-branch', applicationBranch],
];

/** knex migration source over the compiled-in migration list. */
export class CompiledMigrationSource implements Knex.MigrationSource<string> {
  async getMigrations(): Promise<string[]> {
    return MIGRATIONS.map(([name]) => name);
  }

  getMigrationName(migration: string): string {
    return migration;
  }

  async getMigration(name: string): Promise<Knex.Migration> {
    const found = MIGRATIONS.find(([candidate]) => candidate === name);
    if (found === undefined) throw new Error(`unknown migration "${name}"`);
    return found[1];
  }
}

/** Brings the schema up to date. Safe to run on every start: knex locks and skips applied migrations. */
export async function migrateToLatest(database: Knex): Promise<void> {
  await database.migrate.latest({ migrationSource: new CompiledMigrationSource() });
}
