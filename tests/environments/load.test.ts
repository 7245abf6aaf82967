import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EnvironmentError, loadEnvironments } from '../../environments/load';
import { PROJECT_ROOT } from '../support/environments';

const ENVIRONMENTS_DIR = path.join(PROJECT_ROOT, 'environments');

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvironmentError) return error.problems;
    throw error;
  }
  throw new Error('expected an EnvironmentError');
}

describe('loadEnvironments', () => {
  test('finds every environment file, skipping the schema and loader modules', () => {
    expect(loadEnvironments(ENVIRONMENTS_DIR).map((env) => env.name)).toEqual(['dev', 'staging', 'production']);
  });

  test('selects environments by name, in promotion order', () => {
    expect(loadEnvironments(ENVIRONMENTS_DIR, { only: ['production', 'dev'] }).map((env) => env.name)).toEqual(['dev', 'production']);
  });

  test('names every unknown selection, and an empty one', () => {
    expect(problemsOf(() => loadEnvironments(ENVIRONMENTS_DIR, { only: ['prod', 'qa'] }))).toEqual([
      'LMS_ENVIRONMENTS: "prod" is not an environment (allowed: dev, production, staging)',
      'LMS_ENVIRONMENTS: "qa" is not an environment (allowed: dev, production, staging)',
    ]);
    expect(problemsOf(() => loadEnvironments(ENVIRONMENTS_DIR, { only: [] }))).toEqual([
      'LMS_ENVIRONMENTS: "" names no environment (allowed: comma-separated names from dev, production, staging, or unset for all)',
    ]);
  });

  test('a missing folder, an empty folder and a file that does not load', () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-load-'));
    try {
      expect(problemsOf(() => loadEnvironments(path.join(scratch, 'absent'), { relativeTo: scratch }))).toEqual([
        `${path.join(scratch, 'absent')}: cannot be read: ENOENT (allowed: a folder holding one <name>.ts per environment)`,
      ]);
      expect(problemsOf(() => loadEnvironments(scratch, { relativeTo: scratch }))).toEqual(['.: no environment files (allowed: one <name>.ts per environment)']);
      fs.writeFileSync(path.join(scratch, 'qa.ts'), 'throw new Error("qa is being rebuilt");\n');
      // Folders (however named), declaration files and the loader itself are not environments.
      fs.mkdirSync(path.join(scratch, 'schema'));
      fs.writeFileSync(path.join(scratch, 'schema', 'index.ts'), 'throw new Error("not an environment");\n');
      fs.mkdirSync(path.join(scratch, 'archive.ts'));
      fs.writeFileSync(path.join(scratch, 'globals.d.ts'), 'declare const x: number;\n');
      fs.writeFileSync(path.join(scratch, 'load.ts'), 'throw new Error("not an environment");\n');
      fs.writeFileSync(path.join(scratch, 'uat.ts'), 'export const settings = {};\n');
      expect(problemsOf(() => loadEnvironments(scratch, { relativeTo: scratch }))).toEqual([
        'qa.ts: cannot be loaded: qa is being rebuilt',
        'uat.ts: has no default export (allowed: export default { name: "uat", ... } satisfies EnvironmentInput)',
      ]);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});
