import * as fs from 'fs';
import * as path from 'path';

/** How one stack differs between two synthesized outputs (`cdktf.out/`). */
export interface StackChange {
  readonly stack: string;
  /** `added` / `removed`: the stack exists on one side only. */
  readonly kind: 'added' | 'removed' | 'changed' | 'unchanged';
  /** Terraform addresses (`type.name`) added, removed and changed, sorted; other files by path. */
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

/** The stacks of a synthesized output folder, sorted. */
export function stacksOf(outdir: string): string[] {
  const directory = path.join(outdir, 'stacks');
  if (!fs.existsSync(directory)) return [];
  return fs.readdirSync(directory, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

/** Every file of a folder, by its path relative to the folder, with its contents. */
function filesOf(directory: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(directory, relative), { withFileTypes: true })) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else files.set(child, fs.readFileSync(path.join(directory, child)));
    }
  };
  walk('');
  return files;
}

/** `resource.<type>.<name>` of a stack's Terraform JSON, each as its JSON text. */
function resourcesOf(text: Buffer | undefined): Map<string, string> {
  const resources = new Map<string, string>();
  if (text === undefined) return resources;
  const json = JSON.parse(text.toString('utf8')) as { resource?: Record<string, Record<string, unknown>> };
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) resources.set(`${type}.${name}`, JSON.stringify(body));
  }
  return resources;
}

const STACK_JSON = 'cdk.tf.json';

/** What changes per stack from `before` to `after` (two `cdktf.out/` folders), every stack of either, sorted. */
export function diffStacks(before: string, after: string): StackChange[] {
  const names = [...new Set([...stacksOf(before), ...stacksOf(after)])].sort();
  return names.map((stack) => {
    const left = path.join(before, 'stacks', stack);
    const right = path.join(after, 'stacks', stack);
    const oldFiles = fs.existsSync(left) ? filesOf(left) : undefined;
    const newFiles = fs.existsSync(right) ? filesOf(right) : undefined;
    const oldResources = resourcesOf(oldFiles?.get(STACK_JSON));
    const newResources = resourcesOf(newFiles?.get(STACK_JSON));
    const added = [...newResources.keys()].filter((key) => !oldResources.has(key));
    const removed = [...oldResources.keys()].filter((key) => !newResources.has(key));
    const changed = [...newResources.keys()].filter((key) => oldResources.has(key) && oldResources.get(key) !== newResources.get(key));
    // Anything else the stack carries (its local charts, the rest of its Terraform JSON).
    const otherFiles = [...new Set([...(oldFiles?.keys() ?? []), ...(newFiles?.keys() ?? [])])].filter((file) => {
      const a = oldFiles?.get(file);
      const b = newFiles?.get(file);
      if (file === STACK_JSON && a && b) {
        const strip = (text: Buffer) => JSON.stringify({ ...(JSON.parse(text.toString('utf8')) as object), resource: undefined });
        return strip(a) !== strip(b);
      }
      return a === undefined || b === undefined || !a.equals(b);
    });
    changed.push(...otherFiles.filter((file) => file !== STACK_JSON || (oldFiles && newFiles)).map((file) => (file === STACK_JSON ? `${STACK_JSON} (outside resources)` : file)));
    const kind = oldFiles === undefined ? 'added' : newFiles === undefined ? 'removed' : added.length + removed.length + changed.length > 0 ? 'changed' : 'unchanged';
    return { stack, kind, added: added.sort(), removed: removed.sort(), changed: changed.sort() };
  });
}

/** The stacks that differ (added, removed or changed), for a CI matrix. */
export function changedStacks(before: string, after: string): string[] {
  return diffStacks(before, after)
    .filter((change) => change.kind !== 'unchanged')
    .map((change) => change.stack);
}
