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
export interface SqlJobsPeer {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly port: number;
}

/** How one workload of the chart runs. */
export type SqlJobRun =
  /** A Job named after what it applies: every change runs it once. */
  | { readonly kind: 'job'; readonly name: string; readonly activeDeadlineSeconds: number }
  /** A CronJob; `suspend` keeps it as a template operators start by hand (`kubectl create job --from=cronjob/...`). */
  | { readonly kind: 'cronjob'; readonly name: string; readonly schedule: string; readonly suspend: boolean; readonly activeDeadlineSeconds: number }
  /** A Deployment with a metrics Service and ServiceMonitor. */
  | { readonly kind: 'deployment'; readonly name: string; readonly metricsPort: number };

/** One workload: its run, the identity it runs as and the command. */
export interface SqlJobWorkload {
  readonly run: SqlJobRun;
  /** One of the chart's service accounts: which Vault role and secrets the pod gets. */
  readonly serviceAccount: string;
  /** The Vault agent's annotations for this service account's secrets. */
  readonly podAnnotations: Readonly<Record<string, string>>;
  readonly args: readonly string[];
  /** Plain (non-secret) environment variables. */
  readonly env: Readonly<Record<string, string>>;
}

export interface SqlServerJobsChartProps {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Name of the ConfigMap and NetworkPolicy, and the pods' `app.kubernetes.io/name`. */
  readonly name: string;
  readonly image: string;
  readonly serviceAccounts: readonly string[];
  readonly workloads: readonly SqlJobWorkload[];
  /** Files of the ConfigMap, mounted read-only at `configDirectory`. */
  readonly config: Readonly<Record<string, string>>;
  readonly configDirectory: string;
  /** The Secret whose `ca.crt` (the site CA) verifies SQL Server and the object store. */
  readonly caCertificate: { readonly secretName: string; readonly directory: string };
  readonly priorityClassName: string;
  readonly runAsUser: number;
  readonly resources: { readonly cpuRequest: string; readonly memoryRequest: string; readonly cpuLimit: string; readonly memoryLimit: string };
  /** What the pods dial: SQL Server, the object store, Vault. */
  readonly egressTo: readonly SqlJobsPeer[];
  /** The metrics scraper and the labels its ServiceMonitors carry. */
  readonly metrics: { readonly scraper: Omit<SqlJobsPeer, 'port'>; readonly serviceMonitorLabels: Readonly<Record<string, string>> };
}

/**
 * The log-shipping jobs of one site: their service accounts (each a Vault role), the shared
 * configuration, the workloads (a setup Job per change, CronJobs for backups and restores,
 * suspended CronJobs operators start from the runbook, a metrics Deployment with its Service
 * and ServiceMonitor) and one NetworkPolicy for them all.
 */
