import * as fs from 'fs';
import * as path from 'path';
import { POLICY_PACKS } from '../../policy/engine';
import { PROJECT_ROOT } from '../support/environments';

const POLICY = path.join(PROJECT_ROOT, 'policy');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const camelCase = (kebab: string) => kebab.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());

describe('policy/ layout', () => {
  test('the engine, packs and rules do no I/O and know neither cdktf nor cdk8s (only the RULES.md writer touches files)', () => {
    const forbidden = /from\s+['"](fs|node:fs|fs\/promises|child_process|node:child_process|net|http|https|cdktf|@cdktf\/[^'"]+|cdk8s|cdk8s-plus-28[^'"]*)['"]|process\.env/;
    const offenders = sourceFiles(POLICY)
      .filter((file) => path.basename(file) !== 'write-rules-md.ts')
      .filter((file) => forbidden.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(PROJECT_ROOT, file));
    expect(offenders).toEqual([]);
  });

  test('the check catches a forbidden import', () => {
    const forbidden = /from\s+['"](fs|node:fs)['"]/;
    expect(forbidden.test("import * as fs from 'fs';")).toBe(true);
  });

  test('one rule per file under policy/rules/, the file named after the check it exports, every one in a pack', () => {
    const files = fs.readdirSync(path.join(POLICY, 'rules')).sort();
    const packed = new Set(POLICY_PACKS.flatMap((pack) => pack.rules.map((rule) => rule.check)));
    for (const file of files) {
      expect(file).toMatch(/^[a-z]+(-[a-z]+)*\.ts$/);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = require(path.join(POLICY, 'rules', file)) as Record<string, unknown>;
      const checks = Object.entries(exported).filter(([, value]) => packed.has(value as never));
      expect(checks.map(([name]) => name)).toEqual([camelCase(file.replace(/\.ts$/, ''))]);
    }
    expect(files).toHaveLength(packed.size);
  });
});
