import { App as Cdk8sApp } from 'cdk8s';
import type { Construct } from 'constructs';
import { VAULT_SECRETS_DIR, vaultAgentAnnotations } from '../charts-ts/vault-agent-annotations';
import { VaultSnapshotsChart } from '../charts-ts/vault-snapshots-chart';
import type { ContainerResources } from './cert-manager-values';
import { CronSchedule } from './cron-schedule';
import { Duration } from './duration';
import { PlatformComponent, type KubeObject } from './platform-component';
import { PlatformError } from './platform-error';
import { checkRequestsWithinLimits } from './quantities';
import type { RunbookContributor, RunbookStep } from './runbook-step';
import type { ObjectStoreEndpoint } from './service-references';
import { PRIORITY_CLASSES, type SiteCluster } from './site-cluster';
import { isDnsLabel } from './tls-certificate';
import type { VaultClusterEndpoint, VaultUnseal } from './vault-cluster';
import { vaultSnapshotRunbookSteps } from './vault-snapshots-runbook';
import { VaultConsumer, VaultSecret, VaultSystemPath } from './vault-secret';
import { imageReference } from './versions';
import { maxResources, type PodBudget } from './namespace-budget';
import { VAULT_AGENT_RESOURCES } from './vault-values';

/** What the snapshot job needs of the site's Vault: `VaultCluster` has all of it. */
export interface VaultSnapshotSource {
  /** Vault's namespace: the job runs there. */
  readonly namespace: string;
  /** Where the job reaches Vault, and its servers' pods. */
  readonly endpoint: VaultClusterEndpoint;
  /** The server image: the job runs its `vault` CLI. */
  readonly images: { readonly server: string };
  /** The server pods' labels. */
  readonly podLabels: { readonly server: Readonly<Record<string, string>> };
  /** The servers' certificate: the job mounts the `ca.crt` of its Secret (same namespace) to verify Vault's TLS. */
  readonly certificate: { readonly secretName: string; readonly namespace: string };
  /** Servers in the Raft cluster: the runbook checks each. */
  readonly replicas: number;
  /** How the servers are unsealed: what the runbook says happens after a restore. */
  readonly unseal: VaultUnseal;
}

export interface VaultSnapshotsProps {
  /** The site's cluster baseline: labels and the site's name come from it. */
  readonly cluster: SiteCluster;
  /** The site's Vault (a `VaultCluster`). */
  readonly vault: VaultSnapshotSource;
  /** The site's in-country registry mirror: both images come from it by digest. */
  readonly registry: string;
  /** The environment (`production`): the job's KV secret is `kv/<environment>/vault-snapshot`. */
  readonly environmentName: string;
  /** The site's role: a disaster-recovery site's runbook steps restore the primary's snapshots at failover, a primary's restore the other site's at fail back. */
  readonly siteRole: 'primary' | 'disaster-recovery';
  /** The environment's other site (`kitwe` for `lusaka`): its snapshots reach this site's bucket under `<otherSiteName>/`. */
  readonly otherSiteName: string;
  /** When a snapshot is saved: the environment's `vault.snapshotSchedule`, five-field cron in the cluster's time zone. */
  readonly schedule: string;
  /** The site's object store (S3 API over https, reached in-cluster). */
  readonly objectStore: ObjectStoreEndpoint;
  /**
   * The bucket snapshots go to; replicated to the other site.
   * @default 'vault-snapshots'
   */
  readonly bucket?: string;
  /**
   * Requests and limits of each of the job's two containers.
   * @default DEFAULT_VAULT_SNAPSHOT_RESOURCES
   */
  readonly resources?: ContainerResources;
  /**
   * Longest a run may take before Kubernetes stops it; at most the schedule's shortest
   * interval, so one run never delays the next.
   * @default Duration.minutes(10)
   */
  readonly activeDeadline?: Duration;
  /**
   * Size limit of the volume the snapshot is saved to before upload: larger than the Raft data.
   * @default '2Gi'
   */
  readonly snapshotVolumeSize?: string;
}

