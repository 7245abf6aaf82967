import { App as Cdk8sApp } from 'cdk8s';
import type { Construct } from 'constructs';
import * as ipaddr from 'ipaddr.js';
import { VaultChart, type VaultPodPolicy } from '../charts-ts/vault-chart';
import type { ContainerResources } from './cert-manager-values';
import { PlatformComponent, objectKey, type HelmReleaseSpec, type KubeObject } from './platform-component';
import { PlatformError, formatValue } from './platform-error';
import { checkRequestsWithinLimits, memoryMiB } from './quantities';
import { serviceHost, type ApiServerPeer, type MetricsScraper, type VaultEndpoint } from './service-references';
import { PRIORITY_CLASSES, type SiteCluster } from './site-cluster';
import { isDnsLabel, requestCertificate, type CertificateIssuers, type TlsCertificate, type TrustAnchor } from './tls-certificate';
import { chartSource, pinnedImage } from './versions';
import { TLS_RELOADER_RESOURCES, vaultServerConfig, vaultValues, type UnsealConfig, type VaultValues } from './vault-values';
import { sumResources, type PodBudget } from './namespace-budget';

/**
 * How the servers are unsealed: the environment's `vault.unseal`. There is no public cloud
 * KMS, so each environment chooses.
 *
 * Recovery time of each choice:
 * - `shamir`: a server that restarts (node loss, upgrade, eviction) stays sealed, and the
 *   Raft quorum shrinks, until `keyThreshold` custodians each enter their share with
 *   `vault operator unseal`. Recovery takes as long as gathering that many custodians, day or
 *   night: the on-call rota must always reach `keyThreshold` of them. Losing more than
 *   `keyShares - keyThreshold` shares loses the data for good.
 * - `transit`: servers unseal themselves at start within seconds, as long as the in-country
 *   transit Vault answers and its token is valid; while it is down, restarted servers stay
 *   sealed (running ones keep serving). Recovery then depends on that Vault's own recovery,
 *   and on the recovery keys (`vault operator init` prints them) only for root-token tasks.
 */
export type VaultUnseal =
  | { readonly kind: 'shamir'; readonly keyShares: number; readonly keyThreshold: number; readonly custodians: readonly string[] }
  | { readonly kind: 'transit'; readonly address: string; readonly keyName: string; readonly mountPath: string; readonly addressBlocks: readonly string[] };

