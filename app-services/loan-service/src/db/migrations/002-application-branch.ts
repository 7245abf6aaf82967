import type { Knex } from 'knex';

/**
 * Every application belongs to a branch: `branch_code` (NOT NULL, indexed with `seq` for the
 * branch-scoped, seq-ordered pages). Applications stored before branches existed get
 * `unassigned`, a code no user works in: only head office can read them until an operator moves
 * each to its real branch (see the service README, "Rules the service enforces"). The default
 * stays on the column, so a row written outside the service without a branch is also hidden
 * rather than visible to a wrong branch. Frozen: the literal is not shared with the domain code.
 */
export function addApplicationBranch(schema: Knex.SchemaBuilder): Knex.SchemaBuilder {
  return schema.alterTable('loan_applications', (table) => {
    table.string('branch_code', 50).notNullable().defaultTo('unassigned', { constraintName: 'loan_applications_branch_code_default' });
    table.index(['branch_code', 'seq'], 'loan_applications_branch_seq_index');
  });
}

export async function up(database: Knex): Promise<void> {
  await addApplicationBranch(database.schema);
}

export async function down(database: Knex): Promise<void> {
  await database.schema.alterTable('loan_applications', (table) => {
    table.dropIndex(['branch_code', 'seq'], 'loan_applications_branch_seq_index');
    table.dropColumn('branch_code');
  });
}
