import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { PROJECT_ROOT } from '../support/environments';
import { synthesizeInto } from '../support/synthesized-plan';
import { describeWithTools } from '../support/tools';

/** Runs `npm run audit` the way npm does, with its arguments. */
function audit(args: readonly string[], cwd = PROJECT_ROOT) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'stacks/audit.ts'), ...args], { cwd, encoding: 'utf8' });
}

/** Every file under a folder, relative path -> content. */
function tree(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(folder, relative), { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else files[child] = fs.readFileSync(path.join(folder, child), 'utf8');
    }
  };
  walk('');
  return files;
}

let scratch: string;
let plan: string;
let reports: string;

beforeAll(() => {
  scratch = synthesizeInto();
  plan = path.join(scratch, 'cdktf.out');
  reports = path.join(scratch, 'audit-out');
});

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A copy of the synthesized staging plan with a public image, a literal password, no full backup, replication off and Lusaka's state at Kitwe. */
function brokenStagingPlan(): string {
  const broken = path.join(scratch, 'broken', 'cdktf.out');
  fs.mkdirSync(path.join(broken, 'stacks'), { recursive: true });
  fs.cpSync(path.join(plan, 'runbooks'), path.join(broken, 'runbooks'), { recursive: true });
  for (const name of fs.readdirSync(path.join(plan, 'stacks')).filter((stack) => stack.startsWith('staging-'))) {
    fs.cpSync(path.join(plan, 'stacks', name), path.join(broken, 'stacks', name), { recursive: true });
  }
  const edit = (stack: string, change: (terraform: any) => void) => {
    const file = path.join(broken, 'stacks', stack, 'cdk.tf.json');
    const terraform = JSON.parse(fs.readFileSync(file, 'utf8'));
    change(terraform);
    fs.writeFileSync(file, JSON.stringify(terraform, null, 2));
  };
  const manifests = (terraform: any) => Object.entries(terraform.resource.kubernetes_manifest) as [string, any][];
  const find = (terraform: any, kind: string, name: string) => manifests(terraform).find(([, resource]) => resource.manifest.kind === kind && resource.manifest.metadata.name === name)![1].manifest;
  edit('staging-lusaka-apps', (terraform) => {
    const container = find(terraform, 'Deployment', 'loan-service').spec.template.spec.containers[0];
    container.image = 'docker.io/library/nginx:1.27';
    container.env.push({ name: 'MSSQL_PASSWORD', value: 'Sup3r-Secret!' });
  });
  edit('staging-lusaka-data', (terraform) => {
    const [id] = manifests(terraform).find(([, resource]) => resource.manifest.kind === 'CronJob' && resource.manifest.metadata.name === 'sql-server-backup-full')!;
    delete terraform.resource.kubernetes_manifest[id];
    find(terraform, 'ConfigMap', 'object-store-replication').data['replicated-buckets'] = '';
    terraform.terraform.backend.s3.endpoints.s3 = 'https://state.staging.kitwe.lms.co.zm';
  });
  return broken;
}

