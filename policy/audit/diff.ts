import { isRecord, objectKey } from '../objects';
import { readableMinutes } from './facts';
import { secretValues } from './rules/no-secret-values';
import { compare, type EnvironmentPlan } from './plan';
import type { AuditReportData } from './report-data';

/** What changed in one environment between two versions (or between two environments), in sentences. */
export interface AuditDiff {
  /** `production`, or `staging -> production` when two environments are compared. */
  readonly environment: string;
  /** What the current version is compared with, e.g. `main` or `previous/`. */
  readonly against: string;
  /** Headings (`## ...`) and sentences (`- ...`), stack by stack. */
  readonly lines: readonly string[];
}

/** The plans behind the reports, when both sides have them: changed objects then say which fields changed. */
export interface PlanPair {
  readonly old: EnvironmentPlan;
  readonly current: EnvironmentPlan;
}

/** Pairs environments by name and describes each pair's changes; an environment on one side only is said so. */
export function diffAudits(before: readonly AuditReportData[], after: readonly AuditReportData[], against: string, plans?: (environment: string) => PlanPair | undefined): AuditDiff[] {
  const names = [...new Set([...before, ...after].map((data) => data.environment))].sort(compare);
  return names.map((name) => {
    const old = before.find((data) => data.environment === name);
    const current = after.find((data) => data.environment === name);
    if (!old) return { environment: name, against, lines: [`- Environment ${name} is new: it is not in ${against}.`] };
    if (!current) return { environment: name, against, lines: [`- Environment ${name} was removed: it is only in ${against}.`] };
    return { environment: name, against, lines: diffPair(old, current, plans?.(name)) };
  });
}

