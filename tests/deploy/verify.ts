import * as yaml from 'js-yaml';
import * as zlib from 'zlib';
import { objectPath, type KubeClient } from './kube-client';
import type { AppliedObject, SynthesizedRelease } from './stacks';

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

  /** The REST path of a rendered object on this cluster; a namespaced object without a namespace is in `defaultNamespace`. */
  public async pathOf(object: AppliedObject, defaultNamespace?: string): Promise<string> {
    const { plural, namespaced } = await this.resource(object.apiVersion, object.kind);
    return objectPath(object.apiVersion, plural, object.metadata.name, namespaced ? (object.metadata.namespace ?? defaultNamespace) : undefined);
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

/** Kinds whose rollout the checks wait for. */
export const ROLLOUT_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** Why a Deployment, StatefulSet or DaemonSet has not finished its rollout, or undefined when it has. */
export function rolloutProblem(live: any): string | undefined {
  const spec = live.spec ?? {};
  const status = live.status ?? {};
  const wanted = spec.replicas ?? 1;
  if ((status.observedGeneration ?? 0) < (live.metadata?.generation ?? 0)) return `observedGeneration ${status.observedGeneration} < generation ${live.metadata.generation}`;
  if (live.kind === 'DaemonSet') {
    // One pod per node it selects: every one updated, ready and available.
    const scheduled = status.desiredNumberScheduled ?? 0;
    const pods = { ready: status.numberReady ?? 0, updated: status.updatedNumberScheduled ?? 0, available: status.numberAvailable ?? 0 };
    const behind = Object.entries(pods).filter(([, count]) => count !== scheduled);
    return behind.length > 0 ? `${scheduled} pods wanted (one per selected node); ${behind.map(([name, count]) => `${name} ${count}`).join(', ')}` : undefined;
  }
  const counts = live.kind === 'StatefulSet' ? { ready: status.readyReplicas ?? 0, updated: status.updatedReplicas ?? 0 } : { ready: status.readyReplicas ?? 0, updated: status.updatedReplicas ?? 0, available: status.availableReplicas ?? 0 };
  const short = Object.entries(counts).filter(([, count]) => count !== wanted);
  if (short.length > 0) return `${wanted} replicas wanted; ${short.map(([name, count]) => `${name} ${count}`).join(', ')}`;
  if (live.kind === 'StatefulSet' && status.currentRevision !== status.updateRevision) return `currentRevision ${status.currentRevision} != updateRevision ${status.updateRevision}`;
  return undefined;
}

/** A Helm release as Helm stores it: the decoded `release` field of its Secret. */
export interface StoredRelease {
  readonly name: string;
  readonly namespace: string;
  /** Revision (1 for the first install). */
  readonly version: number;
  readonly info: { readonly status: string };
  readonly chart: { readonly metadata: { readonly name: string; readonly version: string } };
  /** The values the release was installed with (the user-supplied ones, before the chart's defaults). */
  readonly config?: Record<string, unknown>;
  /** The rendered objects, a multi-document YAML (hooks and `crds/` are not in it). */
  readonly manifest: string;
}

/** A release Secret (`sh.helm.release.v1.<name>.v<revision>`, type helm.sh/release.v1) as the API server returns it. */
export interface ReleaseSecret {
  readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>> };
  readonly data?: { readonly release?: string };
}

/**
 * The release a Helm release Secret holds: `data.release` is base64 (the Secret's own
 * encoding) of base64 of the gzipped JSON of the release (Helm's storage driver format).
 */
export function decodeReleaseSecret(secret: ReleaseSecret): StoredRelease {
  const field = secret.data?.release;
  if (!field) throw new Error(`Secret ${secret.metadata.name}: no data.release (not a Helm release Secret)`);
  const inner = Buffer.from(Buffer.from(field, 'base64').toString('latin1'), 'base64');
  const json = inner[0] === 0x1f && inner[1] === 0x8b ? zlib.gunzipSync(inner) : inner;
  return JSON.parse(json.toString('utf8')) as StoredRelease;
}

/** Later maps merge into earlier ones key by key; anything else replaces (how the helm provider merges `values`). */
function mergeValues(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    const bothMaps = [value, current].every((item) => item !== null && typeof item === 'object' && !Array.isArray(item));
    out[key] = bothMaps ? mergeValues(current as Record<string, unknown>, value as Record<string, unknown>) : value;
  }
  return out;
}

/** The release's `values` documents merged in order, as the helm provider hands them to Helm. */
export function mergedValues(values: readonly string[]): Record<string, unknown> {
  return values.reduce<Record<string, unknown>>((merged, document, index) => {
    const parsed = yaml.load(document) ?? {};
    if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`values[${index}]: ${JSON.stringify(document).slice(0, 80)} is not a YAML map`);
    return mergeValues(merged, parsed as Record<string, unknown>);
  }, {});
}

/**
 * What is wrong with the newest stored revision of a release against the synthesized one:
 * not deployed, another chart or version, another namespace, or values that did not reach it.
 */
export function releaseProblems(release: SynthesizedRelease, secret: ReleaseSecret, stored: StoredRelease): string[] {
  const problems: string[] = [];
  const label = secret.metadata.labels?.status;
  if (label !== 'deployed') problems.push(`Secret ${secret.metadata.name}: label status=${label ?? '(absent)'} (wanted deployed)`);
  if (stored.info.status !== 'deployed') problems.push(`info.status ${JSON.stringify(stored.info.status)} (wanted "deployed")`);
  const chart = `${stored.chart.metadata.name} ${stored.chart.metadata.version}`;
  if (chart !== `${release.chart} ${release.version}`) problems.push(`chart ${chart} (wanted ${release.chart} ${release.version})`);
  if (stored.namespace !== release.namespace) problems.push(`namespace ${stored.namespace} (wanted ${release.namespace})`);
  problems.push(...fieldDifferences(mergedValues(release.values), stored.config ?? {}).map((line) => `values: ${line}`));
  return problems;
}

/** The objects a release rendered (its manifest); a namespaced one without a namespace is in the release's. */
export function releaseObjects(stored: StoredRelease): AppliedObject[] {
  return yaml.loadAll(stored.manifest).filter((document): document is AppliedObject => document !== null && typeof document === 'object' && 'kind' in document);
}

/** `helm.sh/resource-policy: keep`: Helm leaves the object when the release is uninstalled. */
export function keptOnUninstall(object: AppliedObject): boolean {
  const annotations = (object.metadata.annotations ?? {}) as Record<string, string>;
  return annotations['helm.sh/resource-policy'] === 'keep';
}

/** Every Secret Helm stores for a release (one per revision), newest last. */
export async function releaseSecrets(client: KubeClient, release: Pick<SynthesizedRelease, 'name' | 'namespace'>): Promise<ReleaseSecret[]> {
  const selector = encodeURIComponent(`owner=helm,name=${release.name}`);
  const list = await client.get<{ items: ReleaseSecret[] }>(`/api/v1/namespaces/${encodeURIComponent(release.namespace)}/secrets?labelSelector=${selector}`);
  return list.items.sort((a, b) => Number(a.metadata.labels?.version ?? 0) - Number(b.metadata.labels?.version ?? 0));
}
