/**
 * What a Kubernetes API server returns for the fields an object sets, so that the object
 * Terraform applies (`kubernetes_manifest`) reads back unchanged. Built-in kinds are Go
 * structs stored as protobuf, which changes three kinds of value on the way through:
 *
 * - a non-pointer field tagged `omitempty` holding its zero value (`false`, `0`) is not
 *   returned ({@link SERVER_OMITTED_FIELDS});
 * - an empty list is not returned (protobuf cannot tell an empty list from none);
 * - a resource quantity is returned in canonical form: `1000m` as `1`, `1024Mi` as `1Gi`,
 *   `0.5` as `500m` ({@link QUANTITY_FIELDS}, {@link canonicalQuantity}).
 *
 * Terraform sees such a field change after apply and fails with "Provider produced
 * inconsistent result after apply". Custom resources are stored as written and keep every
 * field as it is.
 *
 * Pure: no cdktf, no I/O; the input is never modified.
 * @see https://github.com/kubernetes/api/tree/v0.30.14 (the struct tags each row cites)
 * @see https://github.com/kubernetes/apimachinery/blob/v0.30.14/pkg/api/resource/quantity.go (canonical form)
 */

/** A rendered Kubernetes object: `apiVersion`, `kind` and whatever else it sets. */
export interface RenderedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly [field: string]: unknown;
}

/**
 * A JSON path inside an object: `*` stands for every element of a list, `{}` for every value
 * of a map.
 */
export type FieldPath = readonly string[];

/** One field the API server omits when it holds its zero value. */
export interface ServerOmittedField {
  /** The Go type of k8s.io/api the field belongs to (a key of {@link TYPE_LOCATIONS}). */
  readonly type: ApiType;
  /** The field's JSON name in that type. */
  readonly field: string;
  /** The zero value the server drops. */
  readonly zero: false | 0;
  /** The struct field and tag in k8s.io/api v0.30.14, for a reader to check. */
  readonly source: string;
}

/** Where resource quantities (`resource.Quantity`) sit in a Go type. */
export interface QuantityField {
  readonly type: ApiType;
  /** Path inside the type, ending at a quantity or at a map of them (`{}`). */
  readonly path: FieldPath;
  readonly source: string;
}

/**
 * API groups served by kube-apiserver itself (protobuf storage). Groups of custom resources
 * are never here, even under `*.k8s.io` (the Gateway API's `gateway.networking.k8s.io` is a CRD).
 */
export const BUILT_IN_API_GROUPS: ReadonlySet<string> = new Set([
  '', // core: v1
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
]);

