import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parsePlan, type EnvironmentPlan } from '../../policy/audit/plan';
import { readPlanFiles } from '../../stacks/audit-read';
import { PROJECT_ROOT } from './environments';

/**
 * Runs the real synth (`stacks/main.ts`) into a fresh temporary folder and returns it; the
 * caller removes it. One synth of every environment takes about ten seconds: a test file
 * makes one and reuses it.
 */
export function synthesizeInto(environments = 'dev,staging,production'): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-audit-plan-'));
  const outdir = path.join(folder, 'cdktf.out');
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'stacks/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir, LMS_ENVIRONMENTS: environments },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`synth failed (${result.status}): ${result.stderr}`);
  return folder;
}

/** The parsed plans of a synth output folder, by environment name. */
export function plansIn(outdir: string): Map<string, EnvironmentPlan> {
  return new Map(parsePlan(readPlanFiles(outdir)).map((plan) => [plan.name, plan]));
}
