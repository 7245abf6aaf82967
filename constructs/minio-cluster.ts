import { App as Cdk8sApp } from 'cdk8s';
import type { Construct } from 'constructs';
import { MinioChart, type MinioPeer } from '../charts-ts/minio-chart';
import { VAULT_AGENT_TLS_CA_FILE, vaultAgentAnnotations } from '../charts-ts/vault-agent-annotations';
import type { ContainerResources } from './cert-manager-values';
import { CROSS_SITE_ENDPOINT_LABEL, CROSS_SITE_REPLICATION_LABEL } from './cross-site-egress';
import { erasureLayout, type ErasureLayout } from './erasure-coding';
import { ADDRESS_POOL_ANNOTATION, LOAD_BALANCER_IPS_ANNOTATION } from './load-balancer-pools';
import { maxResources, type PodBudget } from './namespace-budget';
import { PlatformComponent, type KubeObject, type PolicySuppression } from './platform-component';
import { PlatformError } from './platform-error';
import { checkRequestsWithinLimits } from './quantities';
import { serviceHost, type MetricsScraper, type ObjectStoreEndpoint, type VaultEndpoint } from './service-references';
import { PRIORITY_CLASSES, type SiteCluster } from './site-cluster';
import { isDnsLabel, requestCertificate, type CertificateIssuers, type TlsCertificate } from './tls-certificate';
import { VaultConsumer, VaultSecret } from './vault-secret';
import { VAULT_AGENT_RESOURCES } from './vault-values';
import { imageReference } from './versions';

/** One server pool of the site's MinIO (the environment's `objectStorage.pools[]`). */
export interface MinioPool {
  readonly servers: number;
  readonly drivesPerServer: number;
  /** Size of each drive's volume, e.g. `1Ti`. */
  readonly driveSize: string;
}

/** Where the other site replicates into this one: a LoadBalancer address of the site's replication pool. */
export interface MinioReplicationEndpoint {
  /** The address (the site's cross-site endpoint `object-storage`, without its `/32`). */
  readonly address: string;
  /** The MetalLB pool it comes from, e.g. `replication`. */
  readonly addressPool: string;
  /** The port the other site dials. */
  readonly port: number;
}

export interface MinioClusterProps {
  /** The site's cluster baseline: the data namespace, labels and the site's name. */
  readonly cluster: SiteCluster;
  /** The environment (`production`): names the Vault secrets and the certificate. */
  readonly environmentName: string;
  /** The site's in-country registry mirror: MinIO's image comes from it by digest. */
  readonly registry: string;
  /** The site's DNS domain: the other site reaches this store at `minio.<siteDnsDomain>`. */
  readonly siteDnsDomain: string;
  /** The site's certificate issuers: the in-cluster certificate from `internal`, the cross-site one from `public`. */
  readonly issuers: CertificateIssuers;
  /** Server pools: MinIO's erasure sets form in each. */
  readonly pools: readonly MinioPool[];
  /** Parity shards per erasure set. */
  readonly parity: number;
  /** Requests and limits of each server container. */
  readonly resources: ContainerResources;
  /** The storage class of the drives' volumes. */
  readonly storageClassName: string;
  /** The region the store reports, e.g. `zm-lusaka-1`. */
  readonly region: string;
  /**
   * Whether losing one server (one node) must leave every erasure set its quorum, and each
   * server runs on a node of its own (pods that do not fit stay pending rather than share a node).
   */
  readonly survivesNodeLoss: boolean;
  /** Where the other site replicates into this store. */
  readonly replicationEndpoint: MinioReplicationEndpoint;
  /** The site's Vault: the agent renders the root credentials file from it. */
  readonly vault: VaultEndpoint;
  /** Who scrapes MinIO's metrics. */
  readonly metrics: MetricsScraper;
  /** Workloads of the site that may call the S3 API. */
  readonly clients: readonly MinioPeer[];
}

/** The name of the ServiceAccount, Services' stem, Vault role and policy. */
export const MINIO_NAME = 'minio';
/** MinIO's S3 port (TLS). */
export const MINIO_PORT = 9000;
/** The Vault agent renders this file; `MINIO_CONFIG_ENV_FILE` names it. */
export const MINIO_CONFIG_FILE = 'config.env';
/** Keys of the root credentials secret `kv/<environment>/minio`. */
export const MINIO_ROOT_SECRET_KEYS = { user: 'root_user', password: 'root_password' } as const;
/** The Secret a workload of another namespace mounts to trust MinIO: cert-manager writes the site CA as its `ca.crt`. */
export const OBJECT_STORE_TRUST_SECRET = 'object-store-trust';
/** Optional Secret (data namespace) whose `ca.crt` operators fill with the other site's root CA, for sites whose certificates come from different CAs. */
export const PEER_SITE_CA_SECRET = 'object-store-peer-site-ca';
/**
 * How long an incomplete multipart upload lives (an interrupted SQL Server backup leaves
 * one): MinIO removes them itself; its lifecycle rules have no action for them.
 */
