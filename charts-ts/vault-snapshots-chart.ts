import { Chart } from 'cdk8s';
import { IntOrString, KubeCronJob, KubeNetworkPolicy, KubeServiceAccount, Quantity, type NetworkPolicyPeer } from 'cdk8s-plus-28/lib/imports/k8s';
import type { Construct } from 'constructs';
import { DNS_EGRESS } from './restricted-pod';
import { VAULT_TOKEN_VOLUME } from './vault-agent-annotations';

/** Pods selected by namespace and labels, on one TCP port. */
export interface SnapshotPeer {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly port: number;
}

/** Requests and limits of a container, as Kubernetes quantities. */
export interface SnapshotContainerResources {
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly cpuLimit: string;
  readonly memoryLimit: string;
}

/** One container of the snapshot pod: an image running a POSIX shell script. */
export interface SnapshotContainer {
  readonly name: string;
  readonly image: string;
  /** Run with `/bin/sh -c`. */
  readonly script: string;
  /** Plain (non-secret) environment variables. */
  readonly env: Readonly<Record<string, string>>;
}

export interface VaultSnapshotsChartProps {
  /** Vault's namespace: the job, its ServiceAccount and NetworkPolicies live there. */
  readonly namespace: string;
  /** Labels on every object. */
  readonly labels: Readonly<Record<string, string>>;
  /** Name of the ServiceAccount, CronJob and NetworkPolicy. */
  readonly name: string;
  /** Labels of the job's pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The Vault agent injector annotations of the pods. */
  readonly podAnnotations: Readonly<Record<string, string>>;
  readonly schedule: string;
  readonly startingDeadlineSeconds: number;
  readonly activeDeadlineSeconds: number;
  readonly backoffLimit: number;
  readonly successfulJobsHistoryLimit: number;
  readonly failedJobsHistoryLimit: number;
  readonly priorityClassName: string;
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly resources: SnapshotContainerResources;
  /** Saves the snapshot into `snapshotDirectory` (an init container, after the Vault agent's). */
  readonly snapshot: SnapshotContainer;
  /** Uploads it (the main container). */
  readonly upload: SnapshotContainer;
  readonly snapshotDirectory: string;
  /** Size limit of the volume the snapshot is written to, a Kubernetes quantity. */
  readonly snapshotVolumeSize: string;
  /** The Secret (in `namespace`) whose `ca.crt` the containers and the agent verify TLS with, and where it is mounted. */
  readonly caCertificate: { readonly secretName: string; readonly directory: string };
  /** The Vault servers: the job's egress, and an ingress rule on them for the job. */
  readonly vault: SnapshotPeer;
  /** The object store's pods. */
  readonly objectStore: SnapshotPeer;
}


/**
 * The Vault snapshot job of one site: its ServiceAccount (what Vault's Kubernetes auth binds
 * the `vault-snapshot` role to), the CronJob, its NetworkPolicy (egress to Vault, the object
 * store and DNS only), and an ingress rule on the Vault servers for its pods.
 */
export class VaultSnapshotsChart extends Chart {
  constructor(scope: Construct, id: string, props: VaultSnapshotsChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true, labels: { ...props.labels } });

    new KubeServiceAccount(this, 'service-account', {
      metadata: { name: props.name },
      // Only the Vault agent holds a token: the projected volume below, which the injector
      // mounts into the agent container alone.
      automountServiceAccountToken: false,
    });

    const securityContext = {
      runAsNonRoot: true,
      runAsUser: props.runAsUser,
      runAsGroup: props.runAsGroup,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    };
    const resources = {
      requests: { cpu: Quantity.fromString(props.resources.cpuRequest), memory: Quantity.fromString(props.resources.memoryRequest) },
      limits: { cpu: Quantity.fromString(props.resources.cpuLimit), memory: Quantity.fromString(props.resources.memoryLimit) },
    };
    const mounts = (snapshotsReadOnly: boolean) => [
      { name: 'snapshots', mountPath: props.snapshotDirectory, readOnly: snapshotsReadOnly },
      { name: 'ca', mountPath: props.caCertificate.directory, readOnly: true },
      { name: 'tmp', mountPath: '/scratch' },
    ];
    const container = (spec: SnapshotContainer, snapshotsReadOnly: boolean) => ({
      name: spec.name,
      image: spec.image,
      imagePullPolicy: 'IfNotPresent',
      command: ['/bin/sh', '-c', spec.script],
      env: Object.entries(spec.env).map(([name, value]) => ({ name, value })),
      resources,
      securityContext,
      volumeMounts: mounts(snapshotsReadOnly),
    });

    new KubeCronJob(this, 'cron-job', {
      metadata: { name: props.name },
      spec: {
        schedule: props.schedule,
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: props.startingDeadlineSeconds,
        successfulJobsHistoryLimit: props.successfulJobsHistoryLimit,
        failedJobsHistoryLimit: props.failedJobsHistoryLimit,
        jobTemplate: {
          metadata: { labels: { ...props.podLabels } },
          spec: {
            backoffLimit: props.backoffLimit,
            activeDeadlineSeconds: props.activeDeadlineSeconds,
            template: {
              metadata: { labels: { ...props.podLabels }, annotations: { ...props.podAnnotations } },
              spec: {
                serviceAccountName: props.name,
                automountServiceAccountToken: false,
                restartPolicy: 'Never',
                priorityClassName: props.priorityClassName,
                securityContext: { runAsNonRoot: true, runAsUser: props.runAsUser, runAsGroup: props.runAsGroup, fsGroup: props.runAsGroup, seccompProfile: { type: 'RuntimeDefault' } },
                initContainers: [container(props.snapshot, false)],
                containers: [container(props.upload, true)],
                volumes: [
                  { name: 'snapshots', emptyDir: { sizeLimit: Quantity.fromString(props.snapshotVolumeSize) } },
                  { name: 'tmp', emptyDir: { sizeLimit: Quantity.fromString('64Mi') } },
                  // Only the CA certificate of the Secret, never its key.
                  { name: 'ca', secret: { secretName: props.caCertificate.secretName, items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } },
                  { name: VAULT_TOKEN_VOLUME, projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } },
                ],
              },
            },
          },
        },
      },
    });

    const peer = (p: SnapshotPeer): NetworkPolicyPeer => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.namespace } },
      podSelector: { matchLabels: { ...p.podLabels } },
    });
    const tcp = (port: number) => [{ protocol: 'TCP', port: IntOrString.fromNumber(port) }];
    new KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name: props.name },
      spec: {
        podSelector: { matchLabels: { ...props.podLabels } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        egress: [
          { to: [peer(props.vault)], ports: tcp(props.vault.port) },
          { to: [peer(props.objectStore)], ports: tcp(props.objectStore.port) },
          DNS_EGRESS,
        ],
      },
    });

    // Vault's own policy admits its consumer namespaces, not other pods of its namespace:
    // this one adds the snapshot pods, on the API port only.
    new KubeNetworkPolicy(this, 'vault-ingress', {
      metadata: { name: `vault-server-from-${props.name}` },
      spec: {
        podSelector: { matchLabels: { ...props.vault.podLabels } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { ...props.podLabels } } }], ports: tcp(props.vault.port) }],
      },
    });
  }
}
