import { MWILA_APPLICATION, RISK_GRADES, SALARY_ADVANCE, seedApprovedConfiguration } from '../support/fixtures';
import {
  CONFIG_ADMIN_ALICE,
  CONFIG_ADMIN_BOB,
  CREDIT_MANAGER_BWALYA_KITWE,
  CREDIT_MANAGER_CHILESHE,
  HEAD_OFFICE_NATASHA,
  KITWE_BRANCH,
  LOAN_OFFICER_MUTALE_KITWE,
  LOAN_OFFICER_OLIVIA,
  LUSAKA_BRANCH,
  type Caller,
} from '../support/http-client';
import { startTestService, type TestService } from '../support/test-service';

const IDENTITY_PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

/** Lusaka's credit managers approve salary advances of grade A up to ZMW 5,000; chileshe alone up to ZMW 20,000; Kitwe up to ZMW 50,000. */
const TIERED_MATRIX = {
  rules: [
    { productId: 'salary-advance', riskGrade: 'A', branch: LUSAKA_BRANCH, maxPrincipalNgwee: 500_000 },
    { productId: '*', riskGrade: '*', branch: LUSAKA_BRANCH, maxPrincipalNgwee: 2_000_000, approvers: ['chileshe'] },
    { productId: '*', riskGrade: '*', branch: KITWE_BRANCH, maxPrincipalNgwee: 5_000_000 },
  ],
};

const LUSAKA_MANAGER_MUSONDA: Caller = { user: 'musonda', roles: ['credit_manager'], branches: [LUSAKA_BRANCH] };

