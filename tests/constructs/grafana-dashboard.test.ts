import { CronSchedule } from '../../constructs/cron-schedule';
import { Dashboard, GRAFANA_SCHEMA_VERSION, metricNames, stableJson, type DashboardProps } from '../../constructs/grafana-dashboard';
import { GrafanaDashboards } from '../../constructs/grafana-dashboards';
import { Panel, type PanelProps } from '../../constructs/grafana-panel';
import { buildPlatformDashboards, platformDashboards, type PlatformDashboardsInputs } from '../../constructs/platform-dashboards';
import { siteClusterFixture, testScope } from '../support/fixtures';

const stat = (title: string, props: Partial<PanelProps> = {}) => Panel.stat({ title, targets: [{ expr: 'up' }], ...props });
const graph = (title: string, props: Partial<PanelProps> = {}) => Panel.timeseries({ title, targets: [{ expr: 'up', legend: '{{job}}' }], ...props });
const define = (props: Partial<DashboardProps> = {}) => Dashboard.define({ uid: 'lms-test', title: 'Test', rows: [{ title: 'Row', panels: [stat('Up')] }], ...props });

/** Small typed inputs, as the components expose them. */
const DASHBOARD_INPUTS: PlatformDashboardsInputs = {
  cluster: siteClusterFixture(),
  replication: {
    heartbeatAge: { series: 'lms_object_store_replication_heartbeat_age_seconds{source_site="lusaka"}', thresholdSeconds: 300 },
    failedReplications: { series: 'minio_bucket_replication_failed_count' },
    bucketSize: { series: 'minio_bucket_usage_total_bytes' },
  },
  sqlServer: {
    lastLogBackup: { series: 'lms_sql_last_backup_timestamp_seconds{database="lms",kind="log"}', maxAgeSeconds: 1800 },
    lastFullBackup: { series: 'lms_sql_last_backup_timestamp_seconds{database="lms",kind="full"}', maxAgeSeconds: 93600 },
    standbyRecoveryPoint: { series: 'lms_sql_restored_backup_finish_timestamp_seconds{database="lms",source_site="lusaka"}', maxAgeSeconds: 3600 },
    restoreGap: { series: 'lms_sql_restore_gap{database="lms"}' },
    jobRuns: { series: 'lms_sql_job_last_run_timestamp_seconds' },
    up: { series: 'lms_sql_up' },
  },
  vaultSnapshots: { namespace: 'lms-security', schedule: CronSchedule.parse('*/15 * * * *', 'test') },
  loanService: { namespace: 'lms-apps', objectivePercent: 99.9 },
  elasticsearch: {
    job: 'elasticsearch-exporter',
    environmentName: 'production',
    snapshotRepository: 'es-snapshots',
    snapshotSchedule: CronSchedule.parse('15 * * * *', 'test'),
    filebeat: { namespace: 'lms-node-agents', daemonSet: 'filebeat-beat-filebeat' },
  },
};

type JsonPanel = { id: number; type: string; title: string; gridPos: Record<string, number>; targets?: Record<string, unknown>[]; fieldConfig?: { defaults: Record<string, unknown> } };
const panelsOf = (dashboard: Dashboard) => dashboard.toJson().panels as JsonPanel[];

