import { field } from '../objects';
import { readableMinutes } from './facts';
import type { Inventory } from './inventory';
import { compare, PLAN_SITES, type EnvironmentPlan } from './plan';
import type { RecoveryEvidence } from './recovery-evidence';
import { escapeHtml } from './report-document';

/** Kinds the diagram shows as components. */
const COMPONENT_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Elasticsearch', 'Kibana', 'Logstash', 'Beat', 'Gateway']);

const SITE_WIDTH = 430;
const GAP = 230;
const MARGIN = 20;
const LINE = 14;

/**
 * The architecture diagram as SVG, from the plan alone: one column per site (primary
 * first) with a box per layer listing its components (workloads, custom resources, Helm
 * releases, scheduled jobs) and the state backend, and arrows for bucket replication and
 * SQL Server log shipping from the primary to the DR site. Coordinates come from counts
 * only, so the same plan gives the same bytes.
 */
export function architectureDiagram(plan: EnvironmentPlan, evidence: RecoveryEvidence, inventory: Inventory): string {
  const sites = [...PLAN_SITES].filter((site) => plan.stacks.some((stack) => stack.site === site)).sort((a, b) => (a === evidence.primarySite ? -1 : b === evidence.primarySite ? 1 : compare(a, b)));
  const layers = [...new Set(plan.stacks.map((stack) => stack.layer))].sort((a, b) => layerRank(a) - layerRank(b) || compare(a, b));
  const columns = sites.map((site) => {
    const boxes = layers.flatMap((layer) => {
      const stack = plan.stacks.find((candidate) => candidate.site === site && candidate.layer === layer);
      if (!stack) return [];
      const components = [
        ...stack.objects.filter(({ object }) => COMPONENT_KINDS.has(object.kind)).map(({ object }) => `${object.kind} ${object.metadata.name}`),
        ...stack.releases.filter((release) => release.repository !== undefined).map((release) => `Helm ${release.name} (${release.chart} ${release.version ?? ''})`.replace(' )', ')')),
        ...stack.objects.filter(({ object }) => object.kind === 'CronJob' && field(object.spec, 'suspend') !== true).map(({ object }) => `CronJob ${object.metadata.name} (${String(field(object.spec, 'schedule'))})`),
      ];
      if (stack.vaultPolicies.length > 0) components.push(`Vault: ${stack.vaultPolicies.length} policies, ${stack.vaultRoles.length} roles`);
      if (components.length === 0) components.push(`${Object.values(stack.resourceTypes).reduce((sum, count) => sum + count, 0)} resources (${Object.keys(stack.resourceTypes).join(', ')})`);
      const endpoint = field(field(stack.backend?.config, 'endpoints'), 's3');
      const state = stack.backend === undefined ? 'state: none' : stack.backend.type === 's3' ? `state: ${String(endpoint)} / ${String(field(stack.backend.config, 'bucket'))}` : `state: ${stack.backend.type}`;
      return [{ layer, stack: stack.name, lines: [...components, state] }];
    });
    return { site, boxes };
  });

  // Lay out: boxes stacked per column, each as tall as its lines.
  let height = 0;
  const placed = columns.map((column, index) => {
    const x = MARGIN + index * (SITE_WIDTH + GAP);
    let y = 70;
    const boxes = column.boxes.map((box) => {
      const boxHeight = 26 + box.lines.length * LINE;
      const placedBox = { ...box, x: x + 10, y, width: SITE_WIDTH - 20, height: boxHeight };
      y += boxHeight + 10;
      return placedBox;
    });
    height = Math.max(height, y + 10);
    return { ...column, x, boxes, bottom: y };
  });
  const width = MARGIN * 2 + placed.length * SITE_WIDTH + Math.max(0, placed.length - 1) * GAP;
  const text = (x: number, y: number, content: string, attributes = '') => `<text x="${x}" y="${y}"${attributes}>${escapeHtml(content)}</text>`;
  const parts: string[] = [];
  for (const column of placed) {
    const role = column.site === evidence.primarySite ? 'primary' : column.site === evidence.drSite ? 'disaster recovery' : 'site';
    parts.push(`<g class="site" data-site="${escapeHtml(column.site)}">`);
    parts.push(`<rect x="${column.x}" y="40" width="${SITE_WIDTH}" height="${column.bottom - 30}" rx="8" fill="#f4f8fb" stroke="#4a6a85"/>`);
    parts.push(text(column.x + 12, 60, `${column.site[0]!.toUpperCase()}${column.site.slice(1)} (${role})`, ' font-weight="bold" font-size="14"'));
    for (const box of column.boxes) {
      parts.push(`<g class="layer" data-stack="${escapeHtml(box.stack)}">`);
      parts.push(`<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" rx="4" fill="#ffffff" stroke="#7b93a8"/>`);
      parts.push(text(box.x + 8, box.y + 16, `${box.layer} (${box.stack})`, ' font-weight="bold" font-size="12"'));
      box.lines.forEach((line, index) => parts.push(text(box.x + 14, box.y + 30 + index * LINE, line.length > 70 ? `${line.slice(0, 67)}...` : line, ' font-size="11"')));
      parts.push('</g>');
    }
    parts.push('</g>');
  }

  // Flows from the primary's data layer to the DR site's.
  const primary = placed.find((column) => column.site === evidence.primarySite);
  const dr = placed.find((column) => column.site === evidence.drSite);
  const flows: string[] = [];
  if (primary && dr) {
    const from = primary.boxes.find((box) => box.layer === 'data');
    const to = dr.boxes.find((box) => box.layer === 'data');
    if (from && to) {
      const replicated = inventory.buckets.filter((bucket) => bucket.site === primary.site && bucket.replicatedTo !== undefined).map((bucket) => bucket.bucket);
      const arrows = [
        { label: `bucket replication: ${replicated.join(', ') || 'none'}`, dy: 0.35 },
        { label: `log shipping: backups every ${evidence.logBackupMinutes === undefined ? '?' : readableMinutes(evidence.logBackupMinutes)}, restores every ${evidence.restoreMinutes === undefined ? '?' : readableMinutes(evidence.restoreMinutes)}`, dy: 0.65 },
      ];
      for (const arrow of arrows) {
        const y1 = Math.round(from.y + from.height * arrow.dy);
        const y2 = Math.round(to.y + to.height * arrow.dy);
        const x1 = from.x + from.width;
        const x2 = to.x;
        flows.push(`<g class="flow"><line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#b04a00" stroke-width="2" marker-end="url(#arrow)"/>`);
        const words = wrap(arrow.label, 36);
        flows.push(`${words.map((line, index) => text(Math.round((x1 + x2) / 2), Math.min(y1, y2) - 6 - (words.length - 1 - index) * 12, line, ' font-size="10" text-anchor="middle" fill="#b04a00"')).join('')}</g>`);
      }
    }
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Architecture of ${escapeHtml(plan.name)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="sans-serif">`,
    `<title>Architecture of ${escapeHtml(plan.name)}: sites, components, replication and log shipping</title>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#b04a00"/></marker></defs>',
    text(MARGIN, 24, `${plan.name}: ${sites.length} sites, ${plan.stacks.length} stacks`, ' font-size="16" font-weight="bold"'),
    ...parts,
    ...flows,
    '</svg>',
  ].join('\n');
}

/** The layers in the order they are applied; a layer this list does not know comes last. */
const LAYER_ORDER = ['base', 'traffic', 'security', 'vault-config', 'data', 'observability', 'apps'];

function layerRank(layer: string): number {
  const index = LAYER_ORDER.indexOf(layer);
  return index === -1 ? LAYER_ORDER.length : index;
}

/** Splits a label into lines of at most `width` characters at spaces. */
function wrap(label: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of label.split(' ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}
