import { PlatformError } from './platform-error';
import { logstashFieldReference, logstashValue, type LogstashScalar } from './logstash-syntax';

/**
 * A condition over one log event, as a tiny syntax tree with two readings: `render()` writes
 * it as a Logstash conditional (what the Logstash pipeline evaluates), and `matches(event)`
 * evaluates it in TypeScript with the same meaning. Logstash itself cannot run where the
 * project is tested, so the tests prove each rule on real sample lines through `matches`
 * and pin the text `render` gives; the two readings come from one tree, so the rules the
 * tests prove are the rules Logstash runs.
 *
 * The meanings follow Logstash's conditionals on scalar fields:
 * - `equals`: `[a][b] == "x"`, true when the field holds exactly that string or number (a
 *   number never equals a string);
 * - `oneOf`: `[a][b] in ["x", "y"]`, the same against each value;
 * - `present`: `[a][b]`, true when the field exists and is neither null nor `false`;
 * - `all`, `any`, `not`: `and`, `or`, `!( )`, every operand in parentheses.
 *
 * @see https://www.elastic.co/docs/reference/logstash/event-dependent-configuration#conditionals
 */

/** A field of the event by its path from the root: `['kubernetes', 'namespace']` is `[kubernetes][namespace]`. */
export type FieldPath = readonly [string, ...string[]];

/** An event as the pipeline sees it: nested objects of JSON values. */
export type LogEvent = Readonly<Record<string, unknown>>;

type Node =
  | { readonly kind: 'equals'; readonly field: FieldPath; readonly value: LogstashScalar }
  | { readonly kind: 'oneOf'; readonly field: FieldPath; readonly values: readonly LogstashScalar[] }
  | { readonly kind: 'present'; readonly field: FieldPath }
  | { readonly kind: 'all'; readonly conditions: readonly LogCondition[] }
  | { readonly kind: 'any'; readonly conditions: readonly LogCondition[] }
  | { readonly kind: 'not'; readonly condition: LogCondition };

/** The value at `field` in `event`, or undefined when a step of the path is missing or not an object. */
export function fieldValue(event: LogEvent, field: FieldPath): unknown {
  let current: unknown = event;
  for (const segment of field) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

export class LogCondition {
  /** The field holds exactly `value`. */
  public static equals(field: FieldPath, value: LogstashScalar): LogCondition {
    logstashFieldReference(field, 'LogCondition.equals');
    logstashValue(value, 'LogCondition.equals');
    return new LogCondition({ kind: 'equals', field, value });
  }

  /** The field holds one of `values`. */
  public static oneOf(field: FieldPath, values: readonly LogstashScalar[]): LogCondition {
    logstashFieldReference(field, 'LogCondition.oneOf');
    if (!Array.isArray(values) || values.length === 0) {
      throw PlatformError.invalidProp('LogCondition.oneOf', 'values', values, 'at least one string or number');
    }
    values.forEach((value) => logstashValue(value, 'LogCondition.oneOf'));
    return new LogCondition({ kind: 'oneOf', field, values: [...values] });
  }

  /** The field exists and is neither null nor `false`. */
  public static present(field: FieldPath): LogCondition {
    logstashFieldReference(field, 'LogCondition.present');
    return new LogCondition({ kind: 'present', field });
  }

  /** Every condition holds. */
  public static all(...conditions: LogCondition[]): LogCondition {
    return new LogCondition({ kind: 'all', conditions: LogCondition.operands('all', conditions) });
  }

  /** At least one condition holds. */
  public static any(...conditions: LogCondition[]): LogCondition {
    return new LogCondition({ kind: 'any', conditions: LogCondition.operands('any', conditions) });
  }

  /** The condition does not hold. */
  public static not(condition: LogCondition): LogCondition {
    if (!(condition instanceof LogCondition)) throw PlatformError.invalidProp('LogCondition.not', 'condition', condition, 'a LogCondition');
    return new LogCondition({ kind: 'not', condition });
  }

  private static operands(kind: string, conditions: readonly LogCondition[]): readonly LogCondition[] {
    if (conditions.length < 2 || conditions.some((condition) => !(condition instanceof LogCondition))) {
      throw PlatformError.invalidProp(`LogCondition.${kind}`, 'conditions', conditions.length, 'two or more LogConditions');
    }
    return [...conditions];
  }

  private constructor(private readonly node: Node) {}

  /** The Logstash conditional: `[kubernetes][namespace] == "lms-apps" and ([json][audit])`. */
  public render(): string {
    const node = this.node;
    switch (node.kind) {
      case 'equals':
        return `${logstashFieldReference(node.field, 'LogCondition')} == ${logstashValue(node.value, 'LogCondition')}`;
      case 'oneOf':
        return `${logstashFieldReference(node.field, 'LogCondition')} in [${node.values.map((value) => logstashValue(value, 'LogCondition')).join(', ')}]`;
      case 'present':
        return logstashFieldReference(node.field, 'LogCondition');
      case 'all':
        return node.conditions.map((condition) => `(${condition.render()})`).join(' and ');
      case 'any':
        return node.conditions.map((condition) => `(${condition.render()})`).join(' or ');
      case 'not':
        return `!(${node.condition.render()})`;
    }
  }

  /** Whether the condition holds for `event`, as Logstash would decide. */
  public matches(event: LogEvent): boolean {
    const node = this.node;
    switch (node.kind) {
      case 'equals':
        return fieldValue(event, node.field) === node.value;
      case 'oneOf': {
        const value = fieldValue(event, node.field);
        return node.values.some((candidate) => candidate === value);
      }
      case 'present': {
        const value = fieldValue(event, node.field);
        return value !== undefined && value !== null && value !== false;
      }
      case 'all':
        return node.conditions.every((condition) => condition.matches(event));
      case 'any':
        return node.conditions.some((condition) => condition.matches(event));
      case 'not':
        return !node.condition.matches(event);
    }
  }
}
