import { MWILA_APPLICATION, SALARY_ADVANCE, seedApprovedConfiguration } from '../support/fixtures';
import {
  CONFIG_ADMIN_ALICE,
  CONFIG_ADMIN_BOB,
  CREDIT_MANAGER_CHILESHE,
  LOAN_OFFICER_AND_MANAGER_MIKE,
  LOAN_OFFICER_OLIVIA,
} from '../support/http-client';
import { startTestService, type TestService } from '../support/test-service';

describe('application routes', () => {
  let test: TestService;
  beforeEach(async () => {
    test = await startTestService();
    await seedApprovedConfiguration(test.client);
  });
  afterEach(async () => {
    await test.close();
  });

  const submit = (body: unknown = MWILA_APPLICATION, as = LOAN_OFFICER_OLIVIA) => test.client.post('/v1/applications', { as, body });

  it('submits an application graded and priced under the configuration in force', async () => {
    const created = await submit();
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      productId: 'salary-advance',
      productVersion: 1,
      riskGrade: 'A',
      riskGradesVersion: 1,
      principalNgwee: 1_000_000,
      status: 'submitted',
      createdBy: 'olivia',
      // 11 x 94,560 + 94,555 (see tests/money/repayment-schedule.test.ts)
      totalRepayableNgwee: 1_134_715,
    });
    const fetched = await test.client.get(`/v1/applications/${created.json.id}`, { as: CREDIT_MANAGER_CHILESHE });
    expect(fetched.json).toEqual(created.json);
  });

  it('serves the schedule of an application from its product version', async () => {
    const created = await submit();
    const schedule = await test.client.get(`/v1/applications/${created.json.id}/schedule`, { as: LOAN_OFFICER_OLIVIA });
    expect(schedule.status).toBe(200);
    expect(schedule.json).toMatchObject({ regularPaymentNgwee: 94_560, totalInterestNgwee: 134_715, upfrontFeesNgwee: 30_000 });
    expect(schedule.json.instalments[11]).toEqual({
      number: 12, dueDate: '2027-01-15', principalNgwee: 92_701, interestNgwee: 1_854, paymentNgwee: 94_555, closingBalanceNgwee: 0,
    });
  });

  it('walks submitted -> approved -> disbursed with maker-checker and audit lines', async () => {
    const { json: application } = await submit();
    const ownApproval = await test.client.post(`/v1/applications/${application.id}/approve`, {
      as: LOAN_OFFICER_AND_MANAGER_MIKE,
    });
    expect(ownApproval.status).toBe(200); // mike did not create it
    const disbursed = await test.client.post(`/v1/applications/${application.id}/disburse`, { as: CREDIT_MANAGER_CHILESHE });
    expect(disbursed.json).toMatchObject({ status: 'disbursed', decidedBy: 'mike', disbursedBy: 'chileshe' });

    const audit = test.logLines.filter((line) => line.audit === true && String(line.action).startsWith('application.'));
    expect(audit.map((line) => [line.actor, line.action])).toEqual([
      ['olivia', 'application.create'],
      ['mike', 'application.approve'],
      ['chileshe', 'application.disburse'],
    ]);
    expect(audit[1]).toMatchObject({ entity: { type: 'loan_application', id: application.id }, before: { status: 'submitted' }, after: { status: 'approved' } });
  });

  it('keeps applicant names, incomes and full NRCs out of the audit log, with ids and what changed', async () => {
    const { json: application } = await submit();
    await test.client.post(`/v1/applications/${application.id}/reject`, { as: CREDIT_MANAGER_CHILESHE, body: { reason: 'payslip unreadable' } });
    const audit = test.logLines.filter((line) => line.audit === true && String(line.action).startsWith('application.'));
    expect(audit.map((line) => line.action)).toEqual(['application.create', 'application.reject']);
    expect(audit[0]?.after).toEqual({
      id: application.id, branch: 'lusaka-cairo-road', productId: 'salary-advance', productVersion: 1, applicantNationalId: '******/78/1',
      creditScore: 720, riskGrade: 'A', riskGradesVersion: 1, principalNgwee: 1_000_000, instalmentCount: 12, startDate: '2026-01-15',
      totalRepayableNgwee: 1_134_715, status: 'submitted', createdBy: 'olivia', createdAt: application.createdAt,
    });
    expect(audit[1]).toMatchObject({
      entity: { type: 'loan_application', id: application.id },
      before: { status: 'submitted', decidedBy: null, decidedAt: null, rejectionReason: null, updatedAt: application.createdAt },
      after: { status: 'rejected', decidedBy: 'chileshe', rejectionReason: 'payslip unreadable' },
    });
    expect(Object.keys(audit[1]?.after as object).sort()).toEqual(['decidedAt', 'decidedBy', 'rejectionReason', 'status', 'updatedAt']);
    const everything = JSON.stringify(test.logLines);
    expect(everything).not.toContain('Mwila Banda');
    expect(everything).not.toContain('123456/78/1');
    expect(everything).not.toContain('applicantMonthlyIncomeNgwee');
  });

  it('forbids the creator from deciding their own application', async () => {
    const { json: application } = await submit(MWILA_APPLICATION, LOAN_OFFICER_AND_MANAGER_MIKE);
    const response = await test.client.post(`/v1/applications/${application.id}/approve`, { as: LOAN_OFFICER_AND_MANAGER_MIKE });
    expect(response.status).toBe(403);
    expect(response.json.message).toBe(
      `loan application "${application.id}" was created by "mike", who cannot also approve it (maker-checker: a different credit_manager must decide)`,
    );
  });

  it('needs a third person to disburse: neither the creator nor the approver (four eyes)', async () => {
    const { json: byMike } = await submit(MWILA_APPLICATION, LOAN_OFFICER_AND_MANAGER_MIKE);
    expect((await test.client.post(`/v1/applications/${byMike.id}/approve`, { as: CREDIT_MANAGER_CHILESHE })).status).toBe(200);
    const creatorDisburses = await test.client.post(`/v1/applications/${byMike.id}/disburse`, { as: LOAN_OFFICER_AND_MANAGER_MIKE });
    expect(creatorDisburses.status).toBe(403);
    expect(creatorDisburses.json.message).toBe(
      `loan application "${byMike.id}" was created by "mike" and approved by "chileshe"; "mike" cannot also disburse it ` +
        '(four eyes: the credit_manager who disburses must be neither its creator nor its approver)',
    );

    const { json: byOlivia } = await submit();
    await test.client.post(`/v1/applications/${byOlivia.id}/approve`, { as: LOAN_OFFICER_AND_MANAGER_MIKE });
    const approverDisburses = await test.client.post(`/v1/applications/${byOlivia.id}/disburse`, { as: LOAN_OFFICER_AND_MANAGER_MIKE });
    expect(approverDisburses.status).toBe(403);
    expect(approverDisburses.json.message).toBe(
      `loan application "${byOlivia.id}" was created by "olivia" and approved by "mike"; "mike" cannot also disburse it ` +
        '(four eyes: the credit_manager who disburses must be neither its creator nor its approver)',
    );
    const stillApproved = await test.client.get(`/v1/applications/${byOlivia.id}`, { as: CREDIT_MANAGER_CHILESHE });
    expect(stillApproved.json).toMatchObject({ status: 'approved', disbursedBy: null });
    const third = await test.client.post(`/v1/applications/${byOlivia.id}/disburse`, { as: CREDIT_MANAGER_CHILESHE });
    expect(third.json).toMatchObject({ status: 'disbursed', createdBy: 'olivia', decidedBy: 'mike', disbursedBy: 'chileshe' });
  });

  it('never lets an approver disburse, even when approval and disbursement race', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const { json: application } = await submit();
      const [approval, disbursement] = await Promise.all([
        test.client.post(`/v1/applications/${application.id}/approve`, { as: LOAN_OFFICER_AND_MANAGER_MIKE }),
        test.client.post(`/v1/applications/${application.id}/disburse`, { as: LOAN_OFFICER_AND_MANAGER_MIKE }),
      ]);
      expect(approval.status).toBe(200);
      expect([403, 409]).toContain(disbursement.status);
    }
  });

  it('answers 409 to transitions the state does not allow', async () => {
    const { json: application } = await submit();
    const early = await test.client.post(`/v1/applications/${application.id}/disburse`, { as: CREDIT_MANAGER_CHILESHE });
    expect(early.status).toBe(409);
    expect(early.json.message).toBe(`loan application "${application.id}" is submitted; only approved applications can be disbursed`);
    const rejected = await test.client.post(`/v1/applications/${application.id}/reject`, {
      as: CREDIT_MANAGER_CHILESHE,
      body: { reason: 'payslip does not match employer' },
    });
    expect(rejected.json).toMatchObject({ status: 'rejected', rejectionReason: 'payslip does not match employer' });
    const late = await test.client.post(`/v1/applications/${application.id}/approve`, { as: CREDIT_MANAGER_CHILESHE });
    expect(late.status).toBe(409);
    expect(late.json.message).toBe(`loan application "${application.id}" is rejected; only submitted applications can be approved`);
  });

  it('lets only one of two concurrent approvals win', async () => {
    const { json: application } = await submit();
    const results = await Promise.all([
      test.client.post(`/v1/applications/${application.id}/approve`, { as: CREDIT_MANAGER_CHILESHE }),
      test.client.post(`/v1/applications/${application.id}/approve`, { as: LOAN_OFFICER_AND_MANAGER_MIKE }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual([200, 409]);
  });

  it('enforces product limits, risk grades and affordability with 422', async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...MWILA_APPLICATION, principalNgwee: 10_000 }, 'principalNgwee 10000 is outside the limits of loan product "salary-advance" version 1 (allowed: 50000 to 5000000)'],
      [{ ...MWILA_APPLICATION, instalmentCount: 36 }, 'instalmentCount 36 is outside the limits of loan product "salary-advance" version 1 (allowed: 1 to 24 monthly instalments)'],
      [{ ...MWILA_APPLICATION, creditScore: 450 }, 'creditScore 450 is below every risk grade threshold of risk grades version 1 (lowest: 500)'],
      [{ ...MWILA_APPLICATION, creditScore: 550, principalNgwee: 3_000_000 }, 'principalNgwee 3000000 exceeds the limit for risk grade B (allowed: up to 2000000)'],
      // 94,560 a month against 40% of 200,000 = 80,000
      [{ ...MWILA_APPLICATION, applicant: { ...MWILA_APPLICATION.applicant, monthlyIncomeNgwee: 200_000 } },
        'regular instalment of 94560 ngwee (monthly) exceeds 40% of monthly income 200000 ngwee (allowed: a monthly equivalent up to 80000)'],
    ];
    for (const [body, message] of cases) {
      const response = await submit(body);
      expect({ status: response.status, message: response.json.message }).toEqual({ status: 422, message });
    }
  });

  it('reports every invalid field with 400 and an unknown product with 404', async () => {
    const invalid = await submit({ ...MWILA_APPLICATION, applicant: { ...MWILA_APPLICATION.applicant, nationalId: '12345678' }, principalNgwee: -5, startDate: '2026-02-30' });
    expect(invalid.status).toBe(400);
    expect(invalid.json.issues).toEqual([
      { path: 'body.applicant.nationalId', message: 'must be an NRC number like 123456/78/1' },
      { path: 'body.principalNgwee', message: 'Too small: expected number to be >=1' },
      { path: 'body.startDate', message: 'must be a calendar date written YYYY-MM-DD' },
    ]);
    const malformed = await test.client.post('/v1/applications', { as: LOAN_OFFICER_OLIVIA, raw: Buffer.from('{"productId":'), contentType: 'application/json' });
    expect(malformed.status).toBe(400);
    const unknown = await submit({ ...MWILA_APPLICATION, productId: 'payday-loan' });
    expect(unknown.status).toBe(404);
    expect(unknown.json.message).toBe('loan product "payday-loan" has no approved version');
    const missing = await test.client.get('/v1/applications/7d3c2f44-1111-4222-8333-944455556666', { as: LOAN_OFFICER_OLIVIA });
    expect(missing.status).toBe(404);
    expect(missing.json.message).toBe('loan application "7d3c2f44-1111-4222-8333-944455556666" does not exist');
  });

  it('answers 415 to a JSON route given another media type, and 413 to an oversized JSON body', async () => {
    const text = await test.client.post('/v1/applications', { as: LOAN_OFFICER_OLIVIA, raw: Buffer.from('hello'), contentType: 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.json.message).toBe('Content-Type "text/plain" is not supported here (allowed: application/json)');
    const huge = await test.client.post('/v1/applications', { as: LOAN_OFFICER_OLIVIA, raw: Buffer.alloc(70 * 1024, 32), contentType: 'application/json' });
    expect(huge.status).toBe(413);
    expect(huge.json.message).toBe('request body is larger than the limit of 65536 bytes');
  });

  it('needs the right role for each step', async () => {
    const byManager = await submit(MWILA_APPLICATION, CREDIT_MANAGER_CHILESHE);
    expect(byManager.status).toBe(403);
    expect(byManager.json.message).toBe('user "chileshe" lacks the role for this action (required: loan_officer; has: credit_manager)');
    const { json: application } = await submit();
    const byOfficer = await test.client.post(`/v1/applications/${application.id}/approve`, { as: { user: 'tembo', roles: ['loan_officer'] } });
    expect(byOfficer.status).toBe(403);
  });

  it('needs approved risk grades before grading anyone', async () => {
    await test.close();
    test = await startTestService();
    await test.client.post('/v1/products/salary-advance/versions', { as: CONFIG_ADMIN_ALICE, body: SALARY_ADVANCE });
    await test.client.post('/v1/products/salary-advance/versions/1/approve', { as: CONFIG_ADMIN_BOB });
    const response = await submit();
    expect(response.status).toBe(409);
    expect(response.json.message).toBe('no risk grades have been approved yet; a config_admin must propose and another approve them');
  });
});