export const MINIO_STALE_UPLOADS_EXPIRY = '24h';
/** MinIO's Prometheus endpoints (`MINIO_PROMETHEUS_AUTH_TYPE=public`; the NetworkPolicy admits only the scraper). */
export const MINIO_METRICS_PATHS = ['/minio/v2/metrics/cluster', '/minio/v2/metrics/bucket'] as const;
/** The user and group MinIO runs as: no image user, apart from every host account. */
const RUN_AS_USER = 10001;
const CERTS_DIRECTORY = '/etc/minio/certs';

/**
 * MinIO at one site, in the data namespace: distributed over the environment's server pools
 * (one StatefulSet each), erasure-coded with the environment's parity, TLS on the S3 port
 * (the site CA for in-cluster names, the public issuer for the name the other site dials),
 * root credentials only from the Vault agent's rendered file (`MINIO_CONFIG_ENV_FILE`), never
 * in the pod spec. `endpoint` is the typed reference consumers take.
 */
export class MinioCluster extends PlatformComponent {
  public readonly namespace: string;
  public readonly siteName: string;
  public readonly image: string;
  /** The erasure layout of each pool, as MinIO forms it. */
  public readonly layouts: readonly ErasureLayout[];
  public readonly parity: number;
  public readonly pools: readonly MinioPool[];
  /** What consumers in the site connect to. */
  public readonly endpoint: ObjectStoreEndpoint;
  /** `https://minio.<site domain>:9000`: what the other site replicates into. */
  public readonly replicationUrl: string;
  public readonly podLabels: Readonly<Record<string, string>>;
  /** The server certificate (in-cluster names), and the one the other site verifies. */
  public readonly certificate: TlsCertificate;
  public readonly replicationCertificate: TlsCertificate;
  /** `kv/<environment>/minio`: the root user and password the servers start with. */
  public readonly rootCredentials: VaultSecret;
  public readonly consumer: VaultConsumer;
  public override readonly vaultConsumers: readonly VaultConsumer[];
  public readonly podBudget: PodBudget;
  public readonly metricsPaths: readonly string[];
  public override readonly policySuppressions: readonly PolicySuppression[];
  public readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: MinioClusterProps) {
    super(scope, id);
    const where = `MinioCluster ${this.node.path}`;
    this.namespace = props.cluster.namespaces.data;
    this.siteName = props.cluster.siteName;
    if (!isDnsLabel(props.environmentName)) {
      throw PlatformError.invalidProp(where, 'environmentName', props.environmentName, 'a lower-case environment name, e.g. "production"');
    }
    if (props.pools.length === 0) {
      throw PlatformError.invalidProp(where, 'pools', props.pools, 'one or more server pools');
    }
    if (!Number.isInteger(props.parity) || props.parity < 1) {
      throw PlatformError.invalidProp(where, 'parity', props.parity, 'a whole number of parity shards, at least 1');
    }
    this.layouts = props.pools.map((pool, index) => {
      if (!Number.isInteger(pool.servers) || pool.servers < 1 || !Number.isInteger(pool.drivesPerServer) || pool.drivesPerServer < 1) {
        throw PlatformError.invalidProp(where, `pools[${index}]`, pool, 'whole numbers of servers and drives per server, each at least 1');
      }
      if (!/^[1-9][0-9]*(Mi|Gi|Ti)$/.test(pool.driveSize)) {
        throw PlatformError.invalidProp(where, `pools[${index}].driveSize`, pool.driveSize, 'a whole number of Mi, Gi or Ti, e.g. "500Gi"');
      }
      const layout = erasureLayout(pool, props.parity);
      if (layout === undefined) {
        throw PlatformError.invalidProp(where, `pools[${index}]`, pool, 'a drive count with an erasure set size of 2-16 that is a multiple or a divisor of the server count');
      }
      if (props.parity * 2 > layout.setSize) {
        throw PlatformError.invalidProp(where, 'parity', props.parity, `at most half of pool ${index}'s erasure set of ${layout.setSize} drives (${Math.floor(layout.setSize / 2)})`);
      }
      if (props.survivesNodeLoss && !layout.survivesOneServer) {
        throw PlatformError.invalidProp(
          where,
          `pools[${index}]`,
          pool,
          `a layout whose erasure sets keep read quorum ${layout.readQuorum} and write quorum ${layout.writeQuorum} with one server gone (it holds ${layout.drivesPerSetOnOneServer} of each set's ${layout.setSize} drives)`,
        );
      }
      return layout;
    });
    this.parity = props.parity;
    this.pools = props.pools.map((pool) => ({ ...pool }));
    checkRequestsWithinLimits(`${where}: resources`, props.resources);
    if (!/^[0-9]{1,3}(\.[0-9]{1,3}){3}$/.test(props.replicationEndpoint.address)) {
      throw PlatformError.invalidProp(where, 'replicationEndpoint.address', props.replicationEndpoint.address, 'one IPv4 address of the site\'s replication pool, e.g. "10.10.240.8"');
    }
    if (!/^https:\/\//.test(props.vault.address)) {
      throw PlatformError.invalidProp(where, 'vault.address', props.vault.address, 'an https:// URL');
    }

    this.image = imageReference(props.registry, 'minio');
    this.podLabels = {
      'app.kubernetes.io/name': MINIO_NAME,
      'app.kubernetes.io/component': 'object-storage',
      [CROSS_SITE_REPLICATION_LABEL]: 'true',
      [CROSS_SITE_ENDPOINT_LABEL]: 'object-storage',
    };
    const headless = `${MINIO_NAME}-hl`;
    const host = serviceHost(MINIO_NAME, this.namespace);
    const replicationHost = `${MINIO_NAME}.${props.siteDnsDomain}`;
    this.replicationUrl = `https://${replicationHost}:${props.replicationEndpoint.port}`;

    const server = requestCertificate(this, props.issuers, {
      name: MINIO_NAME,
      namespace: this.namespace,
      dnsNames: [host, `${MINIO_NAME}.${this.namespace}.svc`, `*.${headless}.${this.namespace}.svc.cluster.local`, `${headless}.${this.namespace}.svc.cluster.local`],
      usages: ['server auth', 'client auth'],
    });
    const replication = requestCertificate(this, props.issuers, {
      name: `${MINIO_NAME}-replication`,
      namespace: this.namespace,
      dnsNames: [replicationHost],
      ipAddresses: [props.replicationEndpoint.address],
      issuer: 'public',
    });
    this.certificate = server.reference;
    this.replicationCertificate = replication.reference;
    const trust = [this.namespace, props.cluster.namespaces.apps, props.cluster.namespaces.security, props.cluster.namespaces.observability].map(
      (namespace) =>
        requestCertificate(this, props.issuers, {
          name: OBJECT_STORE_TRUST_SECRET,
          namespace,
          secretName: OBJECT_STORE_TRUST_SECRET,
          dnsNames: [`${OBJECT_STORE_TRUST_SECRET}.${namespace}.svc.cluster.local`],
          usages: ['client auth'],
        }).object,
    );

    this.endpoint = {
      url: `https://${host}:${MINIO_PORT}`,
      region: props.region,
      peer: { namespace: this.namespace, podLabels: { 'app.kubernetes.io/name': MINIO_NAME }, port: MINIO_PORT },
      caSecretName: OBJECT_STORE_TRUST_SECRET,
    };

    this.rootCredentials = VaultSecret.kv(props.environmentName, MINIO_NAME);
    this.consumer = new VaultConsumer({ serviceAccount: MINIO_NAME, namespace: this.namespace, secrets: [this.rootCredentials] });
    this.vaultConsumers = [this.consumer];
    this.metricsPaths = [...MINIO_METRICS_PATHS];

    const poolNames = props.pools.map((_, index) => `${MINIO_NAME}-pool-${index}`);
    const serverArgs = props.pools.map(
      (pool, index) => `https://${poolNames[index]}-{0...${pool.servers - 1}}.${headless}.${this.namespace}.svc.cluster.local:${MINIO_PORT}/data{0...${pool.drivesPerServer - 1}}`,
    );
    const annotations = vaultAgentAnnotations({
      address: props.vault.address,
      role: this.consumer.role,
      secrets: [],
      templates: [
        {
          file: MINIO_CONFIG_FILE,
          path: this.rootCredentials.dataPath,
          template: [
            `{{- with secret "${this.rootCredentials.dataPath}" -}}`,
            `export MINIO_ROOT_USER='{{ .Data.data.${MINIO_ROOT_SECRET_KEYS.user} }}'`,
            `export MINIO_ROOT_PASSWORD='{{ .Data.data.${MINIO_ROOT_SECRET_KEYS.password} }}'`,
            '{{- end }}',
          ].join('\n'),
        },
      ],
      prePopulateOnly: true,
      tlsSecret: props.vault.caSecretName,
      caCertFile: VAULT_AGENT_TLS_CA_FILE,
    });
    this.podBudget = {
      what: 'MinIO servers',
      pods: props.pools.reduce((sum, pool) => sum + pool.servers, 0),
      perPod: maxResources(`${where}: resources`, VAULT_AGENT_RESOURCES, props.resources),
      volumes: { claims: Math.max(...props.pools.map((pool) => pool.drivesPerServer)), storage: largestPerPodStorage(props.pools) },
    };

    const chart = new MinioChart(new Cdk8sApp(), MINIO_NAME, {
      namespace: this.namespace,
      labels: props.cluster.labels,
      name: MINIO_NAME,
      headlessServiceName: headless,
      replicationServiceName: `${MINIO_NAME}-replication`,
      image: this.image,
      pools: props.pools.map((pool, index) => ({ name: poolNames[index], ...pool })),
      serverArgs,
      port: MINIO_PORT,
      podLabels: this.podLabels,
      podAnnotations: annotations,
      env: {
        MINIO_CONFIG_ENV_FILE: `/vault/secrets/${MINIO_CONFIG_FILE}`,
        MINIO_STORAGE_CLASS_STANDARD: `EC:${props.parity}`,
        MINIO_SITE_NAME: this.siteName,
        MINIO_SITE_REGION: props.region,
        // No web console: operators use mc through Vault-issued credentials.
        MINIO_BROWSER: 'off',
        MINIO_PROMETHEUS_AUTH_TYPE: 'public',
        MINIO_API_STALE_UPLOADS_EXPIRY: MINIO_STALE_UPLOADS_EXPIRY,
        HOME: '/tmp',
      },
      resources: props.resources,
      storageClassName: props.storageClassName,
      priorityClassName: PRIORITY_CLASSES.criticalData.name,
      runAsUser: RUN_AS_USER,
      spreadStrictly: props.survivesNodeLoss,
      certsDirectory: CERTS_DIRECTORY,
      certificates: [
        {
          secretName: this.certificate.secretName,
          items: [
            { key: 'tls.crt', path: 'public.crt' },
            { key: 'tls.key', path: 'private.key' },
            { key: 'ca.crt', path: 'CAs/site-ca.crt' },
          ],
        },
        {
          secretName: this.replicationCertificate.secretName,
          // MinIO picks the certificate of a subdirectory by the name the client asks for (SNI).
          items: [
            { key: 'tls.crt', path: `${replicationHost}/public.crt` },
            { key: 'tls.key', path: `${replicationHost}/private.key` },
            { key: 'ca.crt', path: 'CAs/public-ca.crt' },
          ],
        },
        { secretName: PEER_SITE_CA_SECRET, items: [{ key: 'ca.crt', path: 'CAs/peer-site-ca.crt' }], optional: true },
      ],
      replicationServiceAnnotations: { [LOAD_BALANCER_IPS_ANNOTATION]: props.replicationEndpoint.address, [ADDRESS_POOL_ANNOTATION]: props.replicationEndpoint.addressPool },
      clients: props.clients,
      metrics: { scraper: props.metrics.peer, serviceMonitorLabels: props.metrics.serviceMonitorLabels, paths: this.metricsPaths },
      vault: props.vault.peer,
    });
    this.policySuppressions = [];
    this.objects = [server.object, replication.object, ...trust, ...(chart.toJson() as KubeObject[])];
  }
}

/** The storage one server's claims request: the largest pool's drives x size, in MiB. */
function largestPerPodStorage(pools: readonly MinioPool[]): string {
  const mib = (size: string) => Number(size.slice(0, -2)) * { Mi: 1, Gi: 1024, Ti: 1024 * 1024 }[size.slice(-2) as 'Mi' | 'Gi' | 'Ti'];
  return `${Math.max(...pools.map((pool) => pool.drivesPerServer * mib(pool.driveSize)))}Mi`;
}
