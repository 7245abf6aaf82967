import { Chart } from 'cdk8s';
import {
  IntOrString,
  Quantity,
  KubeLimitRange,
  KubeNamespace,
  KubeNetworkPolicy,
  KubePriorityClass,
  KubeResourceQuota,
} from 'cdk8s-plus-28/lib/imports/k8s';
import type { Construct } from 'constructs';

/** Pod Security Admission levels. */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** ResourceQuota of one namespace (Kubernetes quantities). */
export interface NamespaceQuota {
  readonly requestsCpu: string;
  readonly requestsMemory: string;
  readonly limitsCpu: string;
  readonly limitsMemory: string;
  readonly requestsStorage: string;
  readonly persistentVolumeClaims: number;
  readonly pods: number;
}

/** LimitRange defaults for containers that state no requests or limits. */
export interface ContainerDefaults {
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly cpuLimit: string;
  readonly memoryLimit: string;
}

/** One baseline namespace, with every value already resolved. */
export interface BaselineNamespace {
  /** Namespace name, e.g. `lms-apps`. */
  readonly name: string;
  /** The PSA level enforced; `audit` and `warn` are always `restricted`, so drift shows. */
  readonly podSecurity: PodSecurityLevel;
  /** Why the namespace cannot be `restricted`; written as an annotation for auditors. */
  readonly podSecurityReason?: string;
  /** ResourceQuota `spec.hard` values. */
  readonly quota: NamespaceQuota;
  /** LimitRange defaults for containers that state none. */
  readonly containerDefaults: ContainerDefaults;
}

/** A PriorityClass of the baseline. */
export interface BaselinePriorityClass {
  readonly name: string;
  readonly value: number;
  readonly description: string;
}

export interface SiteBaselineChartProps {
  readonly namespaces: readonly BaselineNamespace[];
  readonly priorityClasses: readonly BaselinePriorityClass[];
  /** Kubernetes minor version, for the PSA `*-version` labels: `1.30` -> `v1.30`. */
  readonly kubernetesVersion: string;
  /** Labels put on every object. */
  readonly labels: Readonly<Record<string, string>>;
}

/** Annotation that records why a namespace is below `restricted`. */
export const POD_SECURITY_REASON_ANNOTATION = 'lms.co.zm/pod-security-reason';

/**
 * The cluster baseline of one site: namespaces with Pod Security Admission labels, a
 * default-deny NetworkPolicy plus DNS egress in each, ResourceQuota and LimitRange per
 * namespace, and the PriorityClasses of the platform.
 */
export class SiteBaselineChart extends Chart {
  constructor(scope: Construct, id: string, props: SiteBaselineChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const psaVersion = `v${props.kubernetesVersion}`;

    for (const priority of props.priorityClasses) {
      new KubePriorityClass(this, `priority-${priority.name}`, {
        metadata: { name: priority.name, labels: { ...props.labels } },
        value: priority.value,
        globalDefault: false,
        preemptionPolicy: 'PreemptLowerPriority',
        description: priority.description,
      });
    }

    for (const ns of props.namespaces) {
      const labels = { ...props.labels };
      new KubeNamespace(this, `namespace-${ns.name}`, {
        metadata: {
          name: ns.name,
          labels: {
            ...labels,
            'kubernetes.io/metadata.name': ns.name,
            'pod-security.kubernetes.io/enforce': ns.podSecurity,
            'pod-security.kubernetes.io/enforce-version': psaVersion,
            'pod-security.kubernetes.io/audit': 'restricted',
            'pod-security.kubernetes.io/audit-version': psaVersion,
            'pod-security.kubernetes.io/warn': 'restricted',
            'pod-security.kubernetes.io/warn-version': psaVersion,
          },
          annotations: ns.podSecurityReason ? { [POD_SECURITY_REASON_ANNOTATION]: ns.podSecurityReason } : undefined,
        },
      });

      new KubeNetworkPolicy(this, `default-deny-${ns.name}`, {
        metadata: { name: 'default-deny', namespace: ns.name, labels },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });

      new KubeNetworkPolicy(this, `allow-dns-${ns.name}`, {
        metadata: { name: 'allow-dns-egress', namespace: ns.name, labels },
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
                },
              ],
              ports: [
                { protocol: 'UDP', port: IntOrString.fromNumber(53) },
                { protocol: 'TCP', port: IntOrString.fromNumber(53) },
              ],
            },
          ],
        },
      });

      new KubeResourceQuota(this, `quota-${ns.name}`, {
        metadata: { name: 'namespace-quota', namespace: ns.name, labels },
        spec: {
          hard: {
            'requests.cpu': Quantity.fromString(ns.quota.requestsCpu),
            'requests.memory': Quantity.fromString(ns.quota.requestsMemory),
            'limits.cpu': Quantity.fromString(ns.quota.limitsCpu),
            'limits.memory': Quantity.fromString(ns.quota.limitsMemory),
            'requests.storage': Quantity.fromString(ns.quota.requestsStorage),
            persistentvolumeclaims: Quantity.fromNumber(ns.quota.persistentVolumeClaims),
            pods: Quantity.fromNumber(ns.quota.pods),
          },
        },
      });

      new KubeLimitRange(this, `limits-${ns.name}`, {
        metadata: { name: 'container-defaults', namespace: ns.name, labels },
        spec: {
          limits: [
            {
              type: 'Container',
              defaultRequest: {
                cpu: Quantity.fromString(ns.containerDefaults.cpuRequest),
                memory: Quantity.fromString(ns.containerDefaults.memoryRequest),
              },
              default: {
                cpu: Quantity.fromString(ns.containerDefaults.cpuLimit),
                memory: Quantity.fromString(ns.containerDefaults.memoryLimit),
              },
            },
          ],
        },
      });
    }
  }
}
