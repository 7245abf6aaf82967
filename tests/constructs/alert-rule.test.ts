import { AlertRule, RecordingRule, RuleGroup, promtoolTests, ruleFile, type AlertRuleProps } from '../../constructs/alert-rule';
import { Duration } from '../../constructs/duration';
import { formatValue } from '../../constructs/platform-error';

const base: AlertRuleProps = {
  name: 'SqlServerRestoreGap',
  expr: 'lms_sql_restore_gap{database="lms"} == 1',
  for: Duration.minutes(1),
  severity: 'page',
  summary: 'The restores of {{ $labels.database }} stopped at a gap',
  description: 'Reseed the standby of {{ $labels.database }}.',
  runbookStep: 'sql-server.reseed',
  tests: [
    { name: 'a gap pages', series: [{ series: 'lms_sql_restore_gap{database="lms"}', values: '0+0x5 1+0x20' }], evalTime: Duration.minutes(15), fires: true, alerts: [{ labels: { database: 'lms' } }] },
    { name: 'no gap stays silent', series: [{ series: 'lms_sql_restore_gap{database="lms"}', values: '0+0x20' }], evalTime: Duration.minutes(15), fires: false },
  ],
};
const gap = AlertRule.define(base);
const ratio = RecordingRule.define({ record: 'slo:sli_error:ratio_rate5m', expr: 'sum(rate(errors[5m])) / sum(rate(total[5m]))', labels: { slo: 'loans' } });

describe('AlertRule', () => {
  test('renders as a rule-file alert: for as text, severity among the labels, runbook step as an annotation', () => {
    expect(gap.toRule()).toEqual({
      alert: 'SqlServerRestoreGap',
      expr: 'lms_sql_restore_gap{database="lms"} == 1',
      for: '1m',
      labels: { severity: 'page' },
      annotations: { summary: 'The restores of {{ $labels.database }} stopped at a gap', description: 'Reseed the standby of {{ $labels.database }}.', runbook_step: 'sql-server.reseed' },
    });
  });

  test('extra labels sort with severity; withLabels adds more and refuses to change one', () => {
    const labelled = AlertRule.define({ ...base, runbookStep: undefined, labels: { team: 'platform' } });
    expect(labelled.labels).toEqual({ severity: 'page', team: 'platform' });
    expect(Object.keys(labelled.withLabels({ site: 'lusaka' }).labels)).toEqual(['severity', 'site', 'team']);
    expect(labelled.toRule().annotations).toEqual({ summary: base.summary, description: base.description });
    expect(() => labelled.withLabels({ team: 'data' })).toThrow('AlertRule SqlServerRestoreGap: labels.team: "data" is not allowed (allowed: the value the alert already has, "platform")');
  });

  test.each([
    [{ name: 'restore_gap' }, 'AlertRule: name: "restore_gap" is not allowed (allowed: CamelCase: a capital letter, then letters and digits, e.g. "SqlServerRestoreGap")'],
    [{ expr: ' ' }, 'AlertRule SqlServerRestoreGap: expr: " " is not allowed (allowed: a PromQL expression)'],
    [{ for: '5m' }, 'AlertRule SqlServerRestoreGap: for: "5m" is not allowed (allowed: a Duration, e.g. Duration.minutes(5))'],
    [{ severity: 'critical' }, 'AlertRule SqlServerRestoreGap: severity: "critical" is not allowed (allowed: "page" or "ticket")'],
    [{ summary: 'two\nlines' }, 'AlertRule SqlServerRestoreGap: summary: "two\\nlines" is not allowed (allowed: one non-empty line)'],
    [{ description: 'value {{ $value }}' }, 'AlertRule SqlServerRestoreGap: description: "value {{ $value }}" is not allowed (allowed: text with no template but `{{ $labels.<label> }}`)'],
    [{ runbookStep: 'Reseed' }, 'AlertRule SqlServerRestoreGap: runbookStep: "Reseed" is not allowed (allowed: a runbook step id of lower-case words joined by "." or "-", e.g. "sql-server.restore-log-backups")'],
    [{ labels: { severity: 'ticket' } }, 'AlertRule SqlServerRestoreGap: labels: "severity" is not allowed (allowed: a label name of letters, digits and "_" not starting with a digit or "__", other than alertname and severity)'],
    [{ labels: { team: '' } }, 'AlertRule SqlServerRestoreGap: labels.team: "" is not allowed (allowed: a non-empty string)'],
  ])('refuses %j', (override, message) => {
    expect(() => AlertRule.define({ ...base, ...(override as Partial<AlertRuleProps>) })).toThrow(message);
  });

  test.each([
    [{ name: '' }, 'AlertRule SqlServerRestoreGap: tests[0]: name: "" is not allowed (allowed: a sentence saying what the case shows)'],
    [{ series: [] }, 'AlertRule SqlServerRestoreGap: tests[0] (a gap pages): series: [] is not allowed (allowed: at least one input series)'],
    [{ series: [{ series: 'gap{', values: '1' }] }, 'AlertRule SqlServerRestoreGap: tests[0] (a gap pages): series[0].series: "gap{" is not allowed (allowed: a metric name with optional {label="value",...})'],
    [
      { series: [{ series: 'gap', values: '1 2 three' }] },
      'AlertRule SqlServerRestoreGap: tests[0] (a gap pages): series[0].values: "1 2 three" is not allowed (allowed: promtool values: numbers, "_", "stale", "a+bxn", "a-bxn" or "_xn" separated by spaces, e.g. "0+60x30")',
    ],
    [{ evalTime: 900 }, 'AlertRule SqlServerRestoreGap: tests[0] (a gap pages): evalTime: 900 is not allowed (allowed: a Duration from the start of the series)'],
    [{ alerts: [] }, 'AlertRule SqlServerRestoreGap: tests[0] (a gap pages): alerts: [] is not allowed (allowed: at least one expected alert when the case fires)'],
  ])('refuses the test case %j', (override, message) => {
    expect(() => AlertRule.define({ ...base, tests: [{ ...base.tests![0], ...override } as never] })).toThrow(message);
  });

  test('accepts every form of promtool values notation', () => {
    const values = '0 1.5 -2 1e3 _ stale 0+60x30 100-1.5x4 _x5 -3600+60x10';
    expect(AlertRule.define({ ...base, tests: [{ ...base.tests![1], series: [{ series: 'gap', values }] }] }).tests[0].series[0].values).toBe(values);
  });
});

