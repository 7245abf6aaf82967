import { createHash } from 'crypto';
import { App as Cdk8sApp } from 'cdk8s';
import { Construct } from 'constructs';
import { ObjectStoreTaskChart } from '../charts-ts/object-store-task-chart';
import { VAULT_AGENT_TLS_CA_FILE, VAULT_SECRETS_DIR, vaultAgentAnnotations } from '../charts-ts/vault-agent-annotations';
import { Duration } from './duration';
import { MINIO_ROOT_SECRET_KEYS, type MinioCluster } from './minio-cluster';
import { maxResources, type PodBudget } from './namespace-budget';
import {
  DEFAULT_OBJECT_STORE_TASK_RESOURCES,
  TASK_CA_DIRECTORY,
  TASK_CONFIG_DIRECTORY,
  TASK_CREDENTIALS_FILE,
  TASK_RUN_AS_USER,
  credentialsTemplate,
  taskConnection,
  type ObjectStoreBuckets,
} from './object-store-buckets';
import type { ObjectStoreUser } from './object-store-users';
import { PlatformComponent, type KubeObject } from './platform-component';
import { PlatformError, formatValue } from './platform-error';
import type { MetricsScraper, VaultEndpoint } from './service-references';
import { PRIORITY_CLASSES, type SiteCluster } from './site-cluster';
import { VaultConsumer, VaultSecret } from './vault-secret';
import { VAULT_AGENT_RESOURCES } from './vault-values';
import { imageReference } from './versions';

/** One site's side of the replication: its store, buckets and Vault, and the stack scope its objects go in. */
export interface ReplicationSite {
  /** A construct in the site's data stack: this side's components are created under it. */
  readonly scope: Construct;
  readonly cluster: SiteCluster;
  readonly store: MinioCluster;
  readonly buckets: ObjectStoreBuckets;
  readonly vault: VaultEndpoint;
  readonly metrics: MetricsScraper;
  readonly registry: string;
}

export interface BucketReplicationProps {
  /** The environment: both sites must be its own. */
  readonly environmentName: string;
  /** The primary: its buckets replicate out. */
  readonly source: ReplicationSite;
  /** The disaster-recovery site: its buckets receive. */
  readonly target: ReplicationSite;
  /** The other site's replication endpoint must be a host in one of these domains (the approved in-country domains). */
  readonly approvedDomains: readonly string[];
  /** The longest the target may lag: the heartbeat's age is held against it. */
  readonly lagBudget: Duration;
  /**
   * How often the heartbeat is written and read.
   * @default Duration.minutes(1)
   */
  readonly heartbeatInterval?: Duration;
}

/** The user the heartbeat writer and reader log in as, with a grant on `.lms-heartbeat/` of each replicated bucket. */
export const REPLICATION_HEARTBEAT_USER = 'replication-heartbeat';
/** Where the heartbeat objects live in each replicated bucket. */
export const HEARTBEAT_PREFIX = '.lms-heartbeat/';

/**
 * The users replication needs at every site (either site may be the source after a failover):
 * the one the other site's MinIO replicates in as, and the heartbeat's.
 */
export function replicationUsers(environmentName: string, replicatedBuckets: readonly string[]): ObjectStoreUser[] {
  return [
    { name: 'replication', credentials: VaultSecret.kv(environmentName, 'minio-replication'), grants: replicatedBuckets.map((bucket) => ({ bucket, access: 'replication-target' as const })) },
    {
      name: REPLICATION_HEARTBEAT_USER,
      credentials: heartbeatCredentials(environmentName),
      grants: replicatedBuckets.map((bucket) => ({ bucket, prefix: HEARTBEAT_PREFIX, access: 'heartbeat' as const })),
    },
  ];
}

function heartbeatCredentials(environmentName: string): VaultSecret {
  return VaultSecret.kv(environmentName, `object-store/${REPLICATION_HEARTBEAT_USER}`);
}

