import * as fs from 'fs';
import * as path from 'path';
import { diffMarkdown, type AuditDiff } from '../policy/audit/diff';
import type { EnvironmentPlan } from '../policy/audit/plan';
import { findingsCsv, type AuditReportData } from '../policy/audit/report-data';
import { htmlReport, markdownReport, reportBlocks } from '../policy/audit/report-document';
import { synthesizeAtomically } from './synthesize';

/** One environment's audit, ready to write: its data and its diagram. */
export interface AuditResult {
  readonly data: AuditReportData;
  readonly diagram: string;
  /** The plan it was made from: `--diff` against another plan names the changed fields. */
  readonly plan: EnvironmentPlan;
}

/** The files of one environment's folder: name -> content. */
export function auditFiles(result: AuditResult, diff?: AuditDiff): Record<string, string> {
  const blocks = reportBlocks(result.data, result.diagram);
  return {
    'report.md': markdownReport(blocks),
    'report.html': htmlReport(`Audit of ${result.data.environment}`, blocks, result.data.result),
    'report.json': `${JSON.stringify(result.data, null, 2)}\n`,
    'findings.csv': findingsCsv(result.data),
    'diagram.svg': `${result.diagram}\n`,
    ...(diff ? { 'diff.md': diffMarkdown(diff) } : {}),
  };
}

/**
 * Writes `<outdir>/<environment>/` for every audited environment into a fresh folder and
 * swaps it in only once every file is written, so a failed run leaves the previous reports
 * as they were and never half of new ones.
 */
export function writeAuditReports(outdir: string, results: readonly AuditResult[], diffs?: readonly AuditDiff[], comparison?: AuditDiff): void {
  synthesizeAtomically(outdir, (directory) => {
    fs.mkdirSync(directory, { recursive: true });
    if (comparison) fs.writeFileSync(path.join(directory, `compare-${comparison.environment.replace(' -> ', '-')}.md`), diffMarkdown(comparison));
    for (const result of results) {
      const folder = path.join(directory, result.data.environment);
      fs.mkdirSync(folder, { recursive: true });
      const diff = diffs?.find((candidate) => candidate.environment === result.data.environment);
      for (const [name, content] of Object.entries(auditFiles(result, diff))) fs.writeFileSync(path.join(folder, name), content);
    }
  });
}

/** What `npm run audit` prints: per environment its result, open errors, suppressions, and the diff when asked. */
export function auditSummary(results: readonly AuditResult[], shownOutdir: string, diffs?: readonly AuditDiff[]): string {
  const lines: string[] = [];
  for (const { data } of results) {
    const open = data.findings.filter((finding) => finding.status === 'open');
    const errors = open.filter((finding) => finding.level === 'error');
    const warnings = open.filter((finding) => finding.level === 'warning').length;
    lines.push(`audit ${data.environment}: ${data.result.toUpperCase()}: ${errors.length} open error${errors.length === 1 ? '' : 's'}, ${warnings} open warning${warnings === 1 ? '' : 's'}, ${open.length - errors.length - warnings} open info, ${data.findings.length - open.length} suppressed (reports: ${shownOutdir}/${data.environment}/report.{md,html,json}, findings.csv)`);
    for (const finding of errors) lines.push(`  ${finding.ruleId} ${finding.stack}: ${finding.label}: ${finding.path}: ${finding.value} (allowed: ${finding.allowed})`);
    const suppressed = new Map<string, { stacks: number; reason: string }>();
    for (const finding of data.findings.filter((candidate) => candidate.status === 'suppressed')) {
      const key = `${finding.ruleId} ${finding.label}`;
      suppressed.set(key, { stacks: (suppressed.get(key)?.stacks ?? 0) + 1, reason: finding.reason });
    }
    for (const [key, { stacks, reason }] of suppressed) lines.push(`  suppressed ${key} (${stacks} finding${stacks === 1 ? '' : 's'}): ${reason}`);
  }
  for (const diff of diffs ?? []) lines.push(`changes in ${diff.environment} against ${diff.against}:`, ...diff.lines.map((line) => `  ${line}`));
  return `${lines.join('\n')}\n`;
}
