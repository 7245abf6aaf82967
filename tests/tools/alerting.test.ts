import { execFile, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { dump } from 'js-yaml';
import { ELASTICSEARCH_ALERTS } from '../../constructs/elasticsearch-alerts';
import { MonitoringRules } from '../../constructs/monitoring-rules';
import { platformAlertRouting } from '../../stacks/layers/observability';
import { PLATFORM_ALERTS } from '../../constructs/platform-alerts';
import { buildPlatform } from '../../stacks/platform';
import { MONITORING_RULES_ID } from '../../stacks/monitoring-rules';
import { ENVIRONMENTS } from '../support/environments';
import { describeWithTools } from '../support/tools';

const yaml = (value: unknown) => dump(value, { lineWidth: -1, noRefs: true });

/** Every site of every environment, with the rules the platform builds for it. */
function siteRules(): { readonly site: string; readonly rules: MonitoringRules }[] {
  const sites = buildPlatform(Testing.app(), ENVIRONMENTS);
  return [...sites.entries()].map(([site, built]) => ({ site, rules: built.observability.stack.node.findChild(MONITORING_RULES_ID) as MonitoringRules }));
}

function run(tool: string, args: readonly string[], cwd: string) {
  const result = spawnSync(tool, args, { cwd, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function runAsync(tool: string, args: readonly string[], cwd: string): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    execFile(tool, args, { cwd, encoding: 'utf8' }, (error, stdout, stderr) => resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, output: `${stdout}${stderr}` }));
  });
}

