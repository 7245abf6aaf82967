import { MWILA_APPLICATION, seedApprovedConfiguration } from '../support/fixtures';
import { LOAN_OFFICER_OLIVIA } from '../support/http-client';
import { startTestService, TEST_TODAY, type TestService } from '../support/test-service';

describe('the loan start date', () => {
  let test: TestService;
  beforeAll(async () => {
    test = await startTestService();
    await seedApprovedConfiguration(test.client);
  });
  afterAll(async () => {
    await test.close();
  });

  const quote = (startDate: string) =>
    test.client.post('/v1/schedules', {
      as: LOAN_OFFICER_OLIVIA,
      body: { productId: 'salary-advance', principalNgwee: 1_000_000, instalmentCount: 12, startDate },
    });
  const outOfRange = (startDate: string) =>
    `startDate ${startDate} is outside the allowed range (allowed: 2026-01-08 to 2027-01-15, ` +
    'that is from 7 days before today to one year after today, UTC)';

  it(`may be from 7 days before today (${TEST_TODAY}) to one year after`, async () => {
    for (const startDate of ['2026-01-08', TEST_TODAY, '2027-01-15']) {
      const response = await quote(startDate);
      expect({ startDate, status: response.status }).toEqual({ startDate, status: 200 });
    }
  });

  it('refuses dates further back or ahead with 422, naming the allowed range', async () => {
    for (const startDate of ['2026-01-07', '2027-01-16', '9999-12-31', '1970-01-01']) {
      const response = await quote(startDate);
      expect({ status: response.status, message: response.json.message }).toEqual({ status: 422, message: outOfRange(startDate) });
    }
    const application = await test.client.post('/v1/applications', { as: LOAN_OFFICER_OLIVIA, body: { ...MWILA_APPLICATION, startDate: '9999-01-01' } });
    expect({ status: application.status, message: application.json.message }).toEqual({ status: 422, message: outOfRange('9999-01-01') });
  });

  it('defaults to today on an application', async () => {
    const { startDate: _omitted, ...withoutStartDate } = MWILA_APPLICATION;
    const created = await test.client.post('/v1/applications', { as: LOAN_OFFICER_OLIVIA, body: withoutStartDate });
    expect(created.status).toBe(201);
    expect(created.json.startDate).toBe(TEST_TODAY);
  });
});
