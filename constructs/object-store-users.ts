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
import { BUCKET_NAME_ALLOWED, isBucketName } from './object-store-bucket';
import { DEFAULT_OBJECT_STORE_TASK_RESOURCES, TASK_CA_DIRECTORY, TASK_CONFIG_DIRECTORY, TASK_RUN_AS_USER } from './object-store-buckets';
import { PlatformComponent, type KubeObject } from './platform-component';
import { PlatformError, formatValue } from './platform-error';
import type { VaultEndpoint } from './service-references';
import { PRIORITY_CLASSES, type SiteCluster } from './site-cluster';
import { isDnsLabel } from './tls-certificate';
import { VaultConsumer, type VaultSecret } from './vault-secret';
import { VAULT_AGENT_RESOURCES } from './vault-values';
import { imageReference } from './versions';

/** What a user may do in one bucket (or under one prefix of it). */
export type BucketAccess = 'read' | 'read-write' | 'heartbeat' | 'replication-target';

/** One grant of an object store user. */
export interface BucketGrant {
  readonly bucket: string;
  /** Only keys under this prefix (`lusaka/`, `.lms-heartbeat/`); the whole bucket when absent. */
  readonly prefix?: string;
  readonly access: BucketAccess;
}

/**
 * A workload's own MinIO user: its access key and secret key live in a Vault KV secret (keys
 * `access_key_id`, `secret_access_key`) that the workload reads, and the store's users Job
 * creates the user with exactly these grants.
 */
export interface ObjectStoreUser {
  /** The user's name, a DNS label: names its policy (`lms-<name>`). */
  readonly name: string;
  readonly credentials: VaultSecret;
  readonly grants: readonly BucketGrant[];
}

/** Keys of every object store user's Vault secret. */
export const OBJECT_STORE_USER_KEYS = { accessKeyId: 'access_key_id', secretAccessKey: 'secret_access_key' } as const;

export interface ObjectStoreUsersProps {
  readonly cluster: SiteCluster;
  /** The site's MinIO: users are created there with its root credentials. */
  readonly store: MinioCluster;
  readonly registry: string;
  readonly vault: VaultEndpoint;
  /** The users, each once. */
  readonly users: readonly ObjectStoreUser[];
  /**
   * When the CronJob repairs drift (a user deleted or a policy changed by hand).
   * @default '37 * * * *'
   */
  readonly repairSchedule?: string;
}

export const OBJECT_STORE_USERS_NAME = 'object-store-users';

/** S3 actions per access, as MinIO's IAM policies name them. */
const BUCKET_ACTIONS: Record<BucketAccess, readonly string[]> = {
  read: ['s3:GetBucketLocation', 's3:ListBucket'],
  'read-write': ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
  // The replication heartbeat: it reads the bucket's lock setting to give each heartbeat a short retention of its own.
  heartbeat: ['s3:GetBucketLocation', 's3:GetBucketObjectLockConfiguration', 's3:ListBucket'],
  // What another site's MinIO needs to replicate into a bucket (MinIO's replication guide).
  'replication-target': [
    's3:GetBucketLocation',
    's3:GetBucketObjectLockConfiguration',
    's3:GetBucketVersioning',
    's3:GetEncryptionConfiguration',
    's3:GetReplicationConfiguration',
    's3:ListBucket',
    's3:ListBucketMultipartUploads',
  ],
};
const OBJECT_ACTIONS: Record<BucketAccess, readonly string[]> = {
  read: ['s3:GetObject'],
  'read-write': ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
  heartbeat: ['s3:GetObject', 's3:PutObject', 's3:PutObjectRetention'],
  'replication-target': [
    's3:AbortMultipartUpload',
    's3:DeleteObject',
    's3:GetObject',
    's3:GetObjectVersion',
    's3:GetObjectVersionTagging',
    's3:GetReplicationConfiguration',
    's3:PutObject',
    's3:PutObjectLegalHold',
    's3:PutObjectRetention',
    's3:ReplicateDelete',
    's3:ReplicateObject',
    's3:ReplicateTags',
  ],
};

