import { MWILA_APPLICATION, SALARY_ADVANCE, seedApprovedConfiguration } from '../support/fixtures';
import { CONFIG_ADMIN_ALICE, CONFIG_ADMIN_BOB, LOAN_OFFICER_OLIVIA } from '../support/http-client';
import { startTestService, type TestService } from '../support/test-service';

/** 250 bps of 4,000 = 100, plus a flat 5,000: fees of 5,100 on the smallest loan of 4,000. */
const FEES_ABOVE_PRINCIPAL = { ...SALARY_ADVANCE, name: 'Legacy advance', minPrincipalNgwee: 4_000, flatFeeNgwee: 5_000 };

describe('up-front fees against the principal', () => {
  let test: TestService;
  beforeEach(async () => {
    test = await startTestService();
    await seedApprovedConfiguration(test.client);
  });
  afterEach(async () => {
    await test.close();
  });

  /** A version stored before the service refused such products (proposals now get 400). */
  const storeVersion = (status: 'approved' | 'proposed', version: number) =>
    test.service.database('config_versions').insert({
      config_type: 'loan_product', config_key: 'legacy-advance', version, status, payload: JSON.stringify(FEES_ABOVE_PRINCIPAL),
      proposed_by: 'alice', proposed_at: '2025-06-01T08:00:00.000Z',
      decided_by: status === 'approved' ? 'bob' : null, decided_at: status === 'approved' ? '2025-06-02T08:00:00.000Z' : null, rejection_reason: null,
    });

  it('refuses to propose a product whose fees would swallow the smallest principal', async () => {
    const response = await test.client.post('/v1/products/legacy-advance/versions', { as: CONFIG_ADMIN_ALICE, body: FEES_ABOVE_PRINCIPAL });
    expect(response.status).toBe(400);
    expect(response.json.issues).toEqual([
      {
        path: 'body.flatFeeNgwee',
        message:
          'flatFeeNgwee 5000 plus arrangementFeeBps 250 of minPrincipalNgwee 4000 (100) makes up-front fees of 5100 ngwee, ' +
          'which would leave nothing to disburse (allowed: fees below minPrincipalNgwee 4000)',
      },
    ]);
  });

  it('refuses to approve such a version proposed before the rule existed', async () => {
    await storeVersion('proposed', 1);
    const response = await test.client.post('/v1/products/legacy-advance/versions/1/approve', { as: CONFIG_ADMIN_BOB });
    expect(response.status).toBe(422);
    expect(response.json.message).toBe(
      'loan product "legacy-advance" version 1 breaks the loan product rules and cannot be approved: flatFeeNgwee: ' +
        'flatFeeNgwee 5000 plus arrangementFeeBps 250 of minPrincipalNgwee 4000 (100) makes up-front fees of 5100 ngwee, ' +
        'which would leave nothing to disburse (allowed: fees below minPrincipalNgwee 4000)',
    );
  });

  it('refuses quotes and applications that would disburse nothing under an approved legacy version', async () => {
    await storeVersion('approved', 1);
    const message =
      'up-front fees of 5100 ngwee leave a net disbursement of -1100 ngwee on principalNgwee 4000 under loan product ' +
      '"legacy-advance" version 1 (allowed: fees below the principal; a config_admin must correct the product)';
    const quote = await test.client.post('/v1/schedules', {
      as: LOAN_OFFICER_OLIVIA,
      body: { productId: 'legacy-advance', principalNgwee: 4_000, instalmentCount: 12, startDate: MWILA_APPLICATION.startDate },
    });
    expect({ status: quote.status, message: quote.json.message }).toEqual({ status: 422, message });
    const application = await test.client.post('/v1/applications', {
      as: LOAN_OFFICER_OLIVIA,
      body: { ...MWILA_APPLICATION, productId: 'legacy-advance', principalNgwee: 4_000 },
    });
    expect({ status: application.status, message: application.json.message }).toEqual({ status: 422, message });
    // A principal the fees leave something of still goes through.
    const larger = await test.client.post('/v1/schedules', {
      as: LOAN_OFFICER_OLIVIA,
      body: { productId: 'legacy-advance', principalNgwee: 500_000, instalmentCount: 12, startDate: MWILA_APPLICATION.startDate },
    });
    expect(larger.json).toMatchObject({ upfrontFeesNgwee: 17_500, netDisbursementNgwee: 482_500 });
  });
});