describeWithTools('alert rules under the real promtool', ['promtool'], (tools) => {
  let scratch: string;
  let sites: ReturnType<typeof siteRules>;
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-promtool-'));
    sites = siteRules();
    for (const { site, rules } of sites) {
      fs.mkdirSync(path.join(scratch, site));
      fs.writeFileSync(path.join(scratch, site, 'rules.yaml'), yaml(rules.ruleFile));
      fs.writeFileSync(path.join(scratch, site, 'tests.yaml'), yaml(rules.promtoolTests('rules.yaml')));
    }
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  test('every site of every environment has its rules', () => {
    expect(sites.map(({ site }) => site)).toEqual(['dev-lusaka', 'dev-kitwe', 'staging-lusaka', 'staging-kitwe', 'production-lusaka', 'production-kitwe']);
    const production = sites.find(({ site }) => site === 'production-kitwe')!.rules;
    expect(production.alerts.filter((alert) => alert.severity === 'page').map((alert) => alert.name)).toEqual([
      PLATFORM_ALERTS.replicationLagging,
      PLATFORM_ALERTS.standbyBehind,
      PLATFORM_ALERTS.restoreGap,
      PLATFORM_ALERTS.certificateExpiring,
      PLATFORM_ALERTS.vaultSealed,
      PLATFORM_ALERTS.siteDown,
      ELASTICSEARCH_ALERTS.clusterRed,
      ELASTICSEARCH_ALERTS.unreachable,
      ELASTICSEARCH_ALERTS.ingestionStalled,
      'LoanServiceErrorBudgetBurnFast',
    ]);
  });

  test('`promtool check rules` accepts every site\'s rule file', () => {
    for (const { site, rules } of sites) {
      const result = run(tools.promtool, ['check', 'rules', 'rules.yaml'], path.join(scratch, site));
      const count = rules.ruleFile.groups.reduce((sum, group) => sum + group.rules.length, 0);
      expect([site, result.status, result.output]).toEqual([site, 0, `Checking rules.yaml\n  SUCCESS: ${count} rules found\n\n`]);
    }
  });

  test('`promtool test rules` passes every alert\'s cases at every site: each fires where it should and stays silent where it should', async () => {
    // Side by side: most of promtool's time is setting up a database per case, not computing.
    const results = await Promise.all(sites.map(({ site }) => runAsync(tools.promtool, ['test', 'rules', 'tests.yaml'], path.join(scratch, site))));
    expect(results).toEqual(sites.map(() => ({ status: 0, output: 'Unit Testing:  tests.yaml\n  SUCCESS\n\n' })));
    // A TSDB per case, six sites: a minute alone, several beside the other suites on two cores.
  }, 300_000);

  test('a broken expression makes `promtool check rules` fail, naming it', () => {
    const folder = path.join(scratch, 'production-lusaka');
    const broken = fs.readFileSync(path.join(folder, 'rules.yaml'), 'utf8').replace('expr: up{job="vault-internal"} == 1', 'expr: sum(up{job="vault-internal"} == 1');
    fs.writeFileSync(path.join(folder, 'broken.yaml'), broken);
    const result = run(tools.promtool, ['check', 'rules', 'broken.yaml'], folder);
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/^Checking broken\.yaml\s+FAILED:\nbroken\.yaml: \d+:\d+: group "vault", rule 2, "VaultSealed": could not parse expression: \d+:\d+: parse error: unclosed left parenthesis\n/);
  });

  test('an alert that pages too early makes `promtool test rules` fail: the cases can fail', () => {
    const folder = path.join(scratch, 'production-kitwe');
    const rules = fs.readFileSync(path.join(folder, 'rules.yaml'), 'utf8');
    fs.writeFileSync(path.join(folder, 'loose.yaml'), rules.replace(/\{source_site="lusaka"\} > 300$/m, '{source_site="lusaka"} > 10'));
    const unitTests = sites.find(({ site }) => site === 'production-kitwe')!.rules.promtoolTests('loose.yaml');
    fs.writeFileSync(path.join(folder, 'loose-tests.yaml'), yaml({ ...unitTests, tests: unitTests.tests.filter((group) => group.name.includes(PLATFORM_ALERTS.replicationLagging)) }));
    const result = run(tools.promtool, ['test', 'rules', 'loose-tests.yaml'], folder);
    expect(result.status).toBe(1);
    expect(result.output).toContain('name: object-store-replication ObjectStoreReplicationLagging: a heartbeat within the budget stays silent,');
  });

  test('a SiteDown that pages after 1 minute makes `promtool test rules` fail on the short blip: its silent case can fail', () => {
    const folder = path.join(scratch, 'production-lusaka');
    const rules = fs.readFileSync(path.join(folder, 'rules.yaml'), 'utf8');
    const hasty = rules.replace(/(- alert: SiteDown\n(?: {8}.*\n)*? {8}for: )5m$/m, '$11m');
    expect(hasty).not.toBe(rules);
    fs.writeFileSync(path.join(folder, 'hasty.yaml'), hasty);
    const unitTests = sites.find(({ site }) => site === 'production-lusaka')!.rules.promtoolTests('hasty.yaml');
    fs.writeFileSync(path.join(folder, 'hasty-tests.yaml'), yaml({ ...unitTests, tests: unitTests.tests.filter((group) => group.name.includes(PLATFORM_ALERTS.siteDown)) }));
    const result = run(tools.promtool, ['test', 'rules', 'hasty-tests.yaml'], folder);
    expect(result.status).toBe(1);
    expect(result.output).toContain('name: sites SiteDown: a probe failing for 3 minutes stays silent,');
    expect(result.output).not.toContain('name: sites SiteDown: a probe failing for 5 minutes pages,');
  });
});

describeWithTools('the Alertmanager configuration under the real amtool', ['amtool'], (tools) => {
  let scratch: string;
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-amtool-'));
    const config = platformAlertRouting();
    fs.writeFileSync(path.join(scratch, 'alertmanager.yaml'), config.toYaml());
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  test('`amtool check-config` accepts it', () => {
    const result = run(tools.amtool, ['check-config', 'alertmanager.yaml'], scratch);
    expect([result.status, result.output]).toEqual([0, "Checking 'alertmanager.yaml'  SUCCESS\nFound:\n - global config\n - route\n - 1 inhibit rules\n - 2 receivers\n - 0 templates\n\n"]);
  });

  test.each([
    [['severity=page', 'alertname=VaultSealed', 'site=lusaka'], 'on-call-pager'],
    [['severity=page', 'alertname=SiteDown', 'site=kitwe', 'peer_site=lusaka', 'job=peer-site-lusaka'], 'on-call-pager'],
    [['severity=ticket', 'alertname=SqlServerJobFailing', 'site=kitwe'], 'tickets'],
    [['alertname=Unlabelled'], 'tickets'],
  ])('routes %j to %s', (labels, receiver) => {
    const result = run(tools.amtool, ['config', 'routes', 'test', '--config.file=alertmanager.yaml', `--verify.receivers=${receiver}`, ...labels], scratch);
    expect([result.status, result.output]).toEqual([0, `${receiver}\n`]);
  });
});
