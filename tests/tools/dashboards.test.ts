import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { dump } from 'js-yaml';
import type { BucketReplication } from '../../constructs/bucket-replication';
import { Dashboard, metricNames } from '../../constructs/grafana-dashboard';
import { Panel } from '../../constructs/grafana-panel';
import { platformDashboards, PLATFORM_DASHBOARD_UIDS, type PlatformDashboardsInputs } from '../../constructs/platform-dashboards';
import { LOAN_SERVICE_METRICS, PLATFORM_METRIC_NAMES } from '../../constructs/platform-metrics';
import type { SqlServerLogShipping } from '../../constructs/sql-server-log-shipping';
import { SITE_NAMES } from '../../environments/schema/site';
import { buildPlatform } from '../../stacks/platform';
import { ENVIRONMENTS, PROJECT_ROOT } from '../support/environments';
import { describeWithTools } from '../support/tools';

const yaml = (value: unknown) => dump(value, { lineWidth: -1, noRefs: true });

/** Every site of every environment, with the inputs the platform has for its dashboards (the links from the cross-site pass). */
function siteInputs(): { readonly site: string; readonly inputs: PlatformDashboardsInputs }[] {
  const sites = buildPlatform(Testing.app(), ENVIRONMENTS);
  return ENVIRONMENTS.flatMap((environment) => {
    const layers = SITE_NAMES.map((name) => sites.get(`${environment.name}-${name}`)!);
    const link = <T>(id: string) => layers.map((site) => site.data.stack.node.tryFindChild(id)).find((found) => found !== undefined) as T;
    const replication = link<BucketReplication>('bucket-replication');
    const logShipping = link<SqlServerLogShipping>('sql-server-log-shipping');
    return SITE_NAMES.map((name, index) => ({
      site: `${environment.name}-${name}`,
      inputs: {
        cluster: layers[index].base.cluster,
        replication: replication.alertInputs,
        sqlServer: logShipping.alertInputs,
        vaultSnapshots: layers[index].data.vaultSnapshots,
        loanService: { namespace: layers[index].apps.loanService.namespace, objectivePercent: environment.objectives.availabilityPercent },
        elasticsearch: layers[index].observability.elasticsearchExporter.alertInputs,
      },
    }));
  });
}

/** Every panel query of `dashboards` as a recording rule, one group per dashboard: what `promtool check rules` parses. */
function queryRules(dashboards: readonly Dashboard[]) {
  return {
    groups: dashboards.map((dashboard) => ({
      name: dashboard.uid,
      rules: dashboard.checkedQueries().map((query, index) => ({ record: `dashboard:${dashboard.uid.replace(/-/g, '_')}:query${index + 1}`, expr: query.expr, labels: { panel: query.panel, ref_id: query.refId } })),
    })),
  };
}

/** Metric names the queries read that the platform does not know. */
function unknownMetrics(dashboards: readonly Dashboard[]): string[] {
  return dashboards.flatMap((dashboard) => dashboard.checkedQueries().flatMap((query) => metricNames(query.expr).filter((name) => !PLATFORM_METRIC_NAMES.has(name)).map((name) => `${dashboard.uid} "${query.panel}": ${name}`)));
}

