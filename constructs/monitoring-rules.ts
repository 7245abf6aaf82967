import { App as Cdk8sApp } from 'cdk8s';
import type { Construct } from 'constructs';
import { PrometheusRuleChart } from '../charts-ts/prometheus-rule-chart';
import { promtoolTests, ruleFile, type AlertRule, type PromtoolTestFile, type RuleFile, type RuleGroup } from './alert-rule';
import { PlatformComponent, type KubeObject } from './platform-component';
import { PlatformError } from './platform-error';
import type { NamespaceRole } from './namespaces';
import { isDnsLabel } from './tls-certificate';

/** The label a site's Prometheus selects PrometheusRules by (`ruleSelector`). */
export const RULES_SELECTOR_LABELS: Readonly<Record<string, string>> = { 'lms.co.zm/rules': 'true' };

/** A set of rule groups rendered as one PrometheusRule: `platform`, `loan-service-slo`. */
export interface RuleSet {
  /** The PrometheusRule's name, a DNS label. */
  readonly name: string;
  readonly groups: readonly RuleGroup[];
}

/** What the rules need of the site: `SiteCluster` has it. */
export interface MonitoringRulesSite {
  readonly siteName: string;
  readonly namespaces: Readonly<Record<NamespaceRole, string>>;
  /** Labels every object of the site carries. */
  readonly labels: Readonly<Record<string, string>>;
}

export interface MonitoringRulesProps {
  /** The site (`SiteCluster`): the rules go to its observability namespace, every alert gets its `site` label. */
  readonly cluster: MonitoringRulesSite;
  /** One PrometheusRule per set; group names are unique across all sets. */
  readonly ruleSets: readonly RuleSet[];
}

/**
 * A site's alerting and recording rules as PrometheusRules in its observability namespace,
 * labelled so its Prometheus selects them (`lms.co.zm/rules: "true"`). Every alert carries
 * the site's name as its `site` label, which Alertmanager groups by and inhibits on.
 * `ruleFile` is every set in one Prometheus rule file (what `promtool check rules` reads),
 * `alerts` every alert (for the documentation).
 */
export class MonitoringRules extends PlatformComponent {
  public readonly namespace: string;
  public readonly siteName: string;
  /** The sets as rendered, each alert labelled with the site. */
  public readonly ruleSets: readonly RuleSet[];
  /** Every group of every set in one rule file. */
  public readonly ruleFile: RuleFile;
  public readonly alerts: readonly AlertRule[];
  public readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: MonitoringRulesProps) {
    super(scope, id);
    const where = `MonitoringRules ${this.node.path}`;
    this.namespace = props.cluster.namespaces.observability;
    this.siteName = props.cluster.siteName;
    if (!Array.isArray(props.ruleSets) || props.ruleSets.length === 0) {
      throw PlatformError.invalidProp(where, 'ruleSets', props.ruleSets, 'at least one set of rule groups');
    }
    const names = new Set<string>();
    for (const set of props.ruleSets) {
      if (!isDnsLabel(set.name) || names.has(set.name)) {
        throw PlatformError.invalidProp(where, 'ruleSets', set.name, 'distinct names, each a DNS label (lower-case letters, digits and "-"), e.g. "platform"');
      }
      names.add(set.name);
      if (!Array.isArray(set.groups) || set.groups.length === 0) {
        throw PlatformError.invalidProp(where, `ruleSets ${set.name}: groups`, set.groups, 'at least one RuleGroup');
      }
    }
    this.ruleSets = props.ruleSets.map((set) => ({ name: set.name, groups: set.groups.map((group: RuleGroup) => group.withAlertLabels({ site: this.siteName })) }));
    const groups = this.ruleSets.flatMap((set) => set.groups);
    const seen = new Map<string, string>();
    for (const set of this.ruleSets) {
      for (const group of set.groups) {
        const other = seen.get(group.name);
        if (other !== undefined) {
          throw PlatformError.invalidProp(where, `ruleSets ${set.name}: groups`, group.name, `a group name not used elsewhere (rule set "${other}" has it)`);
        }
        seen.set(group.name, set.name);
      }
    }
    this.ruleFile = ruleFile(groups);
    this.alerts = groups.flatMap((group) => group.alerts);
    const chart = new PrometheusRuleChart(new Cdk8sApp(), 'monitoring-rules', {
      namespace: this.namespace,
      labels: { ...props.cluster.labels, ...RULES_SELECTOR_LABELS },
      ruleFiles: this.ruleSets.map((set) => ({ name: set.name, content: ruleFile(set.groups) })),
    });
    this.objects = chart.toJson() as KubeObject[];
  }

  /** The promtool unit tests of every alert, reading `ruleFileName` (this component's `ruleFile`, written beside the test file). */
  public promtoolTests(ruleFileName: string): PromtoolTestFile {
    return promtoolTests(
      this.ruleSets.flatMap((set) => set.groups),
      [ruleFileName],
    );
  }
}
