import type { ContainerResources } from './cert-manager-values';
import type { PinnedImage } from './versions';

/**
 * The values the platform sets on the HashiCorp Vault chart (VERSIONS.charts.vault), typed,
 * so a value the chart does not know is a compile error here; the chart's values.schema.json
 * checks the rest in `helm template`. Everything not set keeps the chart's default.
 *
 * @see https://artifacthub.io/packages/helm/hashicorp/vault/0.34.1
 */
export interface VaultValues {
  readonly global: {
    /** TLS on every listener: the chart's probes, VAULT_ADDR and Services use https. */
    readonly tlsDisable: false;
    readonly psp: { readonly enable: false };
    readonly serverTelemetry: { readonly prometheusOperator: false };
  };
  readonly injector: InjectorValues;
  readonly server: ServerValues;
  /** The UI is served by the servers (`ui = true`); the Gateway routes to `vault-active`, so no extra Service. */
  readonly ui: { readonly enabled: false };
  /** Secrets reach pods through the injected agent only: no CSI driver (it would need a host-path DaemonSet). */
  readonly csi: { readonly enabled: false };
}

/** Pod and container security contexts the chart takes as given (it writes its own otherwise). */
export interface SecurityContextValues {
  readonly pod: {
    readonly runAsNonRoot: true;
    readonly runAsUser: 100;
    readonly runAsGroup: 1000;
    readonly fsGroup: 1000;
    readonly seccompProfile: { readonly type: 'RuntimeDefault' };
  };
  readonly container: {
    readonly allowPrivilegeEscalation: false;
    readonly capabilities: { readonly drop: readonly ['ALL'] };
    readonly readOnlyRootFilesystem: true;
  };
}