function run(tool: string, args: readonly string[], cwd: string) {
  const result = spawnSync(tool, args, { cwd, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const sites = siteInputs().map(({ site, inputs }) => ({ site, inputs, dashboards: platformDashboards(inputs) }));

describe('the metrics the dashboards read', () => {
  test('every site of every environment has the five dashboards', () => {
    expect(sites.map(({ site, dashboards }) => [site, dashboards.map((dashboard) => dashboard.uid)])).toEqual(
      ['dev-lusaka', 'dev-kitwe', 'staging-lusaka', 'staging-kitwe', 'production-lusaka', 'production-kitwe'].map((site) => [site, Object.values(PLATFORM_DASHBOARD_UIDS)]),
    );
  });

  test('every metric name of every query is one the platform knows', () => {
    expect(sites.flatMap(({ dashboards }) => unknownMetrics(dashboards))).toEqual([]);
  });

  test('a misspelt metric is caught, so the check can fail', () => {
    const typo = Dashboard.define({ uid: 'lms-typo', title: 'Typo', rows: [{ title: 'Row', panels: [Panel.stat({ title: 'Requests', targets: [{ expr: 'sum(rate(http_request_total{job="loan-service"}[$__rate_interval]))' }] })] }] });
    expect(unknownMetrics([typo])).toEqual(['lms-typo "Requests": http_request_total']);
  });

  test('the loan-service metric names are the ones its source registers', () => {
    const source = fs.readFileSync(path.join(PROJECT_ROOT, 'app-services/loan-service/src/observability/service-metrics.ts'), 'utf8');
    const registered = [...source.matchAll(/(?:name: |businessCounter\(\s*|gauge\(\s*)'([a-z_:]+)'/g)].map((match) => match[1]);
    expect(Object.values(LOAN_SERVICE_METRICS).filter((name) => !registered.includes(name))).toEqual([]);
  });
});

describeWithTools('dashboard queries under the real promtool', ['promtool'], (tools) => {
  let scratch: string;
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-dashboards-'));
    for (const { site, dashboards } of sites) {
      fs.mkdirSync(path.join(scratch, site));
      fs.writeFileSync(path.join(scratch, site, 'queries.yaml'), yaml(queryRules(dashboards)));
    }
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  test('`promtool check rules` parses every panel query of every dashboard at every site', () => {
    for (const { site, dashboards } of sites) {
      const count = dashboards.reduce((sum, dashboard) => sum + dashboard.checkedQueries().length, 0);
      const result = run(tools.promtool, ['check', 'rules', 'queries.yaml'], path.join(scratch, site));
      expect([site, result.status, result.output]).toEqual([site, 0, `Checking queries.yaml\n  SUCCESS: ${count} rules found\n\n`]);
    }
  });

  test('a broken query makes `promtool check rules` fail, naming the dashboard and the query', () => {
    const broken = Dashboard.define({ uid: 'lms-broken', title: 'Broken', rows: [{ title: 'Row', panels: [Panel.stat({ title: 'Requests', targets: [{ expr: 'sum(rate(http_requests_total[$__rate_interval])' }] })] }] });
    fs.writeFileSync(path.join(scratch, 'broken.yaml'), yaml(queryRules([broken])));
    const result = run(tools.promtool, ['check', 'rules', 'broken.yaml'], scratch);
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/^Checking broken\.yaml\s+FAILED:\nbroken\.yaml: \d+:\d+: group "lms-broken", rule 1, "dashboard:lms_broken:query1": could not parse expression: 1:\d+: parse error: unclosed left parenthesis\n/);
  });

  test('`promtool test rules`: panel queries return what they should on fixture series', () => {
    const { dashboards } = sites.find(({ site }) => site === 'production-lusaka')!;
    const byUid = new Map(dashboards.map((dashboard) => [dashboard.uid, dashboard]));
    const query = (uid: string, panel: string, refId = 'A') => byUid.get(uid)!.checkedQueries().find((checked) => checked.panel === panel && checked.refId === refId)!.expr;
    const logBackup = byUid.get(PLATFORM_DASHBOARD_UIDS.sqlServer)!.panels.find((panel) => panel.title === 'Last log backup age')!.targets[0].expr.replace(/^time\(\) - max\((.*)\)$/, '$1');
    const requests = (status: string) => `http_requests_total{job="loan-service",method="GET",namespace="lms-apps",route="/v1/loans",status_code="${status}"}`;
    fs.writeFileSync(path.join(scratch, 'empty.yaml'), yaml({ groups: [] }));
    const tests = {
      rule_files: ['empty.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            // The last log backup finished at 0 and none since: ten minutes old at 10m.
            { series: logBackup, values: '0+0x20' },
            { series: requests('200'), values: '0+300x20' },
            { series: requests('500'), values: '0+100x20' },
            // An hour's error ratio of 0.6 %: six times the 99.9 % objective's budget.
            { series: 'slo:sli_error:ratio_rate1h{slo="loan-service-availability"}', values: '0.006+0x20' },
          ],
          promql_expr_test: [
            { expr: query(PLATFORM_DASHBOARD_UIDS.sqlServer, 'Last log backup age'), eval_time: '10m', exp_samples: [{ labels: '{}', value: 600 }] },
            { expr: query(PLATFORM_DASHBOARD_UIDS.loanService, 'Server error ratio (5xx)'), eval_time: '10m', exp_samples: [{ labels: '{}', value: 0.25 }] },
            { expr: query(PLATFORM_DASHBOARD_UIDS.loanService, 'Budget burn rate (1h)'), eval_time: '10m', exp_samples: [{ labels: '{slo="loan-service-availability"}', value: 6 }] },
            { expr: query(PLATFORM_DASHBOARD_UIDS.overview, 'Firing alerts: page'), eval_time: '10m', exp_samples: [{ labels: '{}', value: 0 }] },
          ],
        },
      ],
    };
    fs.writeFileSync(path.join(scratch, 'queries-test.yaml'), yaml(tests));
    const result = run(tools.promtool, ['test', 'rules', 'queries-test.yaml'], scratch);
    expect([result.status, result.output]).toEqual([0, 'Unit Testing:  queries-test.yaml\n  SUCCESS\n\n']);
    // The same file with a wrong expectation fails: the cases can fail.
    fs.writeFileSync(path.join(scratch, 'wrong-test.yaml'), yaml({ ...tests, tests: [{ ...tests.tests[0], promql_expr_test: [{ ...tests.tests[0].promql_expr_test[0], exp_samples: [{ labels: '{}', value: 60 }] }] }] }));
    const wrong = run(tools.promtool, ['test', 'rules', 'wrong-test.yaml'], scratch);
    expect(wrong.status).toBe(1);
    expect(wrong.output).toContain('exp: {} 6E+01\n        got: {} 6E+02\n');
  });
});