describe('Dashboard', () => {
  test('panels flow left to right in the 24-column grid and wrap; rows stack below the tallest panel of their last line', () => {
    const dashboard = define({
      rows: [
        { title: 'First', panels: [stat('A'), stat('B'), graph('C'), graph('D')] },
        { title: 'Second', panels: [Panel.table({ title: 'E', targets: [{ expr: 'up' }] })] },
      ],
    });
    expect(panelsOf(dashboard).map((panel) => [panel.id, panel.type, panel.title, panel.gridPos])).toEqual([
      [1, 'row', 'First', { h: 1, w: 24, x: 0, y: 0 }],
      [2, 'stat', 'A', { h: 4, w: 6, x: 0, y: 1 }],
      [3, 'stat', 'B', { h: 4, w: 6, x: 6, y: 1 }],
      [4, 'timeseries', 'C', { h: 8, w: 12, x: 12, y: 1 }],
      [5, 'timeseries', 'D', { h: 8, w: 12, x: 0, y: 9 }],
      [6, 'row', 'Second', { h: 1, w: 24, x: 0, y: 17 }],
      [7, 'table', 'E', { h: 8, w: 24, x: 0, y: 18 }],
    ]);
  });

  test('the JSON model: schema version, Prometheus datasource by uid, targets with refIds, unit and thresholds', () => {
    const json = define({
      tags: ['lms'],
      refresh: '30s',
      timeRange: { from: 'now-1d', to: 'now' },
      rows: [{ title: 'Row', panels: [graph('Lag', { unit: 's', thresholds: [{ value: 60, color: 'orange' }, { value: 300, color: 'red' }], targets: [{ expr: 'a', legend: '{{bucket}}' }, { expr: 'b' }] })] }],
    }).toJson();
    expect([json.uid, json.title, json.schemaVersion, json.tags, json.refresh, json.time, json.editable]).toEqual(['lms-test', 'Test', GRAFANA_SCHEMA_VERSION, ['lms'], '30s', { from: 'now-1d', to: 'now' }, false]);
    expect(GRAFANA_SCHEMA_VERSION).toBe(41);
    const panel = (json.panels as JsonPanel[])[1] as JsonPanel & { datasource: unknown };
    expect(panel.datasource).toEqual({ type: 'prometheus', uid: 'prometheus' });
    expect(panel.targets).toEqual([
      { datasource: { type: 'prometheus', uid: 'prometheus' }, editorMode: 'code', expr: 'a', instant: false, legendFormat: '{{bucket}}', range: true, refId: 'A' },
      { datasource: { type: 'prometheus', uid: 'prometheus' }, editorMode: 'code', expr: 'b', instant: false, range: true, refId: 'B' },
    ]);
    expect(panel.fieldConfig!.defaults.unit).toBe('s');
    expect(panel.fieldConfig!.defaults.thresholds).toEqual({
      mode: 'absolute',
      steps: [
        { color: 'green', value: null },
        { color: 'orange', value: 60 },
        { color: 'red', value: 300 },
      ],
    });
  });

  test('tables run instant queries in table format; defaults are a one-minute refresh over the last six hours', () => {
    const json = define({ rows: [{ title: 'Row', panels: [Panel.table({ title: 'Jobs', targets: [{ expr: 'up' }] })] }] }).toJson();
    expect((json.panels as JsonPanel[])[1].targets![0]).toMatchObject({ format: 'table', instant: true, range: false });
    expect([json.refresh, json.time]).toEqual(['1m', { from: 'now-6h', to: 'now' }]);
  });

  test('a label-values variable becomes a multi-select drop-down with "All" as .*, and checked queries replace every variable', () => {
    const dashboard = define({
      variables: [{ name: 'route', label: 'Route', series: 'http_requests_total{job="loan-service"}', labelName: 'route' }],
      rows: [{ title: 'Row', panels: [graph('Rate', { targets: [{ expr: 'sum(rate(http_requests_total{route=~"$route"}[$__rate_interval]))' }] })] }],
    });
    expect((dashboard.toJson().templating as { list: Record<string, unknown>[] }).list[0]).toMatchObject({ name: 'route', type: 'query', multi: true, includeAll: true, allValue: '.*', definition: 'label_values(http_requests_total{job="loan-service"}, route)' });
    expect(dashboard.checkedQueries()).toEqual([{ panel: 'Rate', refId: 'A', expr: 'sum(rate(http_requests_total{route=~".*"}[5m]))' }]);
  });

  test.each<[string, () => unknown, string]>([
    ['a uid with capitals', () => define({ uid: 'LMS_Test' }), 'Dashboard: uid: "LMS_Test" is not allowed (allowed: lower-case letters, digits and "-", at most 40 characters, starting and ending with a letter or digit, e.g. "lms-platform-overview")'],
    ['a uid over 40 characters', () => define({ uid: 'a'.repeat(41) }), `Dashboard: uid: "${'a'.repeat(41)}" is not allowed (allowed: lower-case letters, digits and "-", at most 40 characters, starting and ending with a letter or digit, e.g. "lms-platform-overview")`],
    [
      'two panels with one title',
      () => define({ rows: [{ title: 'Row', panels: [stat('Up'), graph('Up')] }] }),
      'Dashboard lms-test: rows "Row": panel title: "Up" is not allowed (allowed: a title used by no other panel or row of the dashboard)',
    ],
    ['an empty expression', () => stat('Up', { targets: [{ expr: ' ' }] }), 'Panel "Up": targets[0].expr: " " is not allowed (allowed: a non-empty PromQL expression)'],
    ['no targets', () => stat('Up', { targets: [] }), 'Panel "Up": targets: [] is not allowed (allowed: one to 26 PromQL targets)'],
    ['an unknown unit', () => stat('Up', { unit: 'seconds' as never }), 'Panel "Up": unit: "seconds" is not allowed (allowed: "none", "short", "percent", "percentunit", "s", "ms", "bytes", "reqps", "ops", "dateTimeAsIso")'],
    ['thresholds out of order', () => stat('Up', { thresholds: [{ value: 5, color: 'red' }, { value: 1, color: 'orange' }] }), 'Panel "Up": thresholds[1].value: 1 is not allowed (allowed: a finite number above the previous step\'s)'],
    ['a width over the grid', () => stat('Up', { width: 25 }), 'Panel "Up": width: 25 is not allowed (allowed: a whole number of grid columns from 1 to 24)'],
    ['an unknown refresh', () => define({ refresh: '10s' as never }), 'Dashboard lms-test: refresh: "10s" is not allowed (allowed: "30s", "1m", "5m", "15m")'],
    ['an absolute time', () => define({ timeRange: { from: '2026-01-01', to: 'now' } }), 'Dashboard lms-test: timeRange.from: "2026-01-01" is not allowed (allowed: "now" or "now-<n><m|h|d|w|M|y>", e.g. "now-6h")'],
    [
      'a variable the dashboard lacks',
      () => define({ rows: [{ title: 'Row', panels: [stat('Up', { targets: [{ expr: 'up{job=~"$job"}' }] })] }] }),
      'Dashboard lms-test: panel "Up": expr: "up{job=~\\"$job\\"}" is not allowed (allowed: variables the dashboard defines ($__rate_interval, $__interval, $__range); "$job" is not one)',
    ],
    ['no rows', () => define({ rows: [] }), 'Dashboard lms-test: rows: [] is not allowed (allowed: at least one row of panels)'],
  ])('%s is refused, naming the dashboard or panel, the value and what is allowed', (_name, build, message) => {
    expect(build).toThrow(message);
  });

  test('the JSON is deterministic: sorted keys, the same bytes from two builds whatever the insertion order', () => {
    expect(stableJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{\n  "a": {\n    "c": null,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n');
    const first = platformDashboards(DASHBOARD_INPUTS).map((dashboard) => stableJson(dashboard.toJson()));
    const second = platformDashboards(DASHBOARD_INPUTS).map((dashboard) => stableJson(dashboard.toJson()));
    expect(second).toEqual(first);
  });

  test('metricNames reads the metrics of an expression, not its functions, labels, keywords or durations', () => {
    expect(metricNames('sum by (job) (rate(http_requests_total{status_code=~"5..",job="x"}[5m])) / on (job) group_left sum(up offset 5m) or vector(0) and ALERTS > bool 1e3')).toEqual(['ALERTS', 'http_requests_total', 'up']);
    expect(metricNames('slo:sli_error:ratio_rate1h{slo="a"} / 0.001')).toEqual(['slo:sli_error:ratio_rate1h']);
    expect(() => metricNames('up{job="x"')).toThrow('metricNames: expr: "up{job=\\"x\\"" is not allowed (allowed: PromQL with balanced braces and quotes (left over: "up{job=\\"\\""))');
  });
});

describe('GrafanaDashboards', () => {
  const dashboards = buildPlatformDashboards(testScope('test-lusaka-observability'), DASHBOARD_INPUTS);

  test('one ConfigMap per dashboard in the observability namespace, labelled for the Grafana sidecar, in the LMS folder', () => {
    expect(dashboards.objects.map((object) => [object.kind, object.metadata.namespace, object.metadata.name, Object.keys(object.data as object)])).toEqual([
      ['ConfigMap', 'lms-observability', 'grafana-dashboard-lms-platform-overview', ['lms-platform-overview.json']],
      ['ConfigMap', 'lms-observability', 'grafana-dashboard-lms-sql-server-log-shipping', ['lms-sql-server-log-shipping.json']],
      ['ConfigMap', 'lms-observability', 'grafana-dashboard-lms-object-store-replication', ['lms-object-store-replication.json']],
      ['ConfigMap', 'lms-observability', 'grafana-dashboard-lms-vault', ['lms-vault.json']],
      ['ConfigMap', 'lms-observability', 'grafana-dashboard-lms-loan-service', ['lms-loan-service.json']],
      ['ConfigMap', 'lms-observability', 'grafana-dashboard-lms-elasticsearch', ['lms-elasticsearch.json']],
    ]);
    for (const object of dashboards.objects) {
      expect(object.metadata.labels).toEqual({ ...DASHBOARD_INPUTS.cluster.labels, grafana_dashboard: '1' });
      expect(object.metadata.annotations).toEqual({ grafana_folder: 'LMS' });
    }
    const vault = dashboards.objects[3].data as Record<string, string>;
    expect(vault['lms-vault.json']).toBe(stableJson(dashboards.dashboards[3].toJson()));
    expect(JSON.parse(vault['lms-vault.json']).title).toBe('Vault (lusaka)');
  });

  test('two dashboards with one uid are refused', () => {
    expect(() => new GrafanaDashboards(testScope(), 'dashboards', { cluster: DASHBOARD_INPUTS.cluster, dashboards: [define(), define({ title: 'Other' })] })).toThrow(
      'GrafanaDashboards test-lusaka-base/dashboards: dashboards: uid: "lms-test" is not allowed (allowed: a uid no other dashboard of the site has)',
    );
    expect(() => new GrafanaDashboards(testScope(), 'dashboards', { cluster: DASHBOARD_INPUTS.cluster, dashboards: [] })).toThrow(
      'GrafanaDashboards test-lusaka-base/dashboards: dashboards: [] is not allowed (allowed: at least one Dashboard.define(...))',
    );
  });
});

describe('the platform dashboards', () => {
  const [overview, sql, objectStore, vault, loanService, elasticsearch] = platformDashboards(DASHBOARD_INPUTS);
  const exprs = (dashboard: Dashboard, title: string) => dashboard.panels.find((panel) => panel.title === title)!.targets.map((target) => target.expr);
  const steps = (dashboard: Dashboard, title: string) => dashboard.panels.find((panel) => panel.title === title)!.thresholds.map((step) => step.value);

  test('six dashboards, each titled with the site', () => {
    expect([overview, sql, objectStore, vault, loanService, elasticsearch].map((dashboard) => [dashboard.uid, dashboard.title])).toEqual([
      ['lms-platform-overview', 'Platform overview (lusaka)'],
      ['lms-sql-server-log-shipping', 'SQL Server and log shipping (lusaka)'],
      ['lms-object-store-replication', 'MinIO replication (lusaka)'],
      ['lms-vault', 'Vault (lusaka)'],
      ['lms-loan-service', 'Loan service (lusaka)'],
      ['lms-elasticsearch', 'Logs: Elasticsearch (lusaka)'],
    ]);
  });

  test('the log cluster\'s panels read the exporter\'s series with the alerts\' thresholds: watermarks and the snapshot age limit', () => {
    expect(exprs(elasticsearch, 'Documents indexed by data stream')).toEqual(
      ['application', 'system', 'security', 'audit'].map((logClass) => `sum(rate(elasticsearch_index_stats_indexing_index_total{job="elasticsearch-exporter",index=~"\\\\.ds-logs-lms\\\\.${logClass}-production-.*"}[$__rate_interval]))`),
    );
    expect(steps(elasticsearch, 'Data disk used')).toEqual([0.85, 0.95]);
    expect(exprs(elasticsearch, 'Newest successful snapshot')).toEqual(['time() - elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds{job="elasticsearch-exporter",repository="es-snapshots"}']);
    expect(steps(elasticsearch, 'Newest successful snapshot')).toEqual([9000]);
  });

  test('the overview covers the site\'s namespaces and counts firing alerts by severity', () => {
    expect(exprs(overview, 'Pods not ready')).toEqual([
      'sum(kube_pod_status_ready{condition="false",namespace=~"lms-apps|lms-data|lms-node-agents|lms-observability|lms-platform|lms-security"}) + sum(kube_pod_status_ready{condition="unknown",namespace=~"lms-apps|lms-data|lms-node-agents|lms-observability|lms-platform|lms-security"})',
    ]);
    expect(exprs(overview, 'Firing alerts: page')).toEqual(['count(ALERTS{alertstate="firing",severity="page"}) or vector(0)']);
  });

  test('log shipping panels take their series and thresholds from the log shipping\'s alert inputs', () => {
    expect(exprs(sql, 'Last log backup age')).toEqual(['time() - max(lms_sql_last_backup_timestamp_seconds{database="lms",kind="log"})']);
    expect(steps(sql, 'Last log backup age')).toEqual([1800, 3600]);
    expect(exprs(sql, 'Restore lag vs recovery point objective')).toEqual(['time() - max(lms_sql_restored_backup_finish_timestamp_seconds{database="lms",source_site="lusaka"})', 'vector(3600)']);
    expect(exprs(sql, 'Job successes per day')).toEqual(['sum by (job) (changes(lms_sql_job_last_run_timestamp_seconds{outcome="success"}[1d]))']);
  });

  test('replication and Vault panels use the lag budget and the snapshot schedule', () => {
    expect(steps(objectStore, 'Oldest replication heartbeat')).toEqual([300]);
    expect(exprs(vault, 'Last snapshot age')).toEqual(['time() - max(kube_cronjob_status_last_successful_time{cronjob="vault-snapshot",namespace="lms-security"})']);
    expect(steps(vault, 'Last snapshot age')).toEqual([1800]);
  });

  test('the loan-service error budget reads the SLO recording rules, as burn rates against the objective', () => {
    expect(exprs(loanService, 'Budget burn rate by window')).toEqual([
      'slo:sli_error:ratio_rate1h{slo="loan-service-availability"} / 0.001',
      'slo:sli_error:ratio_rate6h{slo="loan-service-availability"} / 0.001',
      'slo:sli_error:ratio_rate1d{slo="loan-service-availability"} / 0.001',
      'slo:sli_error:ratio_rate3d{slo="loan-service-availability"} / 0.001',
    ]);
    expect(steps(loanService, 'Budget burn rate (1h)')).toEqual([1, 3, 6, 14.4]);
    expect(exprs(loanService, 'Latency percentiles')[2]).toBe('histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="loan-service",namespace="lms-apps",route=~"$route"}[$__rate_interval])))');
  });
});
