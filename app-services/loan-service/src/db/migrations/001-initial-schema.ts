import type { Knex } from 'knex';

/** Lengths shared by the tables; NVARCHAR on SQL Server, TEXT affinity on SQLite. */
const USER_ID_LENGTH = 200;
/** ISO 8601 UTC timestamps (`2026-01-15T08:30:00.000Z`) sort correctly as text on every dialect. */
const TIMESTAMP_LENGTH = 24;

/**
 * The initial schema. Written against the schema builder alone so the SQL Server DDL can be
 * generated and checked without a server (see tests/db/mssql-sql.test.ts).
 */
export function createInitialSchema(schema: Knex.SchemaBuilder): Knex.SchemaBuilder {
  return schema
    .createTable('config_versions', (table) => {
      table.increments('id').primary();
      table.string('config_type', 40).notNullable();
      table.string('config_key', 100).notNullable();
      table.integer('version').notNullable();
      table.string('status', 20).notNullable();
      table.text('payload').notNullable();
      table.string('proposed_by', USER_ID_LENGTH).notNullable();
      table.string('proposed_at', TIMESTAMP_LENGTH).notNullable();
      table.string('decided_by', USER_ID_LENGTH).nullable();
      table.string('decided_at', TIMESTAMP_LENGTH).nullable();
      table.string('rejection_reason', 1000).nullable();
      table.unique(['config_type', 'config_key', 'version'], { indexName: 'config_versions_type_key_version_unique', useConstraint: true });
    })
    .createTable('loan_applications', (table) => {
      // seq orders the cursor pagination; id is the public identifier.
      table.bigIncrements('seq').primary();
      table.string('id', 36).notNullable();
      // A UNIQUE constraint, not knex's default filtered unique index on SQL Server: the
      // documents' foreign key can only reference a primary key or a unique constraint.
      table.unique(['id'], { indexName: 'loan_applications_id_unique', useConstraint: true });
      table.string('product_id', 100).notNullable().index('loan_applications_product_id_index');
      table.integer('product_version').notNullable();
      table.string('applicant_national_id', 20).notNullable().index('loan_applications_applicant_index');
      table.string('applicant_name', 200).notNullable();
      table.bigInteger('applicant_monthly_income_ngwee').notNullable();
      table.integer('credit_score').notNullable();
      table.string('risk_grade', 20).notNullable();
      table.integer('risk_grades_version').notNullable();
      table.bigInteger('principal_ngwee').notNullable();
      table.integer('instalment_count').notNullable();
      table.string('start_date', 10).notNullable();
      table.bigInteger('total_repayable_ngwee').notNullable();
      table.string('status', 20).notNullable().index('loan_applications_status_index');
      table.string('created_by', USER_ID_LENGTH).notNullable();
      table.string('created_at', TIMESTAMP_LENGTH).notNullable();
      table.string('updated_at', TIMESTAMP_LENGTH).notNullable();
      table.string('decided_by', USER_ID_LENGTH).nullable();
      table.string('decided_at', TIMESTAMP_LENGTH).nullable();
      table.string('rejection_reason', 1000).nullable();
      table.string('disbursed_by', USER_ID_LENGTH).nullable();
      table.string('disbursed_at', TIMESTAMP_LENGTH).nullable();
    })
    .createTable('application_documents', (table) => {
      table.string('id', 36).primary();
      table.string('application_id', 36).notNullable().references('id').inTable('loan_applications');
      table.string('kind', 30).notNullable();
      table.string('content_type', 100).notNullable();
      table.bigInteger('size_bytes').notNullable();
      table.string('sha256', 64).notNullable();
      table.string('storage_key', 300).notNullable();
      table.string('uploaded_by', USER_ID_LENGTH).notNullable();
      table.string('uploaded_at', TIMESTAMP_LENGTH).notNullable();
      table.index(['application_id'], 'application_documents_application_index');
    });
}

export async function up(database: Knex): Promise<void> {
  await createInitialSchema(database.schema);
}

export async function down(database: Knex): Promise<void> {
  await database.schema.dropTable('application_documents').dropTable('loan_applications').dropTable('config_versions');
}