/** Keys of `kv/<environment>/minio-replication`: the user the source logs in to the target as. */
export const REPLICATION_SECRET_KEYS = { accessKeyId: 'access_key_id', secretAccessKey: 'secret_access_key' } as const;
/** The file the agent renders the replication user's userinfo into. */
export const REMOTE_ENV_FILE = 'remote.env';
export const REPLICATION_SETUP_NAME = 'object-store-replication';
export const HEARTBEAT_WRITER_NAME = 'replication-heartbeat-writer';
export const HEARTBEAT_READER_NAME = 'replication-heartbeat-reader';
export const HEARTBEAT_METRICS_PORT = 9102;
/** The metric the reader exports, and MinIO's own replication metrics: the typed inputs of the alert rules. */
export const REPLICATION_METRICS = {
  heartbeatAge: 'lms_object_store_replication_heartbeat_age_seconds',
  heartbeatErrors: 'lms_object_store_heartbeat_errors_total',
  failedReplications: 'minio_bucket_replication_total_failed_count',
  bucketSize: 'minio_bucket_usage_total_bytes',
} as const;
/** The replication modes every rule has: deletes and delete markers follow, objects written before the rule too. */
export const REPLICATE = ['delete', 'delete-marker', 'existing-objects'] as const;

/** What the metrics work turns into alert rules: the series, their thresholds and why. */
export interface ReplicationAlertInputs {
  /** Heartbeat age per replicated bucket at the target, against the lag budget. */
  readonly heartbeatAge: { readonly series: string; readonly thresholdSeconds: number };
  /** Objects MinIO failed to replicate (source side): any increase is a finding. */
  readonly failedReplications: { readonly series: string };
  /** Bucket sizes at both sites, for capacity and for a target that stops growing. */
  readonly bucketSize: { readonly series: string };
}

/**
 * Bucket replication from the primary's MinIO to the disaster-recovery site's, for every
 * bucket that holds business data, built in the cross-site wiring pass from both sites'
 * stores and buckets. At the source a Job (`mc`) adds each bucket's remote target and rule
 * (deletes, delete markers and existing objects replicate) with the replication user's keys
 * from Vault, and a heartbeat writer puts `.lms-heartbeat/<site>.json` in each replicated
 * bucket every minute; at the target a reader exports the heartbeat's age, the replication
 * lag, as a Prometheus metric.
 */
