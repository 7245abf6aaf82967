import { PlatformError, formatValue } from '../constructs/platform-error';
import { objectKey, objectLabel, objectRef } from './objects';
import { RESTRICTED_WORKLOADS } from './packs/restricted-workloads';
import type { KubeObject, ObjectRef, PolicyContext, PolicyLevel, PolicyPack, PolicySuppression, Violation } from './types';

/** The packs every stack is checked against. */
export const POLICY_PACKS: readonly PolicyPack[] = [RESTRICTED_WORKLOADS];

/** One place an object breaks a rule. */
export interface PolicyFinding extends Violation {
  readonly ruleId: string;
  readonly level: PolicyLevel;
  readonly title: string;
  readonly object: ObjectRef;
  /** The suppression's reason, when one covers this finding; the finding then neither fails nor warns. */
  readonly suppressedBecause?: string;
}

/** How one rule judged a stack's objects. */
export interface RuleSummary {
  readonly id: string;
  readonly level: PolicyLevel;
  readonly title: string;
  /** Objects that meet the rule. */
  readonly compliant: number;
  /** Findings no suppression covers. */
  readonly nonCompliant: number;
  /** Findings a suppression covers. */
  readonly suppressed: number;
  /** Objects the rule does not judge. */
  readonly notApplicable: number;
}

export interface PolicyReport {
  /** How many objects were checked. */
  readonly objectCount: number;
  /** Every rule run, in pack order. */
  readonly rules: readonly RuleSummary[];
  /** Every finding, suppressed ones included, in rule order and then object order. */
  readonly findings: readonly PolicyFinding[];
}

/**
 * Runs every rule of `packs` over the objects of one stack and applies the suppressions.
 * Pure: the same objects, context and suppressions give the same report.
 *
 * @throws PlatformError listing every bad suppression: an empty reason, an unknown rule id,
 *   an object the stack does not have, one that has no finding of that rule, or a duplicate.
 */
export function checkPolicies(
  objects: readonly KubeObject[],
  context: PolicyContext,
  suppressions: readonly PolicySuppression[] = [],
  packs: readonly PolicyPack[] = POLICY_PACKS,
): PolicyReport {
  return evaluatePacks(objects, context, packs, suppressions, new Set(objects.map((object) => objectKey(objectRef(object)))));
}

/**
 * The engine behind `checkPolicies` and the audit: runs every rule of `packs` over `input`
 * (one stack's objects, or a whole environment's synthesized plan) and applies the
 * suppressions, which may name only objects in `subjects` (their `Kind/namespace/name` keys).
 * `objectCount` is the number of subjects. Pure.
 *
 * @throws PlatformError listing every bad suppression, as `checkPolicies` does.
 */
export function evaluatePacks<Input, Context>(
  input: Input,
  context: Context,
  packs: readonly PolicyPack<Input, Context>[],
  suppressions: readonly PolicySuppression[],
  subjects: ReadonlySet<string>,
): PolicyReport {
  const rules = packs.flatMap((pack) => pack.rules);
  const duplicateIds = rules.map((rule) => rule.id).filter((id, index, ids) => ids.indexOf(id) !== index);
  if (duplicateIds.length > 0) throw new PlatformError(`policy packs: rule id ${formatValue(duplicateIds[0])} is used twice (allowed: each rule id once across ${packs.map((pack) => pack.name).join(', ')})`);

  const problems = suppressionProblems(subjects, rules.map((rule) => rule.id), suppressions);
  const byRuleAndObject = new Map<string, PolicySuppression>();
  for (const suppression of suppressions) {
    const key = `${suppression.ruleId} ${suppression.object}`;
    if (!problems.has(suppression) && !byRuleAndObject.has(key)) byRuleAndObject.set(key, suppression);
  }
  const used = new Set<PolicySuppression>();
  const summaries: RuleSummary[] = [];
  const findings: PolicyFinding[] = [];
  for (const rule of rules) {
    const counts = { compliant: 0, nonCompliant: 0, suppressed: 0, notApplicable: 0 };
    for (const result of rule.check(input, context)) {
      if (result.status === 'compliant') counts.compliant += 1;
      else if (result.status === 'not-applicable') counts.notApplicable += 1;
      else {
        const suppression = byRuleAndObject.get(`${rule.id} ${objectKey(result.object)}`);
        if (suppression) used.add(suppression);
        counts[suppression ? 'suppressed' : 'nonCompliant'] += 1;
        const { path, value, allowed, object } = result;
        findings.push({ ruleId: rule.id, level: rule.level, title: rule.title, object, path, value, allowed, ...(suppression ? { suppressedBecause: suppression.reason } : {}) });
      }
    }
    summaries.push({ id: rule.id, level: rule.level, title: rule.title, ...counts });
  }
  for (const suppression of suppressions) {
    if (problems.has(suppression) || used.has(suppression)) continue;
    problems.set(suppression, `object: ${formatValue(suppression.object)} has no ${suppression.ruleId} finding to suppress (allowed: an object that breaks the rule; remove a suppression once its object complies)`);
  }
  if (problems.size > 0) {
    const lines = suppressions.filter((s) => problems.has(s)).map((s) => `policy suppression ${s.ruleId} ${s.object}: ${problems.get(s)}`);
    throw new PlatformError(`invalid policy suppressions (${lines.length} problem${lines.length === 1 ? '' : 's'}):\n${lines.map((line) => `  ${line}`).join('\n')}`);
  }
  return { objectCount: subjects.size, rules: summaries, findings };
}

