import { ApiObject, Chart, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IntOrString, KubeNetworkPolicy, KubePodDisruptionBudget, type NetworkPolicyPeer } from 'cdk8s-plus-28/lib/imports/k8s';
import type { Construct } from 'constructs';
import { ServiceMonitor } from './imports/servicemonitor-monitoring.coreos.com';
import { VAULT_AGENT_TLS_CA_FILE, VAULT_TOKEN_VOLUME, vaultAgentAnnotations, type VaultSecretFile } from './vault-agent-annotations';

export { VAULT_SECRETS_DIR, VAULT_TOKEN_VOLUME, type VaultSecretFile } from './vault-agent-annotations';

/** A workload the loan-service talks to or is reached from, selected by namespace and pod labels. */
export interface PeerSelector {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly port: number;
}

/** Servers outside the cluster the loan-service calls, by address block, on one TCP port. */
export interface AddressBlocksPeer {
  readonly addressBlocks: readonly string[];
  readonly port: number;
}

/** Requests and limits of each Vault agent container the injector adds to the pod (Kubernetes quantities). */
export interface VaultAgentResources {
  readonly cpuRequest: string;
  readonly cpuLimit: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
}

export interface LoanServiceChartProps {
  readonly namespace: string;
  readonly image: string;
  readonly replicas: number;
  readonly maxReplicas: number;
  readonly resources: { readonly cpuRequestMillis: number; readonly cpuLimitMillis: number; readonly memoryRequestMiB: number; readonly memoryLimitMiB: number };
  readonly runAsUser: number;
  readonly priorityClassName: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Plain (non-secret) environment variables of the container. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * The Vault agent's address, role, trust (a Secret with `ca.crt` in the namespace), the files
   * it renders, and the requests and limits of its containers (init and sidecar), set on the
   * pod so they hold whatever the injector's own defaults are.
   */
  readonly vault: {
    readonly address: string;
    readonly role: string;
    readonly caSecretName: string;
    readonly secrets: readonly VaultSecretFile[];
    readonly agentResources: VaultAgentResources;
  };
  /** A Secret in the namespace whose `ca.crt` (the site CA) the service trusts for TLS to the object store, mounted in `directory`. */
  readonly trustedCa: { readonly secretName: string; readonly directory: string };
  /** Who may connect, each to its own port (callers to `http`, Prometheus to `metrics`). */
  readonly ingressFrom: readonly PeerSelector[];
  readonly egressTo: readonly PeerSelector[];
  /** Servers outside the cluster the service calls (the identity provider's JWKS). */
  readonly egressToAddressBlocks: readonly AddressBlocksPeer[];
  /** Labels the Prometheus operator selects ServiceMonitors by. */
  readonly serviceMonitorLabels: Readonly<Record<string, string>>;
}

export const LOAN_SERVICE_NAME = 'loan-service';
export const LOAN_SERVICE_PORT = 8080;
/** The second listener (`METRICS_PORT`): only `GET /metrics` and `GET /openapi.json`, for Prometheus. */
export const LOAN_SERVICE_METRICS_PORT = 9464;
/** The port of the loan-service's Service (it forwards to LOAN_SERVICE_PORT on the pods). */
export const LOAN_SERVICE_SERVICE_PORT = 80;

/**
 * The loan-service on one site: ServiceAccount, Deployment (restricted security context,
 * read-only root filesystem, probes, Vault agent annotations, spread across nodes), Service,
 * HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicy and ServiceMonitor.
 */