export class SqlServerJobsChart extends Chart {
  constructor(scope: Construct, id: string, props: SqlServerJobsChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true, labels: { ...props.labels } });
    const podLabels = { 'app.kubernetes.io/name': props.name, 'app.kubernetes.io/component': 'database' };
    const tcp = (port: number) => [{ protocol: 'TCP', port: IntOrString.fromNumber(port) }];

    for (const serviceAccount of props.serviceAccounts) {
      new KubeServiceAccount(this, `service-account-${serviceAccount}`, { metadata: { name: serviceAccount }, automountServiceAccountToken: false });
    }
    new KubeConfigMap(this, 'config', { metadata: { name: props.name }, data: { ...props.config } });

    const podSpec = (workload: SqlJobWorkload, restartPolicy: 'Never' | 'Always'): PodSpec => ({
      serviceAccountName: workload.serviceAccount,
      automountServiceAccountToken: false,
      priorityClassName: props.priorityClassName,
      restartPolicy,
      securityContext: restrictedPodSecurity(props.runAsUser),
      containers: [
        {
          name: 'sql-server-jobs',
          image: props.image,
          imagePullPolicy: 'IfNotPresent',
          command: ['node', 'dist/main.js', ...workload.args],
          env: Object.entries(workload.env).map(([name, value]) => ({ name, value })),
          resources: {
            requests: { cpu: Quantity.fromString(props.resources.cpuRequest), memory: Quantity.fromString(props.resources.memoryRequest) },
            limits: { cpu: Quantity.fromString(props.resources.cpuLimit), memory: Quantity.fromString(props.resources.memoryLimit) },
          },
          securityContext: restrictedContainerSecurity(props.runAsUser),
          ...(workload.run.kind === 'deployment'
            ? {
                ports: [{ name: 'metrics', containerPort: workload.run.metricsPort }],
                livenessProbe: { httpGet: { path: '/healthz', port: IntOrString.fromNumber(workload.run.metricsPort) }, periodSeconds: 20, timeoutSeconds: 5 },
                readinessProbe: { httpGet: { path: '/healthz', port: IntOrString.fromNumber(workload.run.metricsPort) }, periodSeconds: 10, timeoutSeconds: 5 },
              }
            : {}),
          volumeMounts: [
            { name: 'config', mountPath: props.configDirectory, readOnly: true },
            { name: 'site-ca', mountPath: props.caCertificate.directory, readOnly: true },
          ],
        },
      ],
      volumes: [
        { name: 'config', configMap: { name: props.name } },
        { name: 'site-ca', secret: { secretName: props.caCertificate.secretName, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { name: VAULT_TOKEN_VOLUME, projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } },
      ],
    });
    const template = (workload: SqlJobWorkload, restartPolicy: 'Never' | 'Always') => ({
      metadata: { labels: { ...podLabels, 'lms.co.zm/sql-job': workload.run.name }, annotations: { ...workload.podAnnotations } },
      spec: podSpec(workload, restartPolicy),
    });

    const metricsPorts: number[] = [];
    for (const workload of props.workloads) {
      const run = workload.run;
      if (run.kind === 'job') {
        new KubeJob(this, `job-${run.name}`, {
          metadata: { name: run.name },
          spec: { backoffLimit: 3, activeDeadlineSeconds: run.activeDeadlineSeconds, ttlSecondsAfterFinished: 7 * 86_400, template: template(workload, 'Never') },
        });
      } else if (run.kind === 'cronjob') {
        new KubeCronJob(this, `cronjob-${run.name}`, {
          metadata: { name: run.name },
          spec: {
            schedule: run.schedule,
            timeZone: 'Etc/UTC',
            suspend: run.suspend,
            // A run that is still going when the next is due is never doubled.
            concurrencyPolicy: 'Forbid',
            startingDeadlineSeconds: 300,
            successfulJobsHistoryLimit: 3,
            failedJobsHistoryLimit: 5,
            jobTemplate: { spec: { backoffLimit: 1, activeDeadlineSeconds: run.activeDeadlineSeconds, template: template(workload, 'Never') } },
          },
        });
      } else {
        metricsPorts.push(run.metricsPort);
        const selector = { ...podLabels, 'lms.co.zm/sql-job': run.name };
        new KubeDeployment(this, `deployment-${run.name}`, {
          metadata: { name: run.name },
          spec: { replicas: 1, selector: { matchLabels: selector }, template: template(workload, 'Always') },
        });
        new KubeService(this, `service-${run.name}`, {
          metadata: { name: run.name, labels: { 'lms.co.zm/sql-job': run.name } },
          spec: { selector, ports: [{ name: 'metrics', port: run.metricsPort, targetPort: IntOrString.fromNumber(run.metricsPort) }] },
        });
        new ServiceMonitor(this, `service-monitor-${run.name}`, {
          metadata: { name: run.name, labels: { ...props.metrics.serviceMonitorLabels } },
          spec: { selector: { matchLabels: { 'lms.co.zm/sql-job': run.name } }, endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }] },
        });
      }
    }

    const peer = (p: Omit<SqlJobsPeer, 'port'>): NetworkPolicyPeer => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.namespace } },
      podSelector: { matchLabels: { ...p.podLabels } },
    });
    new KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name: props.name },
      spec: {
        podSelector: { matchLabels: podLabels },
        policyTypes: ['Ingress', 'Egress'],
        ingress: metricsPorts.length > 0 ? [{ from: [peer(props.metrics.scraper)], ports: metricsPorts.flatMap(tcp) }] : [],
        egress: [...props.egressTo.map((to) => ({ to: [peer(to)], ports: tcp(to.port) })), DNS_EGRESS],
      },
    });
  }
}
