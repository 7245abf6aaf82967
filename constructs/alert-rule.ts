import { Duration } from './duration';
import { PlatformError } from './platform-error';

/**
 * Alerts and recording rules as typed values, rendered into Prometheus rule files and into
 * the promtool unit tests that prove them.
 *
 * An alert carries its own test cases (input series in promtool's `values` notation, an
 * evaluation time, and whether it fires, with the labels it fires with), so every alert is
 * shipped with the series that should make it fire and the series that must leave it
 * silent; `promtool test rules` runs them against the real rule evaluation.
 *
 * @see https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/
 * @see https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/
 */

/** Who hears of an alert: `page` wakes the on-call engineer, `ticket` opens work for office hours. */
export const ALERT_SEVERITIES = ['page', 'ticket'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** One input series of a test case: `series` in selector notation, `values` in promtool's expanding notation (`0+60x30 _x5 stale`). */
export interface InputSeries {
  /** `http_requests_total{status_code="500"}`. */
  readonly series: string;
  /** `0+60x30`: one value per test interval, starting at time 0. */
  readonly values: string;
}

interface AlertTestCaseBase {
  /** What the case shows, e.g. `a 100 % error burst pages`. */
  readonly name: string;
  readonly series: readonly InputSeries[];
  /** When the alert is looked at, from the start of the series. */
  readonly evalTime: Duration;
  /**
   * Time between two values of each series.
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;
}

/** A case in which the alert must stay silent at `evalTime`. */
export interface SilentAlertCase extends AlertTestCaseBase {
  readonly fires: false;
}

/** A case in which the alert must fire at `evalTime`, once per entry of `alerts`. */
export interface FiringAlertCase extends AlertTestCaseBase {
  readonly fires: true;
  /**
   * The alerts expected, each by the labels its series carries after the expression
   * (`{ bucket: "documents" }`); the alert's own labels (severity, extra labels) are added,
   * and its annotations expanded from these.
   */
  readonly alerts: readonly { readonly labels: Readonly<Record<string, string>> }[];
}

export type AlertTestCase = SilentAlertCase | FiringAlertCase;

export interface AlertRuleProps {
  /** CamelCase, what is wrong: `SqlServerRestoreGap`. */
  readonly name: string;
  /** The PromQL expression; each series it returns is an alert. */
  readonly expr: string;
  /** How long the expression must hold before the alert fires. */
  readonly for: Duration;
  readonly severity: AlertSeverity;
  /** One line, what is wrong; may use `{{ $labels.<label> }}` of the expression's series. */
  readonly summary: string;
  /** What it means and what to do first; may use `{{ $labels.<label> }}`. */
  readonly description: string;
  /**
   * The id of the failover runbook step the on-call engineer turns to (`sql-server.restore-log-backups`).
   * @default - none
   */
  readonly runbookStep?: string;
  /**
   * Labels beside `severity` (e.g. `slo`), for routing and inhibition.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The cases `promtool test rules` proves the alert with.
   * @default - none
   */
  readonly tests?: readonly AlertTestCase[];
}

export interface RecordingRuleProps {
  /** The recorded metric, `level:metric:operations`: `slo:sli_error:ratio_rate5m`. */
  readonly record: string;
  readonly expr: string;
  /**
   * Labels added to every recorded series.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface RuleGroupProps {
  /** Lower-case words joined by `-`: `sql-server-log-shipping`. */
  readonly name: string;
  /**
   * How often the group is evaluated.
   * @default - Prometheus' global evaluation_interval
   */
  readonly interval?: Duration;
  readonly rules: readonly (AlertRule | RecordingRule)[];
}

const ALERT_NAME = /^[A-Z][a-zA-Z0-9]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const GROUP_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const RUNBOOK_STEP = /^[a-z0-9]+([.-][a-z0-9]+)*$/;
const SERIES = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?$/;
const NUMBER = '-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?';
const VALUE_TOKEN = new RegExp(`^(_|stale|${NUMBER}|_x[0-9]+|${NUMBER}[-+][0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?x[0-9]+)$`);
const TEMPLATE = /\{\{\s*\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g;
/** Labels the rule sets itself, or Prometheus does. */
const RESERVED_LABELS = ['alertname', 'severity'];

function checkLabels(where: string, labels: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(labels)) {
    if (!LABEL_NAME.test(name) || name.startsWith('__') || RESERVED_LABELS.includes(name)) {
      throw PlatformError.invalidProp(where, 'labels', name, `a label name of letters, digits and "_" not starting with a digit or "__", other than ${RESERVED_LABELS.join(' and ')}`);
    }
    if (typeof value !== 'string' || value === '') {
      throw PlatformError.invalidProp(where, `labels.${name}`, value, 'a non-empty string');
    }
  }
}

function checkExpr(where: string, expr: string): void {
  if (typeof expr !== 'string' || expr.trim() === '') {
    throw PlatformError.invalidProp(where, 'expr', expr, 'a PromQL expression');
  }
}

function checkTemplate(where: string, field: string, text: string, oneLine: boolean): void {
  if (typeof text !== 'string' || text.trim() === '' || (oneLine && text.includes('\n'))) {
    throw PlatformError.invalidProp(where, field, text, oneLine ? 'one non-empty line' : 'non-empty text');
  }
  if (/\{\{|\}\}/.test(text.replace(TEMPLATE, ''))) {
    throw PlatformError.invalidProp(where, field, text, 'text with no template but `{{ $labels.<label> }}`');
  }
}

function sortedLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** An alerting rule, validated: every field names the alert in its error. */
export class AlertRule {
  /**
   * @throws PlatformError naming the alert, the field, the bad value and what is allowed
   */
  public static define(props: AlertRuleProps): AlertRule {
    if (typeof props.name !== 'string' || !ALERT_NAME.test(props.name)) {
      throw PlatformError.invalidProp('AlertRule', 'name', props.name, 'CamelCase: a capital letter, then letters and digits, e.g. "SqlServerRestoreGap"');
    }
    const where = `AlertRule ${props.name}`;
    checkExpr(where, props.expr);
    if (!(props.for instanceof Duration)) {
      throw PlatformError.invalidProp(where, 'for', props.for, 'a Duration, e.g. Duration.minutes(5)');
    }
    if (!(ALERT_SEVERITIES as readonly string[]).includes(props.severity)) {
      throw PlatformError.invalidProp(where, 'severity', props.severity, ALERT_SEVERITIES.map((severity) => `"${severity}"`).join(' or '));
    }
    checkTemplate(where, 'summary', props.summary, true);
    checkTemplate(where, 'description', props.description, false);
    if (props.runbookStep !== undefined && !RUNBOOK_STEP.test(props.runbookStep)) {
      throw PlatformError.invalidProp(where, 'runbookStep', props.runbookStep, 'a runbook step id of lower-case words joined by "." or "-", e.g. "sql-server.restore-log-backups"');
    }
    checkLabels(where, props.labels ?? {});
    const tests = props.tests ?? [];
    tests.forEach((testCase, index) => checkCase(`${where}: tests[${index}]`, testCase));
    return new AlertRule(props.name, props.expr, props.for, props.severity, props.summary, props.description, props.runbookStep, sortedLabels({ ...(props.labels ?? {}), severity: props.severity }), tests);
  }

  public readonly kind = 'alert' as const;

  private constructor(
    public readonly name: string,
    public readonly expr: string,
    public readonly forDuration: Duration,
    public readonly severity: AlertSeverity,
    public readonly summary: string,
    public readonly description: string,
    public readonly runbookStep: string | undefined,
    /** Every label the rule sets, `severity` included, sorted by name. */
    public readonly labels: Readonly<Record<string, string>>,
    public readonly tests: readonly AlertTestCase[],
  ) {}

  /** The annotations as Prometheus templates them. */
  public get annotations(): Readonly<Record<string, string>> {
    return { summary: this.summary, description: this.description, ...(this.runbookStep === undefined ? {} : { runbook_step: this.runbookStep }) };
  }

  /**
   * The same alert with more labels (`{ site: "lusaka" }`).
   * @throws PlatformError when a label is already set to another value
   */
  public withLabels(labels: Readonly<Record<string, string>>): AlertRule {
    const where = `AlertRule ${this.name}`;
    checkLabels(where, labels);
    for (const [name, value] of Object.entries(labels)) {
      if (this.labels[name] !== undefined && this.labels[name] !== value) {
        throw PlatformError.invalidProp(where, `labels.${name}`, value, `the value the alert already has, "${this.labels[name]}"`);
      }
    }
    return new AlertRule(this.name, this.expr, this.forDuration, this.severity, this.summary, this.description, this.runbookStep, sortedLabels({ ...this.labels, ...labels }), this.tests);
  }

  /** The rule as it stands in a rule file. */
  public toRule(): AlertingRuleObject {
    return { alert: this.name, expr: this.expr, for: this.forDuration.toString(), labels: { ...this.labels }, annotations: { ...this.annotations } };
  }
}

/** A recording rule, validated. */
export class RecordingRule {
  /**
   * @throws PlatformError naming the rule, the field, the bad value and what is allowed
   */
  public static define(props: RecordingRuleProps): RecordingRule {
    if (typeof props.record !== 'string' || !METRIC_NAME.test(props.record) || !props.record.includes(':')) {
      throw PlatformError.invalidProp('RecordingRule', 'record', props.record, 'a metric name in the level:metric:operations form, e.g. "slo:sli_error:ratio_rate5m"');
    }
    const where = `RecordingRule ${props.record}`;
    checkExpr(where, props.expr);
    checkLabels(where, props.labels ?? {});
    return new RecordingRule(props.record, props.expr, sortedLabels(props.labels ?? {}));
  }

  public readonly kind = 'record' as const;

  private constructor(
    public readonly record: string,
    public readonly expr: string,
    public readonly labels: Readonly<Record<string, string>>,
  ) {}

  public toRule(): RecordingRuleObject {
    return { record: this.record, expr: this.expr, ...(Object.keys(this.labels).length === 0 ? {} : { labels: { ...this.labels } }) };
  }
}

/** Rules evaluated together, in order (a recording rule before the alerts that read it). */
export class RuleGroup {
  /**
   * @throws PlatformError naming the group, the field, the bad value and what is allowed
   */
  public static define(props: RuleGroupProps): RuleGroup {
    if (typeof props.name !== 'string' || !GROUP_NAME.test(props.name)) {
      throw PlatformError.invalidProp('RuleGroup', 'name', props.name, 'lower-case letters and digits in words joined by "-", e.g. "sql-server-log-shipping"');
    }
    const where = `RuleGroup ${props.name}`;
    if (props.interval !== undefined && !(props.interval instanceof Duration)) {
      throw PlatformError.invalidProp(where, 'interval', props.interval, 'a Duration, e.g. Duration.minutes(1)');
    }
    if (!Array.isArray(props.rules) || props.rules.length === 0) {
      throw PlatformError.invalidProp(where, 'rules', props.rules, 'at least one AlertRule or RecordingRule');
    }
    props.rules.forEach((rule, index) => {
      if (!(rule instanceof AlertRule) && !(rule instanceof RecordingRule)) {
        throw PlatformError.invalidProp(where, `rules[${index}]`, rule, 'an AlertRule.define(...) or RecordingRule.define(...)');
      }
    });
    return new RuleGroup(props.name, props.interval, props.rules);
  }

  private constructor(
    public readonly name: string,
    public readonly interval: Duration | undefined,
    public readonly rules: readonly (AlertRule | RecordingRule)[],
  ) {}

  public get alerts(): readonly AlertRule[] {
    return this.rules.filter((rule): rule is AlertRule => rule instanceof AlertRule);
  }

  /** The same group with `labels` added to every alert. */
  public withAlertLabels(labels: Readonly<Record<string, string>>): RuleGroup {
    return new RuleGroup(this.name, this.interval, this.rules.map((rule) => (rule instanceof AlertRule ? rule.withLabels(labels) : rule)));
  }
}

export interface AlertingRuleObject {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface RecordingRuleObject {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface RuleGroupObject {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly (AlertingRuleObject | RecordingRuleObject)[];
}

/** A Prometheus rule file, and the `spec` of a PrometheusRule. */
export interface RuleFile {
  readonly groups: readonly RuleGroupObject[];
}

/**
 * The Prometheus rule file of `groups`.
 * @throws PlatformError when two groups share a name (Prometheus refuses the file)
 */
export function ruleFile(groups: readonly RuleGroup[]): RuleFile {
  const seen = new Set<string>();
  for (const group of groups) {
    if (seen.has(group.name)) throw PlatformError.invalidProp('ruleFile', 'groups', group.name, 'each group name once in a rule file');
    seen.add(group.name);
  }
  return {
    groups: groups.map((group) => ({
      name: group.name,
      ...(group.interval === undefined ? {} : { interval: group.interval.toString() }),
      rules: group.rules.map((rule) => rule.toRule()),
    })),
  };
}

/** One test group of a promtool unit-test file. */
export interface PromtoolTestGroup {
  readonly name: string;
  readonly interval: string;
  readonly input_series: readonly InputSeries[];
  readonly alert_rule_test: readonly {
    readonly eval_time: string;
    readonly alertname: string;
    readonly exp_alerts: readonly { readonly exp_labels: Readonly<Record<string, string>>; readonly exp_annotations: Readonly<Record<string, string>> }[];
  }[];
}

/** A promtool unit-test file (`promtool test rules <file>`). */
export interface PromtoolTestFile {
  readonly rule_files: readonly string[];
  readonly evaluation_interval: string;
  readonly tests: readonly PromtoolTestGroup[];
}

/**
 * The promtool unit-test file of every test case of every alert in `groups`, one test group
 * per case (each case brings its own series), reading the rule files `ruleFiles` (paths as
 * promtool resolves them: relative to the test file).
 * @throws PlatformError when an alert's annotations use a label its firing case does not give
 */
export function promtoolTests(groups: readonly RuleGroup[], ruleFiles: readonly string[]): PromtoolTestFile {
  const tests = groups.flatMap((group) =>
    group.alerts.flatMap((alert) =>
      alert.tests.map((testCase, index) => ({
        name: `${group.name} ${alert.name}: ${testCase.name}`,
        interval: (testCase.interval ?? Duration.minutes(1)).toString(),
        input_series: testCase.series.map((series) => ({ series: series.series, values: series.values })),
        alert_rule_test: [
          {
            eval_time: testCase.evalTime.toString(),
            alertname: alert.name,
            exp_alerts: testCase.fires
              ? testCase.alerts.map((expected) => ({
                  exp_labels: sortedLabels({ ...expected.labels, ...alert.labels }),
                  exp_annotations: expandAnnotations(`AlertRule ${alert.name}: tests[${index}]`, alert.annotations, expected.labels),
                }))
              : [],
          },
        ],
      })),
    ),
  );
  return { rule_files: [...ruleFiles], evaluation_interval: '1m', tests };
}

/** Annotations as Prometheus expands them for a series with `labels` (`$labels` holds the series' labels only). */
function expandAnnotations(where: string, annotations: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(annotations).map(([key, text]) => [
      key,
      text.replace(TEMPLATE, (_match, label: string) => {
        const value = labels[label];
        if (value === undefined) {
          throw PlatformError.invalidProp(where, `alerts: labels`, labels, `labels that include "${label}", which annotation "${key}" shows`);
        }
        return value;
      }),
    ]),
  );
}

function checkCase(where: string, testCase: AlertTestCase): void {
  if (typeof testCase.name !== 'string' || testCase.name.trim() === '') {
    throw PlatformError.invalidProp(where, 'name', testCase.name, 'a sentence saying what the case shows');
  }
  const at = `${where} (${testCase.name})`;
  if (!Array.isArray(testCase.series) || testCase.series.length === 0) {
    throw PlatformError.invalidProp(at, 'series', testCase.series, 'at least one input series');
  }
  testCase.series.forEach((input, index) => {
    if (typeof input.series !== 'string' || !SERIES.test(input.series)) {
      throw PlatformError.invalidProp(at, `series[${index}].series`, input.series, 'a metric name with optional {label="value",...}');
    }
    const tokens: string[] = typeof input.values === 'string' ? input.values.trim().split(/\s+/) : [];
    const bad = tokens.find((token) => !VALUE_TOKEN.test(token));
    if (tokens.length === 0 || tokens[0] === '' || bad !== undefined) {
      throw PlatformError.invalidProp(at, `series[${index}].values`, input.values, 'promtool values: numbers, "_", "stale", "a+bxn", "a-bxn" or "_xn" separated by spaces, e.g. "0+60x30"');
    }
  });
  if (!(testCase.evalTime instanceof Duration)) {
    throw PlatformError.invalidProp(at, 'evalTime', testCase.evalTime, 'a Duration from the start of the series');
  }
  if (testCase.interval !== undefined && !(testCase.interval instanceof Duration)) {
    throw PlatformError.invalidProp(at, 'interval', testCase.interval, 'a Duration between two values');
  }
  if (testCase.fires === true) {
    if (!Array.isArray(testCase.alerts) || testCase.alerts.length === 0) {
      throw PlatformError.invalidProp(at, 'alerts', testCase.alerts, 'at least one expected alert when the case fires');
    }
    testCase.alerts.forEach((expected) => checkLabels(`${at}: alerts`, expected.labels));
  } else if (testCase.fires !== false) {
    throw PlatformError.invalidProp(at, 'fires', (testCase as { fires: unknown }).fires, 'true or false');
  }
}