/** Problems a suppression has on its own, before any rule runs: at most one each. */
function suppressionProblems(subjects: ReadonlySet<string>, ruleIds: readonly string[], suppressions: readonly PolicySuppression[]): Map<PolicySuppression, string> {
  const seen = new Set<string>();
  const problems = new Map<PolicySuppression, string>();
  for (const suppression of suppressions) {
    const key = `${suppression.ruleId} ${suppression.object}`;
    if (typeof suppression.reason !== 'string' || suppression.reason.trim() === '') {
      problems.set(suppression, `reason: ${formatValue(suppression.reason)} is not allowed (allowed: a non-empty reason why the finding is accepted)`);
    } else if (!ruleIds.includes(suppression.ruleId)) {
      problems.set(suppression, `ruleId: ${formatValue(suppression.ruleId)} is not a policy rule (allowed: ${ruleIds.join(', ')})`);
    } else if (!subjects.has(suppression.object)) {
      problems.set(suppression, `object: ${formatValue(suppression.object)} is not an object of this stack (allowed: Kind/namespace/name of one of its objects, the namespace empty for cluster-scoped objects)`);
    } else if (seen.has(key)) {
      problems.set(suppression, 'is listed twice (allowed: one suppression per rule and object)');
    }
    seen.add(key);
  }
  return problems;
}

/** `LMS-K8S-001 <title>: Deployment lms-apps/loan-service: <path>: <value> (allowed: ...)`. */
export function formatFinding(finding: PolicyFinding): string {
  return `${finding.ruleId} ${finding.title}: ${objectLabel(finding.object)}: ${finding.path}: ${formatValue(finding.value)} (allowed: ${finding.allowed})`;
}

/**
 * The report as text, the same for the same report: one line of counts per rule, then the
 * unsuppressed errors and warnings, then the suppressed findings with their reasons.
 */
export function formatReport(report: PolicyReport): string {
  const open = report.findings.filter((finding) => finding.suppressedBecause === undefined);
  const errors = open.filter((finding) => finding.level === 'error');
  const warnings = open.filter((finding) => finding.level === 'warning');
  const suppressed = report.findings.filter((finding) => finding.suppressedBecause !== undefined);
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const lines = [
    `policy: ${plural(report.objectCount, 'object')}, ${plural(report.rules.length, 'rule')}: ${plural(errors.length, 'error')}, ${plural(warnings.length, 'warning')}, ${suppressed.length} suppressed`,
    ...report.rules.map(
      (rule) =>
        `  ${rule.id} ${rule.level.padEnd(7)} compliant ${rule.compliant}, non-compliant ${rule.nonCompliant}, suppressed ${rule.suppressed}, not applicable ${rule.notApplicable}: ${rule.title}`,
    ),
  ];
  for (const [heading, list] of [['errors', errors], ['warnings', warnings]] as const) {
    if (list.length > 0) lines.push(`${heading}:`, ...list.map((finding) => `  ${formatFinding(finding)}`));
  }
  if (suppressed.length > 0) lines.push('suppressed:', ...suppressed.flatMap((finding) => [`  ${formatFinding(finding)}`, `    reason: ${finding.suppressedBecause}`]));
  return `${lines.join('\n')}\n`;
}

/**
 * Throws when the report has an unsuppressed error: one line per error, each naming the
 * stack, the rule, the object, the field, the value found and what is allowed.
 */
export function assertNoPolicyErrors(stackName: string, report: PolicyReport): void {
  const errors = report.findings.filter((finding) => finding.level === 'error' && finding.suppressedBecause === undefined);
  if (errors.length === 0) return;
  const lines = errors.map((finding) => `  ${stackName}: ${formatFinding(finding)}`);
  throw new PlatformError(
    `policy check failed (${errors.length} error${errors.length === 1 ? '' : 's'}; fix each, or suppress it with a reason; rules: policy/RULES.md):\n${lines.join('\n')}`,
  );
}
