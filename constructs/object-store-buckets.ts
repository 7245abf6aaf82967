import { createHash } from 'crypto';
import { App as Cdk8sApp } from 'cdk8s';
import type { Construct } from 'constructs';
import { ObjectStoreTaskChart } from '../charts-ts/object-store-task-chart';
import { VAULT_AGENT_TLS_CA_FILE, VAULT_SECRETS_DIR, vaultAgentAnnotations } from '../charts-ts/vault-agent-annotations';
import type { ContainerResources } from './cert-manager-values';
import { CronSchedule } from './cron-schedule';
import { Duration } from './duration';
import { MINIO_ROOT_SECRET_KEYS, type MinioCluster } from './minio-cluster';
import { maxResources, type PodBudget } from './namespace-budget';
import { checkBuckets, type BucketSpec } from './object-store-bucket';
import { PlatformComponent, type KubeObject } from './platform-component';
import { PlatformError } from './platform-error';
import { checkRequestsWithinLimits } from './quantities';
import type { VaultEndpoint } from './service-references';
import { PRIORITY_CLASSES, type SiteCluster } from './site-cluster';
import { VaultConsumer } from './vault-secret';
import { VAULT_AGENT_RESOURCES } from './vault-values';
import { imageReference } from './versions';

export interface ObjectStoreBucketsProps {
  /** The site's cluster baseline. */
  readonly cluster: SiteCluster;
  /** The site's MinIO: the buckets are made there, with its root credentials. */
  readonly store: MinioCluster;
  readonly registry: string;
  readonly vault: VaultEndpoint;
  /** The buckets, as data. */
  readonly buckets: readonly BucketSpec[];
  /**
   * How long backups are kept (the site's `retention.backups`): object-lock retention of
   * locked buckets, and when noncurrent versions expire.
   */
  readonly backupRetention: Duration;
  /**
   * When the CronJob repairs drift between applies.
   * @default '17 * * * *'
   */
  readonly repairSchedule?: string;
  /**
   * Requests and limits of the reconcile container.
   * @default DEFAULT_OBJECT_STORE_TASK_RESOURCES
   */
  readonly resources?: ContainerResources;
}

export const OBJECT_STORE_RECONCILER_NAME = 'object-store-buckets';
export const DEFAULT_OBJECT_STORE_TASK_RESOURCES: ContainerResources = { cpuRequest: '50m', memoryRequest: '96Mi', cpuLimit: '500m', memoryLimit: '256Mi' };
/** Where the configuration and the CA are mounted in task pods, and the credentials file the agent renders. */
export const TASK_CONFIG_DIRECTORY = '/etc/object-store';
export const TASK_CA_DIRECTORY = '/etc/object-store-ca';
export const TASK_CREDENTIALS_FILE = 'object-store.env';
/** The user and group the jobs run as: no image user, apart from every host account. */
export const TASK_RUN_AS_USER = 10001;

/** The reconcile Job's configuration file: what `object-store-jobs reconcile-buckets` reads. */
export interface BucketReconcileConfig {
  readonly site: string;
  readonly buckets: readonly {
    readonly name: string;
    readonly versioning: true;
    readonly objectLock: { readonly mode: 'GOVERNANCE'; readonly days: number } | null;
    readonly lifecycle: { readonly noncurrentVersionExpirationDays: number };
  }[];
}

/** The Vault agent template of a task's S3 credentials file, from a KV secret's two keys. */
export function credentialsTemplate(dataPath: string, keys: { readonly id: string; readonly secret: string }): string {
  return [
    `{{- with secret "${dataPath}" -}}`,
    `AWS_ACCESS_KEY_ID='{{ .Data.data.${keys.id} }}'`,
    `AWS_SECRET_ACCESS_KEY='{{ .Data.data.${keys.secret} }}'`,
    '{{- end }}',
  ].join('\n');
}

