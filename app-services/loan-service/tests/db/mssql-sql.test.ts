import knex from 'knex';
import { createInitialSchema } from '../../src/db/migrations/001-initial-schema';
import { addApplicationBranch } from '../../src/db/migrations/002-application-branch';
import { ApplicationRepository } from '../../src/repositories/application-repository';
import { ConfigVersionRepository } from '../../src/repositories/config-version-repository';

/**
 * No SQL Server runs here, so the SQL the service would send it is checked as generated text:
 * a knex client for the mssql dialect builds the statements without connecting.
 */
describe('SQL Server dialect', () => {
  const mssql = knex({ client: 'mssql' });
  afterAll(async () => {
    await mssql.destroy();
  });

  const ddl = createInitialSchema(mssql.schema).toSQL().map((statement) => statement.sql);
  const createTable = (name: string): string => {
    const statement = ddl.find((sql) => sql.startsWith(`CREATE TABLE [${name}]`));
    if (statement === undefined) throw new Error(`no CREATE TABLE for ${name}`);
    return statement;
  };

  it('stores money as BIGINT ngwee and text as NVARCHAR', () => {
    const applications = createTable('loan_applications');
    expect(applications).toContain('[seq] bigint identity(1,1) not null primary key');
    expect(applications).toContain('[principal_ngwee] bigint not null');
    expect(applications).toContain('[total_repayable_ngwee] bigint not null');
    expect(applications).toContain('[applicant_monthly_income_ngwee] bigint not null');
    expect(applications).toContain('[applicant_name] nvarchar(200) not null');
    expect(applications).toContain('[rejection_reason] nvarchar(1000) null');
    expect(createTable('application_documents')).toContain('[size_bytes] bigint not null');
  });

  it('adds the application branch as NVARCHAR(50) NOT NULL, existing rows "unassigned", indexed with seq', () => {
    expect(addApplicationBranch(mssql.schema).toSQL().map((statement) => statement.sql)).toEqual([
      "ALTER TABLE [loan_applications] ADD [branch_code] nvarchar(50) not null CONSTRAINT [loan_applications_branch_code_default] DEFAULT 'unassigned'",
      'CREATE INDEX [loan_applications_branch_seq_index] ON [loan_applications] ([branch_code], [seq])',
    ]);
  });

  it('keeps configuration payloads in NVARCHAR(MAX) with one row per version', () => {
    expect(createTable('config_versions')).toContain('[payload] nvarchar(max) not null');
    expect(ddl).toContain(
      'ALTER TABLE [config_versions] ADD CONSTRAINT [config_versions_type_key_version_unique] UNIQUE ([config_type], [config_key], [version])',
    );
  });

  it('references applications through a UNIQUE constraint SQL Server accepts as a foreign-key target', () => {
    expect(ddl).toContain('ALTER TABLE [loan_applications] ADD CONSTRAINT [loan_applications_id_unique] UNIQUE ([id])');
    expect(createTable('application_documents')).toContain(
      'CONSTRAINT [application_documents_application_id_foreign] FOREIGN KEY ([application_id]) REFERENCES [loan_applications] ([id])',
    );
    expect(ddl).toContain('CREATE INDEX [loan_applications_status_index] ON [loan_applications] ([status])');
  });

  it('pages applications with TOP (page size + 1) and a seq cursor', () => {
    const query = new ApplicationRepository(mssql)
      .listQuery({ status: 'submitted', productId: 'salary-advance', applicantNationalId: '123456/78/1', afterSeq: 40, limit: 20 })
      .toSQL()
      .toNative();
    expect(query).toEqual({
      sql:
        'select top (@p0) * from [loan_applications] where [status] = @p1 and [product_id] = @p2 ' +
        'and [applicant_national_id] = @p3 and [seq] > @p4 order by [seq] asc',
      bindings: [21, 'submitted', 'salary-advance', '123456/78/1', 40],
    });
  });

  it('filters a page by the branches in scope in the query itself', () => {
    const query = new ApplicationRepository(mssql)
      .listQuery({ branches: ['lusaka-cairo-road', 'kitwe-obote-avenue'], branch: 'kitwe-obote-avenue', applicantNationalId: '123456/78/1', limit: 20 })
      .toSQL()
      .toNative();
    expect(query).toEqual({
      sql:
        'select top (@p0) * from [loan_applications] where [branch_code] in (@p1, @p2) and [branch_code] = @p3 ' +
        'and [applicant_national_id] = @p4 order by [seq] asc',
      bindings: [21, 'lusaka-cairo-road', 'kitwe-obote-avenue', 'kitwe-obote-avenue', '123456/78/1'],
    });
  });

  it('selects the highest approved version of every product', () => {
    const { sql, bindings } = new ConfigVersionRepository(mssql).currentQuery('loan_product').toSQL().toNative();
    expect(sql).toBe(
      'select [current].* from [config_versions] as [current] where [current].[config_type] = @p0 and [current].[status] = @p1 ' +
        'and [current].[version] = (select max([newer].[version]) from [config_versions] as [newer] ' +
        'where [newer].[config_type] = [current].[config_type] and [newer].[config_key] = [current].[config_key] ' +
        'and [newer].[status] = @p2) order by [current].[config_key] asc',
    );
    expect(bindings).toEqual(['loan_product', 'approved', 'approved']);
  });

  it("counts an applicant's active applications in every branch through the NRC index", () => {
    const { sql, bindings } = new ApplicationRepository(mssql).activeForApplicantQuery('123456/78/1').toSQL().toNative();
    expect(sql).toBe('select count(*) as [active] from [loan_applications] where [applicant_national_id] = @p0 and [status] in (@p1, @p2, @p3)');
    expect(bindings).toEqual(['123456/78/1', 'submitted', 'approved', 'disbursed']);
  });

  it('makes status changes conditional on the current status and reads the row count', () => {
    const { sql } = mssql('loan_applications').where({ id: 'a', status: 'submitted' }).update({ status: 'approved' }).toSQL().toNative();
    expect(sql).toBe('update [loan_applications] set [status] = @p0 where [id] = @p1 and [status] = @p2;select @@rowcount');
  });

  it('refuses a disbursement by the creator or the approver in the UPDATE itself (four eyes)', () => {
    const { sql, bindings } = new ApplicationRepository(mssql)
      .transitionQuery(
        'a', 'approved', 'disbursed',
        { updatedAt: '2026-01-15T10:00:00.000Z', disbursedBy: 'chileshe', disbursedAt: '2026-01-15T10:00:00.000Z' },
        { userId: 'chileshe', mustDifferFrom: ['createdBy', 'decidedBy'] },
      )
      .toSQL()
      .toNative();
    expect(sql).toBe(
      'update [loan_applications] set [status] = @p0, [updated_at] = @p1, [disbursed_by] = @p2, [disbursed_at] = @p3 ' +
        'where [id] = @p4 and [status] = @p5 and [created_by] <> @p6 and [decided_by] <> @p7;select @@rowcount',
    );
    expect(bindings).toEqual(['disbursed', '2026-01-15T10:00:00.000Z', 'chileshe', '2026-01-15T10:00:00.000Z', 'a', 'approved', 'chileshe', 'chileshe']);
  });
});
