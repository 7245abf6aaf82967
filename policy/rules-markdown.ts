import { POLICY_PACKS } from './engine';
import type { PolicyPack } from './types';

/** policy/RULES.md, from the packs' tables: `npm run policy:docs` writes it, a test checks it is current. */
export function rulesMarkdown(packs: readonly PolicyPack[] = POLICY_PACKS): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const sections = packs.map((pack) =>
    [
      `## ${pack.title} (\`${pack.name}\`)`,
      '',
      pack.description,
      '',
      '| ID | Level | What | Why |',
      '|---|---|---|---|',
      ...pack.rules.map((rule) => `| ${rule.id} | ${rule.level} | ${cell(rule.title)} | ${cell(rule.why)} |`),
    ].join('\n'),
  );
  return [
    '# Policy rules',
    '',
    '<!-- Generated from policy/packs/ by `npm run policy:docs`; do not edit by hand. -->',
    '',
    "Every stack's rendered Kubernetes objects are checked against these rules at synth. An",
    '`error` finding stops the synth; a `warning` is reported only. A value a rule cannot read',
    '(missing, wrong type, unparseable) is a finding, never a pass.',
    '',
    'To accept a finding, add a suppression `{ ruleId, object: "Kind/namespace/name", reason }`',
    '(the namespace empty for cluster-scoped objects) with a reason an auditor can check. The',
    'finding stays in the report, marked suppressed with its reason. A suppression with an',
    'empty reason, an unknown rule id, an object the stack does not have, or an object that',
    'complies is an error.',
    '',
    ...sections.flatMap((section) => [section, '']),
  ].join('\n');
}
