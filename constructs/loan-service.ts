import { App as Cdk8sApp } from 'cdk8s';
import type { Construct } from 'constructs';
import { LOAN_SERVICE_METRICS_PORT, LOAN_SERVICE_NAME, LOAN_SERVICE_PORT, LoanServiceChart, VAULT_SECRETS_DIR, type LoanServiceChartProps, type VaultSecretFile } from '../charts-ts/loan-service-chart';
import { isIpv4Cidr } from './host-names';
import { PlatformComponent, type KubeObject } from './platform-component';
import { PlatformError, formatValue } from './platform-error';
import { cpuMillis, memoryMiB } from './quantities';
import type { MetricsScraper, NetworkPeer, ObjectStoreEndpoint, VaultEndpoint } from './service-references';
import type { SqlDatabase } from './sql-server';
import { PRIORITY_CLASSES, type SiteCluster } from './site-cluster';
import { imageReference, type ImagePin } from './versions';
import { sumResources, type PodBudget } from './namespace-budget';
import { VaultConsumer, type VaultSecret } from './vault-secret';
import { VAULT_AGENT_RESOURCES } from './vault-values';

/** Replicas and resources of the loan-service at one site (Kubernetes quantities). */

/** Where the site CA (the object store's `caSecretName` Secret) is mounted in the container. */
const TRUSTED_CA_DIRECTORY = '/etc/lms-ca';
export interface WorkloadSizing {
  /** Replicas while the site is primary. */
  readonly replicas: number;
  /** Replicas while the site is the disaster-recovery warm standby. */
  readonly standbyReplicas: number;
  /** Upper bound for the HorizontalPodAutoscaler. */
  readonly maxReplicas: number;
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly cpuLimit: string;
  readonly memoryLimit: string;
}

/** The loan-service's database (`SqlServer.database('loan_service')`); the login's password comes from Vault (`mssql-password`). */
export type LoanServiceDatabase = SqlDatabase;

/** Where the loan-service keeps application documents. */
export interface LoanServiceDocumentStore {
  /** The site's object store. */
  readonly store: ObjectStoreEndpoint;
  readonly bucket: string;
  /**
   * The KV v2 secret of the service's own object store user (`access_key_id`,
   * `secret_access_key`), e.g. `VaultSecret.kv('production', 'object-store/loan-service')`:
   * the store's users Job creates the user from it.
   */
  readonly credentials: VaultSecret;
}

/**
 * The identity provider whose tokens the service accepts (`AUTH_JWT_ISSUER`,
 * `AUTH_JWT_AUDIENCE`, `AUTH_JWKS_URL`): it verifies each bearer token's signature with the
 * provider's published keys, its `iss` and its `aud`.
 */
export interface LoanServiceIdentityProvider {
  /** The `iss` claim every token must carry: an `https://` URL. */
  readonly issuer: string;
  /** The `aud` claim every token must carry, e.g. `loan-service`. */
  readonly audience: string;
  /** Where the provider publishes its signing keys (JWKS): an `https://` URL. */
  readonly jwksUrl: string;
  /** Address blocks of the provider's servers: the only addresses outside the cluster the pods may call, on the JWKS URL's port. */
  readonly addressBlocks: readonly string[];
}

/** How the loan-service's pods get their secrets. */
export interface LoanServiceVault {
  /** The site's Vault. */
  readonly vault: VaultEndpoint;
  /**
   * The KV v2 secret holding `mssql_password` and `auth_jwt_secret`, e.g. `VaultSecret.kv('production', 'loan-service')`. The only
   * path the service's Vault policy grants, read-only.
   */
  readonly secret: VaultSecret;
  /**
   * The Vault Kubernetes-auth role bound to the `loan-service` service account.
   * @default 'loan-service'
   */
  readonly role?: string;
}

