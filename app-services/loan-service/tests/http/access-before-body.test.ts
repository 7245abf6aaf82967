import { createFastify } from '../../src/http/build-app';
import { RouteRegistry } from '../../src/http/route-registry';
import { createLogger } from '../../src/observability/create-logger';
import { MWILA_APPLICATION, seedApprovedConfiguration } from '../support/fixtures';
import { CREDIT_MANAGER_CHILESHE, HttpClient, LOAN_OFFICER_OLIVIA, LUSAKA_BRANCH } from '../support/http-client';
import { openRequest } from '../support/raw-request';
import { startTestService, type TestService } from '../support/test-service';

const TEN_MIB = 10 * 1024 * 1024;

/**
 * Authentication and the role check come before any body is read, on every route: a caller
 * who may not upload cannot make the service hold an upload, and learns 401/403 rather than
 * the list of fields its body got wrong.
 */
describe('access control before the body', () => {
  let test: TestService;
  let applicationId: string;

  beforeAll(async () => {
    test = await startTestService();
    await seedApprovedConfiguration(test.client);
    applicationId = (await test.client.post('/v1/applications', { as: LOAN_OFFICER_OLIVIA, body: MWILA_APPLICATION })).json.id;
  });
  afterAll(async () => {
    await test.close();
  });

  it.each<[string, Record<string, string>, number, string]>([
    ['no identity', {}, 401, 'missing x-authenticated-user header (set by the ingress after authentication)'],
    [
      'a credit manager',
      { 'x-authenticated-user': 'chileshe', 'x-authenticated-roles': 'credit_manager' },
      403,
      'user "chileshe" lacks the role for this action (required: loan_officer; has: credit_manager)',
    ],
  ])('answers an upload by %s before its 10 MiB body is sent', async (_caller, identity, status, message) => {
    const upload = openRequest(test.client.baseUrl, 'POST', `/v1/applications/${applicationId}/documents?kind=payslip`, {
      ...identity,
      'content-type': 'application/pdf',
      'content-length': String(TEN_MIB),
    });
    await upload.write(Buffer.from('%PDF-1.7\n'));
    try {
      const response = await upload.response();
      expect(response.status).toBe(status);
      expect(response.json.message).toBe(message);
    } finally {
      upload.abort();
    }
  });

  it('answers a JSON request by a caller without the role before its body is sent', async () => {
    const request = openRequest(test.client.baseUrl, 'POST', '/v1/applications', {
      'x-authenticated-user': 'chileshe',
      'x-authenticated-roles': 'credit_manager',
      'content-type': 'application/json',
      'content-length': '60000',
    });
    await request.write(Buffer.from('{"productId":'));
    try {
      expect((await request.response()).status).toBe(403);
    } finally {
      request.abort();
    }
  });

  it.each<[string, string, { user: string; roles: string[] }, unknown]>([
    ['POST', '/v1/applications', { user: 'chileshe', roles: ['credit_manager'] }, { productId: '' }],
    ['POST', '/v1/products/salary-advance/versions', { user: 'olivia', roles: ['loan_officer'] }, { name: 1 }],
    ['POST', '/v1/risk-grades/versions', { user: 'olivia', roles: ['loan_officer'] }, { grades: 'A' }],
    ['POST', '/v1/products/salary-advance/versions/1/reject', { user: 'chileshe', roles: ['credit_manager'] }, {}],
    ['POST', '/v1/applications/not-a-uuid/reject', { user: 'olivia', roles: ['loan_officer'] }, {}],
    ['POST', '/v1/applications/not-a-uuid/approve', { user: 'olivia', roles: ['loan_officer'] }, undefined],
  ])('%s %s by a caller without the role is 403, not 400 for its invalid input', async (method, path, caller, body) => {
    const response = await test.client.request(method, path, { as: caller, body });
    expect(response.status).toBe(403);
    expect(response.json.error).toBe('forbidden');
  });

  it('still validates the input of a caller with the role (400)', async () => {
    const response = await test.client.post('/v1/applications', { as: LOAN_OFFICER_OLIVIA, body: { productId: '' } });
    expect(response.status).toBe(400);
  });

  it('marks every API response no-store and nosniff, and downloads as attachments', async () => {
    const uploaded = await test.client.post(`/v1/applications/${applicationId}/documents?kind=payslip`, {
      as: LOAN_OFFICER_OLIVIA, raw: Buffer.from('%PDF-1.7\n%%EOF\n'), contentType: 'application/pdf',
    });
    expect(uploaded.status).toBe(201);
    const responses = [
      uploaded,
      await test.client.get(`/v1/applications/${applicationId}`, { as: CREDIT_MANAGER_CHILESHE }),
      await test.client.get('/v1/applications?applicant=123456/78/1', { as: CREDIT_MANAGER_CHILESHE }),
      await test.client.get(`/v1/applications/${applicationId}/documents`, { as: CREDIT_MANAGER_CHILESHE }),
      await test.client.get(`/v1/applications/${applicationId}/documents/${uploaded.json.id}`, { as: CREDIT_MANAGER_CHILESHE }),
      await test.client.get('/v1/applications/7d3c2f44-1111-4222-8333-944455556666', { as: CREDIT_MANAGER_CHILESHE }),
      await test.client.get('/v1/applications'),
    ];
    expect(responses.map((response) => response.status)).toEqual([201, 200, 200, 200, 200, 404, 401]);
    for (const response of responses) {
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const download = responses[4];
    expect(download?.headers.get('content-disposition')).toBe(`attachment; filename="payslip-${uploaded.json.id}.pdf"`);
    expect(download?.headers.get('content-type')).toBe('application/pdf');
  });
});

describe('identities over HTTP', () => {
  let test: TestService;
  beforeAll(async () => {
    test = await startTestService();
    await seedApprovedConfiguration(test.client);
  });
  afterAll(async () => {
    await test.close();
  });

  it('treats "Carol" as carol, so she cannot approve her own application', async () => {
    const created = await test.client.post('/v1/applications', {
      as: { user: 'carol', roles: ['loan_officer', 'credit_manager'], branches: [LUSAKA_BRANCH] }, body: MWILA_APPLICATION,
    });
    expect(created.status).toBe(201);
    expect(created.json.createdBy).toBe('carol');
    const approved = await test.client.post(`/v1/applications/${created.json.id}/approve`, {
      as: { user: 'Carol', roles: ['credit_manager'], branches: [LUSAKA_BRANCH] },
    });
    expect(approved.status).toBe(403);
    expect(approved.json.message).toContain('carol');
  });

  it.each(['x-authenticated-user', 'x-authenticated-roles', 'x-authenticated-branches'])('refuses %s sent twice as ambiguous (401)', async (header) => {
    const identity: Record<string, string | string[]> = {
      'x-authenticated-user': 'carol', 'x-authenticated-roles': 'credit_manager', 'x-authenticated-branches': LUSAKA_BRANCH,
    };
    identity[header] = { 'x-authenticated-user': ['carol', 'carol'], 'x-authenticated-roles': ['credit_manager', 'config_admin'], 'x-authenticated-branches': [LUSAKA_BRANCH, 'kitwe-obote-avenue'] }[header] ?? [];
    const request = openRequest(test.client.baseUrl, 'GET', '/v1/products', identity);
    request.end();
    const response = await request.response();
    expect(response.status).toBe(401);
    expect(response.json.message).toBe(`ambiguous identity: header ${header} is sent 2 times (allowed: once)`);
  });
});

describe('RouteRegistry access control', () => {
  it('fails closed (500) on a route added without an access rule, and leaves unknown paths to the 404 handler', async () => {
    const app = createFastify(createLogger('silent'));
    new RouteRegistry(async () => ({ userId: 'olivia', roles: ['loan_officer'], branches: [] })).installAccessControl(app);
    app.get('/v1/unguarded', async () => ({ secret: true }));
    try {
      const client = new HttpClient(await app.listen({ port: 0, host: '127.0.0.1' }));
      const unguarded = await client.get('/v1/unguarded');
      expect(unguarded.status).toBe(500);
      expect(unguarded.json).toEqual({ error: 'internal_error', message: `internal error (request id ${unguarded.headers.get('x-request-id')})` });
      expect((await client.get('/v1/nothing-here')).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});
