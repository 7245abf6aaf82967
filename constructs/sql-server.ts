import { createHash } from 'crypto';
import { App as Cdk8sApp } from 'cdk8s';
import type { Construct } from 'constructs';
import { SqlServerChart } from '../charts-ts/sql-server-chart';
import { VAULT_AGENT_TLS_CA_FILE, VAULT_SECRETS_DIR, vaultAgentAnnotations } from '../charts-ts/vault-agent-annotations';
import type { ContainerResources } from './cert-manager-values';
import { maxResources, type PodBudget } from './namespace-budget';
import { PlatformComponent, type KubeObject } from './platform-component';
import { PlatformError } from './platform-error';
import { checkRequestsWithinLimits, memoryMiB } from './quantities';
import { serviceHost, type DatabaseEndpoint, type NetworkPeer, type ObjectStoreEndpoint, type VaultEndpoint } from './service-references';
import { PRIORITY_CLASSES, type SiteCluster } from './site-cluster';
import { isDnsLabel, requestCertificate, type CertificateIssuers, type TlsCertificate } from './tls-certificate';
import { VaultConsumer, VaultSecret } from './vault-secret';
import { VAULT_AGENT_RESOURCES } from './vault-values';
import { imageReference } from './versions';

/** SQL Server's name at every site: StatefulSet, headless Service, ServiceAccount, Vault role. */
export const SQL_SERVER_NAME = 'sql-server';
export const SQL_SERVER_PORT = 1433;
/** The user and group SQL Server runs as: the image's `mssql` user. */
export const SQL_SERVER_USER = 10001;
/** Where SQL Server on Linux loads extra trusted CAs from (S3 backup needs TLS it can verify). */
export const SQL_SERVER_CA_DIRECTORY = '/var/opt/mssql/security/ca-certificates';
const TLS_DIRECTORY = '/etc/mssql-tls';
/** The file the Vault agent renders the SA password into. */
export const SA_PASSWORD_FILE = 'sa-password';
/** The share of the container's memory limit SQL Server may use (`memorylimitmb`); the rest is for the OS layer, backups' buffers and the agent. */
export const SQL_SERVER_MEMORY_SHARE = 0.8;
const MIN_MEMORY_MIB = 4096;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** A SQL login and where its password lives in Vault. */
export interface SqlLoginSpec {
  /** Login (and database user) name: letters, digits and `_`. */
  readonly name: string;
  /** The KV v2 secret and key holding its password. */
  readonly password: { readonly secret: VaultSecret; readonly key: string };
  /**
   * Fixed server roles, e.g. `dbcreator`.
   * @default - none
   */
  readonly serverRoles?: readonly string[];
  /** Database roles in the shipped database, e.g. `db_datareader`. */
  readonly databaseRoles: readonly string[];
}

/** A login as the servers know it: its SID is the same at both sites, so a restored database's users map to it. */
export interface SqlLogin extends SqlLoginSpec {
  /** `0x` and 32 hex digits. */
  readonly sid: string;
  readonly serverRoles: readonly string[];
}

/** A database on a SQL Server instance, as a workload connects to it. */
export interface SqlDatabase {
  readonly server: DatabaseEndpoint;
  /** Database name. */
  readonly name: string;
  /** Login name; the workload reads its password from Vault. */
  readonly user: string;
}

