/** A Kubernetes label selector: `matchLabels` and `matchExpressions`, both optional. */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

/**
 * Whether `selector` selects an object with `labels`, as the API server reads it: every
 * `matchLabels` entry and every expression must hold. An empty selector selects everything.
 * @throws Error for an operator Kubernetes does not know
 */
export function selectsLabels(selector: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  const have = labels ?? {};
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => have[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every((expression) => {
    const present = Object.prototype.hasOwnProperty.call(have, expression.key);
    switch (expression.operator) {
      case 'In':
        return present && (expression.values ?? []).includes(have[expression.key]!);
      case 'NotIn':
        return !present || !(expression.values ?? []).includes(have[expression.key]!);
      case 'Exists':
        return present;
      case 'DoesNotExist':
        return !present;
      default:
        throw new Error(`label selector: operator ${JSON.stringify(expression.operator)} is not one of In, NotIn, Exists, DoesNotExist`);
    }
  });
  return byLabels && byExpressions;
}
