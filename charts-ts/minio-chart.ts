import { Chart } from 'cdk8s';
import {
  IntOrString,
  KubeNetworkPolicy,
  KubePodDisruptionBudget,
  KubeService,
  KubeServiceAccount,
  KubeStatefulSet,
  Quantity,
  type NetworkPolicyPeer,
} from 'cdk8s-plus-28/lib/imports/k8s';
import type { Construct } from 'constructs';
import { DNS_EGRESS, restrictedContainerSecurity } from './restricted-pod';
import { ServiceMonitor, ServiceMonitorSpecEndpointsScheme } from './imports/servicemonitor-monitoring.coreos.com';
import { VAULT_TOKEN_VOLUME } from './vault-agent-annotations';

/** Pods selected by namespace and labels. */
export interface MinioPeer {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
}

/** One server pool: its StatefulSet name, servers and drives. */
export interface MinioPoolSpec {
  readonly name: string;
  readonly servers: number;
  readonly drivesPerServer: number;
  readonly driveSize: string;
}

export interface MinioChartProps {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Name of the ServiceAccount, client Service and NetworkPolicy; pools and Services derive theirs from it. */
  readonly name: string;
  readonly headlessServiceName: string;
  readonly replicationServiceName: string;
  readonly image: string;
  readonly pools: readonly MinioPoolSpec[];
  /** The `minio server` arguments: one endpoint pattern per pool. */
  readonly serverArgs: readonly string[];
  readonly port: number;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly podAnnotations: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>;
  readonly resources: { readonly cpuRequest: string; readonly memoryRequest: string; readonly cpuLimit: string; readonly memoryLimit: string };
  readonly storageClassName: string;
  readonly priorityClassName: string;
  readonly runAsUser: number;
  /** DoNotSchedule: one server per node or none; ScheduleAnyway: spread where it can. */
  readonly spreadStrictly: boolean;
  readonly certsDirectory: string;
  /** Secrets projected into the certs directory: each key to its path there. */
  readonly certificates: readonly { readonly secretName: string; readonly items: readonly { readonly key: string; readonly path: string }[]; readonly optional?: boolean }[];
  /** The replication LoadBalancer: MetalLB annotations (address and pool). */
  readonly replicationServiceAnnotations: Readonly<Record<string, string>>;
  /** Who may call the S3 API in the site. */
  readonly clients: readonly MinioPeer[];
  /** The metrics scraper and the ServiceMonitor labels it selects. */
  readonly metrics: { readonly scraper: MinioPeer; readonly serviceMonitorLabels: Readonly<Record<string, string>>; readonly paths: readonly string[] };
  /** Vault's servers: the agent init container logs in there. */
  readonly vault: MinioPeer & { readonly port: number };
}


/**
 * MinIO at one site: a StatefulSet per server pool (all pools one distributed deployment), the
 * headless Service the servers find each other by, the client Service, the LoadBalancer the
 * other site replicates through, a PodDisruptionBudget per pool, the NetworkPolicy and the
 * ServiceMonitor.
 */
