import * as fs from 'fs';
import * as path from 'path';
import { PlatformError, formatValue } from '../constructs/platform-error';
import { VERSIONS } from '../constructs/versions';
import { DATA_SOVEREIGNTY, type Environment } from '../environments/schema';
import { auditEnvironment } from '../policy/audit/audit';
import { architectureDiagram } from '../policy/audit/diagram';
import { auditReportData, type AuditReportData } from '../policy/audit/report-data';
import type { AuditContext } from '../policy/audit/facts';
import { parsePlan, type EnvironmentPlan } from '../policy/audit/plan';
import { readPlanFiles } from './audit-read';
import { AUDIT_SUPPRESSIONS } from '../policy/audit/suppressions';
import { auditSummary, writeAuditReports, type AuditResult } from './audit-output';
import { diffAudits, diffPair, type AuditDiff } from '../policy/audit/diff';
import { previousReports } from './audit-previous';
import { loadEnvironments } from '../environments/load';
import { PROJECT_ROOT, runEntry, selectedEnvironments } from './entry';

/**
 * Entry point of `npm run audit`: reads the synthesized plan (`cdktf.out/`, or `--plan
 * <folder>`), audits every environment in it against the auditors' packs and writes, per
 * environment, `audit-out/<environment>/` (or `--out <folder>`): report.md, report.html,
 * report.json and findings.csv. Exits 1 when any environment has an unsuppressed error (the
 * reports are still written: they say what to fix). Targets (recovery point and time, tier)
 * come from the environment files (LMS_ENVIRONMENTS_DIR as for the synth); LMS_ENVIRONMENTS
 * limits which environments of the plan are audited.
 *
 * `--diff <folder or git ref>` compares with another version: a folder holding a synthesized
 * plan (its `stacks/`) or an earlier audit's JSON (`<environment>/report.json`), or a git ref
 * whose tree is synthesized in a temporary worktree; prints the differences per environment
 * and stack and writes them to `<out>/<environment>/diff.md`. `--compare <a>,<b>` describes
 * what differs from environment a to b the same way, into `<out>/compare-<a>-<b>.md`.
 */
runEntry('audit', () => {
  const options = parseArguments(process.argv.slice(2));
  const planDir = path.resolve(options.plan ?? path.join(PROJECT_ROOT, 'cdktf.out'));
  const outdir = path.resolve(options.out ?? path.join(PROJECT_ROOT, 'audit-out'));
  const environments = loadEnvironments(process.env.LMS_ENVIRONMENTS_DIR ?? path.join(PROJECT_ROOT, 'environments'));
  const only = process.env.LMS_ENVIRONMENTS === undefined ? undefined : selectedEnvironments().map((environment) => environment.name);
  const results = auditFolder(planDir, environments).filter((result) => only === undefined || only.includes(result.data.environment));
  const previous = options.diff === undefined ? undefined : previousReports(options.diff, environments, auditFolder);
  const planPair = (environment: string) => {
    const old = previous?.plans?.find((candidate) => candidate.name === environment);
    const current = results.find((result) => result.data.environment === environment)?.plan;
    return old && current ? { old, current } : undefined;
  };
  const diffs = previous === undefined ? undefined : diffAudits(previous.reports, results.map((result) => result.data), previous.label, planPair);
  const comparison = options.compare === undefined ? undefined : compareEnvironments(options.compare, results);
  writeAuditReports(outdir, results, diffs, comparison);
  process.stdout.write(auditSummary(results, path.relative(process.cwd(), outdir) || '.', diffs ?? (comparison ? [comparison] : undefined)));
  if (results.some((result) => result.data.result === 'fail')) process.exitCode = 1;
});

interface AuditOptions {
  readonly plan?: string;
  readonly out?: string;
  readonly diff?: string;
  readonly compare?: string;
}

/** `--compare staging,production`: what differs from the first environment to the second, stack by stack. */
function compareEnvironments(pair: string, results: readonly AuditResult[]): AuditDiff {
  const names = pair.split(',').map((name) => name.trim());
  const available = results.map((result) => result.data.environment);
  const [first, second] = names.map((name) => results.find((result) => result.data.environment === name));
  if (names.length !== 2 || !first || !second) throw new PlatformError(`audit: --compare ${formatValue(pair)} is not two environments of the plan (allowed: <environment>,<environment> from ${available.join(', ')})`);
  return { environment: `${names[0]} -> ${names[1]}`, against: names[0]!, lines: diffPair(first.data, second.data, { old: first.plan, current: second.plan }) };
}

function parseArguments(args: readonly string[]): AuditOptions {
  const options: Record<string, string> = {};
  for (let index = 0; index < args.length; index += 1) {
    const name = args[index]!;
    if (!['--plan', '--out', '--diff', '--compare'].includes(name)) throw new PlatformError(`audit: argument ${formatValue(name)} is not an option (allowed: --plan <folder>, --out <folder>, --diff <folder or git ref>, --compare <environment>,<environment>)`);
    const value = args[index + 1];
    if (value === undefined || value.startsWith('--')) throw new PlatformError(`audit: ${name} needs a value (allowed: ${name} <${name === '--diff' ? 'folder or git ref' : name === '--compare' ? 'environment>,<environment' : 'folder'}>)`);
    options[name.slice(2)] = value;
    index += 1;
  }
  return options;
}

/** Audits the plan in `planDir` with the targets of `environments`. */
export function auditFolder(planDir: string, environments: readonly Environment[]): AuditResult[] {
  if (!fs.existsSync(path.join(planDir, 'stacks'))) {
    throw new PlatformError(`audit: ${planDir} holds no synthesized plan (no stacks/ folder) (allowed: the output of \`npm run synth\`; run \`npm run synth\` first, or pass --plan <folder>)`);
  }
  const plans = parsePlan(readPlanFiles(planDir));
  return plans.map((plan) => {
    const audit = auditEnvironment(plan, contextFor(plan, environments), AUDIT_SUPPRESSIONS);
    const data: AuditReportData = auditReportData(audit, plan);
    return { data, diagram: architectureDiagram(plan, audit.evidence, audit.inventory), plan };
  });
}

function contextFor(plan: EnvironmentPlan, environments: readonly Environment[]): AuditContext {
  const environment = environments.find((candidate) => candidate.name === plan.name);
  if (!environment) {
    throw new PlatformError(`audit: the plan has environment ${formatValue(plan.name)} but no environment file defines it (allowed: ${environments.map((candidate) => candidate.name).join(', ')}; its objectives are the audit's targets)`);
  }
  return {
    approvedRegistries: [...DATA_SOVEREIGNTY.approvedRegistries],
    approvedDomains: [...DATA_SOVEREIGNTY.approvedDomains],
    tier: environment.tier,
    recoveryPointMinutes: environment.objectives.recoveryPoint.totalSeconds / 60,
    recoveryTimeMinutes: environment.objectives.recoveryTime.totalSeconds / 60,
    imageProvenance: Object.fromEntries(Object.values(VERSIONS.images).map((image) => [`${image.repository}@${image.digest}`, { upstream: image.upstream, digestSource: image.digestSource }])),
  };
}