/** The IAM policy document of a user: one statement per grant for the bucket, one for its objects. */
export function userPolicy(user: ObjectStoreUser): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: user.grants.flatMap((grant) => [
      {
        Effect: 'Allow',
        Action: [...BUCKET_ACTIONS[grant.access]],
        Resource: [`arn:aws:s3:::${grant.bucket}`],
        ...(grant.prefix !== undefined && grant.access !== 'replication-target' && grant.access !== 'heartbeat' ? { Condition: { StringLike: { 's3:prefix': [`${grant.prefix}*`] } } } : {}),
      },
      { Effect: 'Allow', Action: [...OBJECT_ACTIONS[grant.access]], Resource: [`arn:aws:s3:::${grant.bucket}/${grant.prefix ?? ''}*`] },
    ]),
  };
}

/**
 * The MinIO users of one site's store, as data: each workload's own user with a policy of
 * exactly its grants, its keys read from Vault (never in the spec or the plan). A Job (`mc
 * admin`, named after the policies and users) creates or updates them at every apply that
 * changes them, and an hourly CronJob repairs drift.
 */
export class ObjectStoreUsers extends PlatformComponent {
  public readonly namespace: string;
  public readonly users: readonly ObjectStoreUser[];
  public readonly jobName: string;
  public readonly consumer: VaultConsumer;
  public override readonly vaultConsumers: readonly VaultConsumer[];
  public readonly podBudget: PodBudget;
  public readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: ObjectStoreUsersProps) {
    super(scope, id);
    const where = `ObjectStoreUsers ${this.node.path}`;
    this.namespace = props.store.namespace;
    if (props.users.length === 0) throw PlatformError.invalidProp(where, 'users', props.users, 'one or more users');
    props.users.forEach((user, index) => {
      if (!isDnsLabel(user.name) || props.users.findIndex((other) => other.name === user.name) !== index) {
        throw PlatformError.invalidProp(where, `users[${index}].name`, user.name, 'a DNS label, each user once');
      }
      if (user.grants.length === 0) throw PlatformError.invalidProp(where, `users[${index}].grants`, user.grants, 'one or more grants');
      user.grants.forEach((grant, grantIndex) => {
        if (!isBucketName(grant.bucket)) throw PlatformError.invalidProp(where, `users[${index}].grants[${grantIndex}].bucket`, grant.bucket, BUCKET_NAME_ALLOWED);
        if (grant.prefix !== undefined && !/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*\/$/.test(grant.prefix)) {
          throw PlatformError.invalidProp(where, `users[${index}].grants[${grantIndex}].prefix`, grant.prefix, 'a key prefix ending in "/", without wildcards, e.g. "lusaka/"');
        }
        if (!(grant.access in BUCKET_ACTIONS)) {
          throw new PlatformError(`${where}: users[${index}].grants[${grantIndex}].access: ${formatValue(grant.access)} is not allowed (allowed: ${Object.keys(BUCKET_ACTIONS).map((access) => `"${access}"`).join(', ')})`);
        }
      });
    });
    this.users = props.users.map((user) => ({ ...user, grants: user.grants.map((grant) => ({ ...grant })) }));
    const repair = CronSchedule.parse(props.repairSchedule ?? '37 * * * *', `${where}: repairSchedule`);

    const root = props.store.rootCredentials;
    this.consumer = new VaultConsumer({ serviceAccount: OBJECT_STORE_USERS_NAME, namespace: this.namespace, secrets: [root, ...uniqueSecrets(this.users.map((user) => user.credentials))] });
    this.vaultConsumers = [this.consumer];
    const resources: ContainerResources = DEFAULT_OBJECT_STORE_TASK_RESOURCES;
    this.podBudget = { what: 'the object store users job', pods: 2, perPod: maxResources(`${where}: resources`, VAULT_AGENT_RESOURCES, resources) };

    const config = Object.fromEntries(this.users.map((user) => [`lms-${user.name}.json`, `${JSON.stringify(userPolicy(user), null, 2)}\n`]));
    const storeHost = new URL(props.store.endpoint.url).host;
    const script = usersScript(this.users.map((user) => user.name));
    const image = imageReference(props.registry, 'minioClient');
    this.jobName = `${OBJECT_STORE_USERS_NAME}-${createHash('sha256').update(JSON.stringify(config)).update(script).update(image).digest('hex').slice(0, 10)}`;

    const chart = new ObjectStoreTaskChart(new Cdk8sApp(), OBJECT_STORE_USERS_NAME, {
      namespace: this.namespace,
      labels: props.cluster.labels,
      name: OBJECT_STORE_USERS_NAME,
      podLabels: { 'app.kubernetes.io/name': OBJECT_STORE_USERS_NAME, 'app.kubernetes.io/component': 'object-storage' },
      podAnnotations: vaultAgentAnnotations({
        address: props.vault.address,
        role: this.consumer.role,
        secrets: [],
        templates: [
          {
            file: 'admin.env',
            path: root.dataPath,
            template: [
              `{{- with secret "${root.dataPath}" -}}`,
              `export MC_HOST_site='https://{{ .Data.data.${MINIO_ROOT_SECRET_KEYS.user} | urlquery }}:{{ .Data.data.${MINIO_ROOT_SECRET_KEYS.password} | urlquery }}@${storeHost}'`,
              '{{- end }}',
            ].join('\n'),
          },
          ...this.users.map((user) => ({
            file: `user-${user.name}.env`,
            path: user.credentials.dataPath,
            template: [
              `{{- with secret "${user.credentials.dataPath}" -}}`,
              `export ACCESS_KEY='{{ .Data.data.${OBJECT_STORE_USER_KEYS.accessKeyId} }}'`,
              `export SECRET_KEY='{{ .Data.data.${OBJECT_STORE_USER_KEYS.secretAccessKey} }}'`,
              '{{- end }}',
            ].join('\n'),
          })),
        ],
        prePopulateOnly: true,
        tlsSecret: props.vault.caSecretName,
        caCertFile: VAULT_AGENT_TLS_CA_FILE,
      }),
      run: { kind: 'job', jobName: this.jobName, schedule: repair.expression, activeDeadlineSeconds: Duration.minutes(15).totalSeconds },
      priorityClassName: PRIORITY_CLASSES.criticalData.name,
      runAsUser: TASK_RUN_AS_USER,
      resources,
      initContainers: [],
      containers: [{ name: 'users', image, command: ['/bin/sh', '-c', script], env: { HOME: '/tmp' } }],
      config,
      configDirectory: TASK_CONFIG_DIRECTORY,
      caCertificate: { secretName: props.store.endpoint.caSecretName, directory: TASK_CA_DIRECTORY },
      egressTo: [props.store.endpoint.peer, props.vault.peer],
      egressToAddresses: [],
    });
    this.objects = chart.toJson() as KubeObject[];
  }
}