/** Name of the ServiceAccount, CronJob, NetworkPolicy, Vault role and policy. */
export const VAULT_SNAPSHOT_NAME = 'vault-snapshot';
/** The bucket snapshots go to, replicated between the sites. */
export const DEFAULT_VAULT_SNAPSHOT_BUCKET = 'vault-snapshots';
/** Keys of the KV secret `kv/<environment>/vault-snapshot`: the object store access key of the job. */
export const VAULT_SNAPSHOT_SECRET_KEYS = { accessKeyId: 'access_key_id', secretAccessKey: 'secret_access_key' } as const;
/** The Raft snapshot endpoint the job reads (`vault operator raft snapshot save`). */
export const RAFT_SNAPSHOT_PATH = 'sys/storage/raft/snapshot';
export const DEFAULT_VAULT_SNAPSHOT_RESOURCES: ContainerResources = { cpuRequest: '50m', memoryRequest: '64Mi', cpuLimit: '500m', memoryLimit: '256Mi' };
/** The file the Vault agent renders the object store credentials into (`MC_HOST_<alias>`), and the mc alias. */
export const OBJECT_STORE_FILE = 'object-store.env';
const MC_ALIAS = 'snapshots';
/**
 * A high user and group of no image (both the Vault CLI and mc run as any user; their
 * only files are on the pod's own volumes), apart from every host account.
 */
