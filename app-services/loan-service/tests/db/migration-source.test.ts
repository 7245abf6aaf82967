import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '../../src/db/create-database';
import { CompiledMigrationSource, migrateToLatest } from '../../src/db/migration-source';

describe('migrations on SQLite', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'loan-db-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('creates the database directory, migrates, and is idempotent across restarts', async () => {
    const filename = join(directory, 'nested', 'loan-service.sqlite');
    const first = createDatabase({ client: 'sqlite', filename, poolMax: 10 });
    await migrateToLatest(first);
    await first.destroy();
    expect(existsSync(filename)).toBe(true);

    const second = createDatabase({ client: 'sqlite', filename, poolMax: 10 });
    try {
      await migrateToLatest(second);
      const applied = await second('knex_migrations').select('name');
      expect(applied.map((row: { name: string }) => row.name)).toEqual(['001-initial-schema']);
      for (const table of ['config_versions', 'loan_applications', 'application_documents']) {
        expect(await second.schema.hasTable(table)).toBe(true);
      }
    } finally {
      await second.destroy();
    }
  });

  it('enforces the documents foreign key', async () => {
    const database = createDatabase({ client: 'sqlite', filename: ':memory:', poolMax: 1 });
    try {
      await migrateToLatest(database);
      const outcome = await database('application_documents')
        .insert({
          id: 'd1', application_id: 'missing', kind: 'payslip', content_type: 'application/pdf', size_bytes: 1,
          sha256: 'x', storage_key: 'k', uploaded_by: 'u', uploaded_at: '2026-01-01T00:00:00.000Z',
        })
        .then(
          () => 'inserted',
          (error: unknown) => String((error as { message?: unknown }).message),
        );
      expect(outcome).toContain('FOREIGN KEY constraint failed');
    } finally {
      await database.destroy();
    }
  });

  it('rolls back cleanly', async () => {
    const database = createDatabase({ client: 'sqlite', filename: ':memory:', poolMax: 1 });
    try {
      await migrateToLatest(database);
      await database.migrate.rollback({ migrationSource: new CompiledMigrationSource() });
      expect(await database.schema.hasTable('loan_applications')).toBe(false);
    } finally {
      await database.destroy();
    }
  });

  it('refuses an unknown migration name', async () => {
    await expect(new CompiledMigrationSource().getMigration('999-nope')).rejects.toThrow('unknown migration "999-nope"');
  });
});