/** The environment variables the object store jobs connect with (no credential among them). */
export function taskConnection(store: MinioCluster): Record<string, string> {
  return {
    S3_ENDPOINT: store.endpoint.url,
    S3_REGION: store.endpoint.region,
    S3_CA_FILE: `${TASK_CA_DIRECTORY}/ca.crt`,
    S3_CREDENTIALS_FILE: `${VAULT_SECRETS_DIR}/${TASK_CREDENTIALS_FILE}`,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/**
 * The buckets of one site's object store, as data, made real by a Job of
 * `object-store-jobs reconcile-buckets`: created with object lock where asked (only possible
 * at creation), versioning on, default retention and lifecycle rules (noncurrent versions
 * expired after the backup retention; MinIO has no lifecycle action for incomplete multipart
 * uploads, so the servers remove those themselves, see `MINIO_STALE_UPLOADS_EXPIRY`). The
 * Job is named after its configuration, so every apply that changes a bucket runs it; a
 * CronJob runs the same reconcile hourly and repairs drift made by hand.
 */
export class ObjectStoreBuckets extends PlatformComponent {
  public readonly namespace: string;
  public readonly buckets: readonly BucketSpec[];
  public readonly backupRetention: Duration;
  public readonly config: BucketReconcileConfig;
  /** `object-store-buckets-<hash>`: changes with the configuration and the image. */
  public readonly jobName: string;
  public readonly repairSchedule: CronSchedule;
  public readonly podLabels: Readonly<Record<string, string>>;
  public readonly consumer: VaultConsumer;
  public override readonly vaultConsumers: readonly VaultConsumer[];
  public readonly podBudget: PodBudget;
  public readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: ObjectStoreBucketsProps) {
    super(scope, id);
    const where = `ObjectStoreBuckets ${this.node.path}`;
    this.namespace = props.store.namespace;
    checkBuckets(where, props.buckets);
    const retentionDays = props.backupRetention.totalSeconds / 86_400;
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
      throw PlatformError.invalidProp(where, 'backupRetention', props.backupRetention.toString(), 'a whole number of days, at least "1d"; object-lock retention and version expiry count days');
    }
    this.buckets = props.buckets.map((bucket) => ({ ...bucket }));
    this.backupRetention = props.backupRetention;
    this.repairSchedule = CronSchedule.parse(props.repairSchedule ?? '17 * * * *', `${where}: repairSchedule`);
    const resources = props.resources ?? DEFAULT_OBJECT_STORE_TASK_RESOURCES;
    checkRequestsWithinLimits(`${where}: resources`, resources);

    this.config = {
      site: props.cluster.siteName,
      buckets: this.buckets.map((bucket) => ({
        name: bucket.name,
        versioning: true,
        objectLock: bucket.objectLock ? { mode: 'GOVERNANCE', days: retentionDays } : null,
        lifecycle: { noncurrentVersionExpirationDays: retentionDays },
      })),
    };
    const configJson = `${JSON.stringify(this.config, null, 2)}\n`;
    const image = imageReference(props.registry, 'objectStoreJobs');
    this.jobName = `${OBJECT_STORE_RECONCILER_NAME}-${createHash('sha256').update(configJson).update(image).digest('hex').slice(0, 10)}`;
    this.podLabels = { 'app.kubernetes.io/name': OBJECT_STORE_RECONCILER_NAME, 'app.kubernetes.io/component': 'object-storage' };

    const root = props.store.rootCredentials;
    this.consumer = new VaultConsumer({ serviceAccount: OBJECT_STORE_RECONCILER_NAME, namespace: this.namespace, secrets: [root] });
    this.vaultConsumers = [this.consumer];
    this.podBudget = { what: 'the bucket reconcile job', pods: 2, perPod: maxResources(`${where}: resources`, VAULT_AGENT_RESOURCES, resources) };

    const annotations = vaultAgentAnnotations({
      address: props.vault.address,
      role: this.consumer.role,
      secrets: [],
      templates: [{ file: TASK_CREDENTIALS_FILE, path: root.dataPath, template: credentialsTemplate(root.dataPath, { id: MINIO_ROOT_SECRET_KEYS.user, secret: MINIO_ROOT_SECRET_KEYS.password }) }],
      prePopulateOnly: true,
      tlsSecret: props.vault.caSecretName,
      caCertFile: VAULT_AGENT_TLS_CA_FILE,
    });
    const chart = new ObjectStoreTaskChart(new Cdk8sApp(), OBJECT_STORE_RECONCILER_NAME, {
      namespace: this.namespace,
      labels: props.cluster.labels,
      name: OBJECT_STORE_RECONCILER_NAME,
      podLabels: this.podLabels,
      podAnnotations: annotations,
      run: { kind: 'job', jobName: this.jobName, schedule: this.repairSchedule.expression, activeDeadlineSeconds: Duration.minutes(15).totalSeconds },
      priorityClassName: PRIORITY_CLASSES.criticalData.name,
      runAsUser: TASK_RUN_AS_USER,
      resources,
      initContainers: [],
      containers: [{ name: 'reconcile', image, command: ['node', 'dist/main.js', 'reconcile-buckets', '--config', `${TASK_CONFIG_DIRECTORY}/buckets.json`], env: taskConnection(props.store) }],
      config: { 'buckets.json': configJson },
      configDirectory: TASK_CONFIG_DIRECTORY,
      caCertificate: { secretName: props.store.endpoint.caSecretName, directory: TASK_CA_DIRECTORY },
      egressTo: [props.store.endpoint.peer, props.vault.peer],
      egressToAddresses: [],
    });
    this.objects = chart.toJson() as KubeObject[];
  }
}
