import { App as Cdk8sApp } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  SiteBaselineChart,
  type BaselineNamespace,
  type BaselinePriorityClass,
  type ContainerDefaults,
  type NamespaceQuota,
  type PodSecurityLevel,
} from '../charts-ts/site-baseline-chart';
import { NAMESPACE_ROLES, siteNamespaces, type NamespaceRole } from './namespaces';
import { PlatformComponent, type KubeObject } from './platform-component';
import { PlatformError, formatValue } from './platform-error';

/** A namespace's Pod Security Admission level, and why when it is not `restricted`. */
export interface PodSecurity {
  readonly level: PodSecurityLevel;
  /** Required unless `level` is `restricted`: auditors read it on the namespace. */
  readonly reason?: string;
}

/**
 * Pod Security levels of the baseline namespaces. Everything runs `restricted` except the
 * node agents, which read the node itself.
 */
export const DEFAULT_POD_SECURITY: Readonly<Record<NamespaceRole, PodSecurity>> = {
  platform: { level: 'restricted' },
  data: { level: 'restricted' },
  security: { level: 'restricted' },
  observability: { level: 'restricted' },
  'node-agents': {
    level: 'privileged',
    reason:
      'node-exporter needs hostNetwork, hostPID and hostPath mounts of /proc and /sys, Filebeat reads /var/log/containers through hostPath, and the MetalLB speaker announces the site\'s LoadBalancer addresses from the host network with NET_RAW; the baseline level forbids all of them, so these agents are kept apart in this one namespace',
  },
  apps: { level: 'restricted' },
};

/** PriorityClasses every site has, highest first. */
export const PRIORITY_CLASSES = {
  /** SQL Server, MinIO and Vault: losing them stops lending. */
  criticalData: { name: 'lms-critical-data', value: 1_000_000, description: 'Stateful data services (SQL Server, MinIO, Vault): scheduled first, preempt everything else.' },
  /** Observability, ingress and other shared services. */
  platform: { name: 'lms-platform', value: 100_000, description: 'Shared platform services (ingress, logging, metrics).' },
  /** The loan management applications. */
  apps: { name: 'lms-apps', value: 10_000, description: 'Loan management applications.' },
} as const satisfies Record<string, BaselinePriorityClass>;

export type { ContainerDefaults, NamespaceQuota };

export interface SiteClusterProps {
  /** Environment name, e.g. `production`; labels every object. */
  readonly environmentName: string;
  /** Which site this is, e.g. `lusaka`: a label on every object. */
  readonly siteName: string;
  /** Kubernetes minor version of the cluster (`1.30`); pins the Pod Security labels. */
  readonly kubernetesVersion: string;
  /** ResourceQuota of each baseline namespace. */
  readonly namespaceQuotas: Readonly<Record<NamespaceRole, NamespaceQuota>>;
  /** LimitRange defaults of every baseline namespace. */
  readonly containerDefaults: ContainerDefaults;
  /**
   * Pod Security Admission level per namespace role; a level below `restricted` needs a reason.
   * @default DEFAULT_POD_SECURITY - restricted everywhere but `node-agents`
   */
  readonly podSecurity?: Partial<Record<NamespaceRole, PodSecurity>>;
}

/**
 * One site's Kubernetes cluster as the platform sees it: the baseline every workload relies
 * on (namespaces with Pod Security labels, default-deny NetworkPolicies with DNS egress,
 * quotas, container defaults and PriorityClasses).
 */
export class SiteCluster extends PlatformComponent {
  public readonly siteName: string;
  /** Namespace name per role, e.g. `namespaces.apps === 'lms-apps'`. */
  public readonly namespaces: Readonly<Record<NamespaceRole, string>>;
  /** The effective Pod Security of each namespace role. */
  public readonly podSecurity: Readonly<Record<NamespaceRole, PodSecurity>>;
  /** Labels every object of this site carries. */
  public readonly labels: Readonly<Record<string, string>>;
  /** The rendered baseline objects. */
  public readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: SiteClusterProps) {
    super(scope, id);
    this.siteName = props.siteName;
    this.podSecurity = resolvePodSecurity(this.node.path, props.podSecurity);
    this.namespaces = siteNamespaces();
    this.labels = siteLabels(props.environmentName, props.siteName);

    const namespaces: BaselineNamespace[] = NAMESPACE_ROLES.map((role) => ({
      name: this.namespaces[role],
      podSecurity: this.podSecurity[role].level,
      podSecurityReason: this.podSecurity[role].reason,
      quota: props.namespaceQuotas[role],
      containerDefaults: props.containerDefaults,
    }));
    const chart = new SiteBaselineChart(new Cdk8sApp(), 'baseline', {
      namespaces,
      priorityClasses: Object.values(PRIORITY_CLASSES),
      kubernetesVersion: props.kubernetesVersion,
      labels: this.labels,
    });
    this.objects = chart.toJson() as KubeObject[];
  }
}

/** Labels on every object of one site. */
export function siteLabels(environmentName: string, siteName: string): Readonly<Record<string, string>> {
  return {
    'app.kubernetes.io/part-of': 'lms-platform',
    'app.kubernetes.io/managed-by': 'cdktf',
    'lms.co.zm/environment': environmentName,
    'lms.co.zm/site': siteName,
  };
}

function resolvePodSecurity(
  where: string,
  overrides: Partial<Record<NamespaceRole, PodSecurity>> = {},
): Record<NamespaceRole, PodSecurity> {
  for (const role of Object.keys(overrides)) {
    if (!(NAMESPACE_ROLES as readonly string[]).includes(role)) {
      throw PlatformError.invalidProp(`SiteCluster ${where}`, 'podSecurity', role, `namespace roles ${NAMESPACE_ROLES.join(', ')}`);
    }
  }
  const resolved = { ...DEFAULT_POD_SECURITY, ...overrides };
  for (const role of NAMESPACE_ROLES) {
    const { level, reason } = resolved[role];
    if (!['restricted', 'baseline', 'privileged'].includes(level)) {
      throw PlatformError.invalidProp(`SiteCluster ${where}`, `podSecurity.${role}.level`, level, 'restricted, baseline, privileged');
    }
    if (level !== 'restricted' && !reason?.trim()) {
      throw new PlatformError(
        `SiteCluster ${where}: podSecurity.${role}.reason: ${formatValue(reason)} is not allowed for level "${level}" (allowed: a sentence saying why the namespace cannot be "restricted")`,
      );
    }
  }
  return resolved;
}
