import { formatFinding } from '../policy';
import type { SiteStack } from './site-stack';

/**
 * The synth summary of the policy checks over every bound stack: one line of totals, then
 * every suppressed finding with its stack and reason, so exceptions stay visible in every
 * synth. Unsuppressed errors never get here: binding a stack throws on them.
 */
export function policySummary(stacks: readonly SiteStack[]): string {
  const reports = stacks.map((stack) => ({ stack: stack.node.id, report: stack.policyReport! }));
  const objects = reports.reduce((sum, { report }) => sum + report.objectCount, 0);
  const rules = new Set(reports.flatMap(({ report }) => report.rules.map((rule) => rule.id))).size;
  const open = reports.flatMap(({ stack, report }) => report.findings.filter((f) => f.suppressedBecause === undefined).map((finding) => ({ stack, finding })));
  const suppressed = reports.flatMap(({ stack, report }) => report.findings.filter((f) => f.suppressedBecause !== undefined).map((finding) => ({ stack, finding })));
  const warnings = open.filter(({ finding }) => finding.level === 'warning');
  const lines = [`policy: ${stacks.length} stacks, ${objects} objects, ${rules} rules: 0 errors, ${warnings.length} warnings, ${suppressed.length} suppressed (rules: policy/RULES.md)`];
  for (const { stack, finding } of warnings) lines.push(`  warning ${stack}: ${formatFinding(finding)}`);
  for (const { stack, finding } of suppressed) lines.push(`  suppressed ${stack}: ${formatFinding(finding)}`, `    reason: ${finding.suppressedBecause}`);
  // Exceptions for objects a Helm chart renders at deploy time: the helm template tests hold
  // the rendered objects to the pack with exactly these; listed here so they stay visible.
  const chartExceptions = stacks.flatMap((stack) =>
    stack.components.flatMap((component) =>
      component.helmReleases.flatMap((release) => (release.policySuppressions ?? []).map((suppression) => ({ stack: stack.node.id, release: `${release.namespace}/${release.name}`, suppression }))),
    ),
  );
  if (chartExceptions.length > 0) lines.push(`chart exceptions: ${chartExceptions.length} (objects rendered by Helm charts, held to the pack by the helm template tests)`);
  for (const { stack, release, suppression } of chartExceptions) {
    lines.push(`  exception ${stack}: ${suppression.ruleId} ${suppression.object} (release ${release})`, `    reason: ${suppression.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
