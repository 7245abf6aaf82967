import { AlertRule, RecordingRule, RuleGroup, type AlertTestCase } from './alert-rule';
import { Duration } from './duration';
import { PlatformError } from './platform-error';

/**
 * Multi-window, multi-burn-rate alerts on an availability objective, as the Google SRE
 * workbook sets them out ("Alerting on SLOs", table 5-8): the error ratio is recorded over
 * seven windows, and an alert needs both a long window (the budget really burns) and a
 * short one (it is burning now, so the alert resets soon after a fix).
 *
 * @see https://sre.google/workbook/alerting-on-slos/
 */

/** The windows the error ratio is recorded over. */
export const SLO_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type SloWindow = (typeof SLO_WINDOWS)[number];

/** The period the error budget is counted over: the burn rates below are relative to it. */
export const SLO_PERIOD_DAYS = 30;

/** Each burn-rate condition: the error ratio over both windows above `factor` times the error budget. */
export const BURN_RATE_CONDITIONS = [
  { severity: 'page', long: '1h', short: '5m', factor: 14.4 },
  { severity: 'page', long: '6h', short: '30m', factor: 6 },
  { severity: 'ticket', long: '1d', short: '2h', factor: 3 },
  { severity: 'ticket', long: '3d', short: '6h', factor: 1 },
] as const satisfies readonly { severity: 'page' | 'ticket'; long: SloWindow; short: SloWindow; factor: number }[];

/** The fastest burn rate: with the budget times this at or above 1, the page could never fire. */
const FASTEST = 14.4;

export interface AvailabilitySloProps {
  /** Lower-case words joined by `-`, the `slo` label of every recorded series and alert: `loan-service-availability`. */
  readonly name: string;
  /** CamelCase start of the alert names: `LoanService` gives `LoanServiceErrorBudgetBurnFast` and `...Slow`. */
  readonly alertPrefix: string;
  /** What is measured, for the annotations: `requests the loan-service answers`. */
  readonly subject: string;
  /** The objective in percent, e.g. 99.9 (the environment's `objectives.availabilityPercent`). */
  readonly objectivePercent: number;
  /** The counter of failed events with its selector: `http_requests_total{job="loan-service",status_code=~"5.."}`. */
  readonly errors: string;
  /** The counter of all events with the same selector but the error condition: `http_requests_total{job="loan-service"}`. */
  readonly total: string;
  /**
   * One series of `total` that counts successes and one that counts errors, in selector
   * notation with every label the selectors test: the test cases feed them.
   */
  readonly testSeries: { readonly success: string; readonly error: string };
  /**
   * The failover runbook step the page points to.
   * @default - none
   */
  readonly runbookStep?: string;
}

/** `slo:sli_error:ratio_rate5m`: the recorded error ratio over `window`. */
export function errorRatioRecord(window: SloWindow): string {
  return `slo:sli_error:ratio_rate${window}`;
}

/** The error budget as a ratio: 99.9 % gives 0.001. */
export function errorBudget(objectivePercent: number): number {
  return round((100 - objectivePercent) / 100);
}

/** Exact decimals for thresholds (14.4 x 0.001 is 0.0144, not 0.014399999999999182). */
function round(value: number): number {
  return Number(value.toPrecision(10));
}

/**
 * The two rule groups of an availability SLO: `<name>-recording` (the error ratio over each
 * window) and `<name>-alerts` (`<prefix>ErrorBudgetBurnFast`, a page, and
 * `<prefix>ErrorBudgetBurnSlow`, a ticket), each alert with its test cases: a 100 % error
 * burst pages, half the budget's error rate stays silent, five times it opens only a ticket
 * (with 99.9 %: 0.05 % and 0.5 %).
 * @throws PlatformError naming the SLO, the field, the bad value and what is allowed
 */