/** Size and class of one of the servers' volumes. */
export interface VaultStorage {
  /** Volume size, a Kubernetes quantity, e.g. `10Gi`. */
  readonly size: string;
  /**
   * StorageClass of the volume.
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: string;
}

export const VAULT_WORKLOADS = ['server', 'injector'] as const;
export type VaultWorkloadName = (typeof VAULT_WORKLOADS)[number];

/** Requests and limits of the server and the injector. */
export const DEFAULT_VAULT_RESOURCES: Readonly<Record<VaultWorkloadName, ContainerResources>> = {
  server: { cpuRequest: '250m', memoryRequest: '256Mi', cpuLimit: '1', memoryLimit: '1Gi' },
  injector: { cpuRequest: '50m', memoryRequest: '64Mi', cpuLimit: '250m', memoryLimit: '128Mi' },
};

/** Raft data and audit log volumes of each server. */
export const DEFAULT_VAULT_STORAGE: Readonly<{ data: VaultStorage; audit: VaultStorage }> = { data: { size: '10Gi' }, audit: { size: '10Gi' } };

/** The release's name: the chart names its objects (`vault`, `vault-internal`, `vault-active`, `vault-agent-injector`) after it. */
export const VAULT_RELEASE = 'vault';
/** The Vault API port, TLS. */
export const VAULT_API_PORT = 8200;
/** Raft and request forwarding between the servers (Vault's own TLS). */
export const VAULT_CLUSTER_PORT = 8201;
/**
 * The chart's headless Service over every server, ready or not: the servers' ServiceMonitor
 * selects it, so Prometheus names their scrape job after it.
 */
export const VAULT_METRICS_SERVICE = `${VAULT_RELEASE}-internal`;
/** The injector's webhook and metrics port. */
export const VAULT_INJECTOR_PORT = 8080;
/** Where each server mounts its certificate's Secret. */
export const VAULT_TLS_DIRECTORY = '/vault/tls';
/** Where each server mounts its audit volume. */
export const VAULT_AUDIT_DIRECTORY = '/vault/audit';
/**
 * The file the audit device writes (on the audit volume, kept across restarts): the
 * configuration enables it with `vault audit enable file file_path=/vault/audit/audit.log`.
 */
export const VAULT_AUDIT_LOG = `${VAULT_AUDIT_DIRECTORY}/audit.log`;
/** The Secret in each consumer namespace whose `ca.crt` the Vault agent verifies the servers with. */
export const VAULT_AGENT_TRUST_SECRET = 'vault-agent-trust';
/** Secret (`token`, `ca.crt`) of the transit seal, which the bank's officers place in Vault's namespace out of band. */
export const VAULT_TRANSIT_SECRET = 'vault-transit-unseal';

export interface VaultClusterProps {
  /** The site's cluster baseline: Vault runs in its `security` namespace. */
  readonly cluster: SiteCluster;
  /** The site's in-country registry mirror: every image comes from it by digest. */
  readonly registry: string;
  /** The site's in-country chart repository, e.g. `https://charts.lusaka.lms.co.zm`. */
  readonly chartRepository: string;
  /**
   * The chart version to install: the environment's pin (`charts.vault` in
   * `environments/pins/<env>.json`), one of `SUPPORTED_CHART_VERSIONS.vault`.
   * @default - `VERSIONS.charts.vault.version`
   */
  readonly chartVersion?: string;
  /** The site's DNS domain (`prod.lusaka.lms.co.zm`): operators reach the UI at `vault.<domain>`. */
  readonly siteDnsDomain: string;
  /** The site's issuers (`CertManager.issuers`): the servers' certificate comes from the internal CA. */
  readonly issuers: CertificateIssuers;
  /** How the servers are unsealed (the environment's `vault.unseal`). */
  readonly unseal: VaultUnseal;
  /** Servers in the Raft cluster: 1, 3 or 5 (the environment's `vault.replicas`). */
  readonly replicas: number;
  /** The API server: it calls the injector's webhook; the servers (TokenReview, service registration) and the injector call it. */
  readonly apiServer: ApiServerPeer;
  /** The Prometheus that scrapes the servers' `/v1/sys/metrics` and the injector's `/metrics`. */
  readonly metrics: MetricsScraper;
  /**
   * Namespaces whose pods may call Vault and get the agent injected.
   * @default - the cluster's apps, data, observability and platform namespaces (the platform's for Traefik, which serves the UI)
   */
  readonly consumerNamespaces?: readonly string[];
  /**
   * Requests and limits of the server and the injector.
   * @default DEFAULT_VAULT_RESOURCES
   */
  readonly resources?: Partial<Record<VaultWorkloadName, ContainerResources>>;
  /**
   * The servers' Raft data and audit volumes.
   * @default DEFAULT_VAULT_STORAGE - 10Gi each, the default StorageClass
   */
  readonly storage?: { readonly data?: VaultStorage; readonly audit?: VaultStorage };
}

/** What consumers of the site's Vault get: its address, its pods, and the CA to trust. */
export interface VaultClusterEndpoint extends VaultEndpoint {
  /** The CA that signs the servers' certificate: clients verify Vault's TLS with it. */
  readonly trustAnchor: TrustAnchor;
}

/**
 * Vault on one site, from the pinned HashiCorp chart: a Raft cluster of `replicas` servers
 * with TLS on every listener, the agent injector, audit volumes, NetworkPolicies, and the
 * unseal method the environment chose. Initialising, unsealing, enabling the audit device
 * and the auth methods are the configuration's and the runbook's, not this component's.
 */
export class VaultCluster extends PlatformComponent {
  public readonly namespace: string;
  /** The namespace's Pod Security level: the pods meet `restricted`. */
  public readonly podSecurityLevel: string;
  public readonly replicas: number;
  public readonly injectorReplicas: number;
  /** Namespaces whose pods may call Vault and get the agent injected, each with the agent's trust Secret. */
  public readonly consumerNamespaces: readonly string[];
  public readonly unseal: VaultUnseal;
  public readonly resources: Readonly<Record<VaultWorkloadName, ContainerResources>>;
  /** Image references, by digest from the site's registry (the agent runs the server image). */
  public readonly images: Readonly<{ server: string; injector: string; agent: string }>;
  /** The labels the chart gives each workload's pods. */
  public readonly podLabels: Readonly<Record<VaultWorkloadName, Readonly<Record<string, string>>>>;
  /** The servers' certificate. */
  public readonly certificate: TlsCertificate;
  /** Where consumers reach Vault. */
  public readonly endpoint: VaultClusterEndpoint;
  /** The operators' host name for the UI, for the Gateway route. */
  public readonly uiHost: string;
  /** The audit device's file (see `VAULT_AUDIT_LOG`). */
  public readonly auditLogPath: string;
  /**
   * What its pods take from the namespace's quota: the servers (with their tls-reloader and
   * two volumes each; `OnDelete`, so no surge) and the injector (plus its rolling-update surge pod).
   */
  public readonly podBudgets: readonly PodBudget[];
  /** The servers' configuration, as the release renders it. */
  public readonly serverConfig: string;
  /** The chart values, as the release renders them. */
  public readonly values: VaultValues;
  public override readonly helmReleases: readonly HelmReleaseSpec[];
  public override readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: VaultClusterProps) {
    super(scope, id);
    const where = `VaultCluster ${this.node.path}`;
    this.namespace = props.cluster.namespaces.security;
    this.podSecurityLevel = props.cluster.podSecurity.security.level;
    if (typeof props.chartRepository !== 'string' || !/^https:\/\/[^/\s]+/.test(props.chartRepository)) {
      throw PlatformError.invalidProp(where, 'chartRepository', props.chartRepository, "an https:// URL of the site's in-country chart repository");
    }
    if (typeof props.siteDnsDomain !== 'string' || !/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/.test(props.siteDnsDomain)) {
      throw PlatformError.invalidProp(where, 'siteDnsDomain', props.siteDnsDomain, 'a DNS domain of two or more labels, e.g. "prod.lusaka.lms.co.zm"');
    }
    if (!Number.isInteger(props.replicas) || ![1, 3, 5].includes(props.replicas)) {
      throw PlatformError.invalidProp(where, 'replicas', props.replicas, '1, 3 or 5: an odd Raft cluster size');
    }
    checkUnseal(where, props.unseal);
    checkApiServer(where, props.apiServer);
    const consumers = props.consumerNamespaces ?? [props.cluster.namespaces.apps, props.cluster.namespaces.data, props.cluster.namespaces.observability, props.cluster.namespaces.platform];
    if (!Array.isArray(consumers) || consumers.length === 0) {
      throw PlatformError.invalidProp(where, 'consumerNamespaces', consumers, 'one or more namespaces of the site');
    }
    consumers.forEach((namespace, index) => {
      if (!isDnsLabel(namespace) || namespace === this.namespace || consumers.indexOf(namespace) !== index) {
        throw PlatformError.invalidProp(where, `consumerNamespaces[${index}]`, namespace, `a namespace name, each once, other than Vault's own "${this.namespace}"`);
      }
    });
    this.consumerNamespaces = [...consumers];
    this.replicas = props.replicas;
    this.injectorReplicas = props.replicas > 1 ? 2 : 1;
    this.unseal = props.unseal;
    this.resources = resolveResources(where, props.resources);
    const storage = resolveStorage(where, props.storage);

    this.podBudgets = [
      {
        what: 'Vault servers',
        pods: this.replicas,
        perPod: sumResources(`${where}: resources.server`, [this.resources.server, TLS_RELOADER_RESOURCES]),
        volumes: { claims: 2, storage: `${memoryMiB(storage.data.size, `${where}: storage.data.size`) + memoryMiB(storage.audit.size, `${where}: storage.audit.size`)}Mi` },
      },
      { what: 'Vault agent injectors', pods: this.injectorReplicas + 1, perPod: this.resources.injector },
    ];

    const serverImage = pinnedImage(props.registry, 'vault');
    const injectorImage = pinnedImage(props.registry, 'vaultK8s');
    this.images = { server: serverImage.reference, injector: injectorImage.reference, agent: serverImage.reference };
    const serverLabels = { 'app.kubernetes.io/name': 'vault', 'app.kubernetes.io/instance': VAULT_RELEASE, component: 'server' };
    const injectorLabels = { 'app.kubernetes.io/name': 'vault-agent-injector', 'app.kubernetes.io/instance': VAULT_RELEASE, component: 'webhook' };
    this.podLabels = { server: serverLabels, injector: injectorLabels };

    const ns = this.namespace;
    this.uiHost = `vault.${props.siteDnsDomain}`;
    const requested = requestCertificate(this, props.issuers, {
      name: 'vault-server',
      namespace: ns,
      dnsNames: [
        `vault.${ns}`,
        `vault.${ns}.svc`,
        serviceHost('vault', ns),
        `vault-active.${ns}.svc`,
        serviceHost('vault-active', ns),
        `*.vault-internal.${ns}.svc`,
        `*.${serviceHost('vault-internal', ns)}`,
        this.uiHost,
      ],
      // Client auth too: each server presents it when it joins the Raft leader.
      usages: ['server auth', 'client auth'],
      labels: props.cluster.labels,
    });
    this.certificate = requested.reference;
    this.auditLogPath = VAULT_AUDIT_LOG;
    this.endpoint = {
      address: `https://${serviceHost('vault', ns)}:${VAULT_API_PORT}`,
      peer: { namespace: ns, podLabels: serverLabels, port: VAULT_API_PORT },
      trustAnchor: requested.reference.trustAnchor,
      caSecretName: VAULT_AGENT_TRUST_SECRET,
    };
    // The CA certificate lives in cert-manager's namespace, out of the consumers' reach.
    // cert-manager writes the issuing CA as `ca.crt` into every certificate's Secret, so a
    // small client certificate from the same issuer in each consumer namespace carries it
    // there and keeps it current when the CA is renewed; only its `ca.crt` is used.
    const agentTrust = consumers.map(
      (namespace) =>
        requestCertificate(this, props.issuers, {
          name: VAULT_AGENT_TRUST_SECRET,
          namespace,
          secretName: VAULT_AGENT_TRUST_SECRET,
          dnsNames: [`${VAULT_AGENT_TRUST_SECRET}.${namespace}.svc`],
          usages: ['client auth'],
          labels: props.cluster.labels,
        }).object,
    );

    const transit = props.unseal.kind === 'transit';
    const unsealConfig: UnsealConfig = props.unseal.kind === 'transit'
      ? { kind: 'transit', address: props.unseal.address, keyName: props.unseal.keyName, mountPath: props.unseal.mountPath, caFile: '/vault/transit-unseal/ca.crt' }
      : { kind: 'shamir' };
    this.serverConfig = vaultServerConfig({
      replicas: this.replicas,
      internalService: 'vault-internal',
      namespace: ns,
      port: VAULT_API_PORT,
      clusterPort: VAULT_CLUSTER_PORT,
      tlsDirectory: VAULT_TLS_DIRECTORY,
      dataPath: '/vault/data',
      unseal: unsealConfig,
    });
    const { 'app.kubernetes.io/managed-by': _managedBy, ...extraLabels } = props.cluster.labels;
    this.values = vaultValues({
      replicas: this.replicas,
      injectorReplicas: this.injectorReplicas,
      serverImage,
      injectorImage,
      serverResources: this.resources.server,
      injectorResources: this.resources.injector,
      serverPriorityClassName: PRIORITY_CLASSES.criticalData.name,
      injectorPriorityClassName: PRIORITY_CLASSES.platform.name,
      labels: extraLabels,
      injectorPort: VAULT_INJECTOR_PORT,
      // Vault's own namespace too, for its snapshot job; the injector changes only pods that ask
      // for an agent (`vault.hashicorp.com/agent-inject`), never the servers.
      injectedNamespaces: [...consumers, ns],
      tlsSecretName: requested.reference.secretName,
      tlsDirectory: VAULT_TLS_DIRECTORY,
      dataStorage: { size: storage.data.size, storageClass: storage.data.storageClass ?? null, mountPath: '/vault/data' },
      auditStorage: { size: storage.audit.size, storageClass: storage.audit.storageClass ?? null, mountPath: VAULT_AUDIT_DIRECTORY },
      // The CLI in a server pod (init, unseal, raft) talks to 127.0.0.1 and verifies the
      // certificate under its Service name.
      environmentVars: { VAULT_CACERT: `${VAULT_TLS_DIRECTORY}/ca.crt`, VAULT_TLS_SERVER_NAME: `vault.${ns}.svc` },
      transitSecret: transit ? { name: VAULT_TRANSIT_SECRET, mountPath: '/vault/transit-unseal' } : undefined,
      config: this.serverConfig,
    });

    const apiServer = { addressBlocks: [...props.apiServer.addressBlocks] };
    const scraper = { namespace: props.metrics.peer.namespace, podLabels: props.metrics.peer.podLabels };
    const servers = { namespace: ns, podLabels: serverLabels };
    const podPolicies: VaultPodPolicy[] = [
      {
        name: 'vault-server',
        podLabels: serverLabels,
        ingress: [
          { peer: { namespaces: consumers }, ports: [VAULT_API_PORT] },
          { peer: scraper, ports: [VAULT_API_PORT] },
          { peer: servers, ports: [VAULT_API_PORT, VAULT_CLUSTER_PORT] },
        ],
        egress: [
          { peer: servers, ports: [VAULT_API_PORT, VAULT_CLUSTER_PORT] },
          // Kubernetes auth (TokenReview) and service registration (labels the active server).
          { peer: apiServer, ports: [props.apiServer.port] },
          ...(props.unseal.kind === 'transit' ? [{ peer: { addressBlocks: props.unseal.addressBlocks }, ports: [transitPort(props.unseal.address)] }] : []),
        ],
      },
      {
        name: 'vault-agent-injector',
        podLabels: injectorLabels,
        ingress: [
          { peer: apiServer, ports: [VAULT_INJECTOR_PORT] },
          { peer: scraper, ports: [VAULT_INJECTOR_PORT] },
        ],
        egress: [{ peer: apiServer, ports: [props.apiServer.port] }],
      },
    ];
    // The certificate is built outside cdk8s (requestCertificate); the pods mount its Secret.
    const serverMonitor = {
      labels: props.metrics.serviceMonitorLabels,
      serviceLabels: { 'app.kubernetes.io/name': 'vault', 'app.kubernetes.io/instance': VAULT_RELEASE, [VAULT_METRICS_SERVICE]: 'true' },
      portName: 'https',
      caSecretName: requested.reference.secretName,
      serverName: `vault.${ns}.svc`,
    };
    const serverObjects = [requested.object, ...(VaultChart.render({ namespace: ns, labels: props.cluster.labels, podPolicies, serverMonitor }, new Cdk8sApp(), 'vault') as unknown as KubeObject[])];
    this.objects = [...serverObjects, ...agentTrust];

    // The servers mount the certificate's Secret and the pods need their NetworkPolicies to
    // start: all of them exist before the release, which waits for ready pods.
    this.helmReleases = [
      {
        name: VAULT_RELEASE,
        namespace: ns,
        chart: chartSource(props.chartRepository, 'vault', props.chartVersion),
        values: this.values as unknown as Readonly<Record<string, unknown>>,
        after: serverObjects.filter((object) => object.kind !== 'ServiceMonitor').map(objectKey),
        policySuppressions: [
          {
            ruleId: 'LMS-K8S-009',
            object: `StatefulSet/${ns}/${VAULT_RELEASE}`,
            reason:
              'the tls-reloader sidecar has no probes: it serves nothing, and a probe could only restart or unready a healthy Vault server over a loop that exits (and is restarted) on its own if it fails; the vault container keeps the chart\'s readiness (unsealed) and liveness (/v1/sys/health) probes, which the rendered-chart test checks',
          },
        ],
      },
    ];
  }
}

