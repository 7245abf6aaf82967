import * as fs from 'fs';
import * as path from 'path';
import { PROJECT_ROOT } from './support/environments';

const SOURCE_DIRS = ['stacks', 'constructs', 'charts-ts', 'environments', 'tests'];
/** The provider barrels cost about 1 s and 250 MB per process: only deep imports are allowed. */
const BARREL = /from\s+['"](@cdktf\/provider-(kubernetes|helm))['"]|require\(\s*['"]@cdktf\/provider-(kubernetes|helm)['"]\s*\)/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__snapshots__' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('imports', () => {
  test('provider classes are imported by deep path, never through the package barrel', () => {
    const offenders = SOURCE_DIRS.flatMap((dir) => sourceFiles(path.join(PROJECT_ROOT, dir)))
      .filter((file) => file !== __filename && BARREL.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(PROJECT_ROOT, file));
    expect(offenders).toEqual([]);
  });

  test('the rule catches a barrel import', () => {
    expect(BARREL.test("import { Manifest } from '@cdktf/provider-kubernetes';")).toBe(true);
    expect(BARREL.test("import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';")).toBe(false);
  });

  test('constructs, charts and environments do not depend on the stacks layer', () => {
    const offenders = ['constructs', 'charts-ts', 'environments']
      .flatMap((dir) => sourceFiles(path.join(PROJECT_ROOT, dir)))
      .filter((file) => /from\s+['"]\.\.\/stacks\//.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(PROJECT_ROOT, file));
    expect(offenders).toEqual([]);
  });

  test('constructs and charts take typed props, never the environment files or their schema', () => {
    const offenders = ['constructs', 'charts-ts']
      .flatMap((dir) => sourceFiles(path.join(PROJECT_ROOT, dir)))
      .filter((file) => /from\s+['"]\.\.\/environments\//.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(PROJECT_ROOT, file));
    expect(offenders).toEqual([]);
  });

  test('charts-ts renders Kubernetes objects without cdktf', () => {
    const offenders = sourceFiles(path.join(PROJECT_ROOT, 'charts-ts'))
      .filter((file) => /from\s+['"](cdktf|@cdktf\/[^'"]+)['"]/.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(PROJECT_ROOT, file));
    expect(offenders).toEqual([]);
  });
});
