import type { AlertingRuleObject, FiringAlertCase, RecordingRuleObject } from '../../constructs/alert-rule';
import { ruleFile } from '../../constructs/alert-rule';
import { SLO_WINDOWS, availabilitySloGroups, errorBudget, loanServiceAvailabilitySlo } from '../../constructs/slo-alerts';

const production = loanServiceAvailabilitySlo({ namespace: 'lms-apps', objectivePercent: 99.9 });
const [recording, alerts] = availabilitySloGroups(production);
const rules = ruleFile([recording, alerts]);
const alert = (name: string) => rules.groups[1].rules.find((rule) => 'alert' in rule && rule.alert === name) as AlertingRuleObject;

describe('availability SLO of the loan-service (99.9 %)', () => {
  test('records the 5xx ratio of its requests over the seven windows', () => {
    expect(rules.groups.map((group) => group.name)).toEqual(['loan-service-availability-recording', 'loan-service-availability-alerts']);
    const records = rules.groups[0].rules as RecordingRuleObject[];
    expect(records.map((rule) => rule.record)).toEqual(SLO_WINDOWS.map((window) => `slo:sli_error:ratio_rate${window}`));
    expect(records[0]).toEqual({
      record: 'slo:sli_error:ratio_rate5m',
      expr: 'sum(rate(http_requests_total{job="loan-service",namespace="lms-apps",status_code=~"5.."}[5m])) / sum(rate(http_requests_total{job="loan-service",namespace="lms-apps"}[5m]))',
      labels: { slo: 'loan-service-availability' },
    });
    expect(records[6].expr).toBe('sum(rate(http_requests_total{job="loan-service",namespace="lms-apps",status_code=~"5.."}[3d])) / sum(rate(http_requests_total{job="loan-service",namespace="lms-apps"}[3d]))');
  });

  test('pages above 14.4x the budget over 1h and 5m, or 6x over 6h and 30m; tickets above 3x over 1d and 2h, or 1x over 3d and 6h', () => {
    expect(errorBudget(99.9)).toBe(0.001);
    const slo = 'slo="loan-service-availability"';
    expect(alert('LoanServiceErrorBudgetBurnFast')).toMatchObject({
      expr: `(slo:sli_error:ratio_rate1h{${slo}} > 0.0144 and slo:sli_error:ratio_rate5m{${slo}} > 0.0144)\nor\n(slo:sli_error:ratio_rate6h{${slo}} > 0.006 and slo:sli_error:ratio_rate30m{${slo}} > 0.006)`,
      for: '2m',
      labels: { severity: 'page' },
    });
    expect(alert('LoanServiceErrorBudgetBurnSlow')).toMatchObject({
      expr: `(slo:sli_error:ratio_rate1d{${slo}} > 0.003 and slo:sli_error:ratio_rate2h{${slo}} > 0.003)\nor\n(slo:sli_error:ratio_rate3d{${slo}} > 0.001 and slo:sli_error:ratio_rate6h{${slo}} > 0.001)`,
      for: '15m',
      labels: { severity: 'ticket' },
    });
    expect(alert('LoanServiceErrorBudgetBurnFast').annotations.description).toBe(
      'The error ratio of the requests the loan-service answers is above 1.44 % over 1h and 5m (14.4x the budget), or above 0.6 % over 6h and 30m (6x the budget). Find what fails now: recent deployments, the database, the object store.',
    );
  });

  test('the cases: a 100 % error burst pages, 0.05 % stays silent, 0.5 % opens only a ticket', () => {
    const [fast, slow] = alerts.alerts;
    expect(fast.tests.map((c) => [c.name, c.fires])).toEqual([
      ['an hour of successes, then every request failing for ten minutes, pages', true],
      ['a steady 0.05 % error rate (half the budget) stays silent', false],
      ['a steady 0.5 % error rate (5x the budget) does not page', false],
    ]);
    expect(slow.tests.map((c) => [c.name, c.fires])).toEqual([
      ['a steady 0.05 % error rate (half the budget) stays silent', false],
      ['a steady 0.5 % error rate (5x the budget) opens a ticket', true],
    ]);
    expect(fast.tests[0].series).toEqual([
      { series: 'http_requests_total{job="loan-service",method="POST",namespace="lms-apps",route="/v1/applications",status_code="200"}', values: '0+10000x60 600000+0x29' },
      { series: 'http_requests_total{job="loan-service",method="POST",namespace="lms-apps",route="/v1/applications",status_code="500"}', values: '0+0x60 10000+10000x29' },
    ]);
    expect(slow.tests[1].series.map((s) => s.values)).toEqual(['0+9950x90', '0+50x90']);
    expect((slow.tests[1] as FiringAlertCase).alerts).toEqual([{ labels: { slo: 'loan-service-availability' } }]);
  });

  test('thresholds follow the objective: 99 % pages above 14.4 %', () => {
    const [, dev] = availabilitySloGroups(loanServiceAvailabilitySlo({ namespace: 'lms-apps', objectivePercent: 99 }));
    expect(dev.alerts[0].expr).toContain('slo:sli_error:ratio_rate1h{slo="loan-service-availability"} > 0.144 and');
    expect(dev.alerts[0].tests[1].name).toBe('a steady 0.5 % error rate (half the budget) stays silent');
  });

  test.each([
    [{ objectivePercent: 100 }, 'AvailabilitySlo loan-service-availability: objectivePercent: 100 is not allowed (allowed: a percentage above 93.05555556 and below 100, e.g. 99.9 (the fastest burn rate, 14.4 times the error budget, must stay below a 100 % error ratio))'],
    [{ objectivePercent: 90 }, 'AvailabilitySlo loan-service-availability: objectivePercent: 90 is not allowed (allowed: a percentage above 93.05555556 and below 100, e.g. 99.9 (the fastest burn rate, 14.4 times the error budget, must stay below a 100 % error ratio))'],
    [{ name: 'Loans' }, 'AvailabilitySlo: name: "Loans" is not allowed (allowed: lower-case letters and digits in words joined by "-", e.g. "loan-service-availability")'],
    [{ alertPrefix: 'loanService' }, 'AvailabilitySlo loan-service-availability: alertPrefix: "loanService" is not allowed (allowed: CamelCase: a capital letter, then letters and digits, e.g. "LoanService")'],
  ])('refuses %j', (override, message) => {
    expect(() => availabilitySloGroups({ ...production, ...override })).toThrow(message);
  });
});
