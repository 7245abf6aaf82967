import { createHash } from 'crypto';
import { objectKey, objectLabel } from '../objects';
import { auditErrors, type EnvironmentAudit } from './audit';
import { readableMinutes } from './facts';
import { compare, type EnvironmentPlan } from './plan';

/**
 * An environment's audit as plain data: what report.json holds, and what the Markdown,
 * HTML and CSV reports and `--diff` are made from. Sorted and free of timestamps and
 * absolute paths, so the same plan gives the same bytes.
 */
export interface AuditReportData {
  readonly environment: string;
  readonly tier: string;
  readonly result: 'pass' | 'fail';
  readonly objectives: { readonly recoveryPoint: string; readonly recoveryTime: string };
  readonly packs: readonly {
    readonly name: string;
    readonly title: string;
    readonly rules: readonly { readonly id: string; readonly level: string; readonly title: string; readonly compliant: number; readonly nonCompliant: number; readonly suppressed: number; readonly notApplicable: number }[];
  }[];
  readonly findings: readonly AuditFindingRow[];
  readonly suppressions: readonly { readonly ruleId: string; readonly object: string; readonly environments: string; readonly reason: string }[];
  readonly recovery: EnvironmentAudit['evidence'];
  readonly inventory: EnvironmentAudit['inventory'];
  /** Every stack's objects and releases with a digest of their content: what `--diff` compares. */
  readonly stacks: readonly { readonly name: string; readonly items: Readonly<Record<string, string>> }[];
}

export interface AuditFindingRow {
  readonly ruleId: string;
  readonly level: string;
  readonly title: string;
  readonly status: 'open' | 'suppressed';
  readonly stack: string;
  /** `Kind/namespace/name`. */
  readonly object: string;
  /** How reports name it: `Kind namespace/name`. */
  readonly label: string;
  readonly path: string;
  readonly value: string;
  readonly allowed: string;
  readonly reason: string;
}

export function auditReportData(audit: EnvironmentAudit, plan: EnvironmentPlan): AuditReportData {
  const rules = new Map(audit.report.rules.map((rule) => [rule.id, rule]));
  return {
    environment: audit.environment,
    tier: audit.context.tier,
    result: auditErrors(audit).length > 0 ? 'fail' : 'pass',
    objectives: { recoveryPoint: readableMinutes(audit.context.recoveryPointMinutes), recoveryTime: readableMinutes(audit.context.recoveryTimeMinutes) },
    packs: audit.packs.map((pack) => ({ name: pack.name, title: pack.title, rules: pack.ruleIds.map((id) => ({ ...rules.get(id)! })) })),
    findings: audit.report.findings.map((finding) => ({
      ruleId: finding.ruleId,
      level: finding.level,
      title: finding.title,
      status: finding.suppressedBecause === undefined ? 'open' : 'suppressed',
      stack: finding.object.stack ?? '',
      object: objectKey(finding.object),
      label: objectLabel({ ...finding.object, stack: undefined }),
      path: finding.path,
      value: finding.value === undefined ? '(missing)' : typeof finding.value === 'string' ? finding.value : JSON.stringify(finding.value),
      allowed: finding.allowed,
      reason: finding.suppressedBecause ?? '',
    })),
    suppressions: audit.suppressions.map((suppression) => ({ ruleId: suppression.ruleId, object: suppression.object, environments: suppression.environments?.join(', ') ?? 'all', reason: suppression.reason })),
    recovery: audit.evidence,
    inventory: audit.inventory,
    stacks: plan.stacks.map((stack) => ({
      name: stack.name,
      items: Object.fromEntries(
        [
          ...stack.objects.map(({ object, ref }) => [objectKey(ref), digest(object)] as const),
          ...stack.releases.map((release) => [objectKey(release.ref), digest({ chart: release.chart, repository: release.repository, version: release.version, values: release.values })] as const),
          ...(stack.backend ? [[objectKey(stack.backend.ref), digest(stack.backend.config)] as const] : []),
          ...stack.vaultPolicies.map((policy) => [objectKey(policy.ref), digest(policy.paths)] as const),
          ...stack.vaultRoles.map((role) => [objectKey(role.ref), digest(role)] as const),
        ].sort(([a], [b]) => compare(a, b)),
      ),
    })),
  };
}

/** A short digest of a value's JSON with sorted keys. */
function digest(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 16);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort(compare)
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** findings.csv: one row per finding, suppressed ones with their reason (RFC 4180 quoting). */
export function findingsCsv(data: AuditReportData): string {
  const header = ['environment', 'rule', 'level', 'status', 'stack', 'object', 'path', 'value', 'allowed', 'reason'];
  const rows = data.findings.map((finding) => [data.environment, finding.ruleId, finding.level, finding.status, finding.stack, finding.object, finding.path, finding.value, finding.allowed, finding.reason]);
  const cell = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return [header, ...rows].map((row) => `${row.map(cell).join(',')}\r\n`).join('');
}