const RUN_AS_USER = 10001;
const RUN_AS_GROUP = 10001;
const SNAPSHOT_DIRECTORY = '/snapshots';
const CA_DIRECTORY = '/vault/ca';
const IN_CLUSTER_HOST = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)\.([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)\.svc\.cluster\.local$/;

/**
 * Raft snapshots of one site's Vault, on the environment's schedule, into the replicated
 * `vault-snapshots` bucket of the site's object store under `<site>/vault-<UTC time>.snap`:
 * what the other site restores after losing this one. A CronJob in Vault's namespace whose
 * pod gets a Vault token and the object store's key from the Vault agent only (no secret in
 * the spec), saves with the `vault` CLI and uploads with `mc`. Its `consumer` is what the
 * site's Vault configuration turns into the `vault-snapshot` role and policy.
 */
export class VaultSnapshots extends PlatformComponent implements RunbookContributor {
  public readonly namespace: string;
  public readonly siteName: string;
  public readonly schedule: CronSchedule;
  /** The most data a restore from the newest snapshot can miss: the schedule's longest interval (plus replication lag). */
  public readonly worstCaseDataLoss: Duration;
  public readonly bucket: string;
  /** `lusaka/`: where this site's snapshots go in the bucket. */
  public readonly keyPrefix: string;
  public readonly images: Readonly<{ vault: string; minioClient: string }>;
  public readonly podLabels: Readonly<Record<string, string>>;
  public readonly resources: ContainerResources;
  /**
   * What its one pod at a time takes from the namespace's quota: the larger of its init
   * containers (the Vault agent's, the snapshot's) and its upload container.
   */
  public readonly podBudget: PodBudget;
  public readonly activeDeadline: Duration;
  /** The Vault role and policy the job needs: read its KV secret and the Raft snapshot endpoint. */
  public readonly consumer: VaultConsumer;
  /** `kv/<environment>/vault-snapshot`: the job's object store user (`access_key_id`, `secret_access_key`). */
  public readonly objectStoreCredentials: VaultSecret;
  public override readonly vaultConsumers: readonly VaultConsumer[];
  public readonly runbookSteps: readonly RunbookStep[];
  public readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: VaultSnapshotsProps) {
    super(scope, id);
    const where = `VaultSnapshots ${this.node.path}`;
    const vault = props.vault;
    this.namespace = vault.namespace;
    this.siteName = props.cluster.siteName;
    if (!isDnsLabel(props.environmentName)) {
      throw PlatformError.invalidProp(where, 'environmentName', props.environmentName, 'a lower-case environment name, e.g. "production"');
    }
    if (!isDnsLabel(props.otherSiteName) || props.otherSiteName === this.siteName) {
      throw PlatformError.invalidProp(where, 'otherSiteName', props.otherSiteName, `the environment's other site, a lower-case name other than "${this.siteName}"`);
    }
    if (props.siteRole !== 'primary' && props.siteRole !== 'disaster-recovery') {
      throw PlatformError.invalidProp(where, 'siteRole', props.siteRole, '"primary" or "disaster-recovery"');
    }
    this.schedule = CronSchedule.parse(props.schedule, `${where}: schedule`);
    this.worstCaseDataLoss = this.schedule.longestInterval;
    this.bucket = props.bucket ?? DEFAULT_VAULT_SNAPSHOT_BUCKET;
    if (!isBucketName(this.bucket)) {
      throw PlatformError.invalidProp(
        where,
        'bucket',
        props.bucket,
        'an S3 bucket name: 3-63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit, no "..", not shaped like an IP address',
      );
    }
    this.keyPrefix = `${this.siteName}/`;
    const store = parseStoreUrl(props.objectStore.url);
    if (store === undefined) {
      throw PlatformError.invalidProp(where, 'objectStore.url', props.objectStore.url, 'an https:// URL of the store\'s in-cluster Service, "https://<service>.<namespace>.svc.cluster.local[:port]"');
    }
    if (!/^https:\/\//.test(vault.endpoint.address)) {
      throw PlatformError.invalidProp(where, 'vault.endpoint.address', vault.endpoint.address, 'an https:// URL; the snapshot holds every secret and travels encrypted');
    }
    if (vault.certificate.namespace !== vault.namespace || vault.endpoint.peer.namespace !== vault.namespace) {
      throw PlatformError.invalidProp(where, 'vault.certificate.namespace', vault.certificate.namespace, `Vault's namespace "${vault.namespace}": the job mounts the CA certificate of the servers' Secret there`);
    }
    this.resources = props.resources ?? DEFAULT_VAULT_SNAPSHOT_RESOURCES;
    checkRequestsWithinLimits(`${where}: resources`, this.resources);
    this.podBudget = { what: 'the Vault snapshot job', pods: 1, perPod: maxResources(`${where}: resources`, VAULT_AGENT_RESOURCES, this.resources) };
    this.activeDeadline = props.activeDeadline ?? Duration.minutes(10);
    if (this.activeDeadline.isLongerThan(this.schedule.shortestInterval)) {
      throw PlatformError.invalidProp(where, 'activeDeadline', this.activeDeadline.toString(), `at most the shortest interval of schedule "${this.schedule}" (${this.schedule.shortestInterval}), so one run never delays the next`);
    }
    const volumeSize = props.snapshotVolumeSize ?? '2Gi';
    if (!/^[1-9][0-9]*(Mi|Gi)$/.test(volumeSize)) {
      throw PlatformError.invalidProp(where, 'snapshotVolumeSize', volumeSize, 'a whole number of Mi or Gi, e.g. "2Gi"');
    }

    this.images = { vault: vault.images.server, minioClient: imageReference(props.registry, 'minioClient') };
    this.podLabels = { 'app.kubernetes.io/name': VAULT_SNAPSHOT_NAME, 'app.kubernetes.io/component': 'backup' };
    const secret = VaultSecret.kv(props.environmentName, VAULT_SNAPSHOT_NAME);
    this.objectStoreCredentials = secret;
    this.consumer = new VaultConsumer({
      serviceAccount: VAULT_SNAPSHOT_NAME,
      namespace: this.namespace,
      secrets: [secret],
      systemPaths: [VaultSystemPath.of(RAFT_SNAPSHOT_PATH, ['read'])],
    });
    this.vaultConsumers = [this.consumer];

    const caFile = `${CA_DIRECTORY}/ca.crt`;
    const storeHostPort = `${store.host}:${store.port}`;
    const annotations = vaultAgentAnnotations({
      address: vault.endpoint.address,
      role: this.consumer.role,
      secrets: [],
      templates: [
        {
          file: OBJECT_STORE_FILE,
          path: secret.dataPath,
          // URL-escaped: the key and secret sit in the userinfo of mc's MC_HOST_<alias> URL.
          template: [
            `{{- with secret "${secret.dataPath}" -}}`,
            `export MC_HOST_${MC_ALIAS}='https://{{ .Data.data.${VAULT_SNAPSHOT_SECRET_KEYS.accessKeyId} | urlquery }}:{{ .Data.data.${VAULT_SNAPSHOT_SECRET_KEYS.secretAccessKey} | urlquery }}@${storeHostPort}'`,
            '{{- end }}',
          ].join('\n'),
        },
      ],
      prePopulateOnly: true,
      injectToken: true,
      caCertFile: caFile,
      copyVolumeMountsFrom: 'snapshot',
    });
    const snapshotScript = [
      'set -eu',
      `VAULT_TOKEN="$(cat ${VAULT_SECRETS_DIR}/token)"`,
      'export VAULT_TOKEN',
      `file="${SNAPSHOT_DIRECTORY}/vault-$(date -u +%Y%m%dT%H%M%SZ).snap"`,
      'vault operator raft snapshot save "$file"',
      'vault operator raft snapshot inspect "$file" >/dev/null',
    ].join('\n');
    const target = `${MC_ALIAS}/${this.bucket}/${this.keyPrefix}`;
    const uploadScript = [
      'set -eu',
      `. ${VAULT_SECRETS_DIR}/${OBJECT_STORE_FILE}`,
      'mkdir -p /scratch/mc/certs/CAs',
      `cp ${caFile} /scratch/mc/certs/CAs/site-ca.crt`,
      `set -- ${SNAPSHOT_DIRECTORY}/vault-*.snap`,
      'test -f "$1"',
      `mc --config-dir /scratch/mc cp --quiet "$1" "${target}\${1##*/}"`,
    ].join('\n');

    const chart = new VaultSnapshotsChart(new Cdk8sApp(), 'vault-snapshots', {
      namespace: this.namespace,
      labels: { ...props.cluster.labels, 'app.kubernetes.io/component': 'backup' },
      name: VAULT_SNAPSHOT_NAME,
      podLabels: this.podLabels,
      podAnnotations: annotations,
      schedule: this.schedule.expression,
      // A run that cannot start within this (API server or controller down) is skipped, not queued.
      startingDeadlineSeconds: Math.min(300, this.schedule.shortestInterval.totalSeconds),
      activeDeadlineSeconds: this.activeDeadline.totalSeconds,
      backoffLimit: 2,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      priorityClassName: PRIORITY_CLASSES.platform.name,
      runAsUser: RUN_AS_USER,
      runAsGroup: RUN_AS_GROUP,
      resources: this.resources,
      snapshot: { name: 'snapshot', image: this.images.vault, script: snapshotScript, env: { VAULT_ADDR: vault.endpoint.address, VAULT_CACERT: caFile, HOME: '/scratch' } },
      upload: { name: 'upload', image: this.images.minioClient, script: uploadScript, env: { HOME: '/scratch' } },
      snapshotDirectory: SNAPSHOT_DIRECTORY,
      snapshotVolumeSize: volumeSize,
      caCertificate: { secretName: vault.certificate.secretName, directory: CA_DIRECTORY },
      vault: vault.endpoint.peer,
      objectStore: props.objectStore.peer,
    });
    this.objects = chart.toJson() as KubeObject[];

    this.runbookSteps = vaultSnapshotRunbookSteps({
      procedure: props.siteRole === 'disaster-recovery' ? 'failover' : 'fail-back',
      environmentName: props.environmentName,
      restoreAt: this.siteName,
      snapshotsOf: props.otherSiteName,
      namespace: this.namespace,
      bucket: this.bucket,
      store: { service: store.service, namespace: store.namespace, host: store.host, port: store.port },
      caSecret: vault.certificate.secretName,
      kvSecret: secret.toString(),
      secretKeys: VAULT_SNAPSHOT_SECRET_KEYS,
      role: this.consumer.role,
      serviceAccount: this.consumer.serviceAccount,
      replicas: vault.replicas,
      unseal: vault.unseal,
      schedule: this.schedule.expression,
      worstCaseDataLoss: this.worstCaseDataLoss,
    });
  }
}

/** S3 bucket naming rules (the AWS general-purpose rules MinIO follows). */
function isBucketName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/.test(name) &&
    !name.startsWith('xn--') &&
    !name.endsWith('-s3alias')
  );
}

function parseStoreUrl(url: unknown): { service: string; namespace: string; host: string; port: number } | undefined {
  if (typeof url !== 'string') return undefined;
  const match = /^https:\/\/([a-z0-9.-]+)(?::([0-9]{1,5}))?\/?$/.exec(url);
  const host = match?.[1];
  const inCluster = host === undefined ? null : IN_CLUSTER_HOST.exec(host);
  if (!match || !host || !inCluster) return undefined;
  const port = match[2] === undefined ? 443 : Number(match[2]);
  if (port < 1 || port > 65535) return undefined;
  return { service: inCluster[1], namespace: inCluster[3], host, port };
}