export interface SqlServerProps {
  /** The site's cluster baseline: the data namespace, labels, the site's name. */
  readonly cluster: SiteCluster;
  /** Names the Vault secrets and the login SIDs. */
  readonly environmentName: string;
  /** The site's in-country registry mirror. */
  readonly registry: string;
  /** The site's certificate issuers: the server certificate comes from `internal`. */
  readonly issuers: CertificateIssuers;
  /** `MSSQL_PID`: Standard, Enterprise or Developer (Express cannot back up to S3). */
  readonly edition: string;
  /** Requests and limits of the server container; the memory limit is at least 4Gi. */
  readonly resources: ContainerResources;
  /** Size of the `/var/opt/mssql` volume. */
  readonly volumeSize: string;
  readonly storageClassName: string;
  /** The site's Vault: the agent renders the SA password from `kv/<environment>/sql-server`. */
  readonly vault: VaultEndpoint;
  /** The site's object store: backups go there over TLS, verified with its CA. */
  readonly objectStore: ObjectStoreEndpoint;
  /** The database the platform ships between the sites, e.g. `lms`. */
  readonly database: string;
  /** The applications' logins. */
  readonly logins: readonly SqlLoginSpec[];
  /** Workloads that connect on the SQL port (besides the log-shipping jobs). */
  readonly clients: readonly Omit<NetworkPeer, 'port'>[];
}

/**
 * A login's SID, derived from the environment and the name: the same at both sites (the
 * restored database's users find their logins) and different between environments.
 */
export function sqlLoginSid(environmentName: string, login: string): string {
  return `0x${createHash('sha256').update(`lms-platform/${environmentName}/sql-login/${login}`).digest('hex').slice(0, 32).toUpperCase()}`;
}

/** The login the log-shipping jobs use: backups, restores (`dbcreator`) and metrics. */
export const LOG_SHIPPING_LOGIN = 'log_shipping';

/**
 * SQL Server 2022 on Linux at one site, in the data namespace: one instance with its whole
 * `/var/opt/mssql` on a volume, TLS forced with a site-CA certificate, the object store's CA
 * trusted for backups to S3, the SA password only from the Vault agent's file (read by the
 * start command, never in the pod spec), `mssql.conf` from code (memory limit 80 % of the
 * container's, the Agent on). `database()` gives workloads the typed reference they take.
 */
