import { evaluatePacks, type PolicyReport } from '../engine';
import { objectKey } from '../objects';
import type { PolicySuppression, RuleResult } from '../types';
import type { AuditContext } from './facts';
import { buildInventory, type Inventory } from './inventory';
import { BUSINESS_CONTINUITY_PACK } from './packs/business-continuity';
import { DATA_SOVEREIGNTY_PACK } from './packs/data-sovereignty';
import { OBSERVABILITY_PACK } from './packs/observability';
import { RESTRICTED_WORKLOADS_OVER_PLAN } from './packs/restricted-workloads-over-plan';
import { SECURITY_PACK } from './packs/security';
import type { EnvironmentPlan } from './plan';
import { recoveryEvidence, type RecoveryEvidence } from './recovery-evidence';
import type { AuditPack } from './types';

/** The auditors' packs, in report order: policy/RULES.md lists them after the synth's pack. */
export const AUDIT_PACKS: readonly AuditPack[] = [DATA_SOVEREIGNTY_PACK, SECURITY_PACK, BUSINESS_CONTINUITY_PACK, OBSERVABILITY_PACK];

/** What `npm run audit` runs: the auditors' packs, then the synth's restricted-workloads pack over the plan. */
export const AUDIT_RUN_PACKS: readonly AuditPack[] = [...AUDIT_PACKS, RESTRICTED_WORKLOADS_OVER_PLAN];

/** An accepted audit finding: one rule on one object, in every stack of the listed environments that has it. */
export interface AuditSuppression extends PolicySuppression {
  /** Environments it applies to. @default - every environment */
  readonly environments?: readonly string[];
}

/** One environment's audit: the report, the evidence and the inventory. */
export interface EnvironmentAudit {
  readonly environment: string;
  readonly context: AuditContext;
  readonly report: PolicyReport;
  /** Pack names, titles and their rules' ids, in run order. */
  readonly packs: readonly { readonly name: string; readonly title: string; readonly ruleIds: readonly string[] }[];
  readonly suppressions: readonly AuditSuppression[];
  readonly evidence: RecoveryEvidence;
  readonly inventory: Inventory;
}

/**
 * Audits one environment's plan: every pack, the suppressions that apply to it, the
 * recovery evidence and the inventory. Pure.
 *
 * @throws PlatformError listing every bad suppression (as the synth's engine does).
 */
export function auditEnvironment(plan: EnvironmentPlan, context: AuditContext, suppressions: readonly AuditSuppression[] = [], packs: readonly AuditPack[] = AUDIT_RUN_PACKS): EnvironmentAudit {
  // Each rule runs once: its results name the subjects suppressions may name.
  const results = new Map<string, readonly RuleResult[]>();
  for (const rule of packs.flatMap((pack) => pack.rules)) results.set(rule.id, rule.check(plan, context));
  const subjects = new Set([...results.values()].flatMap((list) => list.map((result) => objectKey(result.object))));
  const cached = packs.map((pack) => ({ ...pack, rules: pack.rules.map((rule) => ({ ...rule, check: () => results.get(rule.id)! })) }));
  const applicable = suppressions.filter((suppression) => suppression.environments === undefined || suppression.environments.includes(plan.name));
  const report = evaluatePacks(plan, context, cached, applicable, subjects);
  return {
    environment: plan.name,
    context,
    report,
    packs: packs.map((pack) => ({ name: pack.name, title: pack.title, ruleIds: pack.rules.map((rule) => rule.id) })),
    suppressions: applicable,
    evidence: recoveryEvidence(plan),
    inventory: buildInventory(plan, context),
  };
}

/** Unsuppressed error findings: any one fails `npm run audit`. */
export function auditErrors(audit: EnvironmentAudit): PolicyReport['findings'] {
  return audit.report.findings.filter((finding) => finding.level === 'error' && finding.suppressedBecause === undefined);
}