export class BucketReplication extends PlatformComponent {
  public readonly replicatedBuckets: readonly string[];
  /** `https://minio.<target domain>:9000`. */
  public readonly targetUrl: string;
  public readonly lagBudget: Duration;
  public readonly heartbeatInterval: Duration;
  /** `kv/<environment>/minio-replication`: the replication user at the target, read by the source's setup Job. */
  public readonly replicationCredentials: VaultSecret;
  public readonly alertInputs: ReplicationAlertInputs;
  /** The target side: the heartbeat reader, created in the target's stack. */
  public readonly reader: ReplicationHeartbeatReader;
  public readonly setupJobName: string;
  public readonly consumers: { readonly setup: VaultConsumer; readonly writer: VaultConsumer };
  public override readonly vaultConsumers: readonly VaultConsumer[];
  public readonly podBudgets: readonly PodBudget[];
  public readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: BucketReplicationProps) {
    super(scope, id);
    const where = `BucketReplication ${this.node.path}`;
    const { source, target } = props;
    if (source.store.siteName === target.store.siteName) {
      throw PlatformError.invalidProp(where, 'target', target.store.siteName, `the environment's other site, not the source "${source.store.siteName}"`);
    }
    const url = /^(https?):\/\/([a-z0-9.-]+)(?::([0-9]{1,5}))?$/.exec(target.store.replicationUrl);
    if (url === null || url[1] !== 'https') {
      throw PlatformError.invalidProp(where, 'target.replicationUrl', target.store.replicationUrl, 'an https:// URL; replicated data crosses between the sites encrypted');
    }
    const host = url[2];
    if (!props.approvedDomains.some((domain) => host.endsWith(`.${domain}`))) {
      throw PlatformError.invalidProp(where, 'target.replicationUrl', target.store.replicationUrl, `a host in ${props.approvedDomains.map((domain) => `*.${domain}`).join(', ')}, the environment's in-country sites`);
    }
    const targetBuckets = new Map(target.buckets.buckets.map((bucket) => [bucket.name, bucket]));
    const replicated = source.buckets.buckets.filter((bucket) => bucket.replicated);
    for (const bucket of replicated) {
      const other = targetBuckets.get(bucket.name);
      if (other === undefined) {
        throw new PlatformError(`${where}: bucket ${formatValue(bucket.name)}: missing at ${target.store.siteName} (allowed: a replicated bucket reconciled at both sites)`);
      }
      if ((bucket.versioning as boolean) !== true || (other.versioning as boolean) !== true) {
        throw new PlatformError(`${where}: bucket ${formatValue(bucket.name)}: versioning is off at ${bucket.versioning ? target.store.siteName : source.store.siteName} (allowed: versioning at both sites; replication copies versions)`);
      }
      if (bucket.objectLock !== other.objectLock) {
        throw new PlatformError(
          `${where}: bucket ${formatValue(bucket.name)}: object lock at ${bucket.objectLock ? source.store.siteName : target.store.siteName} only (allowed: the same object lock at both sites, or locked versions could not be replicated or would lose their lock)`,
        );
      }
    }
    this.replicatedBuckets = replicated.map((bucket) => bucket.name);
    this.targetUrl = target.store.replicationUrl;
    this.lagBudget = props.lagBudget;
    this.heartbeatInterval = props.heartbeatInterval ?? Duration.minutes(1);
    if (!this.heartbeatInterval.isLongerThan(Duration.seconds(9)) || this.heartbeatInterval.isLongerThan(this.lagBudget)) {
      throw PlatformError.invalidProp(where, 'heartbeatInterval', this.heartbeatInterval.toString(), `at least "10s" and at most the lag budget "${this.lagBudget}"`);
    }
    this.replicationCredentials = VaultSecret.kv(props.environmentName, 'minio-replication');
    this.alertInputs = {
      heartbeatAge: { series: `${REPLICATION_METRICS.heartbeatAge}{source_site="${source.store.siteName}"}`, thresholdSeconds: this.lagBudget.totalSeconds },
      failedReplications: { series: REPLICATION_METRICS.failedReplications },
      bucketSize: { series: REPLICATION_METRICS.bucketSize },
    };

    const namespace = source.store.namespace;
    const root = source.store.rootCredentials;
    const setup = new VaultConsumer({ serviceAccount: REPLICATION_SETUP_NAME, namespace, secrets: [root, this.replicationCredentials] });
    const writer = new VaultConsumer({ serviceAccount: HEARTBEAT_WRITER_NAME, namespace, secrets: [heartbeatCredentials(props.environmentName)] });
    this.consumers = { setup, writer };
    this.vaultConsumers = [setup, writer];

    const targetPort = Number(url[3] ?? 443);
    const storeHost = new URL(source.store.endpoint.url).host;
    const script = replicationScript({ buckets: this.replicatedBuckets, storeHost, targetHostPort: `${host}:${targetPort}` });
    const mcImage = imageReference(source.registry, 'minioClient');
    this.setupJobName = `${REPLICATION_SETUP_NAME}-${createHash('sha256').update(script).update(mcImage).digest('hex').slice(0, 10)}`;
    const replicationEnvFile = 'replication.env';
    const resources = DEFAULT_OBJECT_STORE_TASK_RESOURCES;
    const setupChart = new ObjectStoreTaskChart(new Cdk8sApp(), REPLICATION_SETUP_NAME, {
      namespace,
      labels: source.cluster.labels,
      name: REPLICATION_SETUP_NAME,
      podLabels: { 'app.kubernetes.io/name': REPLICATION_SETUP_NAME, 'app.kubernetes.io/component': 'object-storage' },
      podAnnotations: vaultAgentAnnotations({
        address: source.vault.address,
        role: setup.role,
        secrets: [],
        templates: [
          {
            file: replicationEnvFile,
            path: root.dataPath,
            // URL-escaped: the keys sit in the userinfo of mc's alias URL and the remote bucket URL.
            template: [
              `{{- with secret "${root.dataPath}" -}}`,
              `export MC_HOST_source='https://{{ .Data.data.${MINIO_ROOT_SECRET_KEYS.user} | urlquery }}:{{ .Data.data.${MINIO_ROOT_SECRET_KEYS.password} | urlquery }}@${storeHost}'`,
              '{{- end }}',
            ].join('\n'),
          },
          {
            file: REMOTE_ENV_FILE,
            path: this.replicationCredentials.dataPath,
            template: [
              `{{- with secret "${this.replicationCredentials.dataPath}" -}}`,
              `export REMOTE_USERINFO='{{ .Data.data.${REPLICATION_SECRET_KEYS.accessKeyId} | urlquery }}:{{ .Data.data.${REPLICATION_SECRET_KEYS.secretAccessKey} | urlquery }}'`,
              '{{- end }}',
            ].join('\n'),
          },
        ],
        prePopulateOnly: true,
        tlsSecret: source.vault.caSecretName,
        caCertFile: VAULT_AGENT_TLS_CA_FILE,
      }),
      run: { kind: 'job', jobName: this.setupJobName, schedule: '47 * * * *', activeDeadlineSeconds: Duration.minutes(15).totalSeconds },
      priorityClassName: PRIORITY_CLASSES.criticalData.name,
      runAsUser: TASK_RUN_AS_USER,
      resources,
      initContainers: [],
      containers: [{ name: 'replicate', image: mcImage, command: ['/bin/sh', '-c', script], env: { HOME: '/tmp' } }],
      config: { 'replicated-buckets': `${this.replicatedBuckets.join('\n')}\n` },
      configDirectory: TASK_CONFIG_DIRECTORY,
      caCertificate: { secretName: source.store.endpoint.caSecretName, directory: TASK_CA_DIRECTORY },
      egressTo: [source.store.endpoint.peer, source.vault.peer],
      egressToAddresses: [],
    });
    const writerChart = heartbeatChart(HEARTBEAT_WRITER_NAME, 'writer', source, writer, {
      site: source.store.siteName,
      sourceSite: source.store.siteName,
      replicatedBuckets: this.replicatedBuckets,
      intervalSeconds: this.heartbeatInterval.totalSeconds,
    });
    this.objects = [...(setupChart.toJson() as KubeObject[]), ...writerChart];
    const budget = maxResources(`${where}: resources`, VAULT_AGENT_RESOURCES, resources);
    this.podBudgets = [
      { what: 'the replication setup job', pods: 2, perPod: budget },
      { what: 'the heartbeat writer', pods: 1, perPod: budget },
    ];
    this.reader = new ReplicationHeartbeatReader(target.scope, 'replication-heartbeat-reader', {
      environmentName: props.environmentName,
      target,
      sourceSite: source.store.siteName,
      replicatedBuckets: this.replicatedBuckets,
      interval: this.heartbeatInterval,
    });
  }
}