function uniqueSecrets(secrets: readonly VaultSecret[]): VaultSecret[] {
  return secrets.filter((secret, index) => secrets.findIndex((other) => other.dataPath === secret.dataPath) === index);
}

/**
 * The users script (POSIX sh, in the mc image): for each user, writes its policy, adds the
 * user with the keys Vault holds (an existing user gets its secret key reset to Vault's), and
 * attaches the policy unless it is attached. Keys are read from the agent's files and never
 * printed.
 */
export function usersScript(names: readonly string[]): string {
  return [
    'set -eu',
    `. ${VAULT_SECRETS_DIR}/admin.env`,
    'mkdir -p "$HOME/mc/certs/CAs"',
    `cp ${TASK_CA_DIRECTORY}/ca.crt "$HOME/mc/certs/CAs/site-ca.crt"`,
    'mc() { command mc --config-dir "$HOME/mc" --quiet "$@"; }',
    `for user in ${names.join(' ')}; do`,
    `  . "${VAULT_SECRETS_DIR}/user-$user.env"`,
    `  mc admin policy create site "lms-$user" "${TASK_CONFIG_DIRECTORY}/lms-$user.json" >/dev/null`,
    '  mc admin user add site "$ACCESS_KEY" "$SECRET_KEY" >/dev/null',
    '  if ! out="$(mc admin policy attach site "lms-$user" --user "$ACCESS_KEY" 2>&1)"; then',
    '    case "$out" in',
    '      *"already in effect"*) ;;',
    '      *) echo "$user: attaching policy lms-$user failed" >&2; exit 1 ;;',
    '    esac',
    '  fi',
    '  echo "$user: policy lms-$user"',
    'done',
  ].join('\n');
}