describe('approval authority matrix, branches and compliance settings', () => {
  let test: TestService;
  beforeEach(async () => {
    test = await startTestService();
  });
  afterEach(async () => {
    await test.close();
  });

  /** alice proposes, bob approves; returns the approved version. */
  async function approveConfiguration(base: string, payload: unknown): Promise<number> {
    const proposed = await test.client.post(`${base}/versions`, { as: CONFIG_ADMIN_ALICE, body: payload });
    expect(proposed.status).toBe(201);
    const approved = await test.client.post(`${base}/versions/${proposed.json.version}/approve`, { as: CONFIG_ADMIN_BOB });
    expect(approved.status).toBe(200);
    return proposed.json.version as number;
  }

  async function submit(application: Record<string, unknown> = MWILA_APPLICATION, as: Caller = LOAN_OFFICER_OLIVIA): Promise<string> {
    const created = await test.client.post('/v1/applications', { as, body: application });
    expect(created.status).toBe(201);
    return created.json.id as string;
  }

  it('refuses every loan approval until an authority matrix is approved (fail closed)', async () => {
    for (const [path, body] of [['/v1/products/salary-advance', SALARY_ADVANCE], ['/v1/risk-grades', RISK_GRADES]] as const) {
      await test.client.post(`${path}/versions`, { as: CONFIG_ADMIN_ALICE, body });
      await test.client.post(`${path}/versions/1/approve`, { as: CONFIG_ADMIN_BOB });
    }
    const id = await submit();
    await test.client.post('/v1/authority-matrix/versions', { as: CONFIG_ADMIN_ALICE, body: TIERED_MATRIX });

    const refused = await test.client.post(`/v1/applications/${id}/approve`, { as: CREDIT_MANAGER_CHILESHE });
    expect(refused.status).toBe(409);
    expect(refused.json.message).toBe('no approval authority matrix has been approved yet; a config_admin must propose and another approve one');
  });

  it('lets a credit manager approve only the principal the matrix gives them for the product, grade and branch', async () => {
    await seedApprovedConfiguration(test.client);
    const version = await approveConfiguration('/v1/authority-matrix', TIERED_MATRIX);
    expect(version).toBe(2);
    const id = await submit();

    const overLimit = await test.client.post(`/v1/applications/${id}/approve`, { as: LUSAKA_MANAGER_MUSONDA });
    expect(overLimit.status).toBe(403);
    expect(overLimit.json.message).toBe(
      `user "musonda" may not approve loan application "${id}" of principalNgwee 1000000 (product "salary-advance", risk grade A, ` +
        `branch "${LUSAKA_BRANCH}"): approval authority matrix version 2 allows up to 500000`,
    );
    expect((await test.client.get(`/v1/applications/${id}`, { as: LOAN_OFFICER_OLIVIA })).json.status).toBe('submitted');

    const named = await test.client.post(`/v1/applications/${id}/approve`, { as: CREDIT_MANAGER_CHILESHE });
    expect(named.status).toBe(200);
    expect(named.json).toMatchObject({ status: 'approved', decidedBy: 'chileshe' });

    const small = await submit({ ...MWILA_APPLICATION, applicant: { ...MWILA_APPLICATION.applicant, nationalId: '222222/22/2' }, principalNgwee: 400_000 });
    expect((await test.client.post(`/v1/applications/${small}/approve`, { as: LUSAKA_MANAGER_MUSONDA })).status).toBe(200);
  });

  it('gives no authority where no line applies, and a pending matrix changes nothing', async () => {
    await seedApprovedConfiguration(test.client);
    await approveConfiguration('/v1/authority-matrix', { rules: [{ productId: 'salary-advance', riskGrade: 'C', branch: '*', maxPrincipalNgwee: 5_000_000 }] });
    await test.client.post('/v1/authority-matrix/versions', { as: CONFIG_ADMIN_ALICE, body: TIERED_MATRIX });
    const id = await submit();

    const refused = await test.client.post(`/v1/applications/${id}/approve`, { as: CREDIT_MANAGER_CHILESHE });
    expect(refused.status).toBe(403);
    expect(refused.json.message).toMatch(/approval authority matrix version 2 allows this user no approvals there$/);

    await test.client.post('/v1/authority-matrix/versions/3/approve', { as: CONFIG_ADMIN_BOB });
    expect((await test.client.post(`/v1/applications/${id}/approve`, { as: CREDIT_MANAGER_CHILESHE })).status).toBe(200);
  });

  it('validates the matrix and keeps the proposer from approving it', async () => {
    const invalid = await test.client.post('/v1/authority-matrix/versions', {
      as: CONFIG_ADMIN_ALICE,
      body: { rules: [{ productId: '*', riskGrade: 'a', branch: 'Lusaka Cairo Road', maxPrincipalNgwee: 0 }] },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json.issues.map((issue: { path: string }) => issue.path)).toEqual(['body.rules.0.riskGrade', 'body.rules.0.branch', 'body.rules.0.maxPrincipalNgwee']);

    await test.client.post('/v1/authority-matrix/versions', { as: CONFIG_ADMIN_ALICE, body: TIERED_MATRIX });
    const self = await test.client.post('/v1/authority-matrix/versions/1/approve', { as: CONFIG_ADMIN_ALICE });
    expect(self.status).toBe(403);
    expect(self.json.message).toBe(
      'approval authority matrix "default" version 1 was proposed by "alice", who cannot also approve it (maker-checker: a different config_admin must decide)',
    );
    const byOfficer = await test.client.post('/v1/authority-matrix/versions', { as: CREDIT_MANAGER_CHILESHE, body: TIERED_MATRIX });
    expect(byOfficer.status).toBe(403);
  });

  it('refuses to approve a matrix naming a product without an approved version or a branch outside the directory', async () => {
    await seedApprovedConfiguration(test.client);
    await approveConfiguration('/v1/branches', { branches: [{ code: LUSAKA_BRANCH, name: 'Lusaka Cairo Road', region: 'Lusaka', acceptsApplications: true }] });
    await test.client.post('/v1/authority-matrix/versions', {
      as: CONFIG_ADMIN_ALICE,
      body: { rules: [{ productId: 'salary-advanse', riskGrade: '*', branch: 'lusaka-cairo-rd', maxPrincipalNgwee: 1_000 }, TIERED_MATRIX.rules[0]] },
    });
    const refused = await test.client.post('/v1/authority-matrix/versions/2/approve', { as: CONFIG_ADMIN_BOB });
    expect(refused.status).toBe(422);
    expect(refused.json.message).toBe(
      'approval authority matrix "default" version 2 names what does not exist and cannot be approved: ' +
        'rules[0].productId: loan product "salary-advanse" has no approved version; ' +
        `rules[0].branch: "lusaka-cairo-rd" is not in branch directory version 1 (allowed: ${LUSAKA_BRANCH}, or *)`,
    );
    expect((await test.client.get('/v1/authority-matrix', { as: CONFIG_ADMIN_BOB })).json.version).toBe(1);
  });

  it("shows business users only their branches' lines; history and diffs to admins and head office", async () => {
    await approveConfiguration('/v1/products/salary-advance', SALARY_ADVANCE);
    await approveConfiguration('/v1/authority-matrix', TIERED_MATRIX);
    const kitwe = await test.client.get('/v1/authority-matrix', { as: CREDIT_MANAGER_BWALYA_KITWE });
    expect(kitwe.status).toBe(200);
    expect(kitwe.json.payload).toEqual({ rules: [TIERED_MATRIX.rules[2]] });
    expect((await test.client.get('/v1/authority-matrix', { as: HEAD_OFFICE_NATASHA })).json.payload).toEqual(TIERED_MATRIX);
    expect((await test.client.get('/v1/authority-matrix', { as: LOAN_OFFICER_OLIVIA })).status).toBe(403);
    expect((await test.client.get('/v1/authority-matrix/versions', { as: CREDIT_MANAGER_BWALYA_KITWE })).status).toBe(403);
    expect((await test.client.get('/v1/authority-matrix/versions/1/diff', { as: CREDIT_MANAGER_BWALYA_KITWE })).status).toBe(403);
    expect((await test.client.get('/v1/authority-matrix/versions', { as: HEAD_OFFICE_NATASHA })).json.items).toHaveLength(1);
  });

  it('diffs a pending version against the one in force, path by path', async () => {
    await approveConfiguration('/v1/products/salary-advance', SALARY_ADVANCE);
    await approveConfiguration('/v1/authority-matrix', TIERED_MATRIX);
    const changed = { rules: [{ ...TIERED_MATRIX.rules[0], maxPrincipalNgwee: 800_000 }, TIERED_MATRIX.rules[2]] };
    await test.client.post('/v1/authority-matrix/versions', { as: CONFIG_ADMIN_BOB, body: changed });
    const diff = await test.client.get('/v1/authority-matrix/versions/2/diff', { as: CONFIG_ADMIN_ALICE });
    expect(diff.status).toBe(200);
    expect(diff.json).toEqual({
      version: 2,
      against: 1,
      changes: [
        { path: 'rules[0].maxPrincipalNgwee', change: 'changed', before: 500_000, after: 800_000 },
        { path: 'rules[1].branch', change: 'changed', before: LUSAKA_BRANCH, after: KITWE_BRANCH },
        { path: 'rules[1].maxPrincipalNgwee', change: 'changed', before: 2_000_000, after: 5_000_000 },
        { path: 'rules[1].approvers[0]', change: 'removed', before: 'chileshe', after: null },
        { path: 'rules[2].productId', change: 'removed', before: '*', after: null },
        { path: 'rules[2].riskGrade', change: 'removed', before: '*', after: null },
        { path: 'rules[2].branch', change: 'removed', before: KITWE_BRANCH, after: null },
        { path: 'rules[2].maxPrincipalNgwee', change: 'removed', before: 5_000_000, after: null },
      ],
    });
    const first = await test.client.get('/v1/authority-matrix/versions/1/diff', { as: CONFIG_ADMIN_ALICE });
    expect(first.json.against).toBeNull();
    expect(first.json.changes[0]).toEqual({ path: 'rules[0].productId', change: 'added', before: null, after: 'salary-advance' });
    const missing = await test.client.get('/v1/authority-matrix/versions/2/diff?against=9', { as: CONFIG_ADMIN_ALICE });
    expect(missing.status).toBe(404);
    expect(missing.json.message).toBe('approval authority matrix "default" version 9 does not exist');
    await test.client.post('/v1/products/salary-advance/versions', { as: CONFIG_ADMIN_ALICE, body: { ...SALARY_ADVANCE, annualInterestRateBps: 2600 } });
    const product = await test.client.get('/v1/products/salary-advance/versions/2/diff', { as: LOAN_OFFICER_OLIVIA });
    expect(product.json).toEqual({ version: 2, against: 1, changes: [{ path: 'annualInterestRateBps', change: 'changed', before: 2400, after: 2600 }] });
  });

  it('takes new applications only for listed branches that accept them, once a branch directory is approved', async () => {
    await seedApprovedConfiguration(test.client);
    await approveConfiguration('/v1/branches', {
      branches: [
        { code: LUSAKA_BRANCH, name: 'Lusaka Cairo Road', region: 'Lusaka', acceptsApplications: true },
        { code: KITWE_BRANCH, name: 'Kitwe Obote Avenue', region: 'Copperbelt', acceptsApplications: false },
      ],
    });
    await submit();
    const closed = await test.client.post('/v1/applications', { as: LOAN_OFFICER_MUTALE_KITWE, body: MWILA_APPLICATION });
    expect(closed.status).toBe(422);
    expect(closed.json.message).toBe(`branch "${KITWE_BRANCH}" does not accept new applications under branch directory version 1 (allowed: ${LUSAKA_BRANCH})`);
    const other = await test.client.post('/v1/applications', { as: { ...LOAN_OFFICER_OLIVIA, branches: ['ndola-broadway'] }, body: MWILA_APPLICATION });
    expect(other.json.message).toBe(`branch "ndola-broadway" is not in branch directory version 1 (allowed: ${LUSAKA_BRANCH})`);
    const seen = await test.client.get('/v1/branches', { as: LOAN_OFFICER_MUTALE_KITWE });
    expect(seen.json.payload.branches.map((branch: { code: string }) => branch.code)).toEqual([KITWE_BRANCH]);
  });

  it('applies the compliance settings: active applications per applicant and the identity document before approval', async () => {
    await seedApprovedConfiguration(test.client);
    await approveConfiguration('/v1/compliance-settings', { maxActiveApplicationsPerApplicant: 1, identityDocumentRequiredForApproval: true });
    const id = await submit();
    const second = await test.client.post('/v1/applications', { as: LOAN_OFFICER_MUTALE_KITWE, body: MWILA_APPLICATION });
    expect(second.status).toBe(422);
    expect(second.json.message).toBe(
      'applicant ******/78/1 already has 1 submitted, approved or disbursed application (allowed: fewer than 1 under compliance settings version 1)',
    );

    const withoutDocument = await test.client.post(`/v1/applications/${id}/approve`, { as: CREDIT_MANAGER_CHILESHE });
    expect(withoutDocument.status).toBe(422);
    expect(withoutDocument.json.message).toBe(
      `loan application "${id}" has no identity_copy document; compliance settings version 1 require the applicant's NRC copy before approval (upload one with kind=identity_copy)`,
    );
    const uploaded = await test.client.post(`/v1/applications/${id}/documents?kind=identity_copy`, { as: LOAN_OFFICER_OLIVIA, raw: IDENTITY_PDF, contentType: 'application/pdf' });
    expect(uploaded.status).toBe(201);
    expect((await test.client.post(`/v1/applications/${id}/approve`, { as: CREDIT_MANAGER_CHILESHE })).status).toBe(200);

    const rejectedFirst = await test.client.post(`/v1/applications/${await submit({ ...MWILA_APPLICATION, applicant: { ...MWILA_APPLICATION.applicant, nationalId: '333333/33/3' } })}/reject`, {
      as: CREDIT_MANAGER_CHILESHE, body: { reason: 'incomplete' },
    });
    expect(rejectedFirst.status).toBe(200);
    await submit({ ...MWILA_APPLICATION, applicant: { ...MWILA_APPLICATION.applicant, nationalId: '333333/33/3' } });
  });

  it('refuses compliance settings outside their ranges, naming each field', async () => {
    const invalid = await test.client.post('/v1/compliance-settings/versions', {
      as: CONFIG_ADMIN_ALICE,
      body: { maxActiveApplicationsPerApplicant: 0, identityDocumentRequiredForApproval: 'yes' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json.issues.map((issue: { path: string }) => issue.path)).toEqual(['body.maxActiveApplicationsPerApplicant', 'body.identityDocumentRequiredForApproval']);
  });
});
