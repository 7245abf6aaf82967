import type { Knex } from 'knex';
import { createDatabase } from '../../src/db/create-database';
import { migrateToLatest } from '../../src/db/migration-source';
import { ApplicationService } from '../../src/domain/application-service';
import { BusinessConfigurationService } from '../../src/domain/business-configuration-service';
import { ForbiddenError } from '../../src/domain/domain-errors';
import { ServiceMetrics } from '../../src/observability/service-metrics';
import { type ApplicationRecord, ApplicationRepository } from '../../src/repositories/application-repository';
import { ConfigVersionRepository } from '../../src/repositories/config-version-repository';
import { DocumentRepository } from '../../src/repositories/document-repository';

const APPROVED_BY_MIKE: ApplicationRecord = {
  id: '0f8e3c1a-2b4d-4e6f-8a9b-0c1d2e3f4a5b',
  branch: 'lusaka-cairo-road',
  productId: 'salary-advance',
  productVersion: 1,
  applicantNationalId: '123456/78/1',
  applicantName: 'Mwila Banda',
  applicantMonthlyIncomeNgwee: 1_000_000,
  creditScore: 720,
  riskGrade: 'A',
  riskGradesVersion: 1,
  principalNgwee: 1_000_000,
  instalmentCount: 12,
  startDate: '2026-01-15',
  totalRepayableNgwee: 1_134_715,
  status: 'approved',
  createdBy: 'olivia',
  createdAt: '2026-01-15T08:00:00.000Z',
  updatedAt: '2026-01-15T09:00:00.000Z',
  decidedBy: 'mike',
  decidedAt: '2026-01-15T09:00:00.000Z',
  rejectionReason: null,
  disbursedBy: null,
  disbursedAt: null,
};

/** Answers the first read from a snapshot taken before another request changed the row. */
class StaleReadRepository extends ApplicationRepository {
  private stale = true;

  constructor(database: Knex, private readonly snapshot: ApplicationRecord) {
    super(database);
  }

  override async findById(id: string): Promise<ApplicationRecord | undefined> {
    if (!this.stale) return super.findById(id);
    this.stale = false;
    return this.snapshot;
  }
}

describe('ApplicationService.disburse under concurrency', () => {
  let database: Knex;
  beforeEach(async () => {
    database = createDatabase({ client: 'sqlite', filename: ':memory:', poolMax: 1 });
    await migrateToLatest(database);
    await new ApplicationRepository(database).insert(APPROVED_BY_MIKE);
  });
  afterEach(async () => {
    await database.destroy();
  });

  it('lets the database refuse an approver who passed the check on a stale read', async () => {
    // The read the check relies on says chileshe approved; the row says mike did.
    const stale = new StaleReadRepository(database, { ...APPROVED_BY_MIKE, decidedBy: 'chileshe' });
    const clock = () => new Date('2026-01-15T10:00:00.000Z');
    const configVersions = new ConfigVersionRepository(database);
    const metrics = new ServiceMetrics();
    const service = new ApplicationService(stale, configVersions, new BusinessConfigurationService(configVersions, metrics, clock), metrics, clock, new DocumentRepository(database));
    const context = { identity: { userId: 'mike', roles: ['credit_manager' as const], branches: ['lusaka-cairo-road'] }, log: { info: () => undefined } };

    await expect(service.disburse(context, APPROVED_BY_MIKE.id)).rejects.toThrow(
      new ForbiddenError(
        `loan application "${APPROVED_BY_MIKE.id}" was created by "olivia" and approved by "mike"; "mike" cannot also disburse it ` +
          '(four eyes: the credit_manager who disburses must be neither its creator nor its approver)',
      ),
    );
    const row = await database('loan_applications').where({ id: APPROVED_BY_MIKE.id }).first();
    expect(row).toMatchObject({ status: 'approved', disbursed_by: null });
  });
});
