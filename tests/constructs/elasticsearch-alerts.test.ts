import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { dump } from 'js-yaml';
import { promtoolTests, ruleFile, type AlertingRuleObject } from '../../constructs/alert-rule';
import { CronSchedule } from '../../constructs/cron-schedule';
import { ELASTICSEARCH_ALERTS, elasticsearchAlertGroup, type ElasticsearchAlertInputs } from '../../constructs/elasticsearch-alerts';
import { describeWithTools } from '../support/tools';

const inputs = (schedule: string): ElasticsearchAlertInputs => ({
  job: 'elasticsearch-exporter',
  environmentName: 'production',
  snapshotRepository: 'es-snapshots',
  snapshotSchedule: CronSchedule.parse(schedule, 'environments/production.ts: logging.snapshots.schedule'),
  filebeat: { namespace: 'lms-node-agents', daemonSet: 'filebeat-beat-filebeat' },
});
const group = elasticsearchAlertGroup(inputs('15 * * * *'));
const rule = (name: string) => ruleFile([group]).groups[0].rules.find((candidate) => 'alert' in candidate && candidate.alert === name) as AlertingRuleObject;

describe('the log cluster\'s alerts', () => {
  test('are the seven, red, unreachable and a stalled ingestion paging', () => {
    expect(group.alerts.map((alert) => [alert.name, alert.severity, alert.forDuration.toString()])).toEqual([
      ['ElasticsearchClusterRed', 'page', '5m'],
      ['ElasticsearchClusterYellow', 'ticket', '30m'],
      ['ElasticsearchUnreachable', 'page', '10m'],
      ['ElasticsearchExporterDown', 'ticket', '10m'],
      ['ElasticsearchSnapshotStale', 'ticket', '5m'],
      ['LogIngestionStalled', 'page', '5m'],
      ['ElasticsearchDiskWatermarkClose', 'ticket', '15m'],
    ]);
    expect(group.alerts.every((alert) => alert.tests.some((testCase) => testCase.fires) && alert.tests.some((testCase) => !testCase.fires))).toBe(true);
  });

  test('read the exporter\'s series and kube-state-metrics\' view of Filebeat', () => {
    expect(rule(ELASTICSEARCH_ALERTS.clusterRed).expr).toBe('elasticsearch_cluster_health_status{job="elasticsearch-exporter",color="red"} == 1');
    expect(rule(ELASTICSEARCH_ALERTS.unreachable).expr).toBe('max by (job) (up{job="elasticsearch-exporter"}) == 1\nunless on (job)\ncount by (job) (elasticsearch_cluster_health_status{job="elasticsearch-exporter"})');
    expect(rule(ELASTICSEARCH_ALERTS.ingestionStalled).expr).toBe(
      'sum(increase(elasticsearch_index_stats_indexing_index_total{job="elasticsearch-exporter",index=~"\\\\.ds-(logs-lms\\\\.application-production|logs-lms\\\\.system-production|logs-lms\\\\.security-production|logs-lms\\\\.audit-production)-.*"}[15m])) == 0\n' +
        'and on ()\nsum(kube_daemonset_status_number_ready{daemonset="filebeat-beat-filebeat",namespace="lms-node-agents"}) > 0',
    );
    expect(rule(ELASTICSEARCH_ALERTS.diskWatermarkClose).expr).toBe('1 - elasticsearch_filesystem_data_available_bytes{job="elasticsearch-exporter"} / elasticsearch_filesystem_data_size_bytes{job="elasticsearch-exporter"} > 0.8');
  });

  test.each([
    ['15 * * * *', 9000, '150m'],
    ['30 2 * * *', 174600, '2910m'],
    ['0 */6 * * *', 45000, '750m'],
  ])('allow a snapshot of schedule %s to be %i seconds old (twice its longest gap and 30 minutes)', (schedule, seconds, shown) => {
    const stale = ruleFile([elasticsearchAlertGroup(inputs(schedule))]).groups[0].rules.find((candidate) => 'alert' in candidate && candidate.alert === ELASTICSEARCH_ALERTS.snapshotStale) as AlertingRuleObject;
    const snapshot = 'elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds{job="elasticsearch-exporter",repository="es-snapshots"}';
    expect(stale.expr).toBe(`time() - ${snapshot} > ${seconds}\nor\n${snapshot} == 0`);
    expect(stale.annotations.summary).toBe(`No snapshot of the logs succeeded in ${shown} (twice the longest gap of schedule "${schedule}" and 30m)`);
  });

  test.each([
    ['job', { ...inputs('15 * * * *'), job: 'Exporter' }, 'elasticsearchAlertGroup: job: "Exporter" is not allowed (allowed: the exporter\'s Service name, a DNS label)'],
    ['environmentName', { ...inputs('15 * * * *'), environmentName: 'prod"}' }, 'elasticsearchAlertGroup: environmentName: "prod\\"}" is not allowed (allowed: a lower-case environment name, e.g. "production")'],
  ])('refuse a bad %s, naming it', (_field, bad, message) => {
    expect(() => elasticsearchAlertGroup(bad)).toThrow(message);
  });
});

describeWithTools('the log cluster\'s alerts under the real promtool', ['promtool'], (tools) => {
  let scratch: string;
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-es-alerts-'));
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  const run = (args: readonly string[]) => {
    const result = spawnSync(tools.promtool, args, { cwd: scratch, encoding: 'utf8' });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };

  test.each(['15 * * * *', '30 2 * * *'])('every case fires where it should and stays silent where it should (snapshots on %s)', (schedule) => {
    const groups = [elasticsearchAlertGroup(inputs(schedule)).withAlertLabels({ site: 'lusaka' })];
    fs.writeFileSync(path.join(scratch, 'rules.yaml'), dump(ruleFile(groups), { lineWidth: -1 }));
    fs.writeFileSync(path.join(scratch, 'tests.yaml'), dump(promtoolTests(groups, ['rules.yaml']), { lineWidth: -1, noRefs: true }));
    expect(run(['check', 'rules', 'rules.yaml'])).toEqual({ status: 0, output: 'Checking rules.yaml\n  SUCCESS: 7 rules found\n\n' });
    expect(run(['test', 'rules', 'tests.yaml'])).toEqual({ status: 0, output: 'Unit Testing:  tests.yaml\n  SUCCESS\n\n' });
  });

  test('a stall alert that ignores Filebeat fails its silent case: the cases can fail', () => {
    const groups = [elasticsearchAlertGroup(inputs('15 * * * *'))];
    const rules = dump(ruleFile(groups), { lineWidth: -1 }).replace(/\n\s+and on \(\)\n\s+sum\(kube_daemonset_status_number_ready\{[^}]*\}\) > 0/, '');
    expect(rules).not.toContain('kube_daemonset_status_number_ready');
    fs.writeFileSync(path.join(scratch, 'careless.yaml'), rules);
    const unitTests = promtoolTests(groups, ['careless.yaml']);
    fs.writeFileSync(path.join(scratch, 'careless-tests.yaml'), dump({ ...unitTests, tests: unitTests.tests.filter((testCase) => testCase.name.includes(ELASTICSEARCH_ALERTS.ingestionStalled)) }, { lineWidth: -1, noRefs: true }));
    const result = run(['test', 'rules', 'careless-tests.yaml']);
    expect(result.status).toBe(1);
    expect(result.output).toContain('name: elasticsearch LogIngestionStalled: no indexing while no Filebeat pod is ready is not a stall of the pipeline,');
  });
});
