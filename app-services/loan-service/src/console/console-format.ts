import { html, type SafeHtml } from './html';

const LABELS: Readonly<Record<string, string>> = {
  name: 'Name', currency: 'Currency', annualInterestRateBps: 'Annual interest rate', interestMethod: 'Interest method',
  repaymentFrequency: 'Repayment frequency', arrangementFeeBps: 'Arrangement fee', flatFeeNgwee: 'Flat fee',
  minPrincipalNgwee: 'Smallest principal', maxPrincipalNgwee: 'Largest principal', minInstalments: 'Fewest instalments',
  maxInstalments: 'Most instalments', grade: 'Grade', minCreditScore: 'Lowest credit score', productId: 'Product',
  riskGrade: 'Risk grade', branch: 'Branch', approvers: 'Approvers', code: 'Code', region: 'Region',
  acceptsApplications: 'Takes new applications', maxActiveApplicationsPerApplicant: 'Most active applications per applicant (NRC)',
  identityDocumentRequiredForApproval: 'Identity document (NRC copy) required before approval',
};

/** The field name of a path such as `rules[2].maxPrincipalNgwee` or `rules[0].approvers[1]`. */
export function fieldOf(path: string): string {
  const last = path.split('.').at(-1) ?? path;
  return last.replace(/\[\d+\]$/, '').replace(/^.*\]/, '');
}

export function labelOf(field: string): string {
  return LABELS[field] ?? field.replace(/([A-Z])/g, ' $1').replace(/^./, (first) => first.toUpperCase());
}

/** Whole ngwee as `ZMW 12,345.67`, without floating point. */
export function formatNgwee(ngwee: number): string {
  const sign = ngwee < 0 ? '-' : '';
  const absolute = Math.abs(ngwee);
  const kwacha = String(Math.floor(absolute / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}ZMW ${kwacha}.${String(absolute % 100).padStart(2, '0')}`;
}

/** A value as a reader wants it: money in kwacha, basis points as percent, yes/no, `*` as "any". */
export function formatValue(field: string, value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (value === '*') return 'any (*)';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number' && field.endsWith('Ngwee')) return formatNgwee(value);
  if (typeof value === 'number' && field.endsWith('Bps')) return `${(value / 100).toFixed(2)}%`;
  if (Array.isArray(value)) return value.map((item) => formatValue(field, item)).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * A payload as a table: one row per item when it is one list (rules, grades, branches), else
 * one row per field.
 */
export function payloadTable(payload: unknown, caption: string): SafeHtml {
  const entries = typeof payload === 'object' && payload !== null ? Object.entries(payload) : [];
  const [only] = entries;
  if (entries.length === 1 && only !== undefined && Array.isArray(only[1])) {
    const items = only[1] as Array<Record<string, unknown>>;
    if (items.length === 0) return html`<p>None (${caption} lists nothing you may see).</p>`;
    const columns = [...new Set(items.flatMap((item) => Object.keys(item)))];
    return html`<table><caption class="meta">${caption}</caption>
<thead><tr><th scope="col">#</th>${columns.map((column) => html`<th scope="col">${labelOf(column)}</th>`)}</tr></thead>
<tbody>${items.map((item, index) => html`<tr><td>${index + 1}</td>${columns.map((column) => html`<td>${formatValue(column, item[column])}</td>`)}</tr>`)}</tbody></table>`;
  }
  return html`<table><caption class="meta">${caption}</caption><tbody>${entries.map(
    ([field, value]) => html`<tr><th scope="row">${labelOf(field)}</th><td>${formatValue(field, value)}</td></tr>`,
  )}</tbody></table>`;
}
