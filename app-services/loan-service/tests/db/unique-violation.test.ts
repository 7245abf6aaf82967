import { createDatabase } from '../../src/db/create-database';
import { migrateToLatest } from '../../src/db/migration-source';
import { isUniqueViolation } from '../../src/db/unique-violation';

describe('isUniqueViolation', () => {
  it('recognises a real SQLite unique violation', async () => {
    const database = createDatabase({ client: 'sqlite', filename: ':memory:', poolMax: 1 });
    try {
      await migrateToLatest(database);
      const row = {
        config_type: 'risk_grades', config_key: 'default', version: 1, status: 'proposed', payload: '{}',
        proposed_by: 'alice', proposed_at: '2026-01-01T00:00:00.000Z',
      };
      await database('config_versions').insert(row);
      const error = await database('config_versions').insert(row).then(() => undefined, (caught: unknown) => caught);
      expect(isUniqueViolation(error)).toBe(true);
    } finally {
      await database.destroy();
    }
  });

  it('recognises SQL Server error numbers 2627 and 2601 and nothing else', () => {
    expect(isUniqueViolation({ number: 2627 })).toBe(true);
    expect(isUniqueViolation({ number: 2601 })).toBe(true);
    expect(isUniqueViolation({ number: 547 })).toBe(false);
    expect(isUniqueViolation({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })).toBe(false);
    expect(isUniqueViolation('SQLITE_CONSTRAINT_UNIQUE')).toBe(false);
  });
});
