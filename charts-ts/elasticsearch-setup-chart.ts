import { Chart } from 'cdk8s';
import {
  IntOrString,
  KubeConfigMap,
  KubeCronJob,
  KubeJob,
  KubeNetworkPolicy,
  KubeRole,
  KubeRoleBinding,
  KubeSecret,
  KubeServiceAccount,
  Quantity,
  type NetworkPolicyPeer,
} from 'cdk8s-plus-28/lib/imports/k8s';
import type { Construct } from 'constructs';
import { DNS_EGRESS, restrictedContainerSecurity, restrictedPodSecurity } from './restricted-pod';
import { VAULT_TOKEN_VOLUME } from './vault-agent-annotations';

/** Pods selected by namespace and labels, on one TCP port. */
export interface SetupPeer {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly port: number;
}

export interface ElasticsearchSetupChartProps {
  /** Where the Job runs: Elasticsearch's namespace. */
  readonly namespace: string;
  /** Labels on every object. */
  readonly labels: Readonly<Record<string, string>>;
  /** Name of the ServiceAccount, Role, RoleBinding, ConfigMap, CronJob and NetworkPolicy. */
  readonly name: string;
  /** The Job run at the apply that changes it (its name carries a hash of what it applies). */
  readonly jobName: string;
  /** When the CronJob repairs drift (five-field cron). */
  readonly repairSchedule: string;
  /** Longest a run may take before Kubernetes stops it. */
  readonly activeDeadlineSeconds: number;
  /** Labels of the pods (the NetworkPolicy selects them). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The Vault agent injector annotations. */
  readonly podAnnotations: Readonly<Record<string, string>>;
  /** The PriorityClass of the pods. */
  readonly priorityClassName: string;
  /** The user and group the pod runs as (the image's own). */
  readonly runAsUser: number;
  /** Requests and limits of the setup container, as Kubernetes quantities. */
  readonly resources: { readonly cpuRequest: string; readonly memoryRequest: string; readonly cpuLimit: string; readonly memoryLimit: string };
  /** The image the script runs in, by digest. */
  readonly image: string;
  /** Run with `/bin/sh -c`. */
  readonly script: string;
  /** Plain environment variables of the container. */
  readonly env: Readonly<Record<string, string>>;
  /** The Secret key holding the `elastic` user's password, mounted as a file (never an environment variable) in `directory`. */
  readonly elasticPassword: { readonly secretName: string; readonly key: string; readonly directory: string };
  /** The request bodies, mounted read-only at `configDirectory`. */
  readonly config: Readonly<Record<string, string>>;
  readonly configDirectory: string;
  /** The Secret whose `ca.crt` verifies Elasticsearch's HTTP certificate, and where it is mounted. */
  readonly elasticsearchCa: { readonly secretName: string; readonly directory: string };
  /** Where the container's own service account token and the cluster CA (`token`, `ca.crt`) are mounted. */
  readonly kubernetesApiDirectory: string;
  /**
   * The Secret the Job writes the snapshot keys into. Declared here without data, so it exists
   * before Elasticsearch starts and the Job only ever patches this one Secret (RBAC cannot
   * narrow `create` to a name).
   */
  readonly secureSettingsSecret: string;
  /** Elasticsearch's pods and Vault's servers. */
  readonly egressTo: readonly SetupPeer[];
  /** The API server's endpoints (after Service translation). */
  readonly apiServer: { readonly addressBlocks: readonly string[]; readonly port: number };
}

/**
 * The Elasticsearch setup of one site: its ServiceAccount (Vault's Kubernetes auth binds the
 * setup's role to it; its token also patches the one Secret the Role names), the request
 * bodies, the Job and the CronJob that repairs drift, the secure settings Secret, and a
 * NetworkPolicy allowing Elasticsearch, Vault, the API server and DNS only.
 */
