import { objectPath, type KubeClient } from './kube-client';
import type { AppliedObject } from './stacks';

/** Plural name and scope of each `apiVersion/kind`, from the API server's discovery. */
export class Discovery {
  private readonly cache = new Map<string, Map<string, { plural: string; namespaced: boolean }>>();

  constructor(private readonly client: KubeClient) {}

  public async resource(apiVersion: string, kind: string): Promise<{ plural: string; namespaced: boolean }> {
    let kinds = this.cache.get(apiVersion);
    if (!kinds) {
      const list = await this.client.get<{ resources: Array<{ name: string; kind: string; namespaced: boolean }> }>(apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`);
      kinds = new Map(list.resources.filter((r) => !r.name.includes('/')).map((r) => [r.kind, { plural: r.name, namespaced: r.namespaced }]));
      this.cache.set(apiVersion, kinds);
    }
    const found = kinds.get(kind);
    if (!found) throw new Error(`${apiVersion} ${kind} is not served by ${this.client.server}`);
    return found;
  }

  /** The REST path of a rendered object on this cluster. */
  public async pathOf(object: AppliedObject): Promise<string> {
    const { plural, namespaced } = await this.resource(object.apiVersion, object.kind);
    return objectPath(object.apiVersion, plural, object.metadata.name, namespaced ? object.metadata.namespace : undefined);
  }
}

/** `Deployment lms-apps/loan-service` */
export function describeObject(object: AppliedObject): string {
  return `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
}

/**
 * Keys under which values are Kubernetes quantities: the server returns them in canonical
 * form (`1000m` as `1`, `10` as `"10"`), so they compare by value.
 */
const QUANTITY_PARENTS = new Set(['limits', 'requests', 'hard', 'default', 'defaultRequest', 'max', 'min', 'maxLimitRequestRatio', 'capacity', 'sizeLimit']);

const SUFFIXES: Readonly<Record<string, number>> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** The numeric value of a quantity (`"500m"` -> 0.5, `"1Gi"` -> 1073741824, `10` -> 10), or undefined. */
export function quantityValue(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match = /^([+-]?\d+(?:\.\d+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(value);
  return match ? Number(match[1]) * SUFFIXES[match[2] ?? ''] : undefined;
}

/**
 * Every field of `expected` that `live` lacks or holds differently, as `path: expected
 * ... live ...` lines: the rendered object must be a subset of the live one (lists compare
 * element by element and must have the same length).
 */
export function fieldDifferences(expected: unknown, live: unknown, path = '', parentKey = ''): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(live)) return [`${path}: expected a list of ${expected.length}, live ${JSON.stringify(live)}`];
    if (live.length !== expected.length) return [`${path}: expected ${expected.length} elements, live has ${live.length}: ${JSON.stringify(live).slice(0, 200)}`];
    return expected.flatMap((element, index) => fieldDifferences(element, live[index], `${path}[${index}]`, parentKey));
  }
  if (expected !== null && typeof expected === 'object') {
    if (live === null || typeof live !== 'object' || Array.isArray(live)) return [`${path}: expected an object, live ${JSON.stringify(live)}`];
    return Object.entries(expected).flatMap(([key, value]) =>
      fieldDifferences(value, (live as Record<string, unknown>)[key], path ? `${path}.${key}` : key, key),
    );
  }
  if (expected === live) return [];
  if (QUANTITY_PARENTS.has(parentKey) || path.split('.').some((part) => QUANTITY_PARENTS.has(part.replace(/\[\d+\]$/, '')))) {
    const [a, b] = [quantityValue(expected), quantityValue(live)];
    if (a !== undefined && b !== undefined && Math.abs(a - b) <= Math.abs(a) * 1e-12) return [];
  }
  return [`${path}: expected ${JSON.stringify(expected)}, live ${live === undefined ? '(absent)' : JSON.stringify(live)}`];
}

/** Why a Deployment or StatefulSet has not finished its rollout, or undefined when it has. */
export function rolloutProblem(live: any): string | undefined {
  const spec = live.spec ?? {};
  const status = live.status ?? {};
  const wanted = spec.replicas ?? 1;
  if ((status.observedGeneration ?? 0) < (live.metadata?.generation ?? 0)) return `observedGeneration ${status.observedGeneration} < generation ${live.metadata.generation}`;
  const counts = live.kind === 'StatefulSet' ? { ready: status.readyReplicas ?? 0, updated: status.updatedReplicas ?? 0 } : { ready: status.readyReplicas ?? 0, updated: status.updatedReplicas ?? 0, available: status.availableReplicas ?? 0 };
  const short = Object.entries(counts).filter(([, count]) => count !== wanted);
  if (short.length > 0) return `${wanted} replicas wanted; ${short.map(([name, count]) => `${name} ${count}`).join(', ')}`;
  if (live.kind === 'StatefulSet' && status.currentRevision !== status.updateRevision) return `currentRevision ${status.currentRevision} != updateRevision ${status.updateRevision}`;
  return undefined;
}