function transitPort(address: string): number {
  const url = new URL(address);
  return url.port === '' ? 443 : Number(url.port);
}

function checkUnseal(where: string, unseal: VaultUnseal): void {
  const kind = (unseal as { kind?: unknown } | undefined)?.kind;
  if (kind === 'shamir') {
    const shamir = unseal as Extract<VaultUnseal, { kind: 'shamir' }>;
    if (!Number.isInteger(shamir.keyShares) || shamir.keyShares < 1 || shamir.keyShares > 255) {
      throw PlatformError.invalidProp(where, 'unseal.keyShares', shamir.keyShares, 'a whole number, 1 to 255');
    }
    if (!Number.isInteger(shamir.keyThreshold) || shamir.keyThreshold < 1 || shamir.keyThreshold > shamir.keyShares) {
      throw PlatformError.invalidProp(where, 'unseal.keyThreshold', shamir.keyThreshold, `a whole number, 1 to keyShares (${shamir.keyShares})`);
    }
    if (!Array.isArray(shamir.custodians) || shamir.custodians.length < shamir.keyShares || new Set(shamir.custodians).size !== shamir.custodians.length) {
      throw PlatformError.invalidProp(where, 'unseal.custodians', shamir.custodians, `at least keyShares (${shamir.keyShares}) different custodians, one per share`);
    }
    return;
  }
  if (kind === 'transit') {
    const transit = unseal as Extract<VaultUnseal, { kind: 'transit' }>;
    if (typeof transit.address !== 'string' || !/^https:\/\/[a-z0-9.-]+(:[0-9]{1,5})?\/?$/.test(transit.address)) {
      throw PlatformError.invalidProp(where, 'unseal.address', transit.address, 'an https:// address of the in-country transit Vault, e.g. "https://unseal.lms.co.zm:8200"');
    }
    if (!isDnsLabel(transit.keyName)) {
      throw PlatformError.invalidProp(where, 'unseal.keyName', transit.keyName, 'a DNS label naming the Transit key');
    }
    if (typeof transit.mountPath !== 'string' || !/^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/.test(transit.mountPath)) {
      throw PlatformError.invalidProp(where, 'unseal.mountPath', transit.mountPath, 'a Vault mount path without leading or trailing "/", e.g. "transit"');
    }
    checkBlocks(where, 'unseal.addressBlocks', transit.addressBlocks, "the transit Vault's servers");
    return;
  }
  const choices = '"shamir" (key shares held by named custodians) or "transit" (an in-country Vault\'s Transit engine); set vault.unseal in the environment';
  if (unseal === undefined || unseal === null) throw new PlatformError(`${where}: unseal: is required (allowed: ${choices})`);
  throw new PlatformError(`${where}: unseal.kind: ${formatValue(kind)} is not allowed (allowed: ${choices})`);
}

