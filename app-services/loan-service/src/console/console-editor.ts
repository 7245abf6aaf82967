import { INTEREST_METHODS, REPAYMENT_FREQUENCIES } from '../money/repayment-frequency';
import type { ConfigType } from '../repositories/config-version-repository';
import { labelOf } from './console-format';
import { html, type SafeHtml } from './html';

/** How one field of a configuration is edited in the console's form. */
export interface EditorField {
  readonly name: string;
  readonly kind: 'text' | 'integer' | 'yes-no' | 'choice' | 'list';
  /** For `choice`. */
  readonly choices?: readonly string[];
  /** May be left empty (then left out of the payload). */
  readonly optional?: boolean;
  /** Shown after the label, e.g. the unit. */
  readonly unit?: string;
}

/** A configuration is either one object of fields, or one list (`listName`) of such objects. */
export interface EditorShape {
  readonly listName?: string;
  readonly fields: readonly EditorField[];
}

const NGWEE = 'ngwee; ZMW 1 = 100';
const BPS = 'basis points; 100 = 1%';

export const EDITOR_SHAPES: Readonly<Record<ConfigType, EditorShape>> = {
  loan_product: {
    fields: [
      { name: 'name', kind: 'text' },
      { name: 'currency', kind: 'choice', choices: ['ZMW'] },
      { name: 'annualInterestRateBps', kind: 'integer', unit: BPS },
      { name: 'interestMethod', kind: 'choice', choices: INTEREST_METHODS },
      { name: 'repaymentFrequency', kind: 'choice', choices: REPAYMENT_FREQUENCIES },
      { name: 'arrangementFeeBps', kind: 'integer', unit: BPS },
      { name: 'flatFeeNgwee', kind: 'integer', unit: NGWEE },
      { name: 'minPrincipalNgwee', kind: 'integer', unit: NGWEE },
      { name: 'maxPrincipalNgwee', kind: 'integer', unit: NGWEE },
      { name: 'minInstalments', kind: 'integer' },
      { name: 'maxInstalments', kind: 'integer' },
    ],
  },
  risk_grades: {
    listName: 'grades',
    fields: [{ name: 'grade', kind: 'text' }, { name: 'minCreditScore', kind: 'integer' }, { name: 'maxPrincipalNgwee', kind: 'integer', unit: NGWEE }],
  },
  authority_matrix: {
    listName: 'rules',
    fields: [
      { name: 'productId', kind: 'text', unit: '* for any' },
      { name: 'riskGrade', kind: 'text', unit: '* for any' },
      { name: 'branch', kind: 'text', unit: '* for any' },
      { name: 'maxPrincipalNgwee', kind: 'integer', unit: NGWEE },
      { name: 'approvers', kind: 'list', optional: true, unit: 'user ids, comma-separated; empty for every credit manager' },
    ],
  },
  branches: {
    listName: 'branches',
    fields: [{ name: 'code', kind: 'text' }, { name: 'name', kind: 'text' }, { name: 'region', kind: 'text' }, { name: 'acceptsApplications', kind: 'yes-no' }],
  },
  compliance: {
    fields: [{ name: 'maxActiveApplicationsPerApplicant', kind: 'integer' }, { name: 'identityDocumentRequiredForApproval', kind: 'yes-no' }],
  },
};

/** Blank lines offered below the existing ones, to add lines without a script. */
export const BLANK_LINES = 2;

function textOf(field: EditorField, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (field.kind === 'yes-no') return value === true ? 'yes' : value === false ? 'no' : '';
  if (field.kind === 'list') return Array.isArray(value) ? value.join(', ') : '';
  return String(value);
}

function input(field: EditorField, id: string, name: string, value: string, label: string): SafeHtml {
  if (field.kind === 'yes-no' || field.kind === 'choice') {
    const options = field.kind === 'yes-no' ? ['yes', 'no'] : (field.choices ?? []);
    return html`<select id="${id}" name="${name}" aria-label="${label}"><option value=""${value === '' ? html` selected` : ''}>-</option>${options.map(
      (option) => html`<option value="${option}"${option === value ? html` selected` : ''}>${option}</option>`,
    )}</select>`;
  }
  return html`<input type="text" id="${id}" name="${name}" value="${value}" aria-label="${label}"${field.kind === 'integer' ? html` inputmode="numeric"` : ''}>`;
}

/**
 * The fields of a new version, prefilled from `payload` (the version in force, or what the admin
 * typed): one labelled input per field, or for a list one row per line plus BLANK_LINES empty
 * rows. A row left entirely empty is dropped, so clearing a row removes the line.
 */
export function editorFields(type: ConfigType, payload: unknown): SafeHtml {
  const shape = EDITOR_SHAPES[type];
  const object = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  const fullLabel = (field: EditorField) => `${labelOf(field.name)}${field.unit === undefined ? '' : ` (${field.unit})`}`;
  if (shape.listName === undefined) {
    return html`${shape.fields.map((field) => {
      const id = `field-${field.name}`;
      return html`<label for="${id}">${fullLabel(field)}</label>${input(field, id, `field.${field.name}`, textOf(field, object[field.name]), fullLabel(field))}`;
    })}`;
  }
  const existing = Array.isArray(object[shape.listName]) ? (object[shape.listName] as Array<Record<string, unknown>>) : [];
  const rows: Array<Record<string, unknown>> = [...existing, ...Array.from({ length: BLANK_LINES }, () => ({}))];
  return html`<table class="editor"><thead><tr><th scope="col">Line</th>${shape.fields.map((field) => html`<th scope="col">${fullLabel(field)}</th>`)}</tr></thead>
<tbody>${rows.map((row, index) => html`<tr><td>${index + 1}</td>${shape.fields.map((field) => html`<td>${input(
    field, `row-${index}-${field.name}`, `row.${index}.${field.name}`, textOf(field, row[field.name]), `${labelOf(field.name)}, line ${index + 1}`,
  )}</td>`)}</tr>`)}</tbody></table>`;
}

function valueOf(field: EditorField, text: string): unknown {
  const trimmed = text.trim();
  if (field.kind === 'integer') return /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
  if (field.kind === 'yes-no') return trimmed === 'yes' ? true : trimmed === 'no' ? false : trimmed;
  if (field.kind === 'list') return trimmed.split(',').map((item) => item.trim()).filter((item) => item !== '');
  return trimmed;
}

/**
 * The payload the form describes, for the version's schema to check: numbers and yes/no turned
 * into JSON numbers and booleans where they are well-formed (anything else is passed as typed,
 * for the schema to name), empty optional fields and empty rows left out.
 */
export function payloadFromForm(type: ConfigType, form: Readonly<Record<string, string>>): unknown {
  const shape = EDITOR_SHAPES[type];
  const build = (read: (field: EditorField) => string | undefined): Record<string, unknown> => {
    const item: Record<string, unknown> = {};
    for (const field of shape.fields) {
      const text = read(field) ?? '';
      if (text.trim() === '' && (field.optional === true || shape.listName !== undefined)) continue;
      item[field.name] = text.trim() === '' ? undefined : valueOf(field, text);
    }
    return item;
  };
  if (shape.listName === undefined) return build((field) => form[`field.${field.name}`]);
  const indexes = [...new Set(Object.keys(form).flatMap((name) => /^row\.(\d+)\./.exec(name)?.[1] ?? []))].map(Number).sort((left, right) => left - right);
  const rows = indexes.map((index) => build((field) => form[`row.${index}.${field.name}`])).filter((row) => Object.keys(row).length > 0);
  return { [shape.listName]: rows };
}
