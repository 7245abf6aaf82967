import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PlatformError, formatValue } from '../constructs/platform-error';
import type { Environment } from '../environments/schema';
import type { EnvironmentPlan } from '../policy/audit/plan';
import type { AuditReportData } from '../policy/audit/report-data';
import type { AuditResult } from './audit-output';
import { PROJECT_ROOT } from './entry';

/**
 * The other side of `npm run audit -- --diff <source>`: a folder holding a synthesized plan
 * (`stacks/`), a folder of earlier audit reports (`<environment>/report.json`), or a git ref
 * whose tree is checked out into a temporary worktree and synthesized there (with this
 * clone's node_modules) and then audited with the current rules and targets.
 */
export function previousReports(
  source: string,
  environments: readonly Environment[],
  auditFolder: (planDir: string, environments: readonly Environment[]) => AuditResult[],
): { reports: AuditReportData[]; plans?: EnvironmentPlan[]; label: string } {
  const folder = path.resolve(source);
  if (fs.existsSync(folder) && fs.statSync(folder).isDirectory()) {
    if (fs.existsSync(path.join(folder, 'stacks'))) {
      const results = auditFolder(folder, environments);
      return { reports: results.map((result) => result.data), plans: results.map((result) => result.plan), label: source };
    }
    const reports = fs
      .readdirSync(folder)
      .sort()
      .filter((name) => fs.existsSync(path.join(folder, name, 'report.json')))
      .map((name) => JSON.parse(fs.readFileSync(path.join(folder, name, 'report.json'), 'utf8')) as AuditReportData);
    if (reports.length === 0) throw new PlatformError(`audit: --diff ${formatValue(source)} holds neither a synthesized plan (stacks/) nor audit reports (<environment>/report.json) (allowed: such a folder, or a git ref)`);
    return { reports, label: source };
  }
  const results = auditGitRef(source, environments, auditFolder);
  return { reports: results.map((result) => result.data), plans: results.map((result) => result.plan), label: source };
}

function auditGitRef(ref: string, environments: readonly Environment[], auditFolder: (planDir: string, environments: readonly Environment[]) => AuditResult[]): AuditResult[] {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  let commit: string;
  try {
    commit = git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
  } catch {
    throw new PlatformError(`audit: --diff ${formatValue(ref)} is neither a folder nor a git ref of this repository (allowed: a folder with a synthesized plan or audit reports, or a branch, tag or commit)`);
  }
  const temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-audit-diff-'));
  const worktree = path.join(temporary, 'tree');
  try {
    git('worktree', 'add', '--detach', worktree, commit);
    if (!fs.existsSync(path.join(worktree, 'node_modules'))) fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(worktree, 'node_modules'));
    const outdir = path.join(temporary, 'cdktf.out');
    try {
      execFileSync(process.execPath, ['--import', 'tsx', path.join(worktree, 'stacks', 'main.ts')], { cwd: worktree, env: { ...process.env, CDKTF_OUTDIR: outdir }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    } catch (error) {
      throw new PlatformError(`audit: --diff ${formatValue(ref)}: the synth of ${commit.slice(0, 12)} failed (allowed: a ref whose tree synthesizes): ${String((error as { stderr?: string }).stderr ?? error).trim()}`);
    }
    return auditFolder(outdir, environments);
  } finally {
    try {
      git('worktree', 'remove', '--force', worktree);
    } catch {
      // The folder is removed below either way; `git worktree prune` forgets it.
    }
    fs.rmSync(temporary, { recursive: true, force: true });
  }
}
