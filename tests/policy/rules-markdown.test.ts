import * as fs from 'fs';
import * as path from 'path';
import { AUDIT_PACKS } from '../../policy/audit/audit';
import { RESTRICTED_WORKLOADS } from '../../policy/packs/restricted-workloads';
import { rulesMarkdown } from '../../policy/rules-markdown';
import { PROJECT_ROOT } from '../support/environments';

describe('policy/RULES.md', () => {
  test('is what `npm run policy:docs` writes from the packs (run it after changing a pack)', () => {
    expect(fs.readFileSync(path.join(PROJECT_ROOT, 'policy/RULES.md'), 'utf8')).toBe(rulesMarkdown());
  });

  test('has one table row per rule, with its id, level, title and reason', () => {
    const rows = rulesMarkdown().split('\n').filter((line) => line.startsWith('| LMS-'));
    expect(rows).toHaveLength(RESTRICTED_WORKLOADS.rules.length + AUDIT_PACKS.reduce((sum, pack) => sum + pack.rules.length, 0));
    const first = RESTRICTED_WORKLOADS.rules[0]!;
    expect(rows[0]).toBe(`| ${first.id} | ${first.level} | ${first.title} | ${first.why} |`);
    const firstAudit = AUDIT_PACKS[0]!.rules[0]!;
    expect(rows[RESTRICTED_WORKLOADS.rules.length]).toBe(`| ${firstAudit.id} | ${firstAudit.level} | ${firstAudit.title} | ${firstAudit.why} |`);
  });

  test('changes when a pack changes, and escapes table pipes', () => {
    const changed = { ...RESTRICTED_WORKLOADS, rules: [{ ...RESTRICTED_WORKLOADS.rules[0]!, title: 'Non-root | no root' }] };
    expect(rulesMarkdown([changed])).not.toBe(rulesMarkdown());
    expect(rulesMarkdown([changed])).toContain('| LMS-K8S-001 | error | Non-root \\| no root |');
  });
});