/** Describes the changes from `old` to `current`; stacks are matched by name without their environment prefix, so two environments compare too. */
export function diffPair(old: AuditReportData, current: AuditReportData, plans?: PlanPair): string[] {
  const lines: string[] = [];
  const say = (text: string) => lines.push(`- ${text}`);
  const minutes = (value: number | undefined) => (value === undefined ? 'unknown' : readableMinutes(value));

  lines.push('## Result and objectives');
  const before = lines.length;
  if (old.result !== current.result) say(`The audit result changes from ${old.result.toUpperCase()} to ${current.result.toUpperCase()}.`);
  if (old.tier !== current.tier) say(`The tier changes from ${old.tier} to ${current.tier}.`);
  if (old.objectives.recoveryPoint !== current.objectives.recoveryPoint) say(`The recovery point objective changes from ${old.objectives.recoveryPoint} to ${current.objectives.recoveryPoint}.`);
  if (old.objectives.recoveryTime !== current.objectives.recoveryTime) say(`The recovery time objective changes from ${old.objectives.recoveryTime} to ${current.objectives.recoveryTime}.`);
  const oldRecovery = old.recovery;
  const newRecovery = current.recovery;
  if (oldRecovery.primarySite !== newRecovery.primarySite) say(`The primary site changes from ${oldRecovery.primarySite ?? 'none'} to ${newRecovery.primarySite ?? 'none'}.`);
  if (oldRecovery.worstCaseDataLossMinutes !== newRecovery.worstCaseDataLossMinutes) say(`The computed worst-case data loss changes from ${minutes(oldRecovery.worstCaseDataLossMinutes)} to ${minutes(newRecovery.worstCaseDataLossMinutes)}.`);
  if (oldRecovery.estimatedRecoveryMinutes !== newRecovery.estimatedRecoveryMinutes) say(`The estimated recovery time changes from ${minutes(oldRecovery.estimatedRecoveryMinutes)} to ${minutes(newRecovery.estimatedRecoveryMinutes)}.`);
  const schedule = (entry: (typeof oldRecovery.schedules)[number]) => (entry.suspended ? 'suspended' : `${entry.schedule ?? 'no schedule'}`);
  const scheduleKey = (entry: (typeof oldRecovery.schedules)[number]) => `${entry.what} at ${entry.site}`;
  for (const entry of newRecovery.schedules) {
    const previous = oldRecovery.schedules.find((candidate) => scheduleKey(candidate) === scheduleKey(entry));
    if (!previous) say(`${scheduleKey(entry)} is new: ${schedule(entry)}.`);
    else if (schedule(previous) !== schedule(entry)) say(`${scheduleKey(entry)} changes from ${schedule(previous)} to ${schedule(entry)}.`);
  }
  for (const entry of oldRecovery.schedules) if (!newRecovery.schedules.some((candidate) => scheduleKey(candidate) === scheduleKey(entry))) say(`${scheduleKey(entry)} is removed (was ${schedule(entry)}).`);
  if (lines.length === before) say('No change.');

  const strip = (environment: string, stack: string) => (stack.startsWith(`${environment}-`) ? stack.slice(environment.length + 1) : stack);
  // Findings about the environment as a whole (a bucket, an alert, the runbook) name no stack: they come first.
  const stacks = ['', ...new Set([...old.stacks.map((stack) => strip(old.environment, stack.name)), ...current.stacks.map((stack) => strip(current.environment, stack.name))])].sort(compare);
  const findingKey = (finding: AuditReportData['findings'][number]) => `${finding.ruleId} ${finding.label} ${finding.path}`;
  for (const name of stacks) {
    const oldStack = old.stacks.find((stack) => strip(old.environment, stack.name) === name);
    const newStack = current.stacks.find((stack) => strip(current.environment, stack.name) === name);
    const stackLines: string[] = [];
    const note = (text: string) => stackLines.push(`- ${text}`);
    if (name === '') {
      // No objects of its own: only findings.
    } else if (!oldStack) note('New stack.');
    else if (!newStack) note('Stack removed.');
    else {
      for (const key of Object.keys(newStack.items).sort(compare)) {
        if (!(key in oldStack.items)) note(`Adds ${describe(key)}.`);
        else if (oldStack.items[key] !== newStack.items[key]) {
          const fields = plans ? changedFields(itemValue(plans.old, oldStack.name, key), itemValue(plans.current, newStack.name, key)) : [];
          note(`Changes ${describe(key)}${fields.length > 0 ? `: ${fields.join('; ')}` : ''}.`);
        }
      }
      for (const key of Object.keys(oldStack.items).sort(compare)) if (!(key in newStack.items)) note(`Removes ${describe(key)}.`);
    }
    const oldFindings = old.findings.filter((finding) => strip(old.environment, finding.stack) === name);
    const newFindings = current.findings.filter((finding) => strip(current.environment, finding.stack) === name);
    for (const finding of newFindings) {
      const previous = oldFindings.find((candidate) => findingKey(candidate) === findingKey(finding));
      if (!previous) note(`New ${finding.status === 'open' ? finding.level : 'suppressed finding'} ${finding.ruleId} (${finding.title}) on ${finding.label}: ${finding.path} is ${finding.value}; allowed: ${finding.allowed}.`);
      else if (previous.status !== finding.status) note(`${finding.ruleId} on ${finding.label} is now ${finding.status}${finding.reason ? ` (reason: ${finding.reason})` : ''}.`);
    }
    for (const finding of oldFindings) if (!newFindings.some((candidate) => findingKey(candidate) === findingKey(finding))) note(`Resolved: ${finding.ruleId} (${finding.title}) on ${finding.label} (${finding.path}).`);
    if (stackLines.length > 0) lines.push(name === '' ? '## The environment as a whole' : `## Stack ${name}`, ...stackLines);
  }

  lines.push('## Inventory');
  const inventoryStart = lines.length;
  const setDiff = (what: string, oldItems: readonly string[], newItems: readonly string[]) => {
    for (const item of newItems) if (!oldItems.includes(item)) say(`${what} added: ${item}.`);
    for (const item of oldItems) if (!newItems.includes(item)) say(`${what} removed: ${item}.`);
  };
  setDiff('Image', old.inventory.images.map((image) => image.image), current.inventory.images.map((image) => image.image));
  setDiff('Volume', old.inventory.volumes.map((volume) => `${volume.site} ${volume.owner} ${volume.claim} ${volume.size} x ${volume.copies}`), current.inventory.volumes.map((volume) => `${volume.site} ${volume.owner} ${volume.claim} ${volume.size} x ${volume.copies}`));
  setDiff('Bucket', old.inventory.buckets.map((bucket) => `${bucket.site} ${bucket.bucket} (lock ${bucket.objectLock}, ${bucket.replicatedTo ? `replicated to ${bucket.replicatedTo}` : 'not replicated'})`), current.inventory.buckets.map((bucket) => `${bucket.site} ${bucket.bucket} (lock ${bucket.objectLock}, ${bucket.replicatedTo ? `replicated to ${bucket.replicatedTo}` : 'not replicated'})`));
  setDiff('Exposed endpoint', old.inventory.endpoints.map((endpoint) => `${endpoint.site} ${endpoint.kind} ${endpoint.name} ${endpoint.address}`), current.inventory.endpoints.map((endpoint) => `${endpoint.site} ${endpoint.kind} ${endpoint.name} ${endpoint.address}`));
  setDiff('Vault grant', old.inventory.vaultPaths.map((row) => `${row.site} ${row.path} [${row.capabilities.join(', ')}] to ${row.readers.join('; ')}`), current.inventory.vaultPaths.map((row) => `${row.site} ${row.path} [${row.capabilities.join(', ')}] to ${row.readers.join('; ')}`));
  setDiff('Suppression', old.suppressions.map((suppression) => `${suppression.ruleId} ${suppression.object}`), current.suppressions.map((suppression) => `${suppression.ruleId} ${suppression.object}`));
  if (lines.length === inventoryStart) say('No change.');
  return lines;
}

