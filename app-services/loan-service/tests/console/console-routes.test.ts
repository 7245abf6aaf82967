import { CONSOLE_SECURITY_HEADERS } from '../../src/console/console-routes';
import { csrfTokenOf } from '../../src/console/console-session';
import { AUTHORITY_FOR_EVERY_CREDIT_MANAGER } from '../support/fixtures';
import { CONFIG_ADMIN_ALICE, CONFIG_ADMIN_BOB, type Caller, CREDIT_MANAGER_BWALYA_KITWE, HEAD_OFFICE_NATASHA, KITWE_BRANCH, LOAN_OFFICER_MUTALE_KITWE, LUSAKA_BRANCH } from '../support/http-client';
import { type IdentityProvider, startIdentityProvider } from '../support/identity-provider';
import { startTestService, type TestService } from '../support/test-service';

const CSP = "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

describe('business configuration console (header mode, real HTTP)', () => {
  let test: TestService;
  let host: string;
  beforeEach(async () => {
    test = await startTestService();
    host = new URL(test.client.baseUrl).host;
  });
  afterEach(async () => {
    await test.close();
  });

  const post = (path: string, as: Caller, fields: Record<string, string>, headers: Record<string, string> = { origin: `http://${host}`, 'sec-fetch-site': 'same-origin' }) =>
    test.client.request('POST', path, { redirect: 'manual', as, raw: Buffer.from(form(fields)), contentType: 'application/x-www-form-urlencoded', headers });

  it('serves pages with a strict Content-Security-Policy and no script', async () => {
    const page = await test.client.get('/console', { as: CONFIG_ADMIN_ALICE });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CSP);
    expect(CONSOLE_SECURITY_HEADERS['content-security-policy']).toBe(CSP);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.text).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
    expect(page.text).toContain('<link rel="stylesheet" href="/console/console.css">');
    const css = await test.client.get('/console/console.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('runs maker-checker: the proposer is refused, another admin approves, and the change applies', async () => {
    const proposed = await post('/console/authority-matrix/propose', CONFIG_ADMIN_ALICE, { payload: JSON.stringify(AUTHORITY_FOR_EVERY_CREDIT_MANAGER), csrf: '' });
    expect(proposed.status).toBe(303);
    expect(proposed.headers.get('location')).toBe('/console/authority-matrix?done=proposed&version=1');

    const page = await test.client.get('/console/authority-matrix', { as: CONFIG_ADMIN_ALICE });
    expect(page.text).toContain('You proposed this version: another config_admin must approve or reject it (maker-checker).');
    expect(page.text).toMatch(/<button class="primary" type="submit" disabled aria-describedby="own-proposal">Approve version 1<\/button>/);

    const self = await post('/console/authority-matrix/versions/1/approve', CONFIG_ADMIN_ALICE, { csrf: '' });
    expect(self.status).toBe(403);
    expect(self.text).toContain('approval authority matrix &quot;default&quot; version 1 was proposed by &quot;alice&quot;, who cannot also approve it');

    const approved = await post('/console/authority-matrix/versions/1/approve', CONFIG_ADMIN_BOB, { csrf: '' });
    expect(approved.status).toBe(303);
    const inForce = await test.client.get('/v1/authority-matrix', { as: CONFIG_ADMIN_ALICE });
    expect(inForce.json).toMatchObject({ version: 1, proposedBy: 'alice', decidedBy: 'bob' });
    const audit = test.logLines.filter((line) => line.audit === true).map((line) => `${String(line.actor)} ${String(line.action)}`);
    expect(audit).toEqual(['alice config.authority_matrix.propose', 'bob config.authority_matrix.approve']);
  });

  it('proposes and approves a loan product through its own page, and lists it', async () => {
    const product = {
      name: 'Salary advance', currency: 'ZMW', annualInterestRateBps: 2400, interestMethod: 'reducing_balance', repaymentFrequency: 'monthly',
      arrangementFeeBps: 250, flatFeeNgwee: 5000, minPrincipalNgwee: 50000, maxPrincipalNgwee: 5000000, minInstalments: 1, maxInstalments: 24,
    };
    const opened = await test.client.get('/console/products/new?productId=salary-advance', { as: CONFIG_ADMIN_ALICE, redirect: 'manual' });
    expect(opened.headers.get('location')).toBe('/console/products/salary-advance');
    const badId = await test.client.get('/console/products/new?productId=Salary%20Advance', { as: CONFIG_ADMIN_ALICE });
    expect(badId.status).toBe(400);
    const proposed = await post('/console/products/salary-advance/propose', CONFIG_ADMIN_ALICE, { payload: JSON.stringify(product), csrf: '' });
    expect(proposed.headers.get('location')).toBe('/console/products/salary-advance?done=proposed&version=1');
    expect((await post('/console/products/salary-advance/versions/1/approve', CONFIG_ADMIN_BOB, { csrf: '' })).status).toBe(303);
    const page = await test.client.get('/console/products/salary-advance', { as: LOAN_OFFICER_MUTALE_KITWE });
    expect(page.text).toContain('<tr><th scope="row">Annual interest rate</th><td>24.00%</td></tr>');
    expect(page.text).toContain('<tr><th scope="row">Largest principal</th><td>ZMW 50,000.00</td></tr>');
    const list = await test.client.get('/console/products', { as: LOAN_OFFICER_MUTALE_KITWE });
    expect(list.text).toContain('<td><a href="/console/products/salary-advance">salary-advance</a></td><td>version 1</td>');

    await post('/console/products/salary-advance/propose', CONFIG_ADMIN_BOB, { payload: JSON.stringify({ ...product, flatFeeNgwee: 7500 }), csrf: '' });
    const rejected = await post('/console/products/salary-advance/versions/2/reject', CONFIG_ADMIN_ALICE, { reason: 'fee above policy', csrf: '' });
    expect(rejected.headers.get('location')).toBe('/console/products/salary-advance?done=rejected');
    const history = await test.client.get('/console/products/salary-advance', { as: HEAD_OFFICE_NATASHA });
    expect(history.text).toContain('<td>fee above policy</td>');
    expect((await test.client.get('/v1/products/salary-advance', { as: LOAN_OFFICER_MUTALE_KITWE })).json.version).toBe(1);
  });

  it('builds a proposal from the labelled fields: numbers, yes/no, lists, emptied lines removed', async () => {
    const matrix = {
      'row.0.productId': '*', 'row.0.riskGrade': 'A', 'row.0.branch': LUSAKA_BRANCH, 'row.0.maxPrincipalNgwee': '2000000', 'row.0.approvers': 'chileshe, Mwansa',
      'row.1.productId': '', 'row.1.riskGrade': '', 'row.1.branch': '', 'row.1.maxPrincipalNgwee': '', 'row.1.approvers': '',
      'row.2.productId': '*', 'row.2.riskGrade': '*', 'row.2.branch': '*', 'row.2.maxPrincipalNgwee': '100000', 'row.2.approvers': '',
    };
    expect((await post('/console/authority-matrix/propose', CONFIG_ADMIN_ALICE, { ...matrix, csrf: '' })).status).toBe(303);
    const proposed = await test.client.get('/v1/authority-matrix/versions', { as: CONFIG_ADMIN_ALICE });
    expect(proposed.json.items[0].payload).toEqual({
      rules: [
        { productId: '*', riskGrade: 'A', branch: LUSAKA_BRANCH, maxPrincipalNgwee: 2_000_000, approvers: ['chileshe', 'mwansa'] },
        { productId: '*', riskGrade: '*', branch: '*', maxPrincipalNgwee: 100_000 },
      ],
    });

    const compliance = await post('/console/compliance/propose', CONFIG_ADMIN_ALICE, {
      'field.maxActiveApplicationsPerApplicant': 'two', 'field.identityDocumentRequiredForApproval': '', csrf: '',
    });
    expect(compliance.status).toBe(400);
    expect(compliance.text).toContain('<li>maxActiveApplicationsPerApplicant: Invalid input: expected number, received string</li>');
    expect(compliance.text).toContain('<li>identityDocumentRequiredForApproval: Invalid input: expected boolean, received undefined</li>');
    expect(compliance.text).toContain('value="two" aria-label="Most active applications per applicant (NRC)"');
    const accepted = await post('/console/compliance/propose', CONFIG_ADMIN_ALICE, {
      'field.maxActiveApplicationsPerApplicant': '3', 'field.identityDocumentRequiredForApproval': 'yes', csrf: '',
    });
    expect(accepted.status).toBe(303);
    const settings = await test.client.get('/v1/compliance-settings/versions', { as: CONFIG_ADMIN_ALICE });
    expect(settings.json.items[0].payload).toEqual({ maxActiveApplicationsPerApplicant: 3, identityDocumentRequiredForApproval: true });
  });

  it('refuses form posts from other sites', async () => {
    const body = { payload: '{"maxActiveApplicationsPerApplicant":2,"identityDocumentRequiredForApproval":true}', csrf: '' };
    const none = await post('/console/compliance/propose', CONFIG_ADMIN_ALICE, body, {});
    expect(none.status).toBe(403);
    expect(none.text).toContain('console form posts must come from the console page (no Origin or Sec-Fetch-Site header)');
    const crossSite = await post('/console/compliance/propose', CONFIG_ADMIN_ALICE, body, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.text).toContain('Sec-Fetch-Site: cross-site; allowed: same-origin');
    const otherOrigin = await post('/console/compliance/propose', CONFIG_ADMIN_ALICE, body, { origin: 'https://evil.example' });
    expect(otherOrigin.text).toContain('Origin: https://evil.example; allowed: this host');
    expect((await test.client.get('/v1/compliance-settings/versions', { as: CONFIG_ADMIN_ALICE })).status).toBe(404);
  });

  it('names each broken rule of a proposal and keeps what was typed', async () => {
    const refused = await post('/console/compliance/propose', CONFIG_ADMIN_ALICE, { payload: '{"maxActiveApplicationsPerApplicant":0}', csrf: '' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('<li>maxActiveApplicationsPerApplicant: Too small: expected number to be &gt;=1</li>');
    expect(refused.text).toContain('{&quot;maxActiveApplicationsPerApplicant&quot;:0}</textarea>');
    const notJson = await post('/console/compliance/propose', CONFIG_ADMIN_ALICE, { payload: '{', csrf: '' });
    expect(notJson.status).toBe(400);
    expect(notJson.text).toContain('the new version is not valid JSON');
  });

  it("escapes what configuration holds, and shows business users only their branches' part", async () => {
    const directory = {
      branches: [
        { code: LUSAKA_BRANCH, name: '<img src=x onerror=alert(1)>', region: 'Lusaka', acceptsApplications: true },
        { code: KITWE_BRANCH, name: 'Kitwe Obote Avenue', region: 'Copperbelt', acceptsApplications: true },
      ],
    };
    await post('/console/branches/propose', CONFIG_ADMIN_ALICE, { payload: JSON.stringify(directory), csrf: '' });
    await post('/console/branches/versions/1/approve', CONFIG_ADMIN_BOB, { csrf: '' });
    const admin = await test.client.get('/console/branches', { as: CONFIG_ADMIN_ALICE });
    expect(admin.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(admin.text).not.toContain('<img');

    const kitwe = await test.client.get('/console/branches', { as: LOAN_OFFICER_MUTALE_KITWE });
    expect(kitwe.status).toBe(200);
    expect(kitwe.text).toContain('Kitwe Obote Avenue');
    expect(kitwe.text).not.toContain(LUSAKA_BRANCH);
    expect(kitwe.text).not.toContain('History');
    expect(kitwe.text).not.toContain('Approval authority');
    const matrix = await test.client.get('/console/authority-matrix', { as: LOAN_OFFICER_MUTALE_KITWE });
    expect(matrix.status).toBe(403);
    expect(matrix.text).toContain('user &quot;mutale&quot; may not see approval authority (roles: loan_officer)');
    expect((await test.client.get('/console/authority-matrix', { as: CREDIT_MANAGER_BWALYA_KITWE })).status).toBe(200);
  });

  it('sends a visitor without identity to sign in', async () => {
    const page = await test.client.get('/console/products', { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/console/sign-in');
  });
});

describe('business configuration console sign-in (identity provider tokens)', () => {
  let provider: IdentityProvider;
  let test: TestService;
  beforeAll(async () => {
    provider = await startIdentityProvider();
    test = await startTestService(provider.serviceEnvironment);
  });
  afterAll(async () => {
    await test.close();
    await provider.close();
  });

  it('keeps the verified token in an HttpOnly, SameSite=Strict cookie and requires the anti-forgery token', async () => {
    const host = new URL(test.client.baseUrl).host;
    const token = await provider.token('Alice', ['config_admin']);
    const headers = { origin: `http://${host}`, 'sec-fetch-site': 'same-origin' };
    const signIn = await test.client.request('POST', '/console/sign-in', { redirect: 'manual', raw: Buffer.from(form({ token })), contentType: 'application/x-www-form-urlencoded', headers });
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^lms_console_token=${token.replace(/\./g, '\\.')}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=(3599|3600)$`));
    const session = { cookie: `lms_console_token=${token}` };

    const page = await test.client.get('/console', { headers: session });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Signed in as <strong>alice</strong>');
    const csrf = csrfTokenOf({ headers: session } as never);
    expect(page.text).toContain(`name="csrf" value="${csrf}"`);

    const body = form({ payload: '{"maxActiveApplicationsPerApplicant":2,"identityDocumentRequiredForApproval":false}', csrf: 'forged' });
    const forged = await test.client.request('POST', '/console/compliance/propose', { redirect: 'manual', raw: Buffer.from(body), contentType: 'application/x-www-form-urlencoded', headers: { ...headers, ...session } });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('anti-forgery token mismatch');
    const genuine = await test.client.request('POST', '/console/compliance/propose', {
      redirect: 'manual',
      raw: Buffer.from(form({ payload: '{"maxActiveApplicationsPerApplicant":2,"identityDocumentRequiredForApproval":false}', csrf })),
      contentType: 'application/x-www-form-urlencoded', headers: { ...headers, ...session },
    });
    expect(genuine.status).toBe(303);

    const signOut = await test.client.request('POST', '/console/sign-out', {
      redirect: 'manual', raw: Buffer.from(form({ csrf })), contentType: 'application/x-www-form-urlencoded', headers: { ...headers, ...session },
    });
    expect(signOut.status).toBe(303);
    expect(signOut.headers.get('location')).toBe('/console/sign-in');
    expect(signOut.headers.get('set-cookie')).toBe('lms_console_token=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0');
    const audit = test.logLines.filter((line) => line.audit === true).map((line) => `${String(line.actor)} ${String(line.action)}`);
    expect(audit).toEqual(['alice console.sign_in', 'alice config.compliance.propose', 'alice console.sign_out']);
  });

  it('refuses a token the identity provider did not sign, and an expired session', async () => {
    const host = new URL(test.client.baseUrl).host;
    const headers = { origin: `http://${host}`, 'sec-fetch-site': 'same-origin' };
    const forged = `${(await provider.token('mallory', ['config_admin'])).slice(0, -4)}AAAA`;
    const refused = await test.client.request('POST', '/console/sign-in', { redirect: 'manual', raw: Buffer.from(form({ token: forged })), contentType: 'application/x-www-form-urlencoded', headers });
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('bearer token rejected');
    expect(refused.headers.get('set-cookie')).toBeNull();
    const expired = await provider.token('alice', ['config_admin'], [], '-5 minutes');
    const page = await test.client.get('/console', { redirect: 'manual', headers: { cookie: `lms_console_token=${expired}` } });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/console/sign-in');
    expect(page.headers.get('set-cookie')).toMatch(/^lms_console_token=; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=0$/);
  });
});
