import type { ContainerResources } from './cert-manager-values';
import type { PinnedImage } from './versions';

/** What the eck-operator chart's values are built from. */
export interface EckOperatorValuesInput {
  /** The chart's `nameOverride` and `fullnameOverride`: the StatefulSet, its ServiceAccount, ClusterRole and webhook Service are named after it. */
  readonly name: string;
  readonly image: PinnedImage;
  /** The registry the operator pulls the Elastic stack's images from (`config.containerRegistry`). */
  readonly containerRegistry: string;
  readonly resources: ContainerResources;
  /** The namespaces whose Elastic resources the operator runs. */
  readonly managedNamespaces: readonly string[];
  /** Labels on the StatefulSet and its pods, besides the chart's own. */
  readonly labels: Readonly<Record<string, string>>;
  readonly priorityClassName: string;
  readonly webhook: {
    /** The cert-manager Certificate whose CA cert-manager's cainjector writes into the webhook configuration. */
    readonly certificate: string;
    /** The Secret that Certificate writes, mounted by the operator. */
    readonly secretName: string;
    readonly port: number;
  };
  /** The port the operator serves its metrics on, plain HTTP inside the namespace. */
  readonly metricsPort: number;
  /** The labels the site's Prometheus selects PodMonitors by. */
  readonly scrapeSelectorLabels: Readonly<Record<string, string>>;
}

/** The user the eck-operator image runs as (`USER 1001` in ECK's build/Dockerfile). */
export const ECK_OPERATOR_USER = 1001;

const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/**
 * The eck-operator chart's values for one site. What the platform takes from the chart and
 * what it leaves out:
 *
 * - The operator alone: its CRDs come from the base layer (`installCRDs: false`), and it runs
 *   only the Elastic resources of the managed namespaces (`managedNamespaces`).
 * - Its image from the site's registry by digest (the chart renders
 *   `repository:tag@digest`), and every Elastic stack image it names by default from the same
 *   registry (`config.containerRegistry`), so no public registry is named anywhere.
 * - The validating webhook with a certificate from the site's internal CA through
 *   cert-manager (`webhook.certManagerCert`, `webhook.manageCerts: false`): the chart then
 *   renders no certificate Secret of its own, and cert-manager's cainjector writes the CA into
 *   the webhook configuration. The webhook acts only in the managed namespaces and its failure
 *   policy stays upstream's `Ignore`: a change made while the operator is down is admitted,
 *   and the operator checks every resource again when it reconciles it (a version downgrade
 *   or an unsafe change is refused there and reported on the resource).
 * - Cluster-scoped resources (its ClusterRole and binding, the webhook configuration): the
 *   chart refuses a webhook without them, and the operator reads StorageClasses (volume
 *   expansion checks) and the nodes' zone labels (for shard allocation awareness).
 * - Metrics on plain HTTP (`config.metrics.port`), scraped through the chart's PodMonitor
 *   labelled for the site's Prometheus at Prometheus' own interval; only Prometheus may reach
 *   the port (NetworkPolicy). Secure metrics would need a ServiceMonitor with a bearer token
 *   and a ClusterRole for Prometheus, which the platform's scrape targets do not use.
 * - Off: telemetry, tracing, the chart's soft multi-tenancy NetworkPolicies (the platform
 *   writes its own), the PodDisruptionBudget (one leader-elected replica).
 */
export function eckOperatorValues(input: EckOperatorValuesInput): Readonly<Record<string, unknown>> {
  const resources = input.resources;
  return {
    nameOverride: input.name,
    fullnameOverride: input.name,
    installCRDs: false,
    managedNamespaces: [...input.managedNamespaces],
    createClusterScopedResources: true,
    replicaCount: 1,
    image: {
      repository: `${input.image.registry}/${input.image.repository}`,
      tag: input.image.tag,
      digest: input.image.digest,
      pullPolicy: 'IfNotPresent',
      fips: false,
    },
    priorityClassName: input.priorityClassName,
    resources: { requests: { cpu: resources.cpuRequest, memory: resources.memoryRequest }, limits: { cpu: resources.cpuLimit, memory: resources.memoryLimit } },
    statefulsetLabels: { ...input.labels },
    podLabels: { ...input.labels },
    podSecurityContext: { runAsNonRoot: true, runAsUser: ECK_OPERATOR_USER, runAsGroup: ECK_OPERATOR_USER, seccompProfile: { type: 'RuntimeDefault' } },
    securityContext: RESTRICTED_CONTAINER,
    podDisruptionBudget: { enabled: false },
    hostNetwork: false,
    softMultiTenancy: { enabled: false },
    tracing: { enabled: false },
    telemetry: { disabled: true },
    webhook: {
      enabled: true,
      manageCerts: false,
      certManagerCert: input.webhook.certificate,
      certsSecret: input.webhook.secretName,
      failurePolicy: 'Ignore',
      port: input.webhook.port,
      namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...input.managedNamespaces] }] },
    },
    config: {
      containerRegistry: input.containerRegistry,
      ubiOnly: false,
      logVerbosity: '0',
      metrics: { port: String(input.metricsPort), secureMode: { enabled: false } },
      // Set, not detected: the Elastic pods get the operator's default security context on every cluster.
      setDefaultSecurityContext: 'true',
      validateStorageClass: true,
      enableLeaderElection: true,
    },
    podMonitor: {
      enabled: true,
      labels: { ...input.scrapeSelectorLabels },
      // null removes the chart's 5m interval and 30s timeout: Prometheus' own apply.
      interval: null,
      scrapeTimeout: null,
    },
    serviceMonitor: { enabled: false },
  };
}
