import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { MWILA_APPLICATION, RISK_GRADES, SALARY_ADVANCE } from '../support/fixtures';
import { CHROMIUM_HOW_TO_GET, findChromium } from '../support/chromium';
import { type Caller, KITWE_BRANCH, LUSAKA_BRANCH } from '../support/http-client';
import { type IdentityProvider, startIdentityProvider } from '../support/identity-provider';
import { startTestService, type TestService } from '../support/test-service';

/** Where the README's screenshots come from: written by this test, committed with it. */
const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');
const VIEWPORT = { width: 1100, height: 700 };

const BRANCH_DIRECTORY = {
  branches: [
    { code: LUSAKA_BRANCH, name: 'Lusaka Cairo Road', region: 'Lusaka', acceptsApplications: true },
    { code: KITWE_BRANCH, name: 'Kitwe Obote Avenue', region: 'Copperbelt', acceptsApplications: true },
    { code: 'ndola-broadway', name: 'Ndola Broadway', region: 'Copperbelt', acceptsApplications: false },
  ],
};

/** Lusaka's credit managers may approve salary advances up to ZMW 5,000; Kitwe's anything up to ZMW 50,000; mwansa grade A in Lusaka up to ZMW 50,000. */
const MATRIX_V1 = {
  rules: [
    { productId: 'salary-advance', riskGrade: '*', branch: LUSAKA_BRANCH, maxPrincipalNgwee: 500_000 },
    { productId: '*', riskGrade: '*', branch: KITWE_BRANCH, maxPrincipalNgwee: 5_000_000 },
    { productId: '*', riskGrade: 'A', branch: LUSAKA_BRANCH, maxPrincipalNgwee: 5_000_000, approvers: ['mwansa'] },
  ],
};

/** A link of the console's section navigation (the overview table links the same sections). */
function sectionLink(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Configuration sections' }).getByRole('link', { name });
}

const chromiumExecutable = findChromium();
const describeInBrowser = chromiumExecutable === undefined ? describe.skip : describe;
if (chromiumExecutable === undefined) {
  // Reported with the skipped tests: a user's clone without Chromium still passes `npm test`.
  console.warn(`console end-to-end tests skipped: Chromium not found; ${CHROMIUM_HOW_TO_GET}`);
}