export interface ReplicationHeartbeatReaderProps {
  readonly environmentName: string;
  readonly target: ReplicationSite;
  readonly sourceSite: string;
  readonly replicatedBuckets: readonly string[];
  readonly interval: Duration;
}

/** The target side of a `BucketReplication`: reads each replicated bucket's heartbeat and exports its age. */
export class ReplicationHeartbeatReader extends PlatformComponent {
  public readonly consumer: VaultConsumer;
  public override readonly vaultConsumers: readonly VaultConsumer[];
  public readonly podBudget: PodBudget;
  public readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: ReplicationHeartbeatReaderProps) {
    super(scope, id);
    const { target } = props;
    this.consumer = new VaultConsumer({ serviceAccount: HEARTBEAT_READER_NAME, namespace: target.store.namespace, secrets: [heartbeatCredentials(props.environmentName)] });
    this.vaultConsumers = [this.consumer];
    this.podBudget = { what: 'the heartbeat reader', pods: 1, perPod: maxResources(`${this.node.path}: resources`, VAULT_AGENT_RESOURCES, DEFAULT_OBJECT_STORE_TASK_RESOURCES) };
    this.objects = heartbeatChart(HEARTBEAT_READER_NAME, 'reader', target, this.consumer, {
      site: target.store.siteName,
      sourceSite: props.sourceSite,
      replicatedBuckets: props.replicatedBuckets,
      intervalSeconds: props.interval.totalSeconds,
    });
  }
}