export interface ResourceValues {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** The chart joins repository and tag: the tag carries the digest (`2.0.4@sha256:...`). */
export interface ImageValues {
  readonly repository: string;
  readonly tag: string;
  readonly pullPolicy: 'IfNotPresent';
}

export interface InjectorValues {
  readonly enabled: true;
  readonly replicas: number;
  readonly port: number;
  readonly leaderElector: { readonly enabled: true };
  /** `/metrics` on the webhook port. */
  readonly metrics: { readonly enabled: true };
  readonly image: ImageValues;
  /** The agent image the injector adds to pods. */
  readonly agentImage: { readonly repository: string; readonly tag: string };
  /** Requests and limits of every agent container the injector adds (VAULT_AGENT_RESOURCES). */
  readonly agentDefaults: { readonly cpuRequest: string; readonly cpuLimit: string; readonly memRequest: string; readonly memLimit: string };
  readonly webhook: {
    /**
     * The chart's `Ignore`, kept: with `Fail`, an injector outage would stop every pod from
     * being created in the namespaces it watches, the platform's own included. A pod created
     * while the injector is down starts without its agent and cannot read its secrets: it fails
     * closed, it does not run with secrets it should not have.
     */
    readonly failurePolicy: 'Ignore';
    /** Only the namespaces that consume Vault are sent to the webhook. */
    readonly namespaceSelector: { readonly matchExpressions: readonly [{ readonly key: 'kubernetes.io/metadata.name'; readonly operator: 'In'; readonly values: readonly string[] }] };
  };
  readonly securityContext: SecurityContextValues;
  readonly resources: ResourceValues;
  readonly priorityClassName: string;
  readonly podDisruptionBudget: { readonly minAvailable: 1 } | Record<string, never>;
}

export interface ServerValues {
  readonly enabled: true;
  readonly image: ImageValues;
  /** `OnDelete`, the chart's default: an upgrade restarts one server at a time, by the runbook, so a quorum stays up and each is unsealed in turn. */
  readonly updateStrategyType: 'OnDelete';
  readonly resources: ResourceValues;
  readonly priorityClassName: string;
  readonly extraLabels: Readonly<Record<string, string>>;
  readonly extraEnvironmentVars: Readonly<Record<string, string>>;
  readonly extraSecretEnvironmentVars: readonly { readonly envName: string; readonly secretName: string; readonly secretKey: string }[];
  readonly volumes: readonly unknown[];
  readonly volumeMounts: readonly { readonly name: string; readonly mountPath: string; readonly readOnly: boolean }[];
  /** The reloader signals the server: the pod's containers see each other's processes. */
  readonly shareProcessNamespace: true;
  /** `tls-reloader`: see `tlsReloaderContainer`. */
  readonly extraContainers: readonly [TlsReloaderContainer];
  readonly readinessProbe: { readonly enabled: true };
  /** Sealed and uninitialised servers answer 204: only a hung process is restarted, never one waiting to be unsealed. */
  readonly livenessProbe: { readonly enabled: true; readonly path: string; readonly initialDelaySeconds: number };
  readonly statefulSet: { readonly securityContext: SecurityContextValues };
  readonly dataStorage: StorageValues;
  readonly auditStorage: StorageValues;
  readonly networkPolicy: { readonly enabled: false };
  readonly ha: {
    readonly enabled: true;
    readonly replicas: number;
    /** One server at a time through a drain, so a quorum stays; none with one server (the chart would set 0, blocking every drain). */
    readonly disruptionBudget: { readonly enabled: true; readonly maxUnavailable: 1 } | { readonly enabled: false };
    readonly raft: { readonly enabled: true; readonly setNodeId: true; readonly config: string };
  };
}

export interface StorageValues {
  readonly enabled: true;
  readonly size: string;
  readonly mountPath: string;
  readonly storageClass: string | null;
  readonly accessMode: 'ReadWriteOnce';
}

/** How the servers are unsealed (the environment's `vault.unseal`, resolved). */
export type UnsealConfig =
  | { readonly kind: 'shamir' }
  | {
      readonly kind: 'transit';
      readonly address: string;
      readonly keyName: string;
      readonly mountPath: string;
      /** Where the CA certificate of the transit Vault is mounted. */
      readonly caFile: string;
    };

/** Everything `vaultServerConfig` needs. */
export interface VaultServerConfigInput {
  readonly replicas: number;
  /** Headless Service of the servers, e.g. `vault-internal`. */
  readonly internalService: string;
  readonly namespace: string;
  readonly port: number;
  readonly clusterPort: number;
  readonly tlsDirectory: string;
  readonly dataPath: string;
  readonly unseal: UnsealConfig;
}

/**
 * The servers' configuration (HCL): TLS on the listener, integrated Raft storage joining every
 * server of the StatefulSet over TLS, Kubernetes service registration (the `vault-active`
 * Service selects the leader by it), Prometheus telemetry, and the transit seal when chosen.
 * The chart's start script replaces the words POD_IP, HOST_IP, HOSTNAME, API_ADDR,
 * TRANSIT_ADDR and RAFT_ADDR in this text, so it names none of them.
 */
export function vaultServerConfig(input: VaultServerConfigInput): string {
  const tls = input.tlsDirectory;
  const joins = Array.from({ length: input.replicas }, (_, index) => {
    const server = `vault-${index}.${input.internalService}`;
    return [
      '  retry_join {',
      `    leader_api_addr         = "https://${server}:${input.port}"`,
      `    leader_ca_cert_file     = "${tls}/ca.crt"`,
      `    leader_tls_servername   = "${server}.${input.namespace}.svc"`,
      `    leader_client_cert_file = "${tls}/tls.crt"`,
      `    leader_client_key_file  = "${tls}/tls.key"`,
      '  }',
    ].join('\n');
  });
  const seal =
    input.unseal.kind === 'transit'
      ? [
          '',
          '# The token comes from VAULT_TOKEN, read from a Secret placed out of band.',
          'seal "transit" {',
          `  address         = "${input.unseal.address}"`,
          `  key_name        = "${input.unseal.keyName}"`,
          `  mount_path      = "${input.unseal.mountPath}/"`,
          `  tls_ca_cert     = "${input.unseal.caFile}"`,
          '  disable_renewal = "false"',
          '}',
        ]
      : [];
  return [
    'ui = true',
    'disable_mlock = true',
    '',
    'listener "tcp" {',
    `  address         = "[::]:${input.port}"`,
    `  cluster_address = "[::]:${input.clusterPort}"`,
    '  tls_disable     = false',
    `  tls_cert_file   = "${tls}/tls.crt"`,
    `  tls_key_file    = "${tls}/tls.key"`,
    '  tls_min_version = "tls12"',
    '  telemetry {',
    '    unauthenticated_metrics_access = true',
    '  }',
    '}',
    '',
    'storage "raft" {',
    `  path = "${input.dataPath}"`,
    ...joins,
    '}',
    '',
    'service_registration "kubernetes" {}',
    '',
    'telemetry {',
    '  prometheus_retention_time = "30s"',
    '  disable_hostname          = true',
    '}',
    ...seal,
  ].join('\n');
}

/** Everything `vaultValues` needs, resolved and validated by `VaultCluster`. */
export interface VaultValuesInput {
  readonly replicas: number;
  readonly injectorReplicas: number;
  readonly serverImage: PinnedImage;
  readonly injectorImage: PinnedImage;
  readonly serverResources: ContainerResources;
  readonly injectorResources: ContainerResources;
  readonly serverPriorityClassName: string;
  readonly injectorPriorityClassName: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly injectorPort: number;
  readonly injectedNamespaces: readonly string[];
  readonly tlsSecretName: string;
  readonly tlsDirectory: string;
  readonly dataStorage: { readonly size: string; readonly storageClass: string | null; readonly mountPath: string };
  readonly auditStorage: { readonly size: string; readonly storageClass: string | null; readonly mountPath: string };
  readonly environmentVars: Readonly<Record<string, string>>;
  /** The transit seal's Secret (`token`, `ca.crt`), placed out of band; none for Shamir. */
  readonly transitSecret?: { readonly name: string; readonly mountPath: string };
  readonly config: string;
}

/**
 * What each Vault agent container the injector adds to a pod requests and may use: the
 * chart's 250m CPU request would make every consumer pod's quota pay for a process that
 * renders a few files; the agent idles between renewals.
 */
export const VAULT_AGENT_RESOURCES: ContainerResources = { cpuRequest: '25m', cpuLimit: '250m', memoryRequest: '64Mi', memoryLimit: '128Mi' };

/** The tls-reloader sidecar's requests and limits. */
export const TLS_RELOADER_RESOURCES: ContainerResources = { cpuRequest: '5m', cpuLimit: '50m', memoryRequest: '8Mi', memoryLimit: '32Mi' };

/** The sidecar that has the server reload its certificate when cert-manager renews it. */
export interface TlsReloaderContainer {
  readonly name: 'tls-reloader';
  readonly image: string;
  readonly command: readonly string[];
  readonly securityContext: SecurityContextValues['container'];
  readonly resources: ResourceValues;
  readonly volumeMounts: readonly [{ readonly name: 'tls'; readonly mountPath: string; readonly readOnly: true }];
}

/** How often the reloader looks at the certificate files. */
export const TLS_RELOAD_CHECK_SECONDS = 60;

/**
 * Vault reads its listener's certificate at start and again on SIGHUP, never by itself, and
 * a server is restarted only by hand (`OnDelete`, each unsealed in turn). cert-manager
 * renews the certificate `renewBefore` its end and the kubelet updates the mounted Secret;
 * this sidecar (the server image's shell, no other image) compares the files every
 * TLS_RELOAD_CHECK_SECONDS and sends the server SIGHUP when they change, so a renewed
 * certificate is served within minutes and the old one never expires in use.
 */
export function tlsReloaderContainer(image: PinnedImage, tlsDirectory: string): TlsReloaderContainer {
  const files = `${tlsDirectory}/tls.crt ${tlsDirectory}/tls.key ${tlsDirectory}/ca.crt`;
  const script = [
    'set -u',
    `seen="$(cat ${files} | sha256sum)"`,
    `while sleep ${TLS_RELOAD_CHECK_SECONDS}; do`,
    `  now="$(cat ${files} | sha256sum)"`,
    '  if [ "$now" != "$seen" ] && pkill -HUP -x vault; then',
    '    echo "certificate changed: sent SIGHUP to the Vault server"',
    '    seen="$now"',
    '  fi',
    'done',
  ].join('\n');
  return {
    name: 'tls-reloader',
    image: `${image.registry}/${image.repository}:${image.tag}@${image.digest}`,
    command: ['/bin/sh', '-c', script],
    securityContext: SECURITY_CONTEXT.container,
    resources: resourceValues(TLS_RELOADER_RESOURCES),
    volumeMounts: [{ name: 'tls', mountPath: tlsDirectory, readOnly: true }],
  };
}

const SECURITY_CONTEXT: SecurityContextValues = {
  pod: { runAsNonRoot: true, runAsUser: 100, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
  container: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
};

/** The chart values, built from resolved inputs only: the same inputs give the same values. */
export function vaultValues(input: VaultValuesInput): VaultValues {
  const transit = input.transitSecret;
  return {
    global: { tlsDisable: false, psp: { enable: false }, serverTelemetry: { prometheusOperator: false } },
    injector: {
      enabled: true,
      replicas: input.injectorReplicas,
      port: input.injectorPort,
      leaderElector: { enabled: true },
      metrics: { enabled: true },
      image: imageValues(input.injectorImage),
      agentDefaults: {
        cpuRequest: VAULT_AGENT_RESOURCES.cpuRequest,
        cpuLimit: VAULT_AGENT_RESOURCES.cpuLimit,
        memRequest: VAULT_AGENT_RESOURCES.memoryRequest,
        memLimit: VAULT_AGENT_RESOURCES.memoryLimit,
      },
      agentImage: { repository: `${input.serverImage.registry}/${input.serverImage.repository}`, tag: `${input.serverImage.tag}@${input.serverImage.digest}` },
      webhook: {
        failurePolicy: 'Ignore',
        namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...input.injectedNamespaces] }] },
      },
      securityContext: SECURITY_CONTEXT,
      resources: resourceValues(input.injectorResources),
      priorityClassName: input.injectorPriorityClassName,
      podDisruptionBudget: input.injectorReplicas > 1 ? { minAvailable: 1 } : {},
    },
    server: {
      enabled: true,
      image: imageValues(input.serverImage),
      updateStrategyType: 'OnDelete',
      resources: resourceValues(input.serverResources),
      priorityClassName: input.serverPriorityClassName,
      extraLabels: { ...input.labels },
      extraEnvironmentVars: { ...input.environmentVars },
      extraSecretEnvironmentVars: transit ? [{ envName: 'VAULT_TOKEN', secretName: transit.name, secretKey: 'token' }] : [],
      volumes: [
        { name: 'tls', secret: { secretName: input.tlsSecretName, defaultMode: 0o440 } },
        // The start script copies the configuration to /tmp: the root filesystem stays read-only.
        { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
        ...(transit ? [{ name: 'transit-unseal', secret: { secretName: transit.name, defaultMode: 0o440, items: [{ key: 'ca.crt', path: 'ca.crt' }] } }] : []),
      ],
      volumeMounts: [
        { name: 'tls', mountPath: input.tlsDirectory, readOnly: true },
        { name: 'tmp', mountPath: '/tmp', readOnly: false },
        ...(transit ? [{ name: 'transit-unseal', mountPath: transit.mountPath, readOnly: true }] : []),
      ],
      shareProcessNamespace: true,
      extraContainers: [tlsReloaderContainer(input.serverImage, input.tlsDirectory)],
      readinessProbe: { enabled: true },
      livenessProbe: { enabled: true, path: '/v1/sys/health?standbyok=true&perfstandbyok=true&sealedcode=204&uninitcode=204', initialDelaySeconds: 60 },
      statefulSet: { securityContext: SECURITY_CONTEXT },
      dataStorage: { enabled: true, size: input.dataStorage.size, mountPath: input.dataStorage.mountPath, storageClass: input.dataStorage.storageClass, accessMode: 'ReadWriteOnce' },
      auditStorage: { enabled: true, size: input.auditStorage.size, mountPath: input.auditStorage.mountPath, storageClass: input.auditStorage.storageClass, accessMode: 'ReadWriteOnce' },
      networkPolicy: { enabled: false },
      ha: {
        enabled: true,
        replicas: input.replicas,
        disruptionBudget: input.replicas > 1 ? { enabled: true, maxUnavailable: 1 } : { enabled: false },
        raft: { enabled: true, setNodeId: true, config: input.config },
      },
    },
    ui: { enabled: false },
    csi: { enabled: false },
  };
}

function imageValues(image: PinnedImage): ImageValues {
  return { repository: `${image.registry}/${image.repository}`, tag: `${image.tag}@${image.digest}`, pullPolicy: 'IfNotPresent' };
}

function resourceValues(resources: ContainerResources): ResourceValues {
  return { requests: { cpu: resources.cpuRequest, memory: resources.memoryRequest }, limits: { cpu: resources.cpuLimit, memory: resources.memoryLimit } };
}