/** `CronJob lms-data/sql-server-backup-log` from a `Kind/namespace/name` key. */
function describe(key: string): string {
  const [kind, namespace, ...name] = key.split('/');
  return `${kind} ${namespace ? `${namespace}/` : ''}${name.join('/')}`;
}

/** diff.md for one environment. */
export function diffMarkdown(diff: AuditDiff): string {
  return `# Changes in ${diff.environment} against ${diff.against}\n\n${diff.lines.map((line) => (line.startsWith('## ') ? `\n${line}\n` : line)).join('\n')}\n`;
}

/** The content of one item of a stack, as report.json digests it: an object, a release, the backend, a Vault policy or role. */
export function itemValue(plan: EnvironmentPlan, stackName: string, key: string): unknown {
  const stack = plan.stacks.find((candidate) => candidate.name === stackName);
  if (!stack) return undefined;
  const object = stack.objects.find(({ ref }) => objectKey(ref) === key);
  if (object) return object.object;
  const release = stack.releases.find(({ ref }) => objectKey(ref) === key);
  if (release) return { chart: release.chart, repository: release.repository, version: release.version, values: release.values };
  if (stack.backend && objectKey(stack.backend.ref) === key) return stack.backend.config;
  const policy = stack.vaultPolicies.find(({ ref }) => objectKey(ref) === key);
  if (policy) return policy.paths;
  return stack.vaultRoles.find(({ ref }) => objectKey(ref) === key);
}

/**
 * The fields that differ between two values, as `path: "old" -> "new"` (a missing side as
 * `(none)`), values shortened, at most `limit` of them and then how many more.
 */
export function changedFields(before: unknown, after: unknown, limit = 4): string[] {
  const changes: string[] = [];
  const show = (value: unknown) => {
    if (value === undefined) return '(none)';
    // A diff never repeats a secret value a plan wrongly held (LMS-SEC-001 reports it).
    if (secretValues({ value }, '').length > 0) return '<redacted: holds a secret value>';
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  };
  const walk = (a: unknown, b: unknown, path: string) => {
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    if (isRecord(a) && isRecord(b)) {
      for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compare)) walk(a[key], b[key], path ? `${path}.${key}` : key);
    } else if (Array.isArray(a) && Array.isArray(b) && named(a) && named(b)) {
      // Containers, env variables, ports: matched by name, so an added one is one change.
      const names = [...new Set([...a, ...b].map((entry) => (entry as { name: string }).name))];
      for (const name of names) walk(a.find((entry) => (entry as { name: string }).name === name), b.find((entry) => (entry as { name: string }).name === name), `${path}[name=${name}]`);
    } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      a.forEach((entry, index) => walk(entry, b[index], `${path}[${index}]`));
    } else {
      changes.push(`${path || '(whole)'}: ${show(a)} -> ${show(b)}`);
    }
  };
  const named = (list: readonly unknown[]) => list.every((entry) => isRecord(entry) && typeof entry.name === 'string') && new Set(list.map((entry) => (entry as { name: string }).name)).size === list.length;
  walk(before, after, '');
  return changes.length > limit ? [...changes.slice(0, limit), `and ${changes.length - limit} more`] : changes;
}