describe('RecordingRule and RuleGroup', () => {
  test('a recording rule renders record, expr and its labels', () => {
    expect(ratio.toRule()).toEqual({ record: 'slo:sli_error:ratio_rate5m', expr: 'sum(rate(errors[5m])) / sum(rate(total[5m]))', labels: { slo: 'loans' } });
    expect(RecordingRule.define({ record: 'job:up:sum', expr: 'sum(up)' }).toRule()).toEqual({ record: 'job:up:sum', expr: 'sum(up)' });
  });

  test.each([
    [() => RecordingRule.define({ record: 'error_ratio', expr: 'x' }), 'RecordingRule: record: "error_ratio" is not allowed (allowed: a metric name in the level:metric:operations form, e.g. "slo:sli_error:ratio_rate5m")'],
    [() => RecordingRule.define({ record: 'a:b:c', expr: '' }), 'RecordingRule a:b:c: expr: "" is not allowed (allowed: a PromQL expression)'],
    [() => RuleGroup.define({ name: 'SQL', rules: [gap] }), 'RuleGroup: name: "SQL" is not allowed (allowed: lower-case letters and digits in words joined by "-", e.g. "sql-server-log-shipping")'],
    [() => RuleGroup.define({ name: 'sql', rules: [] }), 'RuleGroup sql: rules: [] is not allowed (allowed: at least one AlertRule or RecordingRule)'],
    [() => RuleGroup.define({ name: 'sql', rules: [gap.toRule() as never] }), `RuleGroup sql: rules[0]: ${formatValue(gap.toRule())} is not allowed (allowed: an AlertRule.define(...) or RecordingRule.define(...))`],
    [() => RuleGroup.define({ name: 'sql', interval: '1m' as never, rules: [gap] }), 'RuleGroup sql: interval: "1m" is not allowed (allowed: a Duration, e.g. Duration.minutes(1))'],
  ])('refuses %#', (define, message) => {
    expect(define).toThrow(message);
  });
});

describe('ruleFile', () => {
  test('groups in order, with their interval where set, rules in order', () => {
    const groups = [RuleGroup.define({ name: 'slo', interval: Duration.seconds(30), rules: [ratio] }), RuleGroup.define({ name: 'sql', rules: [gap] })];
    expect(ruleFile(groups)).toEqual({ groups: [{ name: 'slo', interval: '30s', rules: [ratio.toRule()] }, { name: 'sql', rules: [gap.toRule()] }] });
  });

  test('refuses two groups of one name', () => {
    const group = RuleGroup.define({ name: 'sql', rules: [gap] });
    expect(() => ruleFile([group, group])).toThrow('ruleFile: groups: "sql" is not allowed (allowed: each group name once in a rule file)');
  });
});

describe('promtoolTests', () => {
  test('one test group per case: its series, the alert expected with its labels and expanded annotations, or none', () => {
    const groups = [RuleGroup.define({ name: 'sql', rules: [ratio, gap.withLabels({ site: 'kitwe' })] })];
    expect(promtoolTests(groups, ['rules.yaml'])).toEqual({
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          name: 'sql SqlServerRestoreGap: a gap pages',
          interval: '1m',
          input_series: [{ series: 'lms_sql_restore_gap{database="lms"}', values: '0+0x5 1+0x20' }],
          alert_rule_test: [
            {
              eval_time: '15m',
              alertname: 'SqlServerRestoreGap',
              exp_alerts: [
                {
                  exp_labels: { database: 'lms', severity: 'page', site: 'kitwe' },
                  exp_annotations: { summary: 'The restores of lms stopped at a gap', description: 'Reseed the standby of lms.', runbook_step: 'sql-server.reseed' },
                },
              ],
            },
          ],
        },
        {
          name: 'sql SqlServerRestoreGap: no gap stays silent',
          interval: '1m',
          input_series: [{ series: 'lms_sql_restore_gap{database="lms"}', values: '0+0x20' }],
          alert_rule_test: [{ eval_time: '15m', alertname: 'SqlServerRestoreGap', exp_alerts: [] }],
        },
      ],
    });
  });

  test('refuses a firing case whose labels lack one the annotations show', () => {
    const alert = AlertRule.define({ ...base, tests: [{ ...base.tests![0], alerts: [{ labels: { db: 'lms' } }] } as never] });
    expect(() => promtoolTests([RuleGroup.define({ name: 'sql', rules: [alert] })], ['rules.yaml'])).toThrow(
      'AlertRule SqlServerRestoreGap: tests[0]: alerts: labels: {"db":"lms"} is not allowed (allowed: labels that include "database", which annotation "summary" shows)',
    );
  });
});
