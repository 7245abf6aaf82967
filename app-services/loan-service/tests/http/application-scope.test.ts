import { MWILA_APPLICATION, seedApprovedConfiguration } from '../support/fixtures';
import {
  type Caller,
  CONFIG_ADMIN_ALICE,
  CREDIT_MANAGER_BWALYA_KITWE,
  CREDIT_MANAGER_CHILESHE,
  HEAD_OFFICE_NATASHA,
  KITWE_BRANCH,
  LOAN_OFFICER_MUTALE_KITWE,
  LOAN_OFFICER_NAMWAAMBA_BOTH,
  LOAN_OFFICER_OLIVIA,
  LUSAKA_BRANCH,
} from '../support/http-client';
import { startTestService, type TestService } from '../support/test-service';

const PAYSLIP_PDF = Buffer.from('%PDF-1.7\n%%EOF\n');
const SHARED_NRC = '123456/78/1';
const ids = (response: { json: { items: Array<{ id: string }> } }) => response.json.items.map((item) => item.id);

describe('who sees and acts on which applications', () => {
  let test: TestService;
  /** Created oldest first: two in Kitwe, then one in Lusaka, all for the same applicant. */
  let kitweByMutale: string;
  let kitweByNamwaamba: string;
  let lusakaByOlivia: string;
  let lusakaDocument: string;

  beforeAll(async () => {
    test = await startTestService();
    await seedApprovedConfiguration(test.client);
    const submit = async (as: Caller, body: Record<string, unknown> = {}) => {
      const created = await test.client.post('/v1/applications', { as, body: { ...MWILA_APPLICATION, ...body } });
      if (created.status !== 201) throw new Error(`submitting failed: ${created.status} ${created.text}`);
      return created.json.id as string;
    };
    kitweByMutale = await submit(LOAN_OFFICER_MUTALE_KITWE);
    kitweByNamwaamba = await submit(LOAN_OFFICER_NAMWAAMBA_BOTH, { branch: KITWE_BRANCH });
    lusakaByOlivia = await submit(LOAN_OFFICER_OLIVIA);
    const uploaded = await test.client.post(`/v1/applications/${lusakaByOlivia}/documents?kind=identity_copy`, {
      as: LOAN_OFFICER_OLIVIA, raw: PAYSLIP_PDF, contentType: 'application/pdf',
    });
    if (uploaded.status !== 201) throw new Error(`upload failed: ${uploaded.status} ${uploaded.text}`);
    lusakaDocument = uploaded.json.id;
  });
  afterAll(async () => {
    await test.close();
  });

  describe('roles', () => {
    it.each<[string, Caller, string]>([
      ['no role at all', { user: 'visitor', roles: [], branches: [LUSAKA_BRANCH] },
        'user "visitor" has no role that may see loan applications (required: loan_officer, credit_manager or head_office; has: none)'],
      ['only config_admin', CONFIG_ADMIN_ALICE,
        'user "alice" is a config_admin and may not also see loan applications (separation of duties: whoever sets products and risk grades does not handle applications)'],
      ['config_admin with loan_officer', { user: 'zed', roles: ['config_admin', 'loan_officer'], branches: [LUSAKA_BRANCH] },
        'user "zed" is a config_admin and may not also see loan applications (separation of duties: whoever sets products and risk grades does not handle applications)'],
    ])('refuses a user with %s every application read with 403', async (_who, as, message) => {
      const responses = await Promise.all([
        test.client.get('/v1/applications', { as }),
        test.client.get(`/v1/applications?applicant=${SHARED_NRC}`, { as }),
        test.client.get(`/v1/applications/${lusakaByOlivia}`, { as }),
        test.client.get(`/v1/applications/${lusakaByOlivia}/schedule`, { as }),
        test.client.get(`/v1/applications/${lusakaByOlivia}/documents`, { as }),
        test.client.get(`/v1/applications/${lusakaByOlivia}/documents/${lusakaDocument}`, { as }),
      ]);
      expect(responses.map((response) => [response.status, response.json?.message])).toEqual(responses.map(() => [403, message]));
    });

    it('refuses a loan officer assigned to no branch', async () => {
      const response = await test.client.get('/v1/applications', { as: { user: 'newcomer', roles: ['loan_officer'], branches: [] } });
      expect(response.status).toBe(403);
      expect(response.json.message).toBe('user "newcomer" is not assigned to any branch (the identity must carry the branches the user works in)');
    });
  });

  describe('lists and NRC search', () => {
    it('show a loan officer the applications of their branches only, filtered in the query', async () => {
      expect(ids(await test.client.get('/v1/applications', { as: LOAN_OFFICER_OLIVIA }))).toEqual([lusakaByOlivia]);
      expect(ids(await test.client.get('/v1/applications', { as: LOAN_OFFICER_MUTALE_KITWE }))).toEqual([kitweByMutale, kitweByNamwaamba]);
      expect(ids(await test.client.get('/v1/applications', { as: LOAN_OFFICER_NAMWAAMBA_BOTH }))).toEqual([kitweByMutale, kitweByNamwaamba, lusakaByOlivia]);
      // The two older Kitwe rows come first in the table: a filter applied after paging would
      // return an empty first page here.
      const firstPage = await test.client.get('/v1/applications?limit=1', { as: LOAN_OFFICER_OLIVIA });
      expect(firstPage.json).toMatchObject({ items: [{ id: lusakaByOlivia }], nextCursor: null });
    });

    it('find an NRC only within the branches in scope', async () => {
      const search = await test.client.get(`/v1/applications?applicant=${SHARED_NRC}&limit=1`, { as: LOAN_OFFICER_OLIVIA });
      expect(search.json).toMatchObject({ items: [{ id: lusakaByOlivia }], nextCursor: null });
      const kitwe = await test.client.get(`/v1/applications?applicant=${SHARED_NRC}`, { as: CREDIT_MANAGER_BWALYA_KITWE });
      expect(ids(kitwe)).toEqual([kitweByMutale, kitweByNamwaamba]);
    });

    it('mask the NRC in every list item and search result', async () => {
      const search = await test.client.get(`/v1/applications?applicant=${SHARED_NRC}`, { as: HEAD_OFFICE_NATASHA });
      expect(search.json.items.map((item: { applicantNationalId: string }) => item.applicantNationalId)).toEqual(['******/78/1', '******/78/1', '******/78/1']);
      expect(search.text).not.toContain('123456');
    });

    it('filter by branch within scope and refuse a branch outside it', async () => {
      expect(ids(await test.client.get(`/v1/applications?branch=${KITWE_BRANCH}`, { as: HEAD_OFFICE_NATASHA }))).toEqual([kitweByMutale, kitweByNamwaamba]);
      const outside = await test.client.get(`/v1/applications?branch=${KITWE_BRANCH}`, { as: LOAN_OFFICER_OLIVIA });
      expect(outside.status).toBe(403);
      expect(outside.json.message).toBe(
        `user "olivia" does not work in branch "${KITWE_BRANCH}" (allowed: ${LUSAKA_BRANCH}, or the head_office role for every branch)`,
      );
    });
  });

  describe('one application', () => {
    it('is read in full, NRC included, by a user of its branch or head office', async () => {
      const own = await test.client.get(`/v1/applications/${lusakaByOlivia}`, { as: CREDIT_MANAGER_CHILESHE });
      expect(own.json).toMatchObject({ id: lusakaByOlivia, branch: LUSAKA_BRANCH, applicantNationalId: SHARED_NRC, applicantName: 'Mwila Banda' });
      const headOffice = await test.client.get(`/v1/applications/${kitweByMutale}`, { as: HEAD_OFFICE_NATASHA });
      expect(headOffice.json).toMatchObject({ branch: KITWE_BRANCH, applicantNationalId: SHARED_NRC });
    });

    it('is refused with 403 to a user of another branch, with its schedule and documents', async () => {
      const message =
        `loan application "${lusakaByOlivia}" belongs to branch "${LUSAKA_BRANCH}", which user "mutale" does not work in ` +
        `(allowed: ${KITWE_BRANCH}, or the head_office role to read every branch)`;
      const responses = await Promise.all([
        test.client.get(`/v1/applications/${lusakaByOlivia}`, { as: LOAN_OFFICER_MUTALE_KITWE }),
        test.client.get(`/v1/applications/${lusakaByOlivia}/schedule`, { as: LOAN_OFFICER_MUTALE_KITWE }),
        test.client.get(`/v1/applications/${lusakaByOlivia}/documents`, { as: LOAN_OFFICER_MUTALE_KITWE }),
        test.client.get(`/v1/applications/${lusakaByOlivia}/documents/${lusakaDocument}`, { as: LOAN_OFFICER_MUTALE_KITWE }),
      ]);
      expect(responses.map((response) => [response.status, response.json?.message])).toEqual(responses.map(() => [403, message]));
    });

    it("lets head office download an identity document of any branch, and a branch user only their branch's", async () => {
      const path = `/v1/applications/${lusakaByOlivia}/documents/${lusakaDocument}`;
      expect((await test.client.get(path, { as: HEAD_OFFICE_NATASHA })).status).toBe(200);
      expect((await test.client.get(path, { as: CREDIT_MANAGER_CHILESHE })).status).toBe(200);
    });
  });

  describe('actions', () => {
    it('are taken only by a user of the application branch', async () => {
      const approveAsKitweManager = await test.client.post(`/v1/applications/${lusakaByOlivia}/approve`, { as: CREDIT_MANAGER_BWALYA_KITWE });
      expect(approveAsKitweManager.status).toBe(403);
      expect(approveAsKitweManager.json.message).toBe(
        `loan application "${lusakaByOlivia}" belongs to branch "${LUSAKA_BRANCH}"; only a credit_manager of that branch may approve it ` +
          `(user "bwalya" works in: ${KITWE_BRANCH})`,
      );
      const uploadAsKitweOfficer = await test.client.post(`/v1/applications/${lusakaByOlivia}/documents?kind=payslip`, {
        as: LOAN_OFFICER_MUTALE_KITWE, raw: PAYSLIP_PDF, contentType: 'application/pdf',
      });
      expect(uploadAsKitweOfficer.status).toBe(403);
      expect(uploadAsKitweOfficer.json.message).toBe(
        `loan application "${lusakaByOlivia}" belongs to branch "${LUSAKA_BRANCH}"; only a loan_officer of that branch may upload documents to it ` +
          `(user "mutale" works in: ${KITWE_BRANCH})`,
      );
      const approved = await test.client.post(`/v1/applications/${kitweByMutale}/approve`, { as: CREDIT_MANAGER_BWALYA_KITWE });
      expect(approved.json).toMatchObject({ status: 'approved', decidedBy: 'bwalya' });
    });

    it('are not taken by head office, which reads every branch but acts only in its own', async () => {
      const headOfficeOnly = await test.client.post(`/v1/applications/${kitweByNamwaamba}/reject`, { as: HEAD_OFFICE_NATASHA, body: { reason: 'audit' } });
      expect(headOfficeOnly.status).toBe(403);
      expect(headOfficeOnly.json.message).toBe('user "natasha" lacks the role for this action (required: credit_manager; has: head_office)');
      const headOfficeManager: Caller = { user: 'kabwe', roles: ['head_office', 'credit_manager'], branches: [LUSAKA_BRANCH] };
      const elsewhere = await test.client.post(`/v1/applications/${kitweByNamwaamba}/reject`, { as: headOfficeManager, body: { reason: 'audit' } });
      expect(elsewhere.status).toBe(403);
      expect(elsewhere.json.message).toBe(
        `loan application "${kitweByNamwaamba}" belongs to branch "${KITWE_BRANCH}"; only a credit_manager of that branch may reject it ` +
          `(user "kabwe" works in: ${LUSAKA_BRANCH})`,
      );
    });
  });

  describe('submission', () => {
    it("takes the officer's only branch, or the one named if the officer works in it", async () => {
      const own = await test.client.post('/v1/applications', { as: LOAN_OFFICER_OLIVIA, body: MWILA_APPLICATION });
      expect(own.json).toMatchObject({ branch: LUSAKA_BRANCH });
      const named = await test.client.post('/v1/applications', { as: LOAN_OFFICER_NAMWAAMBA_BOTH, body: { ...MWILA_APPLICATION, branch: LUSAKA_BRANCH } });
      expect(named.json).toMatchObject({ branch: LUSAKA_BRANCH, createdBy: 'namwaamba' });
    });

    it.each<[string, Caller, Record<string, unknown>, number, string]>([
      ['another branch', LOAN_OFFICER_OLIVIA, { branch: KITWE_BRANCH }, 403,
        `user "olivia" cannot submit an application for branch "${KITWE_BRANCH}" (allowed: ${LUSAKA_BRANCH})`],
      ['the placeholder of applications from before branches', LOAN_OFFICER_OLIVIA, { branch: 'unassigned' }, 403,
        `user "olivia" cannot submit an application for branch "unassigned" (allowed: ${LUSAKA_BRANCH})`],
      ['no branch, for an officer of several', LOAN_OFFICER_NAMWAAMBA_BOTH, {}, 400,
        `branch is required: user "namwaamba" works in several branches (allowed: ${LUSAKA_BRANCH}, ${KITWE_BRANCH})`],
      ['no branch, for an officer of none', { user: 'newcomer', roles: ['loan_officer'], branches: [] }, {}, 403,
        'user "newcomer" is not assigned to any branch (the identity must carry the branches the user works in)'],
    ])('refuses %s', async (_case, as, body, status, message) => {
      const response = await test.client.post('/v1/applications', { as, body: { ...MWILA_APPLICATION, ...body } });
      expect({ status: response.status, message: response.json.message }).toEqual({ status, message });
    });

    it('validates the branch code', async () => {
      const response = await test.client.post('/v1/applications', { as: LOAN_OFFICER_OLIVIA, body: { ...MWILA_APPLICATION, branch: 'Lusaka Cairo Road' } });
      expect(response.status).toBe(400);
      expect(response.json.issues).toEqual([
        { path: 'body.branch', message: 'must be a branch code: 2-50 lower-case letters, digits or dashes (e.g. "lusaka-cairo-road")' },
      ]);
    });
  });
});
