import type { KubeObject, ObjectRef, RuleResult, Violation } from './types';

/** A plain JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The field of a value that may not be an object: `undefined` when it is not one. */
export function field(value: unknown, name: string): unknown {
  return isRecord(value) ? value[name] : undefined;
}

export function objectRef(object: KubeObject): ObjectRef {
  const metadata = field(object, 'metadata');
  const namespace = field(metadata, 'namespace');
  return { kind: String(field(object, 'kind')), namespace: typeof namespace === 'string' ? namespace : '', name: String(field(metadata, 'name')) };
}

/** `Deployment/lms-apps/loan-service`, `PriorityClass//lms-apps`: how suppressions name objects. */
export function objectKey(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

/**
 * `Deployment lms-apps/loan-service`, `PriorityClass lms-apps`: how reports name objects;
 * prefixed by the stack (`production-lusaka-apps: Deployment ...`) when the ref names one.
 */
export function objectLabel(ref: ObjectRef): string {
  return `${ref.stack ? `${ref.stack}: ` : ''}${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** The namespace an object states, or `undefined` when it states none (or not as a string). */
export function namespaceOf(object: KubeObject): string | undefined {
  const namespace = field(field(object, 'metadata'), 'namespace');
  return typeof namespace === 'string' && namespace !== '' ? namespace : undefined;
}

/** Labels as a map of strings, or `undefined` when they are not one. */
export function stringMap(value: unknown): Readonly<Record<string, string>> | undefined {
  if (!isRecord(value)) return undefined;
  return Object.values(value).every((entry) => typeof entry === 'string') ? (value as Record<string, string>) : undefined;
}

/**
 * Whether a Kubernetes label selector (`matchLabels` and `matchExpressions`) selects
 * `labels`. A selector that cannot be read (wrong types, unknown operator) selects nothing.
 * An empty selector selects everything: callers that must not count it check `isEmptySelector`.
 */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isRecord(selector)) return false;
  const matchLabels = selector.matchLabels ?? {};
  const expressions = selector.matchExpressions ?? [];
  const wanted = stringMap(matchLabels);
  if (!wanted || !Array.isArray(expressions)) return false;
  if (!Object.entries(wanted).every(([key, value]) => labels[key] === value)) return false;
  return expressions.every((expression) => expressionMatches(expression, labels));
}

function expressionMatches(expression: unknown, labels: Readonly<Record<string, string>>): boolean {
  const key = field(expression, 'key');
  const operator = field(expression, 'operator');
  const values = field(expression, 'values') ?? [];
  if (typeof key !== 'string' || !Array.isArray(values) || !values.every((value) => typeof value === 'string')) return false;
  const present = Object.prototype.hasOwnProperty.call(labels, key);
  switch (operator) {
    case 'In':
      return present && values.includes(labels[key]);
    case 'NotIn':
      return !present || !values.includes(labels[key]);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    default:
      return false;
  }
}

/** A selector with neither `matchLabels` entries nor `matchExpressions`: it selects every pod. */
export function isEmptySelector(selector: unknown): boolean {
  const matchLabels = field(selector, 'matchLabels');
  const expressions = field(selector, 'matchExpressions');
  return (!isRecord(matchLabels) || Object.keys(matchLabels).length === 0) && (!Array.isArray(expressions) || expressions.length === 0);
}

/** Results for one object: compliant when nothing is wrong, else one non-compliant result per violation. */
export function judge(object: ObjectRef, violations: readonly Violation[]): RuleResult[] {
  return violations.length === 0 ? [{ status: 'compliant', object }] : violations.map((violation) => ({ status: 'non-compliant', object, ...violation }));
}

export function notApplicable(object: ObjectRef): RuleResult {
  return { status: 'not-applicable', object };
}
