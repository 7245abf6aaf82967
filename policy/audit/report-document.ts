import { createHash } from 'crypto';
import { readableMinutes } from './facts';
import type { AuditReportData } from './report-data';

/**
 * The report as a short list of blocks (headings, paragraphs, tables, the diagram), rendered
 * to Markdown and to a self-contained HTML page by the same code, so both say the same.
 */
export type Block =
  | { readonly heading: string; readonly level: 1 | 2 | 3; readonly id?: string }
  | { readonly paragraph: string }
  | { readonly table: { readonly headers: readonly string[]; readonly rows: readonly (readonly string[])[] } }
  | { readonly diagram: string }
  | { readonly links: readonly (readonly [text: string, anchor: string])[] };

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

export function reportBlocks(data: AuditReportData, diagram: string): Block[] {
  const open = data.findings.filter((finding) => finding.status === 'open');
  const suppressed = data.findings.filter((finding) => finding.status === 'suppressed');
  const errors = open.filter((finding) => finding.level === 'error');
  const warnings = open.filter((finding) => finding.level === 'warning');
  const blocks: Block[] = [
    { heading: `Audit of ${data.environment}`, level: 1 },
    {
      paragraph: `Result: ${data.result === 'pass' ? 'PASS' : 'FAIL'}: ${plural(errors.length, 'open error')}, ${plural(warnings.length, 'open warning')}, ${open.length - errors.length - warnings.length} open info, ${suppressed.length} suppressed. Tier ${data.tier}; recovery point objective ${data.objectives.recoveryPoint}, recovery time objective ${data.objectives.recoveryTime} (from environments/${data.environment}.ts). Read from the synthesized plan (cdktf.out/); rules and their reasons: policy/RULES.md.`,
    },
    {
      links: [
        ['Summary per pack', 'summary'],
        ['Recovery point and recovery time', 'recovery'],
        ['Architecture', 'architecture'],
        ['Findings', 'findings'],
        ['Suppressed findings', 'suppressed'],
        ['Suppressions', 'suppressions'],
        ['Inventory', 'inventory'],
      ],
    },
    { heading: 'Summary per pack', level: 2, id: 'summary' },
  ];
  for (const pack of data.packs) {
    const openOf = (level: string) => pack.rules.filter((rule) => rule.level === level).reduce((sum, rule) => sum + rule.nonCompliant, 0);
    const notes = [openOf('warning') > 0 ? plural(openOf('warning'), 'open warning') : '', openOf('info') > 0 ? `${openOf('info')} open info` : ''].filter(Boolean).join(', ');
    const verdict = openOf('error') > 0 ? `FAILS: ${plural(openOf('error'), 'open error')}` : 'holds';
    blocks.push(
      { heading: `${pack.title} (${pack.name}): ${verdict}${notes ? ` (${notes})` : ''}`, level: 3 },
      { table: { headers: ['Rule', 'Level', 'What', 'Compliant', 'Open findings', 'Suppressed', 'Not applicable'], rows: pack.rules.map((rule) => [rule.id, rule.level, rule.title, String(rule.compliant), String(rule.nonCompliant), String(rule.suppressed), String(rule.notApplicable)]) } },
    );
  }

  blocks.push({ heading: 'Recovery point and recovery time', level: 2, id: 'recovery' });
  const evidence = data.recovery;
  const minutes = (value: number | undefined) => (value === undefined ? 'not found' : readableMinutes(value));
  blocks.push({
    paragraph: `Primary site: ${evidence.primarySite ?? 'not found'}; disaster-recovery site: ${evidence.drSite ?? 'not found'}. Worst-case data loss = log backup interval (${minutes(evidence.logBackupMinutes)}) + replication lag budget (${minutes(evidence.replicationLagBudgetMinutes)}, the threshold of the DR site's ObjectStoreReplicationLagging alert) + restore interval (${minutes(evidence.restoreMinutes)}) = ${minutes(evidence.worstCaseDataLossMinutes)}, against the objective ${data.objectives.recoveryPoint}. Estimated recovery time (from runbooks/${data.environment}-failover.md, which the synth computes from the restore sizes and failover steps): ${minutes(evidence.estimatedRecoveryMinutes)}, of which a restore from backups alone ${minutes(evidence.restoreFromBackupsMinutes)}, against the objective ${data.objectives.recoveryTime}.`,
  });
  blocks.push({
    table: {
      headers: ['What', 'Site', 'Object', 'Schedule', 'Every'],
      rows: evidence.schedules.map((entry) => [entry.what, entry.site, `${entry.subject.stack ?? ''}: ${entry.subject.kind} ${entry.subject.namespace}/${entry.subject.name}`, entry.schedule ?? '(none)', entry.suspended ? 'suspended (started by hand)' : entry.intervalMinutes === undefined ? 'irregular' : readableMinutes(entry.intervalMinutes)]),
    },
  });

  blocks.push({ heading: 'Architecture', level: 2, id: 'architecture' }, { paragraph: 'Generated from the plan: each site with its layers and components, bucket replication and log shipping between them, and where each stack keeps its state.' }, { diagram });

  blocks.push({ heading: 'Findings', level: 2, id: 'findings' });
  blocks.push(
    open.length === 0
      ? { paragraph: 'No open finding.' }
      : { table: { headers: ['Rule', 'Level', 'Stack', 'Object', 'Where', 'Found', 'Allowed'], rows: open.map((finding) => [finding.ruleId, finding.level, finding.stack, finding.label, finding.path, finding.value, finding.allowed]) } },
  );
  blocks.push({ heading: 'Suppressed findings', level: 2, id: 'suppressed' });
  blocks.push(
    suppressed.length === 0
      ? { paragraph: 'No suppressed finding.' }
      : { table: { headers: ['Rule', 'Stack', 'Object', 'Where', 'Found', 'Reason'], rows: suppressed.map((finding) => [finding.ruleId, finding.stack, finding.label, finding.path, finding.value, finding.reason]) } },
  );
  blocks.push({ heading: 'Suppressions', level: 2, id: 'suppressions' });
  blocks.push(
    data.suppressions.length === 0
      ? { paragraph: 'None applies to this environment.' }
      : { table: { headers: ['Rule', 'Object', 'Environments', 'Reason'], rows: data.suppressions.map((suppression) => [suppression.ruleId, suppression.object, suppression.environments, suppression.reason]) } },
  );

  const inventory = data.inventory;
  blocks.push(
    { heading: 'Inventory', level: 2, id: 'inventory' },
    { heading: 'Images', level: 3 },
    { table: { headers: ['Image', 'Registry', 'Digest', 'Digest from', 'Upstream', 'Sites', 'Used by'], rows: inventory.images.map((image) => [image.image.replace(/@sha256:.*$/, ''), image.registry, image.digest ?? 'NOT PINNED', image.digestSource, image.upstream, image.sites.join(', '), image.usedBy.join('; ')]) } },
    { heading: 'Volumes', level: 3 },
    { table: { headers: ['Site', 'Owner', 'Claim', 'Size each', 'Copies'], rows: inventory.volumes.map((volume) => [volume.site, volume.owner, volume.claim, volume.size, String(volume.copies)]) } },
    { heading: 'Buckets', level: 3 },
    { table: { headers: ['Site', 'Bucket', 'Object lock', 'Replicated to'], rows: inventory.buckets.map((bucket) => [bucket.site, bucket.bucket, bucket.objectLock, bucket.replicatedTo ?? 'not replicated']) } },
    { heading: 'Exposed endpoints', level: 3 },
    { table: { headers: ['Site', 'Kind', 'Name', 'Address', 'Detail'], rows: inventory.endpoints.map((endpoint) => [endpoint.site, endpoint.kind, endpoint.name, endpoint.address, endpoint.detail]) } },
    { heading: 'Vault paths and who may read them', level: 3 },
    { table: { headers: ['Site', 'Path', 'Capabilities', 'Policy', 'Read by (service account, role)'], rows: inventory.vaultPaths.map((row) => [row.site, row.path, row.capabilities.join(', '), row.policy, row.readers.join('; ')]) } },
  );
  return blocks;
}

