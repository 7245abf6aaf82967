/**
 * What a Kubernetes API server returns for the fields an object sets, so that the object
 * Terraform applies (`kubernetes_manifest`) reads back unchanged. Built-in kinds are Go
 * structs stored as protobuf: a non-pointer field tagged `omitempty` that holds its zero
 * value (`false`, `0`) is not returned, and neither is an empty list (protobuf cannot tell
 * an empty list from none). Terraform then sees the applied field vanish and fails the apply
 * with "Provider produced inconsistent result after apply". Custom resources are stored as
 * written and keep every field.
 *
 * Pure: no cdktf, no I/O; the input is never modified.
 * @see https://github.com/kubernetes/api/tree/v0.30.14 (the struct tags each row cites)
 */

/** A rendered Kubernetes object: `apiVersion`, `kind` and whatever else it sets. */
export interface RenderedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly [field: string]: unknown;
}

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

/** A JSON path inside an object; `*` stands for every element of a list. */
type Path = readonly string[];

/** Where each workload kind holds its pod template's PodSpec. */
const POD_SPEC_PATHS: Readonly<Record<string, Path>> = {
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

const podSpecs = Object.entries(POD_SPEC_PATHS);
const containersOf = (list: string) => podSpecs.map(([kind, path]) => [kind, [...path, list, '*']] as const);
const containers = [...containersOf('containers'), ...containersOf('initContainers')];

/**
 * Where each Go type listed in {@link SERVER_OMITTED_FIELDS} occurs: `group/Kind` (core
 * group as `v1`) to the path of the type inside that kind.
 */
export const TYPE_LOCATIONS = {
  PriorityClass: [['scheduling.k8s.io/PriorityClass', []]],
  DeploymentSpec: [['apps/Deployment', ['spec']]],
  StatefulSetSpec: [['apps/StatefulSet', ['spec']]],
  DaemonSetSpec: [['apps/DaemonSet', ['spec']]],
  ReplicaSetSpec: [['apps/ReplicaSet', ['spec']]],
  PodSpec: podSpecs,
  Container: containers,
  ContainerPort: containers.map(([kind, path]) => [kind, [...path, 'ports', '*']] as const),
  VolumeMount: containers.map(([kind, path]) => [kind, [...path, 'volumeMounts', '*']] as const),
  ServiceSpec: [['v1/Service', ['spec']]],
} as const satisfies Record<string, ReadonlyArray<readonly [string, Path]>>;

export type ApiType = keyof typeof TYPE_LOCATIONS;

/**
 * Zero-valued fields the API server drops: non-pointer fields tagged `omitempty` that the
 * platform's charts (or cdk8s-plus) may write. Pointer fields (`*bool`, `*int32`, such as
 * `setHostnameAsFQDN`, `privileged`, `stabilizationWindowSeconds`) are returned as written
 * and are not listed. Empty lists are dropped everywhere in built-in kinds (see
 * {@link apiServerNormalForm}).
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

/** `apps/v1` -> `apps`; `v1` -> `` (core). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Zero-valued fields to drop per `group/Kind`, as full paths, built once from the table. */
const OMITTED_BY_KIND: ReadonlyMap<string, ReadonlyArray<{ readonly path: Path; readonly zero: false | 0 }>> = (() => {
  const byKind = new Map<string, Array<{ path: Path; zero: false | 0 }>>();
  for (const row of SERVER_OMITTED_FIELDS) {
    for (const [kind, path] of TYPE_LOCATIONS[row.type] as ReadonlyArray<readonly [string, Path]>) {
      const list = byKind.get(kind) ?? [];
      list.push({ path: [...path, row.field], zero: row.zero });
      byKind.set(kind, list);
    }
  }
  return byKind;
})();

/**
 * The object as the API server returns the fields it sets: for built-in kinds, drops the
 * zero-valued fields of {@link SERVER_OMITTED_FIELDS} and every empty list; custom
 * resources are returned as given. Returns a copy; the input is left as it is.
 */
export function apiServerNormalForm<T extends RenderedObject>(object: T): T {
  const group = apiGroupOf(object.apiVersion);
  if (!BUILT_IN_API_GROUPS.has(group)) return object;
  const copy = withoutEmptyLists(object) as T;
  const kindKey = `${group === '' ? 'v1' : group}/${object.kind}`;
  for (const { path, zero } of OMITTED_BY_KIND.get(kindKey) ?? []) {
    dropZero(copy, path, zero);
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

/** Deletes the field at `path` (in a fresh copy) wherever it holds exactly `zero`. */
function dropZero(node: unknown, path: Path, zero: false | 0): void {
  if (node === null || typeof node !== 'object') return;
  const [head, ...rest] = path;
  if (head === '*') {
    if (Array.isArray(node)) node.forEach((element) => dropZero(element, rest, zero));
    return;
  }
  const record = node as Record<string, unknown>;
  if (rest.length === 0) {
    if (record[head] === zero) delete record[head];
    return;
  }
  dropZero(record[head], rest, zero);
}