export class ElasticsearchSetupChart extends Chart {
  constructor(scope: Construct, id: string, props: ElasticsearchSetupChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true, labels: { ...props.labels } });

    new KubeServiceAccount(this, 'service-account', { metadata: { name: props.name }, automountServiceAccountToken: false });
    new KubeSecret(this, 'secure-settings', { metadata: { name: props.secureSettingsSecret }, type: 'Opaque' });
    new KubeRole(this, 'role', {
      metadata: { name: props.name },
      rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: [props.secureSettingsSecret], verbs: ['get', 'patch'] }],
    });
    new KubeRoleBinding(this, 'role-binding', {
      metadata: { name: props.name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: props.name },
      subjects: [{ kind: 'ServiceAccount', name: props.name, namespace: props.namespace }],
    });
    new KubeConfigMap(this, 'config', { metadata: { name: props.name }, data: { ...props.config } });

    const container = {
      name: 'setup',
      image: props.image,
      imagePullPolicy: 'IfNotPresent',
      command: ['/bin/sh', '-c', props.script],
      env: Object.entries(props.env).map(([name, value]) => ({ name, value })),
      resources: {
        requests: { cpu: Quantity.fromString(props.resources.cpuRequest), memory: Quantity.fromString(props.resources.memoryRequest) },
        limits: { cpu: Quantity.fromString(props.resources.cpuLimit), memory: Quantity.fromString(props.resources.memoryLimit) },
      },
      securityContext: restrictedContainerSecurity(props.runAsUser),
      volumeMounts: [
        { name: 'config', mountPath: props.configDirectory, readOnly: true },
        { name: 'elasticsearch-ca', mountPath: props.elasticsearchCa.directory, readOnly: true },
        { name: 'elastic-password', mountPath: props.elasticPassword.directory, readOnly: true },
        { name: 'kubernetes-api', mountPath: props.kubernetesApiDirectory, readOnly: true },
        { name: 'tmp', mountPath: '/tmp' },
      ],
    };
    const jobSpec = {
      backoffLimit: 6,
      activeDeadlineSeconds: props.activeDeadlineSeconds,
      template: {
        metadata: { labels: { ...props.podLabels }, annotations: { ...props.podAnnotations } },
        spec: {
          serviceAccountName: props.name,
          automountServiceAccountToken: false,
          restartPolicy: 'Never',
          priorityClassName: props.priorityClassName,
          securityContext: restrictedPodSecurity(props.runAsUser),
          containers: [container],
          volumes: [
            { name: 'config', configMap: { name: props.name, defaultMode: 0o444 } },
            { name: 'elasticsearch-ca', secret: { secretName: props.elasticsearchCa.secretName, items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } },
            { name: 'elastic-password', secret: { secretName: props.elasticPassword.secretName, items: [{ key: props.elasticPassword.key, path: props.elasticPassword.key }], defaultMode: 0o440 } },
            // The setup container's own token (the Vault agent has its own volume below).
            {
              name: 'kubernetes-api',
              projected: {
                defaultMode: 0o444,
                sources: [
                  { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
                  { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
                ],
              },
            },
            { name: 'tmp', emptyDir: { sizeLimit: Quantity.fromString('16Mi') } },
            { name: VAULT_TOKEN_VOLUME, projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } },
          ],
        },
      },
    };
    // A Job per configuration: a changed configuration is a new Job, run at that apply.
    new KubeJob(this, 'job', { metadata: { name: props.jobName, labels: { ...props.podLabels } }, spec: jobSpec });
    new KubeCronJob(this, 'cron-job', {
      metadata: { name: props.name },
      spec: {
        schedule: props.repairSchedule,
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 600,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: { metadata: { labels: { ...props.podLabels } }, spec: jobSpec },
      },
    });

    const peer = (p: SetupPeer): NetworkPolicyPeer => ({
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
          ...props.egressTo.map((to) => ({ to: [peer(to)], ports: tcp(to.port) })),
          { to: props.apiServer.addressBlocks.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(props.apiServer.port) },
          DNS_EGRESS,
        ],
      },
    });
  }
}
