import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from './imports/prometheusrule-monitoring.coreos.com';

/** One rule of a rule file: an alert (`alert`, `for`, `annotations`) or a recording rule (`record`). */
export interface PrometheusRuleContent {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A Prometheus rule file: the `spec` of a PrometheusRule. */
export interface PrometheusRuleFileContent {
  readonly groups: readonly { readonly name: string; readonly interval?: string; readonly rules: readonly PrometheusRuleContent[] }[];
}

export interface PrometheusRuleChartProps {
  /** Where the PrometheusRules go: the site's observability namespace. */
  readonly namespace: string;
  /** Labels on every PrometheusRule, including those the site's Prometheus selects rules by. */
  readonly labels: Readonly<Record<string, string>>;
  /** One PrometheusRule per entry, named `name`. */
  readonly ruleFiles: readonly { readonly name: string; readonly content: PrometheusRuleFileContent }[];
}

/** PrometheusRule objects (prometheus-operator): one rule file each. */
export class PrometheusRuleChart extends Chart {
  constructor(scope: Construct, id: string, props: PrometheusRuleChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true, labels: { ...props.labels } });
    for (const file of props.ruleFiles) {
      new PrometheusRule(this, file.name, {
        metadata: { name: file.name },
        spec: {
          groups: file.content.groups.map((group) => ({
            name: group.name,
            interval: group.interval,
            rules: group.rules.map((rule) => ({
              alert: rule.alert,
              record: rule.record,
              expr: PrometheusRuleSpecGroupsRulesExpr.fromString(rule.expr),
              for: rule.for,
              labels: rule.labels === undefined ? undefined : { ...rule.labels },
              annotations: rule.annotations === undefined ? undefined : { ...rule.annotations },
            })),
          })),
        },
      });
    }
  }
}
