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
      expect(applied.map((row: { name: string }) => row.name)).toEqual(['001-initial-schema', '002-application-branch']);
      for (const table of ['config_versions', 'loan_applications', 'application_documents']) {
        expect(await second.schema.hasTable(table)).toBe(true);
      }
    } finally {
      await second.destroy();
    }
  });

  it('gives applications from before branches the "unassigned" branch, which no user works in', async () => {
    const database = createDatabase({ client: 'sqlite', filename: ':memory:', poolMax: 1 });
    try {
      await database.migrate.up({ migrationSource: new CompiledMigrationSource() });
      const legacyRow = {
        id: 'a1', product_id: 'salary-advance', product_version: 1, applicant_national_id: '123456/78/1', applicant_name: 'Mwila Banda',
        applicant_monthly_income_ngwee: 1_000_000, credit_score: 720, risk_grade: 'A', risk_grades_version: 1, principal_ngwee: 1_000_000,
        instalment_count: 12, start_date: '2026-01-15', total_repayable_ngwee: 1_134_715, status: 'submitted', created_by: 'olivia',
        created_at: '2026-01-15T08:00:00.000Z', updated_at: '2026-01-15T08:00:00.000Z',
      };
      await database('loan_applications').insert(legacyRow);
      await migrateToLatest(database);
      expect(await database('loan_applications').select('id', 'branch_code')).toEqual([{ id: 'a1', branch_code: 'unassigned' }]);
      const indexes = (await database.raw("select name from sqlite_master where type = 'index' and tbl_name = 'loan_applications'")) as Array<{ name: string }>;
      expect(indexes.map((index) => index.name)).toContain('loan_applications_branch_seq_index');
      const notNull = await database('loan_applications').insert({ ...legacyRow, id: 'a2', branch_code: null }).then(
        () => 'inserted',
        (error: unknown) => String((error as { message?: unknown }).message),
      );
      expect(notNull).toContain('NOT NULL constraint failed: loan_applications.branch_code');
    } finally {
      await database.destroy();
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