function heartbeatChart(
  name: string,
  mode: 'writer' | 'reader',
  site: ReplicationSite,
  consumer: VaultConsumer,
  config: { site: string; sourceSite: string; replicatedBuckets: readonly string[]; intervalSeconds: number },
): KubeObject[] {
  const credentials = consumer.secrets[0];
  const chart = new ObjectStoreTaskChart(new Cdk8sApp(), name, {
    namespace: site.store.namespace,
    labels: site.cluster.labels,
    name,
    podLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'object-storage' },
    podAnnotations: vaultAgentAnnotations({
      address: site.vault.address,
      role: consumer.role,
      secrets: [],
      templates: [{ file: TASK_CREDENTIALS_FILE, path: credentials.dataPath, template: credentialsTemplate(credentials.dataPath, { id: REPLICATION_SECRET_KEYS.accessKeyId, secret: REPLICATION_SECRET_KEYS.secretAccessKey }) }],
      prePopulateOnly: true,
      tlsSecret: site.vault.caSecretName,
      caCertFile: VAULT_AGENT_TLS_CA_FILE,
    }),
    run: { kind: 'deployment', metricsPort: HEARTBEAT_METRICS_PORT, serviceMonitorLabels: site.metrics.serviceMonitorLabels, scraper: site.metrics.peer },
    priorityClassName: PRIORITY_CLASSES.criticalData.name,
    runAsUser: TASK_RUN_AS_USER,
    resources: DEFAULT_OBJECT_STORE_TASK_RESOURCES,
    initContainers: [],
    containers: [
      {
        name: 'heartbeat',
        image: imageReference(site.registry, 'objectStoreJobs'),
        command: ['node', 'dist/main.js', 'replication-heartbeat', '--mode', mode, '--config', `${TASK_CONFIG_DIRECTORY}/heartbeat.json`, '--port', String(HEARTBEAT_METRICS_PORT)],
        env: taskConnection(site.store),
      },
    ],
    config: { 'heartbeat.json': `${JSON.stringify(config, null, 2)}\n` },
    configDirectory: TASK_CONFIG_DIRECTORY,
    caCertificate: { secretName: site.store.endpoint.caSecretName, directory: TASK_CA_DIRECTORY },
    egressTo: [site.store.endpoint.peer, site.vault.peer],
    egressToAddresses: [],
  });
  return chart.toJson() as KubeObject[];
}

/**
 * The setup script (POSIX sh, in the mc image): for each replicated bucket, adds the remote
 * target and rule unless the bucket already replicates to the target. Only mc's JSON output
 * is parsed, never a credential printed.
 */
export function replicationScript(props: { readonly buckets: readonly string[]; readonly storeHost: string; readonly targetHostPort: string }): string {
  return [
    'set -eu',
    `. ${VAULT_SECRETS_DIR}/replication.env`,
    `. ${VAULT_SECRETS_DIR}/${REMOTE_ENV_FILE}`,
    'mkdir -p "$HOME/mc/certs/CAs"',
    `cp ${TASK_CA_DIRECTORY}/ca.crt "$HOME/mc/certs/CAs/site-ca.crt"`,
    `for bucket in ${props.buckets.join(' ')}; do`,
    `  if mc --config-dir "$HOME/mc" replicate ls --json "source/$bucket" | grep -q '"Endpoint":"${props.targetHostPort}"'; then`,
    '    echo "$bucket: replicates already"',
    '  else',
    `    mc --config-dir "$HOME/mc" replicate add "source/$bucket" --remote-bucket "https://$REMOTE_USERINFO@${props.targetHostPort}/$bucket" --replicate "${REPLICATE.join(',')}" --priority 1`,
    '    echo "$bucket: replication added"',
    '  fi',
    'done',
  ].join('\n');
}
