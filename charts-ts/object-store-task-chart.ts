import { Chart } from 'cdk8s';
import {
  IntOrString,
  KubeConfigMap,
  KubeCronJob,
  KubeDeployment,
  KubeJob,
  KubeNetworkPolicy,
  KubeService,
  KubeServiceAccount,
  Quantity,
  type NetworkPolicyPeer,
  type PodSpec,
} from 'cdk8s-plus-28/lib/imports/k8s';
import type { Construct } from 'constructs';
import { DNS_EGRESS, restrictedContainerSecurity, restrictedPodSecurity } from './restricted-pod';
import { ServiceMonitor } from './imports/servicemonitor-monitoring.coreos.com';
import { VAULT_TOKEN_VOLUME } from './vault-agent-annotations';

/** Pods selected by namespace and labels, on one TCP port. */
export interface TaskPeer {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly port: number;
}

/** One container of the task's pod. */
export interface TaskContainer {
  readonly name: string;
  readonly image: string;
  readonly command: readonly string[];
  /** Plain (non-secret) environment variables. */
  readonly env: Readonly<Record<string, string>>;
}

/** How the task runs: once per change and on a schedule (Job and CronJob), or all the time (Deployment). */
export type TaskRun =
  | { readonly kind: 'job'; readonly jobName: string; readonly schedule: string; readonly activeDeadlineSeconds: number }
  | { readonly kind: 'deployment'; readonly metricsPort: number; readonly serviceMonitorLabels: Readonly<Record<string, string>>; readonly scraper: TaskPeer };

export interface ObjectStoreTaskChartProps {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Name of the ServiceAccount, ConfigMap, CronJob or Deployment, and NetworkPolicy. */
  readonly name: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly podAnnotations: Readonly<Record<string, string>>;
  readonly run: TaskRun;
  readonly priorityClassName: string;
  readonly runAsUser: number;
  readonly resources: { readonly cpuRequest: string; readonly memoryRequest: string; readonly cpuLimit: string; readonly memoryLimit: string };
  /** Init containers run in order before `containers` (after the Vault agent's). */
  readonly initContainers: readonly TaskContainer[];
  readonly containers: readonly TaskContainer[];
  /** Files of the ConfigMap mounted read-only at `configDirectory`. */
  readonly config: Readonly<Record<string, string>>;
  readonly configDirectory: string;
  /** The Secret whose `ca.crt` the containers verify the store with, and where it is mounted. */
  readonly caCertificate: { readonly secretName: string; readonly directory: string };
  /** Whom the pods reach: the store, Vault. */
  readonly egressTo: readonly TaskPeer[];
  /** Addresses outside the cluster the pods reach (the other site's replication endpoint). */
  readonly egressToAddresses: readonly { readonly cidr: string; readonly port: number }[];
}


/**
 * A task against the site's object store: its ServiceAccount (what Vault's Kubernetes auth
 * binds the task's role to), its configuration, the pods (a Job per change plus a CronJob
 * that repairs drift, or a Deployment with its metrics Service and ServiceMonitor) and their
 * NetworkPolicy.
 */