export class LoanServiceChart extends Chart {
  constructor(scope: Construct, id: string, props: LoanServiceChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true, labels: { ...props.labels } });
    const selector = { 'app.kubernetes.io/name': LOAN_SERVICE_NAME };

    const serviceAccount = new kplus.ServiceAccount(this, 'service-account', {
      metadata: { name: LOAN_SERVICE_NAME },
      // No token in the service's container: the Vault agent gets its own (VAULT_TOKEN_VOLUME).
      automountToken: false,
    });

    const deployment = new kplus.Deployment(this, 'deployment', {
      metadata: { name: LOAN_SERVICE_NAME },
      // No fixed replica count: the HorizontalPodAutoscaler owns it (minReplicas = replicas),
      // so an apply never resets a scaled-out Deployment.
      serviceAccount,
      automountServiceAccountToken: false,
      spread: false,
      // Surge one pod at a time and never drop below the desired count: with graceful
      // shutdown in the service, a rollout drops no request.
      strategy: kplus.DeploymentStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.absolute(1), maxUnavailable: kplus.PercentOrAbsolute.absolute(0) }),
      podMetadata: {
        labels: selector,
        annotations: {
          ...vaultAgentAnnotations({
            address: props.vault.address,
            role: props.vault.role,
            secrets: props.vault.secrets,
            // The agent verifies Vault's certificate with the site CA from this Secret.
            tlsSecret: props.vault.caSecretName,
            caCertFile: VAULT_AGENT_TLS_CA_FILE,
          }),
          ...vaultAgentResourceAnnotations(props.vault.agentResources),
        },
      },
      securityContext: { user: props.runAsUser, group: props.runAsUser, fsGroup: props.runAsUser, ensureNonRoot: true },
      terminationGracePeriod: Duration.seconds(40),
      select: false,
      containers: [
        {
          name: LOAN_SERVICE_NAME,
          image: props.image,
          imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
          ports: [
            { number: LOAN_SERVICE_PORT, name: 'http' },
            { number: LOAN_SERVICE_METRICS_PORT, name: 'metrics' },
          ],
          envVariables: Object.fromEntries(Object.entries(props.env).map(([name, value]) => [name, kplus.EnvValue.fromValue(value)])),
          liveness: kplus.Probe.fromHttpGet('/healthz', { port: LOAN_SERVICE_PORT, periodSeconds: Duration.seconds(10), failureThreshold: 3 }),
          readiness: kplus.Probe.fromHttpGet('/readyz', { port: LOAN_SERVICE_PORT, periodSeconds: Duration.seconds(5), failureThreshold: 2 }),
          startup: kplus.Probe.fromHttpGet('/healthz', { port: LOAN_SERVICE_PORT, periodSeconds: Duration.seconds(2), failureThreshold: 30 }),
          resources: {
            cpu: { request: kplus.Cpu.millis(props.resources.cpuRequestMillis), limit: kplus.Cpu.millis(props.resources.cpuLimitMillis) },
            memory: { request: Size.mebibytes(props.resources.memoryRequestMiB), limit: Size.mebibytes(props.resources.memoryLimitMiB) },
          },
          securityContext: {
            user: props.runAsUser,
            group: props.runAsUser,
            ensureNonRoot: true,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            privileged: false,
            capabilities: { drop: [kplus.Capability.ALL] },
            seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
          },
          volumeMounts: [
            { path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }) },
            {
              path: props.trustedCa.directory,
              readOnly: true,
              // Only the CA certificate of the Secret, never a key.
              volume: kplus.Volume.fromSecret(this, 'trusted-ca', kplus.Secret.fromSecretName(this, 'trusted-ca-secret', props.trustedCa.secretName), {
                name: 'trusted-ca',
                items: { 'ca.crt': { path: 'ca.crt' } },
                defaultMode: 0o444,
              }),
            },
          ],
        },
      ],
    });
    deployment.select(kplus.LabelSelector.of({ labels: selector }));

    const deploymentObject = ApiObject.of(deployment);
    deploymentObject.addJsonPatch(
      JsonPatch.add('/spec/template/spec/priorityClassName', props.priorityClassName),
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
      // The Vault agent authenticates with this short-lived token; the injector mounts it into
      // the agent containers only (vault.hashicorp.com/agent-service-account-token-volume-name).
      JsonPatch.add('/spec/template/spec/volumes/-', {
        name: VAULT_TOKEN_VOLUME,
        projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] },
      }),
      JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: selector } },
      ]),
    );

    new kplus.Service(this, 'service', {
      metadata: { name: LOAN_SERVICE_NAME, labels: selector },
      selector: deployment,
      ports: [
        { name: 'http', port: LOAN_SERVICE_SERVICE_PORT, targetPort: LOAN_SERVICE_PORT },
        // Only Prometheus reaches it (the NetworkPolicy); the ServiceMonitor scrapes it by name.
        { name: 'metrics', port: LOAN_SERVICE_METRICS_PORT, targetPort: LOAN_SERVICE_METRICS_PORT },
      ],
    });

    new kplus.HorizontalPodAutoscaler(this, 'autoscaler', {
      metadata: { name: LOAN_SERVICE_NAME },
      target: deployment,
      minReplicas: props.replicas,
      maxReplicas: props.maxReplicas,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))],
    });

    new KubePodDisruptionBudget(this, 'disruption-budget', {
      metadata: { name: LOAN_SERVICE_NAME },
      spec: { maxUnavailable: IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });

    const peer = (p: PeerSelector): NetworkPolicyPeer => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.namespace } },
      podSelector: { matchLabels: { ...p.podLabels } },
    });
    new KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name: LOAN_SERVICE_NAME },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: props.ingressFrom.map((p) => ({ from: [peer(p)], ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(p.port) }] })),
        egress: [
          ...props.egressTo.map((p) => ({ to: [peer(p)], ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(p.port) }] })),
          ...props.egressToAddressBlocks.map((p) => ({
            to: p.addressBlocks.map((cidr) => ({ ipBlock: { cidr } })),
            ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(p.port) }],
          })),
          {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [
              { protocol: 'UDP', port: IntOrString.fromNumber(53) },
              { protocol: 'TCP', port: IntOrString.fromNumber(53) },
            ],
          },
        ],
      },
    });

    new ServiceMonitor(this, 'service-monitor', {
      metadata: { name: LOAN_SERVICE_NAME, labels: { ...props.serviceMonitorLabels } },
      spec: {
        selector: { matchLabels: selector },
        namespaceSelector: { matchNames: [props.namespace] },
        endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s', scrapeTimeout: '10s' }],
      },
    });
  }
}

/**
 * The injector's per-pod requests and limits of its agent containers.
 * @see https://developer.hashicorp.com/vault/docs/platform/k8s/injector/annotations
 */
function vaultAgentResourceAnnotations(resources: VaultAgentResources): Record<string, string> {
  return {
    'vault.hashicorp.com/agent-requests-cpu': resources.cpuRequest,
    'vault.hashicorp.com/agent-limits-cpu': resources.cpuLimit,
    'vault.hashicorp.com/agent-requests-mem': resources.memoryRequest,
    'vault.hashicorp.com/agent-limits-mem': resources.memoryLimit,
  };
}
