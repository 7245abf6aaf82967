import * as fs from 'fs';
import * as path from 'path';
import { POLICY_PACKS } from '../../policy';
import { AUDIT_PACKS } from '../../policy/audit/audit';
import { PROJECT_ROOT } from '../support/environments';

describe('README', () => {
  test('lists every policy and audit rule with its level and title', () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const listed = [...readme.matchAll(/^\| (LMS-[A-Z0-9]+-\d+) \| (\w+) \| ([^|]+) \|$/gm)].map((m) => [m[1], m[2], m[3].trim()]);
    expect(listed).toEqual([...POLICY_PACKS, ...AUDIT_PACKS].flatMap((pack) => pack.rules.map((rule) => [rule.id, rule.level, rule.title])));
  });
});