/** Where each workload kind holds its pod template's PodSpec (`group/Kind`, core as `v1`). */
const POD_SPEC_PATHS: Readonly<Record<string, FieldPath>> = {
  'v1/Pod': ['spec'],
  'v1/PodTemplate': ['template', 'spec'],
  'v1/ReplicationController': ['spec', 'template', 'spec'],
  'apps/Deployment': ['spec', 'template', 'spec'],
  'apps/StatefulSet': ['spec', 'template', 'spec'],
  'apps/DaemonSet': ['spec', 'template', 'spec'],
  'apps/ReplicaSet': ['spec', 'template', 'spec'],
  'batch/Job': ['spec', 'template', 'spec'],
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

type Locations = ReadonlyArray<readonly [string, FieldPath]>;
const podSpecs: Locations = Object.entries(POD_SPEC_PATHS);
const within = (locations: Locations, ...path: string[]): Locations => locations.map(([kind, base]) => [kind, [...base, ...path]] as const);
const containers: Locations = [...within(podSpecs, 'containers', '*'), ...within(podSpecs, 'initContainers', '*')];

/** Where each Go type the tables name occurs: `group/Kind` to the type's path in that kind. */
export const TYPE_LOCATIONS = {
  PriorityClass: [['scheduling.k8s.io/PriorityClass', []]],
  DeploymentSpec: [['apps/Deployment', ['spec']]],
  StatefulSetSpec: [['apps/StatefulSet', ['spec']]],
  DaemonSetSpec: [['apps/DaemonSet', ['spec']]],
  ReplicaSetSpec: [['apps/ReplicaSet', ['spec']]],
  PodSpec: podSpecs,
  Container: containers,
  ContainerPort: within(containers, 'ports', '*'),
  VolumeMount: within(containers, 'volumeMounts', '*'),
  ServiceSpec: [['v1/Service', ['spec']]],
  ResourceQuotaSpec: [['v1/ResourceQuota', ['spec']]],
  LimitRangeItem: [['v1/LimitRange', ['spec', 'limits', '*']]],
  PersistentVolumeClaimSpec: [
    ['v1/PersistentVolumeClaim', ['spec']],
    ['apps/StatefulSet', ['spec', 'volumeClaimTemplates', '*', 'spec']],
  ],
} as const satisfies Record<string, Locations>;

export type ApiType = keyof typeof TYPE_LOCATIONS;

/**
 * Zero-valued fields the API server drops: non-pointer fields tagged `omitempty` that the
 * platform's charts (or cdk8s-plus) may write. Pointer fields (`*bool`, `*int32`, such as
 * `setHostnameAsFQDN`, `privileged`, `stabilizationWindowSeconds`, `replicas`) are returned
 * as written and are not listed.
 */
export const SERVER_OMITTED_FIELDS: readonly ServerOmittedField[] = [
  { type: 'PriorityClass', field: 'globalDefault', zero: false, source: 'scheduling/v1 PriorityClass.GlobalDefault bool `json:"globalDefault,omitempty"`' },
  { type: 'DeploymentSpec', field: 'minReadySeconds', zero: 0, source: 'apps/v1 DeploymentSpec.MinReadySeconds int32 `json:"minReadySeconds,omitempty"`' },
  { type: 'DeploymentSpec', field: 'paused', zero: false, source: 'apps/v1 DeploymentSpec.Paused bool `json:"paused,omitempty"`' },
  { type: 'StatefulSetSpec', field: 'minReadySeconds', zero: 0, source: 'apps/v1 StatefulSetSpec.MinReadySeconds int32 `json:"minReadySeconds,omitempty"`' },
  { type: 'DaemonSetSpec', field: 'minReadySeconds', zero: 0, source: 'apps/v1 DaemonSetSpec.MinReadySeconds int32 `json:"minReadySeconds,omitempty"`' },
  { type: 'ReplicaSetSpec', field: 'minReadySeconds', zero: 0, source: 'apps/v1 ReplicaSetSpec.MinReadySeconds int32 `json:"minReadySeconds,omitempty"`' },
  { type: 'PodSpec', field: 'hostNetwork', zero: false, source: 'core/v1 PodSpec.HostNetwork bool `json:"hostNetwork,omitempty"`' },
  { type: 'PodSpec', field: 'hostPID', zero: false, source: 'core/v1 PodSpec.HostPID bool `json:"hostPID,omitempty"`' },
  { type: 'PodSpec', field: 'hostIPC', zero: false, source: 'core/v1 PodSpec.HostIPC bool `json:"hostIPC,omitempty"`' },
  { type: 'Container', field: 'stdin', zero: false, source: 'core/v1 Container.Stdin bool `json:"stdin,omitempty"`' },
  { type: 'Container', field: 'stdinOnce', zero: false, source: 'core/v1 Container.StdinOnce bool `json:"stdinOnce,omitempty"`' },
  { type: 'Container', field: 'tty', zero: false, source: 'core/v1 Container.TTY bool `json:"tty,omitempty"`' },
  { type: 'ContainerPort', field: 'hostPort', zero: 0, source: 'core/v1 ContainerPort.HostPort int32 `json:"hostPort,omitempty"`' },
  { type: 'VolumeMount', field: 'readOnly', zero: false, source: 'core/v1 VolumeMount.ReadOnly bool `json:"readOnly,omitempty"`' },
  { type: 'ServiceSpec', field: 'publishNotReadyAddresses', zero: false, source: 'core/v1 ServiceSpec.PublishNotReadyAddresses bool `json:"publishNotReadyAddresses,omitempty"`' },
];

/** Resource quantities the API server returns in canonical form. */
export const QUANTITY_FIELDS: readonly QuantityField[] = [
  { type: 'Container', path: ['resources', 'limits', '{}'], source: 'core/v1 ResourceRequirements.Limits ResourceList' },
  { type: 'Container', path: ['resources', 'requests', '{}'], source: 'core/v1 ResourceRequirements.Requests ResourceList' },
  { type: 'PodSpec', path: ['overhead', '{}'], source: 'core/v1 PodSpec.Overhead ResourceList' },
  { type: 'PodSpec', path: ['volumes', '*', 'emptyDir', 'sizeLimit'], source: 'core/v1 EmptyDirVolumeSource.SizeLimit *resource.Quantity' },
  { type: 'ResourceQuotaSpec', path: ['hard', '{}'], source: 'core/v1 ResourceQuotaSpec.Hard ResourceList' },
  ...(['default', 'defaultRequest', 'max', 'min', 'maxLimitRequestRatio'] as const).map(
    (field): QuantityField => ({ type: 'LimitRangeItem', path: [field, '{}'], source: `core/v1 LimitRangeItem.${field[0].toUpperCase()}${field.slice(1)} ResourceList` }),
  ),
  { type: 'PersistentVolumeClaimSpec', path: ['resources', 'requests', '{}'], source: 'core/v1 VolumeResourceRequirements.Requests ResourceList' },
  { type: 'PersistentVolumeClaimSpec', path: ['resources', 'limits', '{}'], source: 'core/v1 VolumeResourceRequirements.Limits ResourceList' },
];

/** `apps/v1` -> `apps`; `v1` -> `` (core). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

type Rewrite = (value: unknown) => { readonly keep: boolean; readonly value?: unknown };

/** Per `group/Kind`: full paths and what to do with the value found there, built once from the tables. */
const REWRITES_BY_KIND: ReadonlyMap<string, ReadonlyArray<{ readonly path: FieldPath; readonly rewrite: Rewrite }>> = (() => {
  const byKind = new Map<string, Array<{ path: FieldPath; rewrite: Rewrite }>>();
  const add = (type: ApiType, path: FieldPath, rewrite: Rewrite) => {
    for (const [kind, base] of TYPE_LOCATIONS[type] as Locations) {
      byKind.set(kind, [...(byKind.get(kind) ?? []), { path: [...base, ...path], rewrite }]);
    }
  };
  for (const row of SERVER_OMITTED_FIELDS) add(row.type, [row.field], (value) => ({ keep: value !== row.zero, value }));
  for (const row of QUANTITY_FIELDS) add(row.type, row.path, (value) => ({ keep: true, value: canonicalQuantityValue(value) }));
  return byKind;
})();

/**
 * The object as the API server returns the fields it sets: for built-in kinds, drops every
 * empty list and the zero-valued fields of {@link SERVER_OMITTED_FIELDS}, and writes the
 * quantities of {@link QUANTITY_FIELDS} in canonical form; custom resources are returned
 * as given. Returns a copy; the input is left as it is.
 */
export function apiServerNormalForm<T extends RenderedObject>(object: T): T {
  const group = apiGroupOf(object.apiVersion);
  if (!BUILT_IN_API_GROUPS.has(group)) return object;
  const copy = withoutEmptyLists(object) as T;
  for (const { path, rewrite } of REWRITES_BY_KIND.get(`${group === '' ? 'v1' : group}/${object.kind}`) ?? []) {
    rewriteAt(copy, path, rewrite);
  }
  return copy;
}

/** A deep copy of `value` without any list that is empty. */
function withoutEmptyLists(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmptyLists);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (Array.isArray(child) && child.length === 0) continue;
    copy[key] = withoutEmptyLists(child);
  }
  return copy;
}

