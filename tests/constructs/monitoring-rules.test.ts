import { AlertRule, RuleGroup } from '../../constructs/alert-rule';
import { Duration } from '../../constructs/duration';
import { MonitoringRules } from '../../constructs/monitoring-rules';
import { availabilitySloGroups, loanServiceAvailabilitySlo } from '../../constructs/slo-alerts';
import { siteClusterFixture, testScope } from '../support/fixtures';
import { validateCustomResource } from '../support/kube-schema';

const cluster = siteClusterFixture();
const sealed = AlertRule.define({
  name: 'VaultSealed',
  expr: 'vault_core_unsealed == 0',
  for: Duration.minutes(2),
  severity: 'page',
  summary: 'Vault server {{ $labels.pod }} is sealed',
  description: 'Unseal it.',
  tests: [{ name: 'sealed pages', series: [{ series: 'vault_core_unsealed{pod="vault-0"}', values: '0+0x10' }], evalTime: Duration.minutes(5), fires: true, alerts: [{ labels: { pod: 'vault-0' } }] }],
});
const vault = RuleGroup.define({ name: 'vault', rules: [sealed] });
const slo = availabilitySloGroups(loanServiceAvailabilitySlo({ namespace: 'lms-apps', objectivePercent: 99.9 }));
const rules = new MonitoringRules(testScope('test-lusaka-observability'), 'monitoring-rules', {
  cluster,
  ruleSets: [
    { name: 'platform', groups: [vault] },
    { name: 'loan-service-slo', groups: slo },
  ],
});

describe('MonitoringRules', () => {
  test('one PrometheusRule per set in the observability namespace, labelled for the site and for the Prometheus rule selector', () => {
    expect(rules.objects.map((object) => [object.kind, object.metadata.namespace, object.metadata.name])).toEqual([
      ['PrometheusRule', 'lms-observability', 'platform'],
      ['PrometheusRule', 'lms-observability', 'loan-service-slo'],
    ]);
    expect(rules.objects[0].metadata.labels).toEqual({ ...cluster.labels, 'lms.co.zm/rules': 'true' });
    for (const object of rules.objects) validateCustomResource(object);
  });

  test('every alert carries the site label; the PrometheusRule spec is the rule file of its set', () => {
    expect(rules.alerts.map((alert) => [alert.name, alert.labels])).toEqual([
      ['VaultSealed', { severity: 'page', site: 'lusaka' }],
      ['LoanServiceErrorBudgetBurnFast', { severity: 'page', site: 'lusaka' }],
      ['LoanServiceErrorBudgetBurnSlow', { severity: 'ticket', site: 'lusaka' }],
    ]);
    expect(rules.objects[0].spec).toEqual({
      groups: [
        {
          name: 'vault',
          rules: [
            {
              alert: 'VaultSealed',
              expr: 'vault_core_unsealed == 0',
              for: '2m',
              labels: { severity: 'page', site: 'lusaka' },
              annotations: { summary: 'Vault server {{ $labels.pod }} is sealed', description: 'Unseal it.' },
            },
          ],
        },
      ],
    });
    expect(rules.ruleFile.groups.map((group) => group.name)).toEqual(['vault', 'loan-service-availability-recording', 'loan-service-availability-alerts']);
    expect(rules.promtoolTests('rules.yaml').tests[0].alert_rule_test[0].exp_alerts).toEqual([
      { exp_labels: { pod: 'vault-0', severity: 'page', site: 'lusaka' }, exp_annotations: { summary: 'Vault server vault-0 is sealed', description: 'Unseal it.' } },
    ]);
  });

  test.each([
    [[], 'MonitoringRules test-lusaka-observability/bad: ruleSets: [] is not allowed (allowed: at least one set of rule groups)'],
    [[{ name: 'Platform', groups: [vault] }], 'MonitoringRules test-lusaka-observability/bad: ruleSets: "Platform" is not allowed (allowed: distinct names, each a DNS label (lower-case letters, digits and "-"), e.g. "platform")'],
    [
      [
        { name: 'platform', groups: [vault] },
        { name: 'platform', groups: slo },
      ],
      'MonitoringRules test-lusaka-observability/bad: ruleSets: "platform" is not allowed (allowed: distinct names, each a DNS label (lower-case letters, digits and "-"), e.g. "platform")',
    ],
    [[{ name: 'platform', groups: [] }], 'MonitoringRules test-lusaka-observability/bad: ruleSets platform: groups: [] is not allowed (allowed: at least one RuleGroup)'],
    [
      [
        { name: 'platform', groups: [vault] },
        { name: 'vault-again', groups: [vault] },
      ],
      'MonitoringRules test-lusaka-observability/bad: ruleSets vault-again: groups: "vault" is not allowed (allowed: a group name not used elsewhere (rule set "platform" has it))',
    ],
  ])('refuses rule sets %#', (ruleSets, message) => {
    expect(() => new MonitoringRules(testScope('test-lusaka-observability'), 'bad', { cluster, ruleSets })).toThrow(message);
  });

  test('refuses an alert that already has another site label', () => {
    const elsewhere = RuleGroup.define({ name: 'vault', rules: [sealed.withLabels({ site: 'kitwe' })] });
    expect(() => new MonitoringRules(testScope('test-lusaka-observability'), 'bad', { cluster, ruleSets: [{ name: 'platform', groups: [elsewhere] }] })).toThrow(
      'AlertRule VaultSealed: labels.site: "lusaka" is not allowed (allowed: the value the alert already has, "kitwe")',
    );
  });
});
