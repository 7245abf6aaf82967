import { Chart } from 'cdk8s';
import { IntOrString, KubeConfigMap, KubeNetworkPolicy, KubePodDisruptionBudget, KubeService, KubeServiceAccount, KubeStatefulSet, Quantity, type NetworkPolicyPeer } from 'cdk8s-plus-28/lib/imports/k8s';
import type { Construct } from 'constructs';
import { DNS_EGRESS, restrictedContainerSecurity } from './restricted-pod';
import { VAULT_TOKEN_VOLUME } from './vault-agent-annotations';

/** Pods selected by namespace and labels, on one TCP port. */
export interface SqlServerPeer {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly port: number;
}

export interface SqlServerChartProps {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Name of the StatefulSet, its headless Service, ServiceAccount, ConfigMap and NetworkPolicy. */
  readonly name: string;
  readonly image: string;
  readonly port: number;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly podAnnotations: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>;
  /** `mssql.conf`, mounted read-only over the file in the data volume. */
  readonly mssqlConf: string;
  /** The shell command the container starts SQL Server with (reads the SA password file first). */
  readonly command: readonly string[];
  /** The readiness check: a real query through sqlcmd. */
  readonly readinessCommand: readonly string[];
  readonly resources: { readonly cpuRequest: string; readonly memoryRequest: string; readonly cpuLimit: string; readonly memoryLimit: string };
  readonly volumeSize: string;
  readonly storageClassName: string;
  readonly priorityClassName: string;
  readonly runAsUser: number;
  /** The server certificate's Secret and where its files are mounted. */
  readonly tls: { readonly secretName: string; readonly directory: string };
  /** The object store's CA Secret and SQL Server's CA directory for S3 (`/var/opt/mssql/security/ca-certificates`). */
  readonly objectStoreCa: { readonly secretName: string; readonly directory: string };
  /** Who connects on the SQL port. */
  readonly clients: readonly SqlServerPeer[];
  /** What SQL Server dials: the object store (backups to URL) and Vault (the agent's init container). */
  readonly egressTo: readonly SqlServerPeer[];
}

/** Where SQL Server keeps everything: one volume, mounted whole (a `data/` mount alone breaks its permissions). */
export const MSSQL_DATA_DIRECTORY = '/var/opt/mssql';

/**
 * SQL Server 2022 on Linux at one site: a one-replica StatefulSet with its volume at
 * `/var/opt/mssql`, `mssql.conf` from a ConfigMap (TLS forced, memory limit, Agent), the
 * headless Service clients resolve the pod by, a PodDisruptionBudget that keeps a drain from
 * stopping the only instance unannounced, and a NetworkPolicy that admits only the clients.
 */
export class SqlServerChart extends Chart {
  constructor(scope: Construct, id: string, props: SqlServerChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true, labels: { ...props.labels } });
    const selector = { ...props.podLabels };
    const tcp = (port: number) => [{ protocol: 'TCP', port: IntOrString.fromNumber(port) }];

    new KubeServiceAccount(this, 'service-account', { metadata: { name: props.name }, automountServiceAccountToken: false });
    new KubeConfigMap(this, 'config', { metadata: { name: props.name }, data: { 'mssql.conf': props.mssqlConf } });
    new KubeService(this, 'service', {
      metadata: { name: props.name },
      spec: {
        clusterIp: 'None',
        selector,
        ports: [{ name: 'tds', port: props.port, targetPort: IntOrString.fromNumber(props.port) }],
      },
    });

    new KubeStatefulSet(this, 'statefulset', {
      metadata: { name: props.name },
      spec: {
        serviceName: props.name,
        replicas: 1,
        selector: { matchLabels: selector },
        updateStrategy: { type: 'RollingUpdate' },
        template: {
          metadata: { labels: selector, annotations: { ...props.podAnnotations } },
          spec: {
            serviceAccountName: props.name,
            automountServiceAccountToken: false,
            priorityClassName: props.priorityClassName,
            // SQL Server checkpoints every database on SIGTERM before it exits.
            terminationGracePeriodSeconds: 120,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: props.runAsUser,
              runAsGroup: props.runAsUser,
              fsGroup: props.runAsUser,
              fsGroupChangePolicy: 'OnRootMismatch',
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'mssql',
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                command: [...props.command],
                env: Object.entries(props.env).map(([name, value]) => ({ name, value })),
                ports: [{ name: 'tds', containerPort: props.port }],
                resources: {
                  requests: { cpu: Quantity.fromString(props.resources.cpuRequest), memory: Quantity.fromString(props.resources.memoryRequest) },
                  limits: { cpu: Quantity.fromString(props.resources.cpuLimit), memory: Quantity.fromString(props.resources.memoryLimit) },
                },
                securityContext: restrictedContainerSecurity(props.runAsUser),
                // Crash recovery of a large database can take minutes before the port opens.
                startupProbe: { tcpSocket: { port: IntOrString.fromNumber(props.port) }, periodSeconds: 10, failureThreshold: 90 },
                livenessProbe: { tcpSocket: { port: IntOrString.fromNumber(props.port) }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
                readinessProbe: { exec: { command: [...props.readinessCommand] }, periodSeconds: 15, timeoutSeconds: 10, failureThreshold: 3 },
                volumeMounts: [
                  { name: 'data', mountPath: MSSQL_DATA_DIRECTORY },
                  { name: 'config', mountPath: `${MSSQL_DATA_DIRECTORY}/mssql.conf`, subPath: 'mssql.conf', readOnly: true },
                  { name: 'tls', mountPath: props.tls.directory, readOnly: true },
                  { name: 'object-store-ca', mountPath: props.objectStoreCa.directory, readOnly: true },
                  { name: 'tmp', mountPath: '/tmp' },
                  // The platform abstraction layer's system directory, outside the read-only image.
                  { name: 'pal-system', mountPath: '/.system' },
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: props.name } },
              { name: 'tls', secret: { secretName: props.tls.secretName, defaultMode: 0o440 } },
              { name: 'object-store-ca', secret: { secretName: props.objectStoreCa.secretName, items: [{ key: 'ca.crt', path: 'object-store-ca.crt' }], defaultMode: 0o444 } },
              { name: 'tmp', emptyDir: { sizeLimit: Quantity.fromString('1Gi') } },
              { name: 'pal-system', emptyDir: { sizeLimit: Quantity.fromString('256Mi') } },
              { name: VAULT_TOKEN_VOLUME, projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], storageClassName: props.storageClassName, resources: { requests: { storage: Quantity.fromString(props.volumeSize) } } },
          },
        ],
      },
    });

    // One instance: a drain waits for the planned failover instead of stopping it.
    new KubePodDisruptionBudget(this, 'disruption-budget', {
      metadata: { name: props.name },
      spec: { minAvailable: IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });

    const peer = (p: SqlServerPeer): NetworkPolicyPeer => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.namespace } },
      podSelector: { matchLabels: { ...p.podLabels } },
    });
    new KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name: props.name },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: props.clients.map(peer), ports: tcp(props.port) }],
        egress: [...props.egressTo.map((to) => ({ to: [peer(to)], ports: tcp(to.port) })), DNS_EGRESS],
      },
    });
  }
}