/** Applies `rewrite` (in place, on the fresh copy) to every value at `path`. */
function rewriteAt(node: unknown, path: FieldPath, rewrite: Rewrite): void {
  if (node === null || typeof node !== 'object') return;
  const [head, ...rest] = path;
  if (head === '*') {
    if (Array.isArray(node)) node.forEach((element) => rewriteAt(element, rest, rewrite));
    return;
  }
  if (Array.isArray(node)) return;
  const record = node as Record<string, unknown>;
  const keys = head === '{}' ? Object.keys(record) : [head];
  for (const key of keys) {
    if (!(key in record)) continue;
    if (rest.length > 0) {
      rewriteAt(record[key], rest, rewrite);
      continue;
    }
    const result = rewrite(record[key]);
    if (result.keep) record[key] = result.value;
    else delete record[key];
  }
}

/**
 * A quantity value as it is written back: a string in canonical form; a JSON number stays
 * a number when its canonical form is its plain decimal (10 -> 10, which the provider
 * compares as "10"), and becomes the canonical string otherwise (2000 -> "2k").
 * Anything that is not a quantity is left for the API server to reject.
 */
function canonicalQuantityValue(value: unknown): unknown {
  if (typeof value === 'number') {
    const canonical = canonicalQuantity(String(value));
    return canonical === undefined || canonical === String(value) ? value : canonical;
  }
  if (typeof value === 'string') return canonicalQuantity(value) ?? value;
  return value;
}