describeInBrowser('business configuration console in headless Chromium', () => {
  let provider: IdentityProvider;
  let test: TestService;
  let browser: Browser;
  let base: string;
  let now = Date.parse('2026-01-15T08:00:00.000Z');

  const bearer = async (user: string, roles: string[], branches: string[] = []): Promise<Caller> => ({
    authorization: `Bearer ${await provider.token(user, roles, branches)}`,
  });

  async function screenshot(page: Page, name: string): Promise<void> {
    const temporary = join(SCREENSHOTS, `.${name}.tmp.png`);
    await page.screenshot({ path: temporary, fullPage: true, animations: 'disabled', caret: 'hide' });
    renameSync(temporary, join(SCREENSHOTS, name));
  }

  /** Signs in as a person does: the token from the identity provider pasted into the labelled field, the button reached with Tab. */
  async function signIn(user: string, roles: string[], branches: string[] = [], screenshotName?: string): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'UTC', colorScheme: 'light' });
    const page = await context.newPage();
    await page.goto(`${base}/console/products`);
    expect(page.url()).toBe(`${base}/console/sign-in`);
    // Before the token is pasted: a token differs on every run, the screenshot must not.
    await page.getByLabel('Access token').focus();
    if (screenshotName !== undefined) await screenshot(page, screenshotName);
    await page.getByLabel('Access token').fill(await provider.token(user, roles, branches));
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Sign in' }).evaluate((button) => button.matches(':focus'))).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/console`);
    await expect(page.locator('header').innerText()).resolves.toContain(`Signed in as ${user}`);
    return page;
  }

  beforeAll(async () => {
    provider = await startIdentityProvider();
    test = await startTestService(provider.serviceEnvironment, { clock: () => new Date(now) });
    base = test.client.baseUrl;
    browser = await chromium.launch({ executablePath: chromiumExecutable as string, args: ['--no-sandbox'] });
    const alice = await bearer('alice', ['config_admin']);
    const bob = await bearer('bob', ['config_admin']);
    for (const [path, body] of [
      ['/v1/products/salary-advance', SALARY_ADVANCE],
      ['/v1/risk-grades', RISK_GRADES],
      ['/v1/branches', BRANCH_DIRECTORY],
      ['/v1/authority-matrix', MATRIX_V1],
      ['/v1/compliance-settings', { maxActiveApplicationsPerApplicant: 2, identityDocumentRequiredForApproval: false }],
    ] as const) {
      now += 60_000;
      expect((await test.client.post(`${path}/versions`, { as: alice, body })).status).toBe(201);
      now += 60_000;
      expect((await test.client.post(`${path}/versions/1/approve`, { as: bob })).status).toBe(200);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await test?.close();
    await provider?.close();
  });

  it('takes a change to the authority matrix through maker-checker, refusing self-approval, and the API follows it', async () => {
    const olivia = await bearer('olivia', ['loan_officer'], [LUSAKA_BRANCH]);
    const chileshe = await bearer('chileshe', ['credit_manager'], [LUSAKA_BRANCH]);
    const application = await test.client.post('/v1/applications', { as: olivia, body: MWILA_APPLICATION });
    expect(application.status).toBe(201);
    const beforeChange = await test.client.post(`/v1/applications/${application.json.id}/approve`, { as: chileshe });
    expect(beforeChange.status).toBe(403);
    expect(beforeChange.json.message).toMatch(/approval authority matrix version 1 allows up to 500000$/);

    // The maker: alice raises Lusaka's salary-advance limit to ZMW 20,000.
    now = Date.parse('2026-01-15T09:30:00.000Z');
    const alice = await signIn('alice', ['config_admin'], [], 'console-sign-in.png');
    await screenshot(alice, 'console-overview.png');
    await sectionLink(alice, 'Approval authority').click();
    expect(JSON.parse(await alice.getByLabel('New version (JSON)').inputValue())).toEqual(MATRIX_V1);
    const limit = alice.getByLabel('Largest principal, line 1', { exact: true });
    await expect(limit.inputValue()).resolves.toBe('500000');
    await expect(alice.getByLabel('Approvers, line 3', { exact: true }).inputValue()).resolves.toBe('mwansa');
    await limit.fill('2000000');
    await screenshot(alice, 'console-propose-form.png');
    await limit.press('Enter');
    await expect(alice.getByRole('status').innerText()).resolves.toBe('Proposed. Another config_admin must approve it before it applies.');
    const approveOwn = alice.getByRole('button', { name: 'Approve version 2' });
    await expect(approveOwn.isDisabled()).resolves.toBe(true);
    await expect(alice.locator('#own-proposal').innerText()).resolves.toBe('You proposed this version: another config_admin must approve or reject it (maker-checker).');
    await screenshot(alice, 'console-own-proposal.png');

    // alice forces the disabled button (as with the browser's developer tools): the service refuses.
    await approveOwn.evaluate((button) => button.removeAttribute('disabled'));
    await approveOwn.click();
    await expect(alice.getByRole('alert').innerText()).resolves.toBe(
      'Refused: approval authority matrix "default" version 2 was proposed by "alice", who cannot also approve it (maker-checker: a different config_admin must decide)',
    );
    await screenshot(alice, 'console-self-approval-refused.png');
    expect((await test.client.post(`/v1/applications/${application.json.id}/approve`, { as: chileshe })).status).toBe(403);

    // The checker: bob reads the diff and approves.
    now = Date.parse('2026-01-15T10:15:00.000Z');
    const bob = await signIn('bob', ['config_admin']);
    await sectionLink(bob, 'Approval authority').click();
    const diffRows = await bob.locator('tr.changed').allInnerTexts();
    expect(diffRows).toEqual(['Largest principal (rules[0].maxPrincipalNgwee)\tchanged\tZMW 5,000.00\tZMW 20,000.00']);
    await screenshot(bob, 'console-review-diff.png');
    await bob.getByRole('button', { name: 'Approve version 2' }).click();
    await expect(bob.getByRole('status').innerText()).resolves.toBe('Approved: this version is now in force.');
    const history = await bob.locator('#history + table tbody tr').allInnerTexts();
    expect(history[0]).toBe('2\tapproved\talice at 2026-01-15 09:30 UTC\tbob at 2026-01-15 10:15 UTC\t');

    const afterChange = await test.client.post(`/v1/applications/${application.json.id}/approve`, { as: chileshe });
    expect(afterChange.status).toBe(200);
    expect(afterChange.json).toMatchObject({ status: 'approved', decidedBy: 'chileshe' });
  });

  it('shows a branch user only their branch and the sections their role allows', async () => {
    const bwalya = await signIn('bwalya', ['credit_manager'], [KITWE_BRANCH]);
    const sections = await bwalya.getByRole('navigation', { name: 'Configuration sections' }).getByRole('link').allInnerTexts();
    expect(sections).toEqual(['Overview', 'Loan products', 'Risk grades', 'Approval authority', 'Branches', 'Compliance']);
    await sectionLink(bwalya, 'Approval authority').click();
    const rules = await bwalya.locator('#in-force ~ table tbody tr').allInnerTexts();
    expect(rules).toEqual(['1\tany (*)\tany (*)\tkitwe-obote-avenue\tZMW 50,000.00']);
    expect(await bwalya.content()).not.toContain(LUSAKA_BRANCH);
    await expect(bwalya.getByRole('heading', { name: 'Awaiting approval' }).count()).resolves.toBe(0);
    await expect(bwalya.getByRole('heading', { name: 'History' }).count()).resolves.toBe(0);
    await screenshot(bwalya, 'console-branch-user.png');
    await sectionLink(bwalya, 'Branches').click();
    const branches = await bwalya.locator('#in-force ~ table tbody tr').allInnerTexts();
    expect(branches).toEqual(['1\tkitwe-obote-avenue\tKitwe Obote Avenue\tCopperbelt\tyes']);

    const olivia = await signIn('mutale', ['loan_officer'], [KITWE_BRANCH]);
    const officerSections = await olivia.getByRole('navigation', { name: 'Configuration sections' }).getByRole('link').allInnerTexts();
    expect(officerSections).not.toContain('Approval authority');
    const response = await olivia.goto(`${base}/console/authority-matrix`);
    expect(response?.status()).toBe(403);
    await expect(olivia.getByRole('alert').innerText()).resolves.toBe('Refused: user "mutale" may not see approval authority (roles: loan_officer)');
  });
});
