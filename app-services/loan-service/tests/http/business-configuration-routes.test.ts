import { CONFIG_ADMIN_ALICE, CONFIG_ADMIN_BOB, LOAN_OFFICER_OLIVIA } from '../support/http-client';
import { RISK_GRADES, SALARY_ADVANCE } from '../support/fixtures';
import { startTestService, type TestService } from '../support/test-service';

describe('business configuration routes (maker-checker)', () => {
  let test: TestService;
  beforeEach(async () => {
    test = await startTestService();
  });
  afterEach(async () => {
    await test.close();
  });

  it('keeps a proposal out of force until a different admin approves it', async () => {
    const proposed = await test.client.post('/v1/products/salary-advance/versions', { as: CONFIG_ADMIN_ALICE, body: SALARY_ADVANCE });
    expect(proposed.status).toBe(201);
    expect(proposed.json).toMatchObject({ key: 'salary-advance', version: 1, status: 'proposed', proposedBy: 'alice', decidedBy: null });

    const beforeApproval = await test.client.get('/v1/products/salary-advance', { as: LOAN_OFFICER_OLIVIA });
    expect(beforeApproval.status).toBe(404);
    expect(beforeApproval.json.message).toBe('loan product "salary-advance" has no approved version');

    const selfApproval = await test.client.post('/v1/products/salary-advance/versions/1/approve', { as: CONFIG_ADMIN_ALICE });
    expect(selfApproval.status).toBe(403);
    expect(selfApproval.json.message).toBe(
      'loan product "salary-advance" version 1 was proposed by "alice", who cannot also approve it (maker-checker: a different config_admin must decide)',
    );

    const approved = await test.client.post('/v1/products/salary-advance/versions/1/approve', { as: CONFIG_ADMIN_BOB });
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({ status: 'approved', proposedBy: 'alice', decidedBy: 'bob' });
    expect(typeof approved.json.decidedAt).toBe('string');

    const current = await test.client.get('/v1/products/salary-advance', { as: LOAN_OFFICER_OLIVIA });
    expect(current.json).toMatchObject({ version: 1, payload: SALARY_ADVANCE });
  });

  it('keeps every version and puts the highest approved one in force', async () => {
    const path = '/v1/products/salary-advance/versions';
    await test.client.post(path, { as: CONFIG_ADMIN_ALICE, body: SALARY_ADVANCE });
    await test.client.post(`${path}/1/approve`, { as: CONFIG_ADMIN_BOB });
    await test.client.post(path, { as: CONFIG_ADMIN_BOB, body: { ...SALARY_ADVANCE, annualInterestRateBps: 3000 } });
    const rejected = await test.client.post(`${path}/2/reject`, { as: CONFIG_ADMIN_ALICE, body: { reason: 'rate above policy' } });
    expect(rejected.json).toMatchObject({ version: 2, status: 'rejected', rejectionReason: 'rate above policy', decidedBy: 'alice' });
    await test.client.post(path, { as: CONFIG_ADMIN_BOB, body: { ...SALARY_ADVANCE, annualInterestRateBps: 2600 } });
    await test.client.post(`${path}/3/approve`, { as: CONFIG_ADMIN_ALICE });

    const current = await test.client.get('/v1/products/salary-advance', { as: LOAN_OFFICER_OLIVIA });
    expect(current.json).toMatchObject({ version: 3, payload: { annualInterestRateBps: 2600 } });
    const versions = await test.client.get(path, { as: LOAN_OFFICER_OLIVIA });
    expect(versions.json.items.map((item: { version: number; status: string }) => [item.version, item.status])).toEqual([
      [1, 'approved'],
      [2, 'rejected'],
      [3, 'approved'],
    ]);
    const all = await test.client.get('/v1/products', { as: LOAN_OFFICER_OLIVIA });
    expect(all.json.items.map((item: { key: string; version: number }) => [item.key, item.version])).toEqual([['salary-advance', 3]]);
  });

  it('records an audit line for every proposal and decision', async () => {
    await test.client.post('/v1/risk-grades/versions', { as: CONFIG_ADMIN_ALICE, body: RISK_GRADES });
    await test.client.post('/v1/risk-grades/versions/1/approve', { as: CONFIG_ADMIN_BOB });
    const audit = test.logLines.filter((line) => line.audit === true);
    expect(audit.map((line) => [line.actor, line.action, (line.entity as { id: string }).id])).toEqual([
      ['alice', 'config.risk_grades.propose', 'default@1'],
      ['bob', 'config.risk_grades.approve', 'default@1'],
    ]);
    expect(audit[1]).toMatchObject({ before: { status: 'proposed' }, after: { status: 'approved', decidedBy: 'bob' } });
    expect(typeof audit[1]?.requestId).toBe('string');
  });

  it('refuses a second pending proposal and a decision on a decided version', async () => {
    const path = '/v1/risk-grades/versions';
    await test.client.post(path, { as: CONFIG_ADMIN_ALICE, body: RISK_GRADES });
    const second = await test.client.post(path, { as: CONFIG_ADMIN_BOB, body: RISK_GRADES });
    expect(second.status).toBe(409);
    expect(second.json.message).toBe(
      'risk grades "default" already has a proposed version awaiting approval; approve or reject it before proposing another',
    );
    await test.client.post(`${path}/1/approve`, { as: CONFIG_ADMIN_BOB });
    const again = await test.client.post(`${path}/1/reject`, { as: CONFIG_ADMIN_BOB, body: { reason: 'changed my mind' } });
    expect(again.status).toBe(409);
    expect(again.json.message).toBe(
      'risk grades "default" version 1 is already approved; only a proposed version can be approved or rejected',
    );
    const missing = await test.client.post(`${path}/9/approve`, { as: CONFIG_ADMIN_BOB });
    expect(missing.status).toBe(404);
    expect(missing.json.message).toBe('risk grades "default" version 9 does not exist');
  });

  it('requires the config_admin role and an identity', async () => {
    const officer = await test.client.post('/v1/risk-grades/versions', { as: LOAN_OFFICER_OLIVIA, body: RISK_GRADES });
    expect(officer.status).toBe(403);
    expect(officer.json.message).toBe('user "olivia" lacks the role for this action (required: config_admin; has: loan_officer)');
    const anonymous = await test.client.post('/v1/risk-grades/versions', { body: RISK_GRADES });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.message).toBe('missing x-authenticated-user header (set by the ingress after authentication)');
  });

  it('validates a proposed product field by field', async () => {
    const response = await test.client.post('/v1/products/salary-advance/versions', {
      as: CONFIG_ADMIN_ALICE,
      body: { ...SALARY_ADVANCE, currency: 'USD', annualInterestRateBps: 24.5, minInstalments: 30 },
    });
    expect(response.status).toBe(400);
    expect(response.json.error).toBe('validation_failed');
    expect(response.json.issues).toEqual([
      { path: 'body.currency', message: 'Invalid input: expected "ZMW"' },
      { path: 'body.annualInterestRateBps', message: 'Invalid input: expected int, received number' },
    ]);
  });

  it('checks cross-field limits and rejects unknown fields and bad product ids', async () => {
    const limits = await test.client.post('/v1/products/salary-advance/versions', {
      as: CONFIG_ADMIN_ALICE,
      body: { ...SALARY_ADVANCE, minInstalments: 30, extra: true },
    });
    expect(limits.json.issues).toEqual([
      { path: 'body', message: 'Unrecognized key: "extra"' },
      { path: 'body.maxInstalments', message: 'must be at least minInstalments (30)' },
    ]);
    const badId = await test.client.get('/v1/products/Salary_Advance', { as: LOAN_OFFICER_OLIVIA });
    expect(badId.status).toBe(400);
    expect(badId.json.message).toBe(
      'invalid request: params.productId: must be 3-100 lower-case letters, digits or dashes (e.g. "salary-advance")',
    );
  });

  it('needs a reason to reject', async () => {
    await test.client.post('/v1/risk-grades/versions', { as: CONFIG_ADMIN_ALICE, body: RISK_GRADES });
    const response = await test.client.post('/v1/risk-grades/versions/1/reject', { as: CONFIG_ADMIN_BOB, body: { reason: '  ' } });
    expect(response.status).toBe(400);
    expect(response.json.issues).toEqual([{ path: 'body.reason', message: 'a rejection needs a reason' }]);
  });
});
