import type { PinnedImage } from './versions';

/**
 * The values the platform sets on the cert-manager chart (VERSIONS.charts.certManager), typed,
 * so a value the chart does not know is a compile error here and a schema error in
 * `helm template` (the chart ships a strict values.schema.json). Everything else keeps the
 * chart's default, which runs every pod restricted-compatible (non-root, no privilege
 * escalation, all capabilities dropped, RuntimeDefault seccomp, read-only root filesystem).
 *
 * @see https://artifacthub.io/packages/helm/cert-manager/cert-manager/1.19.6
 */
export interface CertManagerValues {
  readonly global: {
    /** Every pod of the release runs at the platform's priority. */
    readonly priorityClassName: string;
    /** Labels on every object the chart renders (environment, site, part-of). */
    readonly commonLabels: Readonly<Record<string, string>>;
    /** Leader-election leases in cert-manager's own namespace: the chart then needs no rights in kube-system. */
    readonly leaderElection: { readonly namespace: string };
  };
  /** The base layer applies the vendored CRDs (vendor/crds/cert-manager-1.19.6): the chart renders none. */
  readonly crds: { readonly enabled: false };
  readonly installCRDs: false;
  readonly replicaCount: number;
  readonly podDisruptionBudget: PodDisruptionBudgetValues;
  readonly image: ImageValues;
  readonly resources: ResourceValues;
  readonly topologySpreadConstraints: readonly TopologySpreadValue[];
  /** Metrics on `:9402/metrics` of every pod; the component's own PodMonitor scrapes them, so none from the chart. */
  readonly prometheus: { readonly enabled: true; readonly servicemonitor: { readonly enabled: false }; readonly podmonitor: { readonly enabled: false } };
  readonly webhook: WorkloadValues & {
    /** The chart's own NetworkPolicies allow 0.0.0.0/0: the component renders narrower ones. */
    readonly networkPolicy: { readonly enabled: false };
  };
  readonly cainjector: WorkloadValues & { readonly enabled: true };
  /** The HTTP-01 solver image: never started (no ACME issuer), pinned so no public image is ever named. */
  readonly acmesolver: { readonly image: ImageValues };
  /** Its post-install Job would hold up `wait` and pull one more image; the issuers' readiness shows the same. */
  readonly startupapicheck: { readonly enabled: false };
}

/** Replicas, budget, image, resources and spread of one of the chart's Deployments. */
export interface WorkloadValues {
  readonly replicaCount: number;
  readonly podDisruptionBudget: PodDisruptionBudgetValues;
  readonly image: ImageValues;
  readonly resources: ResourceValues;
  readonly topologySpreadConstraints: readonly TopologySpreadValue[];
}

/** An image by digest from the site's registry (the chart drops the tag when a digest is set). */
export interface ImageValues {
  readonly registry: string;
  readonly repository: string;
  readonly digest: string;
  readonly pullPolicy: 'IfNotPresent';
}

export interface ResourceValues {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** `enabled` with one replica kept through a drain, only where more than one runs. */
export type PodDisruptionBudgetValues = { readonly enabled: true; readonly minAvailable: 1 } | { readonly enabled: false };

export interface TopologySpreadValue {
  readonly maxSkew: 1;
  readonly topologyKey: 'kubernetes.io/hostname';
  readonly whenUnsatisfiable: 'ScheduleAnyway';
  readonly labelSelector: { readonly matchLabels: Readonly<Record<string, string>> };
}

/** CPU and memory of one container, as Kubernetes quantities. */
export interface ContainerResources {
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly cpuLimit: string;
  readonly memoryLimit: string;
}

/** What one of the chart's Deployments is given. */
export interface CertManagerWorkload {
  readonly replicas: number;
  readonly resources: ContainerResources;
  readonly image: PinnedImage;
  /** The labels the chart gives its pods (the spread constraint selects by them). */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** Everything `certManagerValues` needs, resolved and validated by `CertManager`. */
export interface CertManagerValuesInput {
  readonly namespace: string;
  readonly priorityClassName: string;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly controller: CertManagerWorkload;
  readonly webhook: CertManagerWorkload;
  readonly cainjector: CertManagerWorkload;
  readonly acmesolver: PinnedImage;
}

/** The chart values, built from resolved inputs only: the same inputs give the same values. */
export function certManagerValues(input: CertManagerValuesInput): CertManagerValues {
  return {
    global: {
      priorityClassName: input.priorityClassName,
      commonLabels: { ...input.commonLabels },
      leaderElection: { namespace: input.namespace },
    },
    crds: { enabled: false },
    installCRDs: false,
    ...workloadValues(input.controller),
    prometheus: { enabled: true, servicemonitor: { enabled: false }, podmonitor: { enabled: false } },
    webhook: { ...workloadValues(input.webhook), networkPolicy: { enabled: false } },
    cainjector: { enabled: true, ...workloadValues(input.cainjector) },
    acmesolver: { image: imageValues(input.acmesolver) },
    startupapicheck: { enabled: false },
  };
}

function workloadValues(workload: CertManagerWorkload): WorkloadValues {
  return {
    replicaCount: workload.replicas,
    podDisruptionBudget: workload.replicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false },
    image: imageValues(workload.image),
    resources: {
      requests: { cpu: workload.resources.cpuRequest, memory: workload.resources.memoryRequest },
      limits: { cpu: workload.resources.cpuLimit, memory: workload.resources.memoryLimit },
    },
    // Replicas on different nodes where the nodes allow it, so one node's loss keeps the webhook answering.
    topologySpreadConstraints:
      workload.replicas > 1 ? [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { ...workload.podLabels } } }] : [],
  };
}

function imageValues(image: PinnedImage): ImageValues {
  return { registry: image.registry, repository: image.repository, digest: image.digest, pullPolicy: 'IfNotPresent' };
}
