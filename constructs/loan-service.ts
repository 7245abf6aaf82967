import { App as Cdk8sApp } from 'cdk8s';
import { Construct } from 'constructs';
import { LOAN_SERVICE_PORT, LoanServiceChart, VAULT_SECRETS_DIR, type VaultSecretFile } from '../charts-ts/loan-service-chart';
import { KubernetesObjects, type KubeObject } from './kubernetes-objects';
import { PLATFORM_PEERS, SCRAPE_LABELS, peerServiceHost } from './platform-peers';
import { PlatformError, formatValue } from './platform-error';
import { cpuMillis, memoryMiB } from './quantities';
import { PRIORITY_CLASSES, type SiteCluster } from './site-cluster';
import type { SiteProviders } from './site-providers';
import { imageReference } from './versions';

/** Replicas and resources of the loan-service at one site (Kubernetes quantities). */
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

/** Where the loan-service keeps its records. */
export interface LoanServiceDatabase {
  readonly host: string;
  readonly port: number;
  readonly name: string;
  /** Login name; the password comes from Vault (`mssql-password`). */
  readonly user: string;
}

/** Where the loan-service keeps application documents. */
export interface LoanServiceDocumentStore {
  /** S3 API endpoint of the site's MinIO. */
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
}

/** How the loan-service's pods get their secrets. */
export interface LoanServiceVault {
  readonly address: string;
  /** The Vault Kubernetes-auth role bound to the `loan-service` service account. */
  readonly role: string;
  /** KV v2 secret holding `mssql_password`, `s3_access_key_id`, `s3_secret_access_key`, `auth_jwt_secret`. */
  readonly kvPath: string;
}

export interface LoanServiceProps {
  /** Environment name, e.g. `production`. */
  readonly environmentName: string;
  /** The site's cluster baseline: namespaces, labels and PriorityClasses come from it. */
  readonly cluster: SiteCluster;
  /** The site's providers in the stack the loan-service is applied by. */
  readonly providers: SiteProviders;
  /** The site's role: a disaster-recovery site runs `standbyReplicas` as a warm standby. */
  readonly siteRole: 'primary' | 'disaster-recovery';
  /** The site's in-country registry mirror. */
  readonly registry: string;
  /** Replicas and resources from the environment. */
  readonly sizing: WorkloadSizing;
  /**
   * SQL Server the service uses.
   * @default - `sql-server` in the data namespace, port 1433, database `lms`, user `loan_service`
   */
  readonly database?: LoanServiceDatabase;
  /**
   * S3-compatible document store.
   * @default - `https://minio.<data namespace>.svc.cluster.local:9000`, bucket `loan-documents`, region `zm-<site>-1`
   */
  readonly documentStore?: LoanServiceDocumentStore;
  /**
   * Vault the agent talks to.
   * @default - `https://vault.<security namespace>.svc.cluster.local:8200`, role `loan-service`, KV `kv/data/<environment>/loan-service`
   */
  readonly vault?: LoanServiceVault;
  /**
   * Numeric user the container runs as.
   * @default 10001 - the image's non-root user (USER in app-services/loan-service/Dockerfile)
   */
  readonly runAsUser?: number;
}

/** The numeric user of the loan-service image (`USER 10001:10001` in its Dockerfile; a test checks it). */
export const LOAN_SERVICE_IMAGE_USER = 10001;

/** Files the Vault agent writes, each named as the service reads it (see app-services/loan-service/README.md). */
const SECRET_FILES = [
  { file: 'mssql-password', key: 'mssql_password' },
  { file: 's3-access-key-id', key: 's3_access_key_id' },
  { file: 's3-secret-access-key', key: 's3_secret_access_key' },
  { file: 'auth-jwt-secret', key: 'auth_jwt_secret' },
] as const;

/**
 * The bundled loan-service on one site. Runs `replicas` pods on the primary site and
 * `standbyReplicas` on the disaster-recovery site, so failover is a change of roles in the
 * environment file, not of code.
 */