/** report.md */
export function markdownReport(blocks: readonly Block[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const parts = blocks.map((block) => {
    if ('heading' in block) return `${'#'.repeat(block.level)} ${block.heading}`;
    if ('paragraph' in block) return block.paragraph;
    if ('diagram' in block) return '![Architecture diagram](diagram.svg)';
    // Markdown viewers make a heading's anchor from its text; each link's text is its heading.
    if ('links' in block) return block.links.map(([text]) => `[${text}](#${text.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')})`).join(' · ');
    const { headers, rows } = block.table;
    if (rows.length === 0) return '(none)';
    return [`| ${headers.map(cell).join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)].join('\n');
  });
  return `${parts.join('\n\n')}\n`;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b;max-width:80rem}
table{border-collapse:collapse;margin:0.5rem 0 1.5rem;font-size:0.85rem}
th,td{border:1px solid #c8c8c8;padding:0.25rem 0.5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#eef2f5}
.result-pass{color:#0a6b2d}.result-fail{color:#a40e0e}
figure{margin:1rem 0}svg{max-width:100%;height:auto;border:1px solid #c8c8c8}`;

const STYLE_HASH = `sha256-${createHash('sha256').update(STYLE).digest('base64')}`;

/** report.html: one self-contained page (inline style and SVG, no script, no external resource, a strict CSP). */
export function htmlReport(title: string, blocks: readonly Block[], result: 'pass' | 'fail'): string {
  const parts = blocks.map((block) => {
    if ('heading' in block) return `<h${block.level}${block.id ? ` id="${escapeHtml(block.id)}"` : ''}>${escapeHtml(block.heading)}</h${block.level}>`;
    if ('paragraph' in block) return `<p${block.paragraph.startsWith('Result: ') ? ` class="result-${result}"` : ''}>${escapeHtml(block.paragraph)}</p>`;
    if ('diagram' in block) return `<figure id="diagram">${block.diagram}</figure>`;
    if ('links' in block) return `<nav>${block.links.map(([text, anchor]) => `<a href="#${escapeHtml(anchor)}">${escapeHtml(text)}</a>`).join(' · ')}</nav>`;
    const { headers, rows } = block.table;
    if (rows.length === 0) return '<p>(none)</p>';
    return `<table><thead><tr>${headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('')}</tr></thead><tbody>\n${rows.map((row) => `<tr>${row.map((value) => `<td>${escapeHtml(value)}</td>`).join('')}</tr>`).join('\n')}\n</tbody></table>`;
  });
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Nothing may load or run; the one style element is allowed by its hash.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src '${STYLE_HASH}'; base-uri 'none'; form-action 'none'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...parts,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
