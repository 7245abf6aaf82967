/** One difference between two configuration payloads, at a JSON path such as `rules[2].maxPrincipalNgwee`. */
export interface ConfigChange {
  readonly path: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly before: unknown;
  readonly after: unknown;
}

type Leaf = string | number | boolean | null;

/**
 * The differences between two payloads, leaf by leaf, in a stable order (the paths of `after`
 * first, in its order, then those only in `before`). Arrays compare by position, so a line
 * inserted in the middle of a list shows as changes to the lines after it, as a reviewer reading
 * the numbered lines expects.
 */
export function diffPayloads(before: unknown, after: unknown): ConfigChange[] {
  const beforeLeaves = flatten(before);
  const afterLeaves = flatten(after);
  const changes: ConfigChange[] = [];
  for (const [path, value] of afterLeaves) {
    if (!beforeLeaves.has(path)) changes.push({ path, change: 'added', before: null, after: value });
    else if (!Object.is(beforeLeaves.get(path), value)) changes.push({ path, change: 'changed', before: beforeLeaves.get(path), after: value });
  }
  for (const [path, value] of beforeLeaves) {
    if (!afterLeaves.has(path)) changes.push({ path, change: 'removed', before: value, after: null });
  }
  return changes;
}

function flatten(value: unknown, path = '', into = new Map<string, Leaf>()): Map<string, Leaf> {
  if (Array.isArray(value)) {
    if (value.length === 0 && path !== '') into.set(path, '[]' as Leaf);
    value.forEach((item, index) => flatten(item, `${path}[${index}]`, into));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) flatten(child, path === '' ? key : `${path}.${key}`, into);
  } else if (value !== undefined) {
    into.set(path === '' ? '(value)' : path, value as Leaf);
  }
  return into;
}