export class SqlServer extends PlatformComponent {
  public readonly namespace: string;
  public readonly siteName: string;
  public readonly image: string;
  public readonly edition: string;
  /** What clients connect to: the headless Service's name, the port, the pods. */
  public readonly endpoint: DatabaseEndpoint;
  /** The shipped database. */
  public readonly databaseName: string;
  /** Every login the setup job keeps: the applications' and the log-shipping jobs'. */
  public readonly logins: readonly SqlLogin[];
  /** `kv/<environment>/sql-server`: `sa_password`. */
  public readonly saPassword: { readonly secret: VaultSecret; readonly key: string };
  public readonly certificate: TlsCertificate;
  /** `memorylimitmb`: 80 % of the container's memory limit. */
  public readonly memoryLimitMb: number;
  public readonly podLabels: Readonly<Record<string, string>>;
  public readonly consumer: VaultConsumer;
  public override readonly vaultConsumers: readonly VaultConsumer[];
  public readonly podBudget: PodBudget;
  /** The object store this server backs up to. */
  public readonly objectStore: ObjectStoreEndpoint;
  public readonly vault: VaultEndpoint;
  public readonly cluster: SiteCluster;
  public readonly registry: string;
  public readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: SqlServerProps) {
    super(scope, id);
    const where = `SqlServer ${this.node.path}`;
    this.namespace = props.cluster.namespaces.data;
    this.siteName = props.cluster.siteName;
    this.cluster = props.cluster;
    this.registry = props.registry;
    this.objectStore = props.objectStore;
    this.vault = props.vault;
    if (!isDnsLabel(props.environmentName)) {
      throw PlatformError.invalidProp(where, 'environmentName', props.environmentName, 'a lower-case environment name, e.g. "production"');
    }
    if (!['Standard', 'Enterprise', 'Developer'].includes(props.edition)) {
      throw PlatformError.invalidProp(where, 'edition', props.edition, 'Standard, Enterprise or Developer (Express cannot back up to S3, which log shipping needs)');
    }
    checkRequestsWithinLimits(`${where}: resources`, props.resources);
    const limitMiB = memoryMiB(props.resources.memoryLimit, `${where}: resources.memoryLimit`);
    if (limitMiB < MIN_MEMORY_MIB) {
      throw PlatformError.invalidProp(where, 'resources.memoryLimit', props.resources.memoryLimit, 'at least "4Gi", the least SQL Server 2022 on Linux is supported with');
    }
    if (!/^https:\/\//.test(props.objectStore.url)) {
      throw PlatformError.invalidProp(where, 'objectStore.url', props.objectStore.url, 'an https:// URL; SQL Server backs up to S3 only over TLS');
    }
    if (!/^https:\/\//.test(props.vault.address)) {
      throw PlatformError.invalidProp(where, 'vault.address', props.vault.address, 'an https:// URL');
    }
    if (!IDENTIFIER.test(props.database)) {
      throw PlatformError.invalidProp(where, 'database', props.database, 'a database name of letters, digits and "_", starting with a letter or "_", at most 64 characters');
    }
    this.edition = props.edition;
    this.databaseName = props.database;
    this.memoryLimitMb = Math.floor(limitMiB * SQL_SERVER_MEMORY_SHARE);
    this.image = imageReference(props.registry, 'sqlServer');
    this.saPassword = { secret: VaultSecret.kv(props.environmentName, SQL_SERVER_NAME), key: 'sa_password' };
    const specs: SqlLoginSpec[] = [
      ...props.logins,
      {
        name: LOG_SHIPPING_LOGIN,
        password: { secret: VaultSecret.kv(props.environmentName, `${SQL_SERVER_NAME}/${LOG_SHIPPING_LOGIN.replace('_', '-')}`), key: 'password' },
        serverRoles: ['dbcreator'],
        databaseRoles: ['db_backupoperator'],
      },
    ];
    const seen = new Set<string>();
    this.logins = specs.map((login, index) => {
      if (!IDENTIFIER.test(login.name) || login.name.toLowerCase() === 'sa') {
        throw PlatformError.invalidProp(where, `logins[${index}].name`, login.name, 'a login name of letters, digits and "_", starting with a letter or "_", not "sa"');
      }
      if (seen.has(login.name.toLowerCase())) {
        throw PlatformError.invalidProp(where, `logins[${index}].name`, login.name, `a name no other login has (${LOG_SHIPPING_LOGIN} is the log-shipping jobs' own)`);
      }
      seen.add(login.name.toLowerCase());
      return { ...login, serverRoles: [...(login.serverRoles ?? [])], databaseRoles: [...login.databaseRoles], sid: sqlLoginSid(props.environmentName, login.name) };
    });

    this.podLabels = { 'app.kubernetes.io/name': SQL_SERVER_NAME, 'app.kubernetes.io/component': 'database' };
    const host = serviceHost(SQL_SERVER_NAME, this.namespace);
    this.endpoint = {
      host,
      port: SQL_SERVER_PORT,
      peer: { namespace: this.namespace, podLabels: { 'app.kubernetes.io/name': SQL_SERVER_NAME }, port: SQL_SERVER_PORT },
    };
    const certificate = requestCertificate(this, props.issuers, {
      name: SQL_SERVER_NAME,
      namespace: this.namespace,
      dnsNames: [host, `${SQL_SERVER_NAME}.${this.namespace}.svc`, `${SQL_SERVER_NAME}-0.${host}`],
      usages: ['server auth'],
    });
    this.certificate = certificate.reference;

    this.consumer = new VaultConsumer({ serviceAccount: SQL_SERVER_NAME, namespace: this.namespace, secrets: [this.saPassword.secret] });
    this.vaultConsumers = [this.consumer];
    const annotations = vaultAgentAnnotations({
      address: props.vault.address,
      role: this.consumer.role,
      secrets: [{ file: SA_PASSWORD_FILE, path: this.saPassword.secret.dataPath, key: this.saPassword.key }],
      prePopulateOnly: true,
      tlsSecret: props.vault.caSecretName,
      caCertFile: VAULT_AGENT_TLS_CA_FILE,
    });
    this.podBudget = {
      what: 'SQL Server',
      pods: 1,
      perPod: maxResources(`${where}: resources`, VAULT_AGENT_RESOURCES, props.resources),
      volumes: { claims: 1, storage: props.volumeSize },
    };

    const saFile = `${VAULT_SECRETS_DIR}/${SA_PASSWORD_FILE}`;
    const chart = new SqlServerChart(new Cdk8sApp(), SQL_SERVER_NAME, {
      namespace: this.namespace,
      labels: props.cluster.labels,
      name: SQL_SERVER_NAME,
      image: this.image,
      port: SQL_SERVER_PORT,
      podLabels: this.podLabels,
      podAnnotations: annotations,
      env: {
        ACCEPT_EULA: 'Y',
        MSSQL_PID: props.edition,
        MSSQL_AGENT_ENABLED: 'true',
        MSSQL_MEMORY_LIMIT_MB: String(this.memoryLimitMb),
        MSSQL_TCP_PORT: String(SQL_SERVER_PORT),
        // msdb's backup and restore history is written in server time: UTC at both sites.
        TZ: 'Etc/UTC',
        HOME: '/var/opt/mssql',
      },
      mssqlConf: mssqlConf(this.memoryLimitMb),
      // The SA password only matters on the first start of an empty volume; it never enters the pod spec.
      command: ['/bin/bash', '-c', `set -eu; MSSQL_SA_PASSWORD="$(cat ${saFile})"; export MSSQL_SA_PASSWORD; exec /opt/mssql/bin/sqlservr`],
      readinessCommand: [
        '/bin/bash',
        '-c',
        `SQLCMDPASSWORD="$(cat ${saFile})" /opt/mssql-tools18/bin/sqlcmd -S tcp:127.0.0.1,${SQL_SERVER_PORT} -U sa -C -b -l 5 -h -1 -Q "SET NOCOUNT ON; SELECT 1" > /dev/null`,
      ],
      resources: props.resources,
      volumeSize: props.volumeSize,
      storageClassName: props.storageClassName,
      priorityClassName: PRIORITY_CLASSES.criticalData.name,
      runAsUser: SQL_SERVER_USER,
      tls: { secretName: this.certificate.secretName, directory: TLS_DIRECTORY },
      objectStoreCa: { secretName: props.objectStore.caSecretName, directory: SQL_SERVER_CA_DIRECTORY },
      clients: props.clients.map((client) => ({ ...client, port: SQL_SERVER_PORT })),
      egressTo: [props.objectStore.peer, props.vault.peer],
    });
    this.objects = [certificate.object, ...(chart.toJson() as KubeObject[])];
  }

  /** The reference a workload takes to connect to `database` as `login`. */
  public database(login: string): SqlDatabase {
    if (!this.logins.some((candidate) => candidate.name === login)) {
      throw PlatformError.invalidProp(`SqlServer ${this.node.path}`, 'database(login)', login, `one of its logins: ${this.logins.map((candidate) => candidate.name).join(', ')}`);
    }
    return { server: this.endpoint, name: this.databaseName, user: login };
  }
}

/** `mssql.conf`: TLS forced with the site certificate, the memory limit, the Agent on. */
export function mssqlConf(memoryLimitMb: number): string {
  return [
    '[EULA]',
    'accepteula = Y',
    '',
    '[network]',
    `tcpport = ${SQL_SERVER_PORT}`,
    `tlscert = ${TLS_DIRECTORY}/tls.crt`,
    `tlskey = ${TLS_DIRECTORY}/tls.key`,
    'tlsprotocols = 1.2',
    'forceencryption = 1',
    '',
    '[memory]',
    `memorylimitmb = ${memoryLimitMb}`,
    '',
    '[sqlagent]',
    'enabled = true',
    '',
  ].join('\n');
}
