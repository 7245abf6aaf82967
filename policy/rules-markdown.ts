import { AUDIT_PACKS } from './audit/audit';
import { POLICY_PACKS } from './engine';
import type { PolicyLevel } from './types';

/** What RULES.md shows of a pack: its metadata, whatever its rules check. */
interface PackMetadata {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly rules: readonly { readonly id: string; readonly level: PolicyLevel; readonly title: string; readonly why: string }[];
}

/** policy/RULES.md, from the packs' tables: `npm run policy:docs` writes it, a test checks it is current. */
export function rulesMarkdown(packs: readonly PackMetadata[] = POLICY_PACKS, auditPacks: readonly PackMetadata[] = AUDIT_PACKS): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const section = (pack: PackMetadata) =>
    [
      `## ${pack.title} (\`${pack.name}\`)`,
      '',
      pack.description,
      '',
      '| ID | Level | What | Why |',
      '|---|---|---|---|',
      ...pack.rules.map((rule) => `| ${rule.id} | ${rule.level} | ${cell(rule.title)} | ${cell(rule.why)} |`),
    ].join('\n');
  const sections = packs.map(section);
  return [
    '# Policy rules',
    '',
    '<!-- Generated from policy/packs/ and policy/audit/packs/ by `npm run policy:docs`; do not edit by hand. -->',
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
    ...sections.flatMap((text) => [text, '']),
    '# Audit rules',
    '',
    '`npm run audit` reads the synthesized plan (`cdktf.out/`: every stack\'s Terraform JSON, the',
    'Kubernetes objects and Helm values in it, the charts a stack carries, the failover runbooks)',
    'and holds each environment to these packs, and to the pack above over the same objects.',
    'An unsuppressed `error` fails the audit; `warning` and `info` findings are reported only.',
    'Audit suppressions live in `policy/audit/suppressions.ts`: `{ ruleId, object, environments?,',
    'reason }`, the object as the reports name it (`Kind/namespace/name`); every report lists',
    'them with their reasons, and one that matches no finding is an error.',
    '',
    ...auditPacks.map(section).flatMap((text) => [text, '']),
  ].join('\n');
}