export class ObjectStoreTaskChart extends Chart {
  constructor(scope: Construct, id: string, props: ObjectStoreTaskChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true, labels: { ...props.labels } });

    new KubeServiceAccount(this, 'service-account', { metadata: { name: props.name }, automountServiceAccountToken: false });
    new KubeConfigMap(this, 'config', { metadata: { name: props.name }, data: { ...props.config } });

    const securityContext = restrictedContainerSecurity(props.runAsUser);
    const resources = {
      requests: { cpu: Quantity.fromString(props.resources.cpuRequest), memory: Quantity.fromString(props.resources.memoryRequest) },
      limits: { cpu: Quantity.fromString(props.resources.cpuLimit), memory: Quantity.fromString(props.resources.memoryLimit) },
    };
    const container = (spec: TaskContainer, extra: Record<string, unknown> = {}) => ({
      name: spec.name,
      image: spec.image,
      imagePullPolicy: 'IfNotPresent',
      command: [...spec.command],
      env: Object.entries(spec.env).map(([name, value]) => ({ name, value })),
      resources,
      securityContext,
      volumeMounts: [
        { name: 'config', mountPath: props.configDirectory, readOnly: true },
        { name: 'ca', mountPath: props.caCertificate.directory, readOnly: true },
        { name: 'tmp', mountPath: '/tmp' },
      ],
      ...extra,
    });
    const podSpec = (restartPolicy: 'Never' | 'Always', extra: Record<string, unknown>): PodSpec => ({
      serviceAccountName: props.name,
      automountServiceAccountToken: false,
      restartPolicy,
      priorityClassName: props.priorityClassName,
      securityContext: restrictedPodSecurity(props.runAsUser),
      initContainers: props.initContainers.map((spec) => container(spec)),
      volumes: [
        { name: 'config', configMap: { name: props.name, defaultMode: 0o444 } },
        { name: 'ca', secret: { secretName: props.caCertificate.secretName, items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } },
        { name: 'tmp', emptyDir: { sizeLimit: Quantity.fromString('64Mi') } },
        { name: VAULT_TOKEN_VOLUME, projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } },
      ],
      containers: [],
      ...extra,
    });
    const template = (restartPolicy: 'Never' | 'Always', containers: unknown[]) => ({
      metadata: { labels: { ...props.podLabels }, annotations: { ...props.podAnnotations } },
      spec: podSpec(restartPolicy, { containers }),
    });

    if (props.run.kind === 'job') {
      const jobSpec = {
        backoffLimit: 6,
        activeDeadlineSeconds: props.run.activeDeadlineSeconds,
        template: template('Never', props.containers.map((spec) => container(spec))),
      };
      // A Job per configuration: a changed configuration is a new Job, run at that apply.
      new KubeJob(this, 'job', { metadata: { name: props.run.jobName, labels: { ...props.podLabels } }, spec: jobSpec });
      new KubeCronJob(this, 'cron-job', {
        metadata: { name: props.name },
        spec: {
          schedule: props.run.schedule,
          concurrencyPolicy: 'Forbid',
          startingDeadlineSeconds: 600,
          successfulJobsHistoryLimit: 1,
          failedJobsHistoryLimit: 3,
          jobTemplate: { metadata: { labels: { ...props.podLabels } }, spec: jobSpec },
        },
      });
    } else {
      const port = props.run.metricsPort;
      const probe = (path: string) => ({ httpGet: { path, port: IntOrString.fromNumber(port) }, periodSeconds: 20, timeoutSeconds: 3, failureThreshold: 3 });
      new KubeDeployment(this, 'deployment', {
        metadata: { name: props.name },
        spec: {
          replicas: 1,
          selector: { matchLabels: { ...props.podLabels } },
          // One writer or reader at a time: a heartbeat from two pods would be no clock at all.
          strategy: { type: 'Recreate' },
          template: template(
            'Always',
            props.containers.map((spec) => container(spec, { ports: [{ name: 'metrics', containerPort: port }], livenessProbe: probe('/healthz'), readinessProbe: probe('/healthz') })),
          ),
        },
      });
      new KubeService(this, 'service', {
        metadata: { name: props.name, labels: { 'app.kubernetes.io/name': props.name } },
        spec: { selector: { ...props.podLabels }, ports: [{ name: 'metrics', port, targetPort: IntOrString.fromNumber(port) }] },
      });
      new ServiceMonitor(this, 'service-monitor', {
        metadata: { name: props.name, labels: { ...props.run.serviceMonitorLabels } },
        spec: {
          selector: { matchLabels: { 'app.kubernetes.io/name': props.name } },
          namespaceSelector: { matchNames: [props.namespace] },
          endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s', scrapeTimeout: '10s' }],
        },
      });
    }

    const peer = (p: TaskPeer): NetworkPolicyPeer => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.namespace } },
      podSelector: { matchLabels: { ...p.podLabels } },
    });
    const tcp = (port: number) => [{ protocol: 'TCP', port: IntOrString.fromNumber(port) }];
    new KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name: props.name },
      spec: {
        podSelector: { matchLabels: { ...props.podLabels } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: props.run.kind === 'deployment' ? [{ from: [peer(props.run.scraper)], ports: tcp(props.run.metricsPort) }] : [],
        egress: [
          ...props.egressTo.map((to) => ({ to: [peer(to)], ports: tcp(to.port) })),
          ...props.egressToAddresses.map((to) => ({ to: [{ ipBlock: { cidr: to.cidr } }], ports: tcp(to.port) })),
          DNS_EGRESS,
        ],
      },
    });
  }
}