export class LoanService extends Construct {
  public readonly namespace: string;
  public readonly image: string;
  /** Effective replica count for this site's role. */
  public readonly replicas: number;
  public readonly maxReplicas: number;
  public readonly database: LoanServiceDatabase;
  public readonly documentStore: LoanServiceDocumentStore;
  public readonly vault: LoanServiceVault;
  public readonly runAsUser: number;
  /** The secret files the Vault agent renders. */
  public readonly secretFiles: readonly VaultSecretFile[];
  /** The container's plain environment: no secret is ever part of it. */
  public readonly containerEnv: Readonly<Record<string, string>>;
  public readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: LoanServiceProps) {
    super(scope, id);
    const where = `LoanService ${this.node.path}`;
    const namespaces = props.cluster.namespaces;
    this.namespace = namespaces.apps;
    this.image = imageReference(props.registry, 'loanService');
    this.replicas = props.siteRole === 'primary' ? props.sizing.replicas : props.sizing.standbyReplicas;
    this.maxReplicas = props.sizing.maxReplicas;
    this.runAsUser = props.runAsUser ?? LOAN_SERVICE_IMAGE_USER;
    if (!Number.isInteger(this.runAsUser) || this.runAsUser < 1) {
      throw PlatformError.invalidProp(where, 'runAsUser', props.runAsUser, 'a whole number above 0: the container never runs as root');
    }
    this.database = props.database ?? {
      host: peerServiceHost('sql-server', namespaces.data),
      port: PLATFORM_PEERS.sqlServer.port,
      name: 'lms',
      user: 'loan_service',
    };
    if (!Number.isInteger(this.database.port) || this.database.port < 1 || this.database.port > 65535) {
      throw PlatformError.invalidProp(where, 'database.port', this.database.port, 'a TCP port, 1-65535');
    }
    this.documentStore = props.documentStore ?? {
      endpoint: `https://${peerServiceHost('minio', namespaces.data)}:${PLATFORM_PEERS.minio.port}`,
      bucket: 'loan-documents',
      region: `zm-${props.cluster.siteName}-1`,
    };
    if (!/^https:\/\//.test(this.documentStore.endpoint)) {
      throw new PlatformError(`${where}: documentStore.endpoint: ${formatValue(this.documentStore.endpoint)} is not allowed (allowed: an https:// URL; documents are encrypted in transit)`);
    }
    this.vault = props.vault ?? {
      address: `https://${peerServiceHost('vault', namespaces.security)}:${PLATFORM_PEERS.vault.port}`,
      role: 'loan-service',
      kvPath: `kv/data/${props.environmentName}/loan-service`,
    };
    this.secretFiles = SECRET_FILES.map((secret) => ({ ...secret, path: this.vault.kvPath }));
    this.containerEnv = {
      NODE_ENV: 'production',
      HOST: '0.0.0.0',
      PORT: String(LOAN_SERVICE_PORT),
      LOG_LEVEL: 'info',
      // After SIGTERM the service keeps serving (readiness failing) while endpoints drop the
      // pod, then finishes in-flight requests: well inside terminationGracePeriodSeconds (40).
      SHUTDOWN_DELAY_MS: '5000',
      DATABASE_CLIENT: 'mssql',
      MSSQL_HOST: this.database.host,
      MSSQL_PORT: String(this.database.port),
      MSSQL_DATABASE: this.database.name,
      MSSQL_USER: this.database.user,
      MSSQL_ENCRYPT: 'true',
      DOCUMENT_STORE: 's3',
      S3_ENDPOINT: this.documentStore.endpoint,
      S3_BUCKET: this.documentStore.bucket,
      S3_REGION: this.documentStore.region,
      S3_FORCE_PATH_STYLE: 'true',
      AUTH_MODE: 'jwt',
      VAULT_SECRETS_DIR,
    };

    const peer = (name: keyof typeof PLATFORM_PEERS) => ({
      namespace: namespaces[PLATFORM_PEERS[name].namespaceRole],
      podLabels: PLATFORM_PEERS[name].podLabels,
      port: PLATFORM_PEERS[name].port,
    });
    const chart = new LoanServiceChart(new Cdk8sApp(), 'loan-service', {
      namespace: this.namespace,
      image: this.image,
      replicas: this.replicas,
      maxReplicas: this.maxReplicas,
      resources: {
        cpuRequestMillis: cpuMillis(props.sizing.cpuRequest, `${where}: sizing.cpuRequest`),
        cpuLimitMillis: cpuMillis(props.sizing.cpuLimit, `${where}: sizing.cpuLimit`),
        memoryRequestMiB: memoryMiB(props.sizing.memoryRequest, `${where}: sizing.memoryRequest`),
        memoryLimitMiB: memoryMiB(props.sizing.memoryLimit, `${where}: sizing.memoryLimit`),
      },
      runAsUser: this.runAsUser,
      priorityClassName: PRIORITY_CLASSES.apps.name,
      labels: { ...props.cluster.labels, 'app.kubernetes.io/component': 'loan-service' },
      env: this.containerEnv,
      vault: { address: this.vault.address, role: this.vault.role, secrets: this.secretFiles },
      // The ingress controller and Prometheus reach the service port itself.
      ingressFrom: [
        { ...peer('ingressController'), port: LOAN_SERVICE_PORT },
        { ...peer('prometheus'), port: LOAN_SERVICE_PORT },
      ],
      egressTo: [peer('sqlServer'), peer('minio'), peer('vault')],
      serviceMonitorLabels: SCRAPE_LABELS,
    });
    this.objects = chart.toJson() as KubeObject[];
    new KubernetesObjects(this, 'objects', { provider: props.providers.kubernetes, objects: this.objects });

    // Spans two constructs: the baseline the service relies on and the cluster it is applied to.
    this.node.addValidation({
      validate: () =>
        props.providers.alias === props.cluster.siteName
          ? []
          : [`${where}: providers: site "${props.providers.alias}" is not the site of cluster "${props.cluster.siteName}" (allowed: the providers of site "${props.cluster.siteName}")`],
    });
  }
}