export interface LoanServiceProps {
  /** The site's cluster baseline: namespaces, labels and PriorityClasses come from it. */
  readonly cluster: SiteCluster;
  /** The site's role: a disaster-recovery site runs `standbyReplicas` as a warm standby. */
  readonly siteRole: 'primary' | 'disaster-recovery';
  /** The site's in-country registry mirror. */
  readonly registry: string;
  /**
   * The image's tag and digest: the environment's pin (`loanService` in
   * `environments/pins/<env>.json`), so dev can run a newer build than production.
   * @default - `VERSIONS.images.loanService`
   */
  readonly image?: ImagePin;
  /** Replicas and resources from the environment. */
  readonly sizing: WorkloadSizing;
  /** The SQL Server database the service keeps its records in. */
  readonly database: LoanServiceDatabase;
  /** The S3 bucket application documents are kept in. */
  readonly documentStore: LoanServiceDocumentStore;
  /** Where the Vault agent fetches the service's secrets. */
  readonly secrets: LoanServiceVault;
  /** Workloads that call the service's HTTP port (the ingress controller). */
  readonly callers: readonly NetworkPeer[];
  /** The Prometheus that scrapes the service's `/metrics` on its metrics port. */
  readonly metrics: MetricsScraper;
  /** Who issues the bearer tokens the service accepts. */
  readonly identityProvider: LoanServiceIdentityProvider;
  /**
   * Numeric user the container runs as, at least LOWEST_WORKLOAD_USER.
   * @default 10001 - the image's non-root user (USER in app-services/loan-service/Dockerfile)
   */
  readonly runAsUser?: number;
}

/** The numeric user of the loan-service image (`USER 10001:10001` in its Dockerfile; a test checks it). */
export const LOAN_SERVICE_IMAGE_USER = 10001;

/**
 * The lowest user id the container may run as: ids below 10000 belong to the node's own
 * users (Debian's first login user is 1000), and image scanners flag them.
 */
export const LOWEST_WORKLOAD_USER = 10000;

/** Files the Vault agent writes, each named as the service reads it (see app-services/loan-service/README.md). */
const SECRET_FILES = [
  { file: 'mssql-password', key: 'mssql_password' },
  { file: 'auth-jwt-secret', key: 'auth_jwt_secret' },
] as const;
/** The object store keys, from the service's object store user secret. */
const OBJECT_STORE_FILES = [
  { file: 's3-access-key-id', key: 'access_key_id' },
  { file: 's3-secret-access-key', key: 'secret_access_key' },
] as const;

/**
 * The bundled loan-service on one site. Runs `replicas` pods on the primary site and
 * `standbyReplicas` on the disaster-recovery site, so failover is a change of roles in the
 * environment file, not of code.
 */