function checkBlocks(where: string, field: string, blocks: readonly string[], what: string): void {
  if (!Array.isArray(blocks) || blocks.length === 0) {
    throw PlatformError.invalidProp(where, field, blocks, `one or more IPv4 CIDR blocks holding ${what}`);
  }
  blocks.forEach((block, index) => {
    const valid = typeof block === 'string' && ipaddr.IPv4.isValidCIDR(block) && ipaddr.IPv4.parseCIDR(block)[0].toString() === ipaddr.IPv4.networkAddressFromCIDR(block).toString();
    if (!valid) throw PlatformError.invalidProp(where, `${field}[${index}]`, block, 'an IPv4 CIDR block with its host bits zero, e.g. "10.10.0.0/16"');
  });
}

function checkApiServer(where: string, apiServer: ApiServerPeer): void {
  checkBlocks(where, 'apiServer.addressBlocks', apiServer.addressBlocks, "the API server's endpoints");
  if (!Number.isInteger(apiServer.port) || apiServer.port < 1 || apiServer.port > 65535) {
    throw PlatformError.invalidProp(where, 'apiServer.port', apiServer.port, 'a TCP port, 1-65535');
  }
}

function resolveResources(where: string, resources: Partial<Record<VaultWorkloadName, ContainerResources>> | undefined): Record<VaultWorkloadName, ContainerResources> {
  for (const key of Object.keys(resources ?? {})) {
    if (!(VAULT_WORKLOADS as readonly string[]).includes(key)) throw PlatformError.invalidProp(where, 'resources', key, `workloads ${VAULT_WORKLOADS.join(', ')}`);
  }
  const resolved = { ...DEFAULT_VAULT_RESOURCES, ...resources };
  for (const name of VAULT_WORKLOADS) {
    checkRequestsWithinLimits(`${where}: resources.${name}`, resolved[name]);
  }
  return resolved;
}

function resolveStorage(where: string, storage: VaultClusterProps['storage']): { data: VaultStorage; audit: VaultStorage } {
  const resolved = { data: storage?.data ?? DEFAULT_VAULT_STORAGE.data, audit: storage?.audit ?? DEFAULT_VAULT_STORAGE.audit };
  for (const volume of ['data', 'audit'] as const) {
    const { size, storageClass } = resolved[volume];
    if (typeof size !== 'string' || !/^[1-9][0-9]*(Mi|Gi|Ti)$/.test(size)) {
      throw PlatformError.invalidProp(where, `storage.${volume}.size`, size, 'a whole number of Mi, Gi or Ti, e.g. "10Gi"');
    }
    if (storageClass !== undefined && !isDnsLabel(storageClass)) {
      throw PlatformError.invalidProp(where, `storage.${volume}.storageClass`, storageClass, 'a StorageClass name (a DNS label)');
    }
  }
  return resolved;
}