export function availabilitySloGroups(props: AvailabilitySloProps): readonly RuleGroup[] {
  const where = `AvailabilitySlo ${props.name}`;
  if (typeof props.name !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(props.name)) {
    throw PlatformError.invalidProp('AvailabilitySlo', 'name', props.name, 'lower-case letters and digits in words joined by "-", e.g. "loan-service-availability"');
  }
  if (typeof props.alertPrefix !== 'string' || !/^[A-Z][a-zA-Z0-9]*$/.test(props.alertPrefix)) {
    throw PlatformError.invalidProp(where, 'alertPrefix', props.alertPrefix, 'CamelCase: a capital letter, then letters and digits, e.g. "LoanService"');
  }
  const lowest = round(100 - 100 / FASTEST);
  if (typeof props.objectivePercent !== 'number' || !(props.objectivePercent > lowest && props.objectivePercent < 100)) {
    throw PlatformError.invalidProp(
      where,
      'objectivePercent',
      props.objectivePercent,
      `a percentage above ${lowest} and below 100, e.g. 99.9 (the fastest burn rate, ${FASTEST} times the error budget, must stay below a 100 % error ratio)`,
    );
  }
  const budget = errorBudget(props.objectivePercent);
  const slo = `slo=${JSON.stringify(props.name)}`;
  const recording = RuleGroup.define({
    name: `${props.name}-recording`,
    rules: SLO_WINDOWS.map((window) =>
      RecordingRule.define({
        record: errorRatioRecord(window),
        expr: `sum(rate(${props.errors}[${window}])) / sum(rate(${props.total}[${window}]))`,
        labels: { slo: props.name },
      }),
    ),
  });
  const condition = (severity: 'page' | 'ticket') =>
    BURN_RATE_CONDITIONS.filter((burn) => burn.severity === severity)
      .map((burn) => {
        const threshold = round(burn.factor * budget);
        return `(${errorRatioRecord(burn.long)}{${slo}} > ${threshold} and ${errorRatioRecord(burn.short)}{${slo}} > ${threshold})`;
      })
      .join('\nor\n');
  const percent = (ratio: number) => `${round(ratio * 100)} %`;
  const describe = (severity: 'page' | 'ticket') =>
    BURN_RATE_CONDITIONS.filter((burn) => burn.severity === severity)
      .map((burn) => `above ${percent(burn.factor * budget)} over ${burn.long} and ${burn.short} (${burn.factor}x the budget)`)
      .join(', or ');
  const cases = sloCases(props, budget);
  const fast = AlertRule.define({
    name: `${props.alertPrefix}ErrorBudgetBurnFast`,
    expr: condition('page'),
    for: Duration.minutes(2),
    severity: 'page',
    summary: `${props.name}: errors are using the ${props.objectivePercent} % objective's ${SLO_PERIOD_DAYS}-day error budget at least 6 times too fast (gone within ${SLO_PERIOD_DAYS / 6} days)`,
    description: `The error ratio of the ${props.subject} is ${describe('page')}. Find what fails now: recent deployments, the database, the object store.`,
    runbookStep: props.runbookStep,
    tests: [cases.burst, cases.silent, cases.slowQuiet],
  });
  const slow = AlertRule.define({
    name: `${props.alertPrefix}ErrorBudgetBurnSlow`,
    expr: condition('ticket'),
    for: Duration.minutes(15),
    severity: 'ticket',
    summary: `${props.name}: errors are using the ${props.objectivePercent} % objective's ${SLO_PERIOD_DAYS}-day error budget faster than it lasts`,
    description: `The error ratio of the ${props.subject} is ${describe('ticket')}. At this rate the objective is missed within the period: find the failing requests in the logs.`,
    runbookStep: props.runbookStep,
    tests: [cases.silent, cases.slowTicket],
  });
  return [recording, RuleGroup.define({ name: `${props.name}-alerts`, rules: [fast, slow] })];
}

/** The SRE workbook's scenarios, relative to the budget so they hold for every objective. */
function sloCases(props: AvailabilitySloProps, budget: number): { burst: AlertTestCase; silent: AlertTestCase; slowQuiet: AlertTestCase; slowTicket: AlertTestCase } {
  // 10 000 events a minute, so every error rate below is a whole or simple number of events.
  const perMinute = 10_000;
  const steady = (errorRatio: number, minutes: number) => {
    const errors = round(perMinute * errorRatio);
    return [
      { series: props.testSeries.success, values: `0+${round(perMinute - errors)}x${minutes}` },
      { series: props.testSeries.error, values: `0+${errors}x${minutes}` },
    ];
  };
  const fired = [{ labels: { slo: props.name } }];
  const rate = (ratio: number) => `${round(ratio * 100)} %`;
  // Steady rates give the same ratio over every window, so an hour of series shows them.
  const hour = Duration.hours(1);
  return {
    burst: {
      name: 'an hour of successes, then every request failing for ten minutes, pages',
      series: [
        { series: props.testSeries.success, values: `0+${perMinute}x60 ${60 * perMinute}+0x29` },
        { series: props.testSeries.error, values: `0+0x60 ${perMinute}+${perMinute}x29` },
      ],
      evalTime: Duration.minutes(70),
      fires: true,
      alerts: fired,
    },
    silent: { name: `a steady ${rate(budget / 2)} error rate (half the budget) stays silent`, series: steady(budget / 2, 90), evalTime: hour, fires: false },
    slowQuiet: { name: `a steady ${rate(budget * 5)} error rate (5x the budget) does not page`, series: steady(budget * 5, 90), evalTime: hour, fires: false },
    slowTicket: { name: `a steady ${rate(budget * 5)} error rate (5x the budget) opens a ticket`, series: steady(budget * 5, 90), evalTime: hour, fires: true, alerts: fired },
  };
}

/** The loan-service's HTTP metrics (`http_requests_total{method,route,status_code}`), scraped by its ServiceMonitor as job `loan-service`. */
export const LOAN_SERVICE_REQUESTS = 'http_requests_total';

/**
 * The loan-service's availability SLO: the share of its HTTP requests answered without a
 * 5xx, against the environment's `objectives.availabilityPercent`.
 */
export function loanServiceAvailabilitySlo(props: { readonly namespace: string; readonly objectivePercent: number }): AvailabilitySloProps {
  const selector = `job="loan-service",namespace=${JSON.stringify(props.namespace)}`;
  const series = (status: string) => `${LOAN_SERVICE_REQUESTS}{job="loan-service",method="POST",namespace=${JSON.stringify(props.namespace)},route="/v1/applications",status_code="${status}"}`;
  return {
    name: 'loan-service-availability',
    alertPrefix: 'LoanService',
    subject: 'requests the loan-service answers',
    objectivePercent: props.objectivePercent,
    errors: `${LOAN_SERVICE_REQUESTS}{${selector},status_code=~"5.."}`,
    total: `${LOAN_SERVICE_REQUESTS}{${selector}}`,
    testSeries: { success: series('200'), error: series('500') },
  };
}