export class LoanService extends PlatformComponent {
  public readonly namespace: string;
  public readonly image: string;
  /** Effective replica count for this site's role. */
  public readonly replicas: number;
  /** Replicas the service runs where its site is primary: what a DR site must carry after failover. */
  public readonly primaryReplicas: number;
  public readonly maxReplicas: number;
  /** Requests and limits of one pod, in millicores and MiB. */
  public readonly podResources: LoanServiceChartProps['resources'];
  public readonly database: LoanServiceDatabase;
  public readonly documentStore: LoanServiceDocumentStore;
  public readonly secrets: LoanServiceVault;
  /** The service account's access to Vault: exactly `secrets.secret`, read-only. */
  public readonly vaultConsumer: VaultConsumer;
  public override readonly vaultConsumers: readonly VaultConsumer[];
  public readonly runAsUser: number;
  public readonly identityProvider: LoanServiceIdentityProvider;
  /** The secret files the Vault agent renders. */
  public readonly secretFiles: readonly VaultSecretFile[];
  /**
   * What its pods take from the namespace's quota: the autoscaler's maximum plus a
   * rolling-update surge pod, each with its Vault agent sidecar.
   */
  public readonly podBudget: PodBudget;
  /** The container's plain environment: no secret is ever part of it. */
  public readonly containerEnv: Readonly<Record<string, string>>;
  public readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: LoanServiceProps) {
    super(scope, id);
    const where = `LoanService ${this.node.path}`;
    this.namespace = props.cluster.namespaces.apps;
    this.image = imageReference(props.registry, 'loanService', props.image);
    this.primaryReplicas = props.sizing.replicas;
    this.replicas = props.siteRole === 'primary' ? props.sizing.replicas : props.sizing.standbyReplicas;
    this.maxReplicas = props.sizing.maxReplicas;
    this.runAsUser = props.runAsUser ?? LOAN_SERVICE_IMAGE_USER;
    if (!Number.isInteger(this.runAsUser) || this.runAsUser < LOWEST_WORKLOAD_USER || this.runAsUser > 2147483647) {
      throw PlatformError.invalidProp(
        where,
        'runAsUser',
        props.runAsUser,
        `a whole number from ${LOWEST_WORKLOAD_USER} to 2147483647, e.g. the image's own ${LOAN_SERVICE_IMAGE_USER}: ids below ${LOWEST_WORKLOAD_USER} belong to the node's users and root`,
      );
    }
    this.database = props.database;
    if (!Number.isInteger(this.database.server.port) || this.database.server.port < 1 || this.database.server.port > 65535) {
      throw PlatformError.invalidProp(where, 'database.server.port', this.database.server.port, 'a TCP port, 1-65535');
    }
    this.documentStore = props.documentStore;
    if (!/^https:\/\//.test(this.documentStore.store.url)) {
      throw new PlatformError(`${where}: documentStore.store.url: ${formatValue(this.documentStore.store.url)} is not allowed (allowed: an https:// URL; documents are encrypted in transit)`);
    }
    this.secrets = props.secrets;
    if (!/^https:\/\//.test(this.secrets.vault.address)) {
      throw new PlatformError(`${where}: secrets.vault.address: ${formatValue(this.secrets.vault.address)} is not allowed (allowed: an https:// URL; secrets are encrypted in transit)`);
    }
    if (this.secrets.secret.capabilities.join(',') !== 'read') {
      throw PlatformError.invalidProp(where, 'secrets.secret.capabilities', this.secrets.secret.capabilities, '["read"]: the service only reads its secrets');
    }
    if (this.documentStore.credentials.capabilities.join(',') !== 'read') {
      throw PlatformError.invalidProp(where, 'documentStore.credentials.capabilities', this.documentStore.credentials.capabilities, '["read"]: the service only reads its secrets');
    }
    this.identityProvider = props.identityProvider;
    const jwksPort = checkIdentityProvider(where, this.identityProvider);
    this.vaultConsumer = new VaultConsumer({ serviceAccount: LOAN_SERVICE_NAME, namespace: this.namespace, secrets: [this.secrets.secret, this.documentStore.credentials], role: this.secrets.role });
    this.vaultConsumers = [this.vaultConsumer];
    this.secretFiles = [
      ...SECRET_FILES.map((secret) => ({ ...secret, path: this.secrets.secret.dataPath })),
      ...OBJECT_STORE_FILES.map((secret) => ({ ...secret, path: this.documentStore.credentials.dataPath })),
    ];
    this.podResources = {
      cpuRequestMillis: cpuMillis(props.sizing.cpuRequest, `${where}: sizing.cpuRequest`),
      cpuLimitMillis: cpuMillis(props.sizing.cpuLimit, `${where}: sizing.cpuLimit`),
      memoryRequestMiB: memoryMiB(props.sizing.memoryRequest, `${where}: sizing.memoryRequest`),
      memoryLimitMiB: memoryMiB(props.sizing.memoryLimit, `${where}: sizing.memoryLimit`),
    };
    this.podBudget = {
      what: 'loan-service pods (autoscaler maximum and a surge pod, with the Vault agent)',
      pods: this.maxReplicas + 1,
      perPod: sumResources(`${where}: sizing`, [
        { cpuRequest: props.sizing.cpuRequest, cpuLimit: props.sizing.cpuLimit, memoryRequest: props.sizing.memoryRequest, memoryLimit: props.sizing.memoryLimit },
        VAULT_AGENT_RESOURCES,
      ]),
    };
    this.containerEnv = {
      NODE_ENV: 'production',
      HOST: '0.0.0.0',
      PORT: String(LOAN_SERVICE_PORT),
      // The second listener, for Prometheus only: /metrics and /openapi.json.
      METRICS_PORT: String(LOAN_SERVICE_METRICS_PORT),
      LOG_LEVEL: 'info',
      // After SIGTERM the service keeps serving (readiness failing) while endpoints drop the
      // pod, then finishes in-flight requests: well inside terminationGracePeriodSeconds (40).
      SHUTDOWN_DELAY_MS: '5000',
      DATABASE_CLIENT: 'mssql',
      MSSQL_HOST: this.database.server.host,
      MSSQL_PORT: String(this.database.server.port),
      MSSQL_DATABASE: this.database.name,
      MSSQL_USER: this.database.user,
      MSSQL_ENCRYPT: 'true',
      DOCUMENT_STORE: 's3',
      S3_ENDPOINT: this.documentStore.store.url,
      S3_BUCKET: this.documentStore.bucket,
      S3_REGION: this.documentStore.store.region,
      S3_FORCE_PATH_STYLE: 'true',
      // The site CA signs the object store's certificate (and the other in-cluster servers'):
      // Node adds it to its trusted roots at start.
      NODE_EXTRA_CA_CERTS: `${TRUSTED_CA_DIRECTORY}/ca.crt`,
      AUTH_MODE: 'jwt',
      AUTH_JWT_ISSUER: this.identityProvider.issuer,
      AUTH_JWT_AUDIENCE: this.identityProvider.audience,
      AUTH_JWKS_URL: this.identityProvider.jwksUrl,
      VAULT_SECRETS_DIR,
    };

    const chart = new LoanServiceChart(new Cdk8sApp(), 'loan-service', {
      namespace: this.namespace,
      image: this.image,
      replicas: this.replicas,
      maxReplicas: this.maxReplicas,
      resources: this.podResources,
      runAsUser: this.runAsUser,
      priorityClassName: PRIORITY_CLASSES.apps.name,
      labels: { ...props.cluster.labels, 'app.kubernetes.io/component': 'loan-service' },
      env: this.containerEnv,
      vault: {
        address: this.secrets.vault.address,
        role: this.vaultConsumer.role,
        caSecretName: this.secrets.vault.caSecretName,
        secrets: this.secretFiles,
        // What the namespace budget counts for each agent container (podBudget).
        agentResources: VAULT_AGENT_RESOURCES,
      },
      trustedCa: { secretName: this.documentStore.store.caSecretName, directory: TRUSTED_CA_DIRECTORY },
      // Callers reach the API port only, Prometheus the metrics port only.
      ingressFrom: [...props.callers.map((peer) => ({ ...peer, port: LOAN_SERVICE_PORT })), { ...props.metrics.peer, port: LOAN_SERVICE_METRICS_PORT }],
      egressTo: [this.database.server.peer, this.documentStore.store.peer, this.secrets.vault.peer],
      egressToAddressBlocks: [{ addressBlocks: this.identityProvider.addressBlocks, port: jwksPort }],
      serviceMonitorLabels: props.metrics.serviceMonitorLabels,
    });
    this.objects = chart.toJson() as KubeObject[];
  }
}