export class MinioChart extends Chart {
  constructor(scope: Construct, id: string, props: MinioChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true, labels: { ...props.labels } });
    const selector = { ...props.podLabels };
    const tcp = (port: number) => [{ protocol: 'TCP', port: IntOrString.fromNumber(port) }];

    new KubeServiceAccount(this, 'service-account', {
      metadata: { name: props.name },
      // Only the Vault agent holds a token (the projected volume its containers alone mount).
      automountServiceAccountToken: false,
    });

    new KubeService(this, 'headless', {
      metadata: { name: props.headlessServiceName },
      spec: {
        clusterIp: 'None',
        // Servers must resolve each other before any is ready: the cluster forms only then.
        publishNotReadyAddresses: true,
        selector,
        ports: [{ name: 'https-s3', port: props.port, targetPort: IntOrString.fromNumber(props.port) }],
      },
    });
    new KubeService(this, 'service', {
      metadata: { name: props.name, labels: { 'lms.co.zm/minio-service': 'client' } },
      spec: { selector, ports: [{ name: 'https-s3', port: props.port, targetPort: IntOrString.fromNumber(props.port) }] },
    });
    new KubeService(this, 'replication-service', {
      metadata: { name: props.replicationServiceName, annotations: { ...props.replicationServiceAnnotations } },
      spec: {
        type: 'LoadBalancer',
        // Keeps the other site's source address, which the cross-site policy admits.
        externalTrafficPolicy: 'Local',
        selector,
        ports: [{ name: 'https-s3', port: props.port, targetPort: IntOrString.fromNumber(props.port) }],
      },
    });

    const securityContext = restrictedContainerSecurity(props.runAsUser);
    const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
      httpGet: { path, port: IntOrString.fromNumber(props.port), scheme: 'HTTPS' },
      periodSeconds,
      timeoutSeconds: 5,
      failureThreshold,
    });
    for (const pool of props.pools) {
      const drives = Array.from({ length: pool.drivesPerServer }, (_, index) => `data${index}`);
      new KubeStatefulSet(this, `pool-${pool.name}`, {
        metadata: { name: pool.name },
        spec: {
          serviceName: props.headlessServiceName,
          replicas: pool.servers,
          // Every server must start for the erasure sets to form: no one-by-one start.
          podManagementPolicy: 'Parallel',
          selector: { matchLabels: { ...selector, 'lms.co.zm/minio-pool': pool.name } },
          updateStrategy: { type: 'RollingUpdate' },
          template: {
            metadata: { labels: { ...selector, 'lms.co.zm/minio-pool': pool.name }, annotations: { ...props.podAnnotations } },
            spec: {
              serviceAccountName: props.name,
              automountServiceAccountToken: false,
              priorityClassName: props.priorityClassName,
              terminationGracePeriodSeconds: 60,
              securityContext: {
                runAsNonRoot: true,
                runAsUser: props.runAsUser,
                runAsGroup: props.runAsUser,
                fsGroup: props.runAsUser,
                fsGroupChangePolicy: 'OnRootMismatch',
                seccompProfile: { type: 'RuntimeDefault' },
              },
              topologySpreadConstraints: [
                {
                  maxSkew: 1,
                  topologyKey: 'kubernetes.io/hostname',
                  whenUnsatisfiable: props.spreadStrictly ? 'DoNotSchedule' : 'ScheduleAnyway',
                  labelSelector: { matchLabels: { ...selector } },
                },
              ],
              containers: [
                {
                  name: 'minio',
                  image: props.image,
                  imagePullPolicy: 'IfNotPresent',
                  command: ['minio', 'server', '--certs-dir', props.certsDirectory, '--address', `:${props.port}`, ...props.serverArgs],
                  env: Object.entries(props.env).map(([name, value]) => ({ name, value })),
                  ports: [{ name: 'https-s3', containerPort: props.port }],
                  resources: {
                    requests: { cpu: Quantity.fromString(props.resources.cpuRequest), memory: Quantity.fromString(props.resources.memoryRequest) },
                    limits: { cpu: Quantity.fromString(props.resources.cpuLimit), memory: Quantity.fromString(props.resources.memoryLimit) },
                  },
                  securityContext,
                  livenessProbe: probe('/minio/health/live', 20, 3),
                  readinessProbe: probe('/minio/health/ready', 10, 3),
                  volumeMounts: [
                    ...drives.map((drive) => ({ name: drive, mountPath: `/${drive}` })),
                    { name: 'certs', mountPath: props.certsDirectory, readOnly: true },
                    { name: 'tmp', mountPath: '/tmp' },
                  ],
                },
              ],
              volumes: [
                {
                  name: 'certs',
                  projected: {
                    defaultMode: 0o440,
                    sources: props.certificates.map((certificate) => ({
                      secret: { name: certificate.secretName, items: certificate.items.map((item) => ({ ...item })), ...(certificate.optional ? { optional: true } : {}) },
                    })),
                  },
                },
                { name: 'tmp', emptyDir: { sizeLimit: Quantity.fromString('256Mi') } },
                { name: VAULT_TOKEN_VOLUME, projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } },
              ],
            },
          },
          volumeClaimTemplates: drives.map((drive) => ({
            metadata: { name: drive },
            spec: {
              accessModes: ['ReadWriteOnce'],
              storageClassName: props.storageClassName,
              resources: { requests: { storage: Quantity.fromString(pool.driveSize) } },
            },
          })),
        },
      });
      if (pool.servers > 1) {
        new KubePodDisruptionBudget(this, `disruption-budget-${pool.name}`, {
          metadata: { name: pool.name },
          spec: { maxUnavailable: IntOrString.fromNumber(1), selector: { matchLabels: { ...selector, 'lms.co.zm/minio-pool': pool.name } } },
        });
      }
    }

    const peer = (p: MinioPeer): NetworkPolicyPeer => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.namespace } },
      podSelector: { matchLabels: { ...p.podLabels } },
    });
    new KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name: props.name },
      spec: {
        podSelector: { matchLabels: { ...selector } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          // The servers of all pools talk to each other on the S3 port.
          { from: [{ podSelector: { matchLabels: { ...selector } } }], ports: tcp(props.port) },
          { from: props.clients.map(peer), ports: tcp(props.port) },
          { from: [peer(props.metrics.scraper)], ports: tcp(props.port) },
        ],
        egress: [
          { to: [{ podSelector: { matchLabels: { ...selector } } }], ports: tcp(props.port) },
          { to: [peer(props.vault)], ports: tcp(props.vault.port) },
          DNS_EGRESS,
        ],
      },
    });

    new ServiceMonitor(this, 'service-monitor', {
      metadata: { name: props.name, labels: { ...props.metrics.serviceMonitorLabels } },
      spec: {
        selector: { matchLabels: { 'lms.co.zm/minio-service': 'client' } },
        endpoints: props.metrics.paths.map((path) => ({
          port: 'https-s3',
          path,
          scheme: ServiceMonitorSpecEndpointsScheme.HTTPS,
          interval: '30s',
          tlsConfig: { serverName: `${props.name}.${props.namespace}.svc`, ca: { secret: { name: props.certificates[0].secretName, key: 'ca.crt' } } },
        })),
      },
    });
  }
}
