import type { KubeObject } from '../../constructs/platform-component';
import type { ObjectRef, PolicyContext, RuleResult } from '../../policy/types';

/** The site context every rule test runs with. */
export const CONTEXT: PolicyContext = { approvedRegistries: ['registry.lms.co.zm'] };

export const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
export const IMAGE = `registry.lms.co.zm/lms/app:1.4.2@${DIGEST}`;
export const POD_LABELS = { 'app.kubernetes.io/name': 'app' };

/** A container that meets every rule of the restricted-workloads pack. */
export function compliantContainer(name = 'app'): Record<string, unknown> {
  return {
    name,
    image: IMAGE,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 10001,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
    readinessProbe: { httpGet: { path: '/readyz', port: 8080 } },
  };
}

/** A compliant pod template: labels, pod security context, one container and one init container. */
export function podTemplate(): Record<string, unknown> {
  return {
    metadata: { labels: { ...POD_LABELS } },
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
      initContainers: [withField(withField(compliantContainer('migrate'), 'livenessProbe', REMOVED), 'readinessProbe', REMOVED)],
      containers: [compliantContainer()],
    },
  };
}

type Kind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'Job' | 'CronJob' | 'Pod';

/** A compliant workload of any kind named `app` in `lms-apps` (one replica where replicas apply). */
export function workload(kind: Kind = 'Deployment', name = 'app'): KubeObject {
  const metadata = { name, namespace: 'lms-apps' };
  const template = podTemplate();
  const selector = { matchLabels: { ...POD_LABELS } };
  switch (kind) {
    case 'Pod':
      return { apiVersion: 'v1', kind, metadata: { ...metadata, labels: (template.metadata as { labels: object }).labels }, spec: template.spec };
    case 'Job':
      return { apiVersion: 'batch/v1', kind, metadata, spec: { template } };
    case 'CronJob':
      return { apiVersion: 'batch/v1', kind, metadata, spec: { schedule: '0 2 * * *', jobTemplate: { spec: { template } } } };
    default:
      return { apiVersion: 'apps/v1', kind, metadata, spec: { selector, template } };
  }
}

/** The NetworkPolicy of its own that a compliant workload has. */
export function ownNetworkPolicy(podSelector: unknown = { matchLabels: { ...POD_LABELS } }, namespace = 'lms-apps'): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'app', namespace }, spec: { podSelector, policyTypes: ['Ingress', 'Egress'] } };
}

/** The baseline's namespace-wide default deny: selects every pod, so it is nobody's own policy. */
export function defaultDeny(namespace = 'lms-apps'): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };
}

export function disruptionBudget(selector: unknown = { matchLabels: { ...POD_LABELS } }, namespace = 'lms-apps'): KubeObject {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'app', namespace }, spec: { maxUnavailable: 1, selector } };
}

export function autoscaler(minReplicas: unknown, target = { kind: 'Deployment', name: 'app' }, namespace = 'lms-apps'): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'app', namespace },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', ...target }, minReplicas, maxReplicas: 8 },
  };
}

export const SERVICE: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'app', namespace: 'lms-apps' }, spec: { selector: { ...POD_LABELS }, ports: [{ port: 80 }] } };

/** A deletion marker for `withField`. */
export const REMOVED = Symbol('removed');

/**
 * A deep copy of `object` with the field at `path` (as findings write it:
 * `spec.template.spec.containers[0].image`) set to `value`, or removed with `REMOVED`.
 * Missing parents are created.
 */
export function withField<T>(object: T, path: string, value: unknown): T {
  const copy = structuredClone(object) as unknown as Record<string, unknown>;
  const keys = path.split(/\.|\[(\d+)\]/).filter((key) => key !== undefined && key !== '');
  let parent: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    parent[key] ??= {};
    parent = parent[key] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1] as string;
  if (value === REMOVED) delete parent[last];
  else parent[last] = value;
  return copy as unknown as T;
}

export function ref(kind: string, name = 'app', namespace = 'lms-apps'): ObjectRef {
  return { kind, namespace, name };
}

export const compliant = (kind: string, name = 'app'): RuleResult => ({ status: 'compliant', object: ref(kind, name) });
export const notApplicable = (kind: string, name = 'app'): RuleResult => ({ status: 'not-applicable', object: ref(kind, name) });
export const nonCompliant = (kind: string, path: string, value: unknown, allowed: string, name = 'app'): RuleResult => ({
  status: 'non-compliant',
  object: ref(kind, name),
  path,
  value,
  allowed,
});

/** Where each kind's pod spec is, as findings name it. */
export const POD_SPEC_PATHS = {
  Deployment: 'spec.template.spec',
  StatefulSet: 'spec.template.spec',
  DaemonSet: 'spec.template.spec',
  ReplicaSet: 'spec.template.spec',
  Job: 'spec.template.spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
  Pod: 'spec',
} as const;

export const WORKLOAD_KINDS = Object.keys(POD_SPEC_PATHS) as Kind[];