/** Checks the identity provider's settings; returns the TCP port of its JWKS URL. */
function checkIdentityProvider(where: string, provider: LoanServiceIdentityProvider): number {
  const httpsUrl = (prop: 'issuer' | 'jwksUrl'): URL => {
    const value = provider[prop];
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (url === undefined || url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
      throw PlatformError.invalidProp(where, `identityProvider.${prop}`, value, 'an https:// URL without credentials, query or fragment; tokens and keys travel encrypted');
    }
    return url;
  };
  httpsUrl('issuer');
  const jwks = httpsUrl('jwksUrl');
  if (!/^[\x21-\x7e]{1,255}$/.test(provider.audience)) {
    throw PlatformError.invalidProp(where, 'identityProvider.audience', provider.audience, 'the aud claim the service accepts: 1-255 printable characters without spaces, e.g. "loan-service"');
  }
  if (provider.addressBlocks.length === 0) {
    throw PlatformError.invalidProp(where, 'identityProvider.addressBlocks', provider.addressBlocks, 'at least one IPv4 block: the pods reach the JWKS only there');
  }
  provider.addressBlocks.forEach((cidr, index) => {
    if (!isIpv4Cidr(cidr)) throw PlatformError.invalidProp(where, `identityProvider.addressBlocks[${index}]`, cidr, 'IPv4 blocks with their host bits zero, e.g. "10.60.0.0/28"');
  });
  return jwks.port === '' ? 443 : Number(jwks.port);
}