describe('npm run audit', () => {
  test('passes for every environment of the synthesized plan and writes each report', () => {
    const result = audit(['--plan', plan, '--out', reports]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    for (const environment of ['dev', 'staging', 'production']) {
      expect(result.stdout).toMatch(new RegExp(`^audit ${environment}: PASS: 0 open errors`, 'm'));
      expect(fs.readdirSync(path.join(reports, environment)).sort()).toEqual(['diagram.svg', 'findings.csv', 'report.html', 'report.json', 'report.md']);
    }
    const production = JSON.parse(fs.readFileSync(path.join(reports, 'production', 'report.json'), 'utf8'));
    expect(production.result).toBe('pass');
    expect(production.recovery).toMatchObject({ primarySite: 'lusaka', drSite: 'kitwe', logBackupMinutes: 15, replicationLagBudgetMinutes: 5, restoreMinutes: 15, worstCaseDataLossMinutes: 35, estimatedRecoveryMinutes: 157 });
    expect(production.inventory.buckets).toContainEqual({ site: 'lusaka', bucket: 'sql-backups', objectLock: 'GOVERNANCE 35 d', replicatedTo: 'minio.prod.kitwe.lms.co.zm' });
    expect(production.inventory.images.every((image: { digest?: string }) => /^sha256:[0-9a-f]{64}$/.test(image.digest ?? ''))).toBe(true);
    expect(production.inventory.vaultPaths).toContainEqual(expect.objectContaining({ site: 'lusaka', path: 'kv/data/production/alert-receivers', readers: ['lms-observability/monitoring-alertmanager (role alertmanager)'] }));
    const markdown = fs.readFileSync(path.join(reports, 'production', 'report.md'), 'utf8');
    expect(markdown).toContain('| LMS-BC-006 | production-lusaka-data | StatefulSet lms-data/sql-server |');
    expect(markdown).toContain('Worst-case data loss = log backup interval (15 min) + replication lag budget (5 min');
    expect(fs.readFileSync(path.join(reports, 'dev', 'findings.csv'), 'utf8').split('\r\n')[0]).toBe('environment,rule,level,status,stack,object,path,value,allowed,reason');
  });

  test('writes the same bytes on every run, from any working folder', () => {
    const again = path.join(scratch, 'audit-again');
    expect(audit(['--plan', plan, '--out', again], path.join(PROJECT_ROOT, 'policy')).status).toBe(0);
    expect(tree(again)).toEqual(tree(reports));
    expect(JSON.stringify(tree(again))).not.toContain(scratch);
  });

  test('a broken plan yields the expected findings and exit 1, with complete reports', () => {
    const broken = brokenStagingPlan();
    const out = path.join(scratch, 'broken-audit');
    const result = audit(['--plan', broken, '--out', out]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^audit staging: FAIL: \d+ open errors/m);
    for (const expected of [
      'LMS-SOV-001 staging-lusaka-apps: Deployment lms-apps/loan-service: spec.template.spec.containers[0].image: docker.io/library/nginx:1.27',
      'LMS-SOV-002 staging-lusaka-apps: Deployment lms-apps/loan-service: spec.template.spec.containers[0].image: docker.io/library/nginx:1.27',
      'LMS-SEC-001 staging-lusaka-apps: Deployment lms-apps/loan-service: spec.template.spec.containers[0].env[',
      'LMS-BC-003 : CronJob lms-data/sql-server-backup-full: CronJob at lusaka: (missing)',
      'LMS-BC-004 : Bucket lusaka/documents: object-store-replication ConfigMap data.replicated-buckets: (missing) (allowed: a list including documents)',
      'LMS-SOV-006 staging-lusaka-data: TerraformBackend s3: terraform.backend.s3.endpoints.s3: https://state.staging.kitwe.lms.co.zm',
    ]) {
      expect(result.stdout).toContain(expected);
    }
    expect(result.stdout).not.toContain('Sup3r-Secret!');
    expect(fs.readdirSync(path.join(out, 'staging')).sort()).toEqual(['diagram.svg', 'findings.csv', 'report.html', 'report.json', 'report.md']);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'staging', 'report.json'), 'utf8')).result).toBe('fail');
    expect(fs.readFileSync(path.join(out, 'staging', 'findings.csv'), 'utf8')).toContain('LMS-BC-003,error,open,');
    expect(JSON.stringify(tree(out))).not.toContain('Sup3r-Secret!');
  });

  test('an unreadable plan fails naming the file, and leaves the previous reports exactly as they were', () => {
    const bad = path.join(scratch, 'bad', 'cdktf.out');
    fs.cpSync(path.join(plan, 'stacks', 'dev-lusaka-apps'), path.join(bad, 'stacks', 'dev-lusaka-apps'), { recursive: true });
    fs.writeFileSync(path.join(bad, 'stacks', 'dev-lusaka-apps', 'cdk.tf.json'), '{ "resource": ');
    const out = path.join(scratch, 'kept');
    fs.cpSync(reports, out, { recursive: true });
    const before = tree(out);
    const result = audit(['--plan', bad, '--out', out]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^audit failed: stacks\/dev-lusaka-apps\/cdk\.tf\.json: not valid JSON \(.*\) \(allowed: Terraform JSON as `npm run synth` writes it\)\n$/);
    expect(tree(out)).toEqual(before);
    expect(fs.readdirSync(scratch).filter((name) => /\.(staging|previous)-/.test(name))).toEqual([]);
  });

  test('without a synthesized plan it says to run the synth first', () => {
    const result = audit(['--plan', path.join(scratch, 'nothing-here'), '--out', path.join(scratch, 'never')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`audit failed: audit: ${path.join(scratch, 'nothing-here')} holds no synthesized plan (no stacks/ folder) (allowed: the output of \`npm run synth\`; run \`npm run synth\` first, or pass --plan <folder>)\n`);
    expect(fs.existsSync(path.join(scratch, 'never'))).toBe(false);
  });

  test('rejects an unknown option', () => {
    const result = audit(['--env', 'production']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('audit failed: audit: argument "--env" is not an option (allowed: --plan <folder>, --out <folder>, --diff <folder or git ref>, --compare <environment>,<environment>)\n');
  });

  test('--diff against another version says what changes, stack by stack', () => {
    const broken = fs.existsSync(path.join(scratch, 'broken')) ? path.join(scratch, 'broken', 'cdktf.out') : brokenStagingPlan();
    const out = path.join(scratch, 'diff-audit');
    const result = audit(['--plan', plan, '--out', out, '--diff', broken]);
    expect(result.status).toBe(0);
    const diff = fs.readFileSync(path.join(out, 'staging', 'diff.md'), 'utf8');
    expect(diff).toContain(`# Changes in staging against ${broken}`);
    expect(diff).toContain('- The audit result changes from FAIL to PASS.');
    expect(diff).not.toContain('Sup3r-Secret!');
    expect(diff).toContain(
      '## Stack lusaka-data\n\n- Changes ConfigMap lms-data/object-store-replication: data.replicated-buckets: "" -> "documents\\nsql-backups\\nvault-snapshots\\nes-snapshots\\n".\n- Adds CronJob lms-data/sql-server-backup-full.\n- Changes TerraformBackend s3: endpoints.s3: "https://state.staging.kitwe.lms.co.zm" -> "https://state.staging.lusaka.lms.co.zm".\n',
    );
    expect(diff).toContain('- Changes Deployment lms-apps/loan-service: spec.template.spec.containers[name=loan-service].env[name=MSSQL_PASSWORD]: <redacted: holds a secret value> -> (none); spec.template.spec.containers[name=loan-service].image: "docker.io/library/nginx:1.27" -> "registry.lms.co.zm/lms/loan-service:');
    expect(diff).toContain('- Resolved: LMS-SOV-006 (Terraform state in-country, at its own site) on TerraformBackend s3 (terraform.backend.s3.endpoints.s3).');
    expect(diff).toContain('## The environment as a whole\n\n- Resolved: LMS-BC-003 (Daily full backups) on CronJob lms-data/sql-server-backup-full (CronJob at lusaka).');
    expect(diff).toContain('- Resolved: LMS-BC-004 (Every bucket with business data replicated to the other site) on Bucket lusaka/documents');
    expect(diff).toContain('- SQL Server full backups at lusaka is new: 30 1 * * *.');
    expect(diff).toContain('- Resolved: LMS-SEC-001 (No secret values in synthesized files or state inputs) on Deployment lms-apps/loan-service');
    expect(diff).toContain('- Image removed: docker.io/library/nginx:1.27.');
    expect(fs.readFileSync(path.join(out, 'production', 'diff.md'), 'utf8')).toContain('- Environment production is new: it is not in');
    // Against earlier reports the same way, and against itself nothing changes.
    if (!fs.existsSync(reports)) expect(audit(['--plan', plan, '--out', reports]).status).toBe(0);
    const same = audit(['--plan', plan, '--out', path.join(scratch, 'diff-same'), '--diff', reports]);
    expect(same.status).toBe(0);
    expect(fs.readFileSync(path.join(scratch, 'diff-same', 'production', 'diff.md'), 'utf8')).toBe(`# Changes in production against ${reports}\n\n\n## Result and objectives\n\n- No change.\n\n## Inventory\n\n- No change.\n`);
  });
});

