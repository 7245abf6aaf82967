import { field, isRecord, judge, notApplicable, objectRef } from './objects';
import type { KubeObject, ObjectRef, RuleResult, Violation } from './types';

/** Where each workload kind keeps its pod template (a bare Pod is its own template). */
const POD_TEMPLATE_PATHS = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  Pod: [],
} as const satisfies Record<string, readonly string[]>;

export type WorkloadKind = keyof typeof POD_TEMPLATE_PATHS;

export const WORKLOAD_KINDS = Object.keys(POD_TEMPLATE_PATHS) as readonly WorkloadKind[];

/** Workloads whose pods are meant to run until replaced, so probes decide their traffic and restarts. */
export const LONG_RUNNING_KINDS: ReadonlySet<WorkloadKind> = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** One container of a pod template, with its path inside the object. */
export interface ContainerAt {
  /** e.g. `spec.template.spec.initContainers[0]`. */
  readonly path: string;
  readonly container: Readonly<Record<string, unknown>>;
  readonly init: boolean;
}

/** A container list, or an entry of one, that cannot be read. */
export interface ContainerProblem extends Violation {
  readonly init: boolean;
}

/** An object that runs pods, with its pod template resolved as far as it can be. */
export interface Workload {
  readonly object: KubeObject;
  readonly ref: ObjectRef;
  readonly kind: WorkloadKind;
  /** e.g. `spec.template.spec`. */
  readonly podSpecPath: string;
  readonly podSpec: Readonly<Record<string, unknown>>;
  /** e.g. `spec.template.metadata.labels`. */
  readonly podLabelsPath: string;
  /** The pod template's labels as written (not checked). */
  readonly podLabels: unknown;
  /** Containers, then initContainers. */
  readonly containers: readonly ContainerAt[];
  /** What makes the container lists unreadable: missing or empty `containers`, entries that are not objects. */
  readonly containerProblems: readonly ContainerProblem[];
}

export function isWorkloadKind(kind: unknown): kind is WorkloadKind {
  return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(POD_TEMPLATE_PATHS, kind);
}

/**
 * Runs `judgeWorkload` over every workload: objects of other kinds are not applicable, a
 * workload without a readable pod spec is non-compliant. `judgeWorkload` returns the
 * violations it finds, or `'not-applicable'`.
 */
export function evaluateWorkloads(
  objects: readonly KubeObject[],
  judgeWorkload: (workload: Workload) => readonly Violation[] | 'not-applicable',
): RuleResult[] {
  return objects.flatMap((object) => {
    const ref = objectRef(object);
    if (!isWorkloadKind(object.kind)) return [notApplicable(ref)];
    const workload = resolveWorkload(object, object.kind, ref);
    if ('unreadable' in workload) return judge(ref, [workload.unreadable]);
    const verdict = judgeWorkload(workload);
    return verdict === 'not-applicable' ? [notApplicable(ref)] : judge(ref, verdict);
  });
}

function resolveWorkload(object: KubeObject, kind: WorkloadKind, ref: ObjectRef): Workload | { unreadable: Violation } {
  const templatePath: readonly string[] = POD_TEMPLATE_PATHS[kind];
  const template = templatePath.reduce<unknown>((value, name) => field(value, name), object);
  const prefix = templatePath.map((name) => `${name}.`).join('');
  const podSpecPath = `${prefix}spec`;
  const podSpec = field(template, 'spec');
  if (!isRecord(podSpec)) return { unreadable: { path: podSpecPath, value: podSpec, allowed: 'a pod spec' } };

  const containers: ContainerAt[] = [];
  const containerProblems: ContainerProblem[] = [];
  for (const [list, init] of [['containers', false], ['initContainers', true]] as const) {
    const listPath = `${podSpecPath}.${list}`;
    const entries = podSpec[list];
    if (entries === undefined && init) continue;
    if (!Array.isArray(entries) || (!init && entries.length === 0)) {
      containerProblems.push({ path: listPath, value: entries, allowed: init ? 'a list of containers' : 'a non-empty list of containers', init });
      continue;
    }
    entries.forEach((container: unknown, index) => {
      const path = `${listPath}[${index}]`;
      if (isRecord(container)) containers.push({ path, container, init });
      else containerProblems.push({ path, value: container, allowed: 'a container', init });
    });
  }
  return { object, ref, kind, podSpecPath, podSpec, podLabelsPath: `${prefix}metadata.labels`, podLabels: field(field(template, 'metadata'), 'labels'), containers, containerProblems };
}

/**
 * Runs `judgeContainer` over every container (and, unless `initContainers: false`, every
 * init container) of every workload, adding the workload's container-list problems.
 */
export function evaluateContainers(
  objects: readonly KubeObject[],
  judgeContainer: (container: ContainerAt, workload: Workload) => readonly Violation[],
  options: { readonly initContainers?: boolean; readonly kinds?: ReadonlySet<WorkloadKind> } = {},
): RuleResult[] {
  return evaluateWorkloads(objects, (workload) => {
    if (options.kinds && !options.kinds.has(workload.kind)) return 'not-applicable';
    const containers = workload.containers.filter((container) => options.initContainers !== false || !container.init);
    return [...containerListProblems(workload, options), ...containers.flatMap((container) => judgeContainer(container, workload))];
  });
}

/** The workload's unreadable container lists and entries, as violations (init containers' unless `initContainers: false`). */
export function containerListProblems(workload: Workload, options: { readonly initContainers?: boolean } = {}): Violation[] {
  return workload.containerProblems.filter((problem) => options.initContainers !== false || !problem.init).map(({ path, value, allowed }) => ({ path, value, allowed }));
}
