import { seedApprovedConfiguration } from '../support/fixtures';
import { CONFIG_ADMIN_ALICE, CONFIG_ADMIN_BOB, LOAN_OFFICER_OLIVIA } from '../support/http-client';
import { startTestService, type TestService } from '../support/test-service';

describe('POST /v1/schedules', () => {
  let test: TestService;
  beforeAll(async () => {
    test = await startTestService();
    await seedApprovedConfiguration(test.client);
  });
  afterAll(async () => {
    await test.close();
  });

  const quote = (body: Record<string, unknown>) =>
    test.client.post('/v1/schedules', {
      as: LOAN_OFFICER_OLIVIA,
      body: { productId: 'salary-advance', principalNgwee: 1_000_000, instalmentCount: 12, startDate: '2026-01-15', ...body },
    });

  it('quotes the worked example under the product in force', async () => {
    // ZMW 10,000, 12 months, 24% p.a. reducing balance (worked in tests/money/repayment-schedule.test.ts);
    // fees: 250 bps of 1,000,000 = 25,000 + flat 5,000 = 30,000.
    const response = await quote({});
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      productId: 'salary-advance',
      productVersion: 1,
      method: 'reducing_balance',
      frequency: 'monthly',
      regularPaymentNgwee: 94_560,
      totalInterestNgwee: 134_715,
      totalRepayableNgwee: 1_134_715,
      upfrontFeesNgwee: 30_000,
      netDisbursementNgwee: 970_000,
    });
    expect(response.json.instalments).toHaveLength(12);
    expect(response.json.instalments[0]).toEqual({
      number: 1, dueDate: '2026-02-15', principalNgwee: 74_560, interestNgwee: 20_000, paymentNgwee: 94_560, closingBalanceNgwee: 925_440,
    });
  });

  it('follows a newly approved product version at once', async () => {
    await test.client.post('/v1/products/salary-advance/versions', {
      as: CONFIG_ADMIN_BOB,
      body: {
        name: 'Salary advance (flat)', currency: 'ZMW', annualInterestRateBps: 2400, interestMethod: 'flat', repaymentFrequency: 'monthly',
        arrangementFeeBps: 0, flatFeeNgwee: 0, minPrincipalNgwee: 50_000, maxPrincipalNgwee: 5_000_000, minInstalments: 1, maxInstalments: 24,
      },
    });
    const pending = await quote({});
    expect(pending.json.productVersion).toBe(1);
    await test.client.post('/v1/products/salary-advance/versions/2/approve', { as: CONFIG_ADMIN_ALICE });
    const response = await quote({});
    // flat: 240,000 interest, 11 x 103,333 + 103,337
    expect(response.json).toMatchObject({ productVersion: 2, method: 'flat', regularPaymentNgwee: 103_333, totalInterestNgwee: 240_000, upfrontFeesNgwee: 0 });
    expect(response.json.instalments[11].paymentNgwee).toBe(103_337);
  });

  it('answers 422 outside the product limits, 404 for an unknown product and 400 for bad input', async () => {
    const tooLong = await quote({ instalmentCount: 25 });
    expect(tooLong.status).toBe(422);
    expect(tooLong.json.message).toMatch(/^instalmentCount 25 is outside the limits of loan product "salary-advance" version \d \(allowed: 1 to 24 monthly instalments\)$/);
    const unknown = await quote({ productId: 'no-such-product' });
    expect(unknown.status).toBe(404);
    expect(unknown.json.message).toBe('loan product "no-such-product" has no approved version');
    const invalid = await quote({ principalNgwee: '10000', startDate: undefined });
    expect(invalid.status).toBe(400);
    expect(invalid.json.issues).toEqual([
      { path: 'body.principalNgwee', message: 'Invalid input: expected number, received string' },
      { path: 'body.startDate', message: 'Invalid input: expected string, received undefined' },
    ]);
  });

  it('needs an identity', async () => {
    const response = await test.client.post('/v1/schedules', { body: { productId: 'salary-advance', principalNgwee: 1, instalmentCount: 1, startDate: '2026-01-01' } });
    expect(response.status).toBe(401);
  });
});

describe('GET /v1/risk-grades', () => {
  it('answers 409 until thresholds are approved, then serves them and their history', async () => {
    const test = await startTestService();
    try {
      const none = await test.client.get('/v1/risk-grades', { as: LOAN_OFFICER_OLIVIA });
      expect(none.status).toBe(409);
      const noVersions = await test.client.get('/v1/risk-grades/versions', { as: LOAN_OFFICER_OLIVIA });
      expect(noVersions.status).toBe(404);
      expect(noVersions.json.message).toBe('risk grades "default" has no versions');
      await seedApprovedConfiguration(test.client);
      const current = await test.client.get('/v1/risk-grades', { as: LOAN_OFFICER_OLIVIA });
      expect(current.json).toMatchObject({ version: 1, status: 'approved', proposedBy: 'alice', decidedBy: 'bob', payload: { grades: [{ grade: 'A' }, { grade: 'B' }] } });
      const history = await test.client.get('/v1/risk-grades/versions', { as: LOAN_OFFICER_OLIVIA });
      expect(history.json.items).toHaveLength(1);
    } finally {
      await test.close();
    }
  });
});