const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;
const QUANTITY_PATTERN = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

/**
 * The canonical form of a Kubernetes quantity, as `resource.Quantity.String()` writes it:
 * binary suffixes stay binary when the value is a whole number of at least 1024 (largest
 * exact power of 1024: `1024Mi` -> `1Gi`); everything else is decimal with the largest
 * exponent that is a multiple of 3 and keeps the number whole (`1000m` -> `1`, `1500m` ->
 * `1500m`, `0.5` -> `500m`, `2000` -> `2k`); precision finer than 1n is rounded up.
 * Undefined when `text` is not a quantity.
 */
export function canonicalQuantity(text: string): string | undefined {
  const match = QUANTITY_PATTERN.exec(text);
  if (!match) return undefined;
  const [, sign, digits, suffix = '', exponentText] = match;
  const [whole, fraction = ''] = digits.split('.');
  let numerator = BigInt(`${whole || '0'}${fraction}`);
  let scale = -fraction.length; // value = numerator * 10^scale * 1024^binaryPower
  let binaryPower = 0;
  const binary = (BINARY_SUFFIXES as readonly string[]).includes(suffix) && suffix !== '';
  if (binary) binaryPower = BINARY_SUFFIXES.indexOf(suffix as (typeof BINARY_SUFFIXES)[number]);
  else if (exponentText !== undefined) scale += Number(exponentText);
  else scale += DECIMAL_SUFFIXES[suffix];
  numerator *= 1024n ** BigInt(binaryPower);
  if (numerator === 0n) return '0';
  const negative = sign === '-';

  // Round up to nano precision, as the parser does.
  if (scale < -9) {
    const divisor = 10n ** BigInt(-9 - scale);
    numerator = numerator / divisor + (numerator % divisor === 0n ? 0n : 1n);
    scale = -9;
  }

  if (binary) {
    const wholeValue = scale >= 0 ? numerator * 10n ** BigInt(scale) : numerator % 10n ** BigInt(-scale) === 0n ? numerator / 10n ** BigInt(-scale) : undefined;
    if (wholeValue !== undefined && wholeValue >= 1024n) {
      let mantissa = wholeValue;
      let power = 0;
      while (power < BINARY_SUFFIXES.length - 1 && mantissa % 1024n === 0n) {
        mantissa /= 1024n;
        power += 1;
      }
      return `${negative ? '-' : ''}${mantissa}${BINARY_SUFFIXES[power]}`;
    }
  }

  // Decimal: strip factors of ten, then step down to a multiple of 3.
  while (numerator % 10n === 0n) {
    numerator /= 10n;
    scale += 1;
  }
  const remainder = ((scale % 3) + 3) % 3;
  numerator *= 10n ** BigInt(remainder);
  scale -= remainder;
  const decimalSuffix = exponentText !== undefined && !binary ? (scale === 0 ? '' : `e${scale}`) : (Object.entries(DECIMAL_SUFFIXES).find(([, exponent]) => exponent === scale)?.[0] ?? `e${scale}`);
  return `${negative ? '-' : ''}${numerator}${decimalSuffix}`;
}