describe('npm run audit, comparing', () => {
  test('--compare <a>,<b> says what differs from one environment to another', () => {
    const out = path.join(scratch, 'compare');
    const result = audit(['--plan', plan, '--out', out, '--compare', 'staging,production']);
    expect(result.status).toBe(0);
    const comparison = fs.readFileSync(path.join(out, 'compare-staging-production.md'), 'utf8');
    expect(comparison).toContain('# Changes in staging -> production against staging');
    expect(comparison).toContain('- The tier changes from staging to production.');
    expect(comparison).toContain('- Volume added: lusaka StatefulSet lms-data/sql-server data 1Ti x 1.');
    expect(audit(['--plan', plan, '--out', out, '--compare', 'staging,prod']).stderr).toBe('audit failed: audit: --compare "staging,prod" is not two environments of the plan (allowed: <environment>,<environment> from dev, production, staging)\n');
  });

  test('--diff <git ref> synthesizes that version in a temporary worktree and compares', () => {
    const out = path.join(scratch, 'diff-head');
    const result = audit(['--plan', plan, '--out', out, '--diff', 'HEAD']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.readFileSync(path.join(out, 'production', 'diff.md'), 'utf8')).toMatch(/^# Changes in production against HEAD\n\n\n## Result and objectives\n/);
    const unknown = audit(['--plan', plan, '--out', out, '--diff', 'no-such-ref-or-folder']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe('audit failed: audit: --diff "no-such-ref-or-folder" is neither a folder nor a git ref of this repository (allowed: a folder with a synthesized plan or audit reports, or a branch, tag or commit)\n');
  });
});

describeWithTools('the HTML report in Chromium', ['chromium'], (tools) => {
  test('renders on its own, with the diagram, and loads nothing else', async () => {
    const file = path.join(reports, 'production', 'report.html');
    if (!fs.existsSync(file)) expect(audit(['--plan', plan, '--out', reports]).status).toBe(0);
    const browser = await chromium.launch({ executablePath: tools.chromium, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(`file://${file}`);
      expect(await page.title()).toBe('Audit of production');
      expect(await page.locator('h1').textContent()).toBe('Audit of production');
      expect(await page.locator('p.result-pass').count()).toBe(1);
      const diagram = page.locator('#diagram svg');
      const box = await diagram.boundingBox();
      expect(box?.width).toBeGreaterThan(500);
      expect(box?.height).toBeGreaterThan(300);
      expect(await page.locator('#diagram svg g.site').count()).toBe(2);
      expect(await page.locator('#diagram svg g.flow').count()).toBe(2);
      expect(await page.locator('#diagram svg g.site[data-site="lusaka"] text').first().textContent()).toBe('Lusaka (primary)');
      expect(await page.locator('table').count()).toBeGreaterThan(8);
      // The style element runs under the page's strict CSP (allowed by its hash).
      expect(await page.locator('th').first().evaluate((cell) => (globalThis as unknown as { getComputedStyle: (element: unknown) => { backgroundColor: string } }).getComputedStyle(cell).backgroundColor)).toBe('rgb(238, 242, 245)');
      expect(requests).toEqual([`file://${file}`]);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
