import { createHash } from 'crypto';
import { App as Cdk8sApp } from 'cdk8s';
import type { Construct } from 'constructs';
import { ElasticsearchSetupChart } from '../charts-ts/elasticsearch-setup-chart';
import { VAULT_AGENT_TLS_CA_FILE, VAULT_SECRETS_DIR, vaultAgentAnnotations } from '../charts-ts/vault-agent-annotations';
import type { ContainerResources } from './cert-manager-values';
import { CronSchedule } from './cron-schedule';
import { Duration } from './duration';
import { ELASTICSEARCH_SNAPSHOT_BUCKET, elasticsearchRequests, snapshotClientSettings, type ElasticsearchRequest } from './elasticsearch-configuration';
import { SETUP_SCRIPT_ENV, elasticsearchSetupScript } from './elasticsearch-setup-script';
import { ELASTICSEARCH_HTTP_PORT, LOGGING_NAMES, elasticUserSecret, elasticsearchHttpCaSecret, elasticsearchHttpService, type LogClass } from './logging-names';
import { maxResources, type PodBudget } from './namespace-budget';
import { OBJECT_STORE_USER_KEYS, type ObjectStoreUser } from './object-store-users';
import { PlatformComponent, type KubeObject } from './platform-component';
import { PlatformError } from './platform-error';
import { checkRequestsWithinLimits } from './quantities';
import type { ApiServerPeer, ObjectStoreEndpoint, VaultEndpoint } from './service-references';
import { PRIORITY_CLASSES, type SiteCluster } from './site-cluster';
import { isDnsLabel } from './tls-certificate';
import { VaultConsumer, VaultSecret } from './vault-secret';
import { VAULT_AGENT_RESOURCES } from './vault-values';
import { imageReference } from './versions';

/** Name of the setup's ServiceAccount, Role, ConfigMap, CronJob, NetworkPolicy and Vault role. */
export const ELASTICSEARCH_SETUP_NAME = 'elasticsearch-setup';
/** The Secret ECK fills Elasticsearch's keystore from (the `Elasticsearch` resource's `spec.secureSettings`). */
export const ELASTICSEARCH_SNAPSHOT_CREDENTIALS_SECRET = 'elasticsearch-snapshot-credentials';
/** The object store user Elasticsearch writes its snapshots as. */
export const ELASTICSEARCH_SNAPSHOT_USER = 'elasticsearch-snapshots';
/** ECK labels every pod of an `Elasticsearch` resource with its name. */
export const ELASTICSEARCH_CLUSTER_LABEL = 'elasticsearch.k8s.elastic.co/cluster-name';
export const DEFAULT_ELASTICSEARCH_SETUP_RESOURCES: ContainerResources = { cpuRequest: '50m', memoryRequest: '64Mi', cpuLimit: '500m', memoryLimit: '128Mi' };
/** A high user and group of the setup's own (above host UIDs): it only runs the image's sh and curl, which need no user of the image. */
const RUN_AS_USER = 10001;
/** Where the `elastic` user's password is mounted (ECK's Secret, key `elastic`). */
const ELASTIC_PASSWORD_DIRECTORY = '/etc/elasticsearch-setup/elastic';
const CONFIG_DIRECTORY = '/etc/elasticsearch-setup';
const ELASTICSEARCH_CA_DIRECTORY = '/etc/elasticsearch-ca';
const KUBERNETES_API_DIRECTORY = '/var/run/kubernetes-api';
const SNAPSHOT_KEYS_FILE = 'snapshot-keys.env';
/**
 * Asks for the cluster's health, or retries a request answered 5xx, this many times this far
 * apart before failing (15 minutes: the rolling restart that brings new snapshot keys to the nodes).
 */
const WAIT_ATTEMPTS = 90;
const WAIT_SECONDS = 10;

/**
 * The object store user of a site's Elasticsearch snapshots: read-write under its own site's
 * prefix of `es-snapshots`, read on the whole bucket (the other site's snapshots, replicated
 * there, to restore). Its keys live in Vault at `kv/<environment>/object-store/elasticsearch-snapshots`.
 * The data layer registers it with the site's `ObjectStoreUsers`; `ElasticsearchSetup` takes the same value.
 */
export function elasticsearchSnapshotUser(environmentName: string, siteName: string): ObjectStoreUser {
  return {
    name: ELASTICSEARCH_SNAPSHOT_USER,
    credentials: VaultSecret.kv(environmentName, `object-store/${ELASTICSEARCH_SNAPSHOT_USER}`),
    grants: [
      { bucket: ELASTICSEARCH_SNAPSHOT_BUCKET, prefix: `${siteName}/`, access: 'read-write' },
      { bucket: ELASTICSEARCH_SNAPSHOT_BUCKET, access: 'read' },
    ],
  };
}

/** What the setup reads of the environment's `logging` settings (the environment's `logging` fits it as is). */
export interface ElasticsearchSetupSettings {
  /** How long each class of log is kept after rollover. */
  readonly retention: Readonly<Record<LogClass, Duration>>;
  /** When snapshots are taken (five-field cron, UTC) and how long they are kept. */
  readonly snapshots: { readonly schedule: string; readonly retention: Duration };
  /** Data nodes at the site: index templates ask for a replica when there are two or more. */
  readonly elasticsearch: { readonly data: { readonly count: number } };
}

export interface ElasticsearchSetupProps {
  /** The site's cluster baseline: namespaces, labels and the site's name. */
  readonly cluster: SiteCluster;
  /** The site's in-country registry mirror: the Elasticsearch image comes from it by digest. */
  readonly registry: string;
  /** The environment (`production`): names the Vault secret of the snapshot user. */
  readonly environmentName: string;
  /** The environment's other site (`kitwe` for `lusaka`): its replicated snapshots are registered read-only here. */
  readonly otherSiteName: string;
  /** The environment's `logging` settings: retention per class, snapshots, data nodes. */
  readonly settings: ElasticsearchSetupSettings;
  /** The site's Vault: the agent reads the snapshot user's keys. */
  readonly vault: VaultEndpoint;
  /** The site's object store: the nodes' S3 client settings point at it. */
  readonly objectStore: ObjectStoreEndpoint;
  /** The snapshot user the data layer registered (`elasticsearchSnapshotUser`). */
  readonly snapshotUser: ObjectStoreUser;
  /** The API server's endpoints: the Job patches the secure settings Secret through it. */
  readonly apiServer: ApiServerPeer;
  /**
   * The `Elasticsearch` resource's name (ECK derives the Service and Secrets from it).
   * @default LOGGING_NAMES.elasticsearch ('logs')
   */
  readonly elasticsearchName?: string;
  /**
   * When the CronJob reapplies everything (a policy or template changed by hand in Kibana).
   * @default '23 * * * *'
   */
  readonly repairSchedule?: string;
  /**
   * Requests and limits of the setup container.
   * @default DEFAULT_ELASTICSEARCH_SETUP_RESOURCES
   */
  readonly resources?: ContainerResources;
}

/**
 * Elasticsearch's configuration as code at one site: a Job in Elasticsearch's namespace (run
 * at each apply that changes what it applies, and hourly by a CronJob that repairs drift) runs
 * the setup script in the Elasticsearch image: lifecycle policy and index template per log
 * class, the shared mappings, the snapshot user's keys into the keystore's Secret, the
 * `es-snapshots` repository under `<site>/`, the other site's replicated snapshots as the
 * read-only `es-snapshots-<other site>`, and the snapshot lifecycle policy. The `elastic`
 * password comes from ECK's Secret, the snapshot keys from Vault (agent, pre-populate only).
 */
export class ElasticsearchSetup extends PlatformComponent {
  public readonly namespace: string;
  public readonly siteName: string;
  /** The requests the Job makes, in order, with their exact bodies. */
  public readonly requests: readonly ElasticsearchRequest[];
  /** Name of the Job of this configuration: `elasticsearch-setup-<hash of what it applies>`. */
  public readonly jobName: string;
  public readonly image: string;
  public readonly script: string;
  public readonly podLabels: Readonly<Record<string, string>>;
  /** The Secret for the `Elasticsearch` resource's `spec.secureSettings` (`s3.client.default.access_key`, `.secret_key`). */
  public readonly secureSettingsSecret: string;
  /** The S3 client settings every Elasticsearch node needs in its `config` (endpoint, protocol, path style, region). */
  public readonly snapshotClientSettings: Readonly<Record<string, string | boolean>>;
  /** The Secret (in the namespace) holding the object store's CA as `ca.crt`: Elasticsearch's JVM must trust it to reach MinIO. */
  public readonly objectStoreCaSecret: string;
  public readonly snapshotUser: ObjectStoreUser;
  public readonly consumer: VaultConsumer;
  public override readonly vaultConsumers: readonly VaultConsumer[];
  public readonly resources: ContainerResources;
  /** The Job's pod and the CronJob's, which can overlap; each the larger of the Vault agent's init container and the setup container. */
  public readonly podBudget: PodBudget;
  public readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: ElasticsearchSetupProps) {
    super(scope, id);
    const where = `ElasticsearchSetup ${this.node.path}`;
    this.namespace = props.cluster.namespaces.observability;
    this.siteName = props.cluster.siteName;
    if (!isDnsLabel(props.environmentName)) {
      throw PlatformError.invalidProp(where, 'environmentName', props.environmentName, 'a lower-case environment name, e.g. "production"');
    }
    if (!isDnsLabel(props.otherSiteName) || props.otherSiteName === this.siteName) {
      throw PlatformError.invalidProp(where, 'otherSiteName', props.otherSiteName, `the environment's other site, a lower-case name other than "${this.siteName}"`);
    }
    const elasticsearchName = props.elasticsearchName ?? LOGGING_NAMES.elasticsearch;
    if (!isDnsLabel(elasticsearchName)) {
      throw PlatformError.invalidProp(where, 'elasticsearchName', elasticsearchName, 'the Elasticsearch resource\'s name, a lower-case DNS label such as "logs"');
    }
    const ownPrefix = `${this.siteName}/`;
    const writesOwnPrefix = props.snapshotUser.grants.some((grant) => grant.bucket === ELASTICSEARCH_SNAPSHOT_BUCKET && grant.prefix === ownPrefix && grant.access === 'read-write');
    if (!writesOwnPrefix) {
      const granted = props.snapshotUser.grants.map((grant) => `${grant.access} ${grant.bucket}/${grant.prefix ?? ''}`).join(', ');
      throw PlatformError.invalidProp(where, 'snapshotUser.grants', granted, `a "read-write" grant on bucket "${ELASTICSEARCH_SNAPSHOT_BUCKET}" under prefix "${ownPrefix}", where this site's repository writes (elasticsearchSnapshotUser)`);
    }
    if (!/^https:\/\//.test(props.vault.address)) {
      throw PlatformError.invalidProp(where, 'vault.address', props.vault.address, 'an https:// URL; the agent fetches the snapshot keys from it');
    }
    this.snapshotUser = props.snapshotUser;
    this.resources = props.resources ?? DEFAULT_ELASTICSEARCH_SETUP_RESOURCES;
    checkRequestsWithinLimits(`${where}: resources`, this.resources);
    const repair = CronSchedule.parse(props.repairSchedule ?? '23 * * * *', `${where}: repairSchedule`);

    this.requests = elasticsearchRequests(
      { siteName: this.siteName, otherSiteName: props.otherSiteName, retention: props.settings.retention, snapshots: props.settings.snapshots, dataNodes: props.settings.elasticsearch.data.count },
      `${where}: settings`,
    );
    this.secureSettingsSecret = ELASTICSEARCH_SNAPSHOT_CREDENTIALS_SECRET;
    this.snapshotClientSettings = snapshotClientSettings(props.objectStore);
    this.objectStoreCaSecret = props.objectStore.caSecretName;
    this.script = elasticsearchSetupScript({
      requests: this.requests,
      secureSettingsSecret: { namespace: this.namespace, name: this.secureSettingsSecret },
      keysBefore: `_snapshot/${LOGGING_NAMES.snapshotRepository}`,
    });
    this.image = imageReference(props.registry, 'elasticsearch');
    const config = Object.fromEntries(this.requests.map((request) => [request.file, `${JSON.stringify(request.body, null, 2)}\n`]));
    this.jobName = `${ELASTICSEARCH_SETUP_NAME}-${createHash('sha256').update(JSON.stringify(config)).update(this.script).update(this.image).digest('hex').slice(0, 10)}`;

    this.podLabels = { 'app.kubernetes.io/name': ELASTICSEARCH_SETUP_NAME, 'app.kubernetes.io/component': 'logging' };
    this.consumer = new VaultConsumer({ serviceAccount: ELASTICSEARCH_SETUP_NAME, namespace: this.namespace, secrets: [props.snapshotUser.credentials] });
    this.vaultConsumers = [this.consumer];
    this.podBudget = { what: 'the Elasticsearch setup job', pods: 2, perPod: maxResources(`${where}: resources`, VAULT_AGENT_RESOURCES, this.resources) };

    const credentials = props.snapshotUser.credentials;
    const chart = new ElasticsearchSetupChart(new Cdk8sApp(), ELASTICSEARCH_SETUP_NAME, {
      namespace: this.namespace,
      labels: { ...props.cluster.labels, 'app.kubernetes.io/component': 'logging' },
      name: ELASTICSEARCH_SETUP_NAME,
      jobName: this.jobName,
      repairSchedule: repair.expression,
      // Two waits of 15 minutes at most (the cluster's health, the repository while new keys roll out), and the requests.
      activeDeadlineSeconds: Duration.minutes(40).totalSeconds,
      podLabels: this.podLabels,
      podAnnotations: vaultAgentAnnotations({
        address: props.vault.address,
        role: this.consumer.role,
        secrets: [],
        templates: [
          {
            file: SNAPSHOT_KEYS_FILE,
            path: credentials.dataPath,
            // Base64, as a Secret's data holds them: the script copies them into JSON unchanged.
            template: [
              `{{- with secret "${credentials.dataPath}" -}}`,
              `ACCESS_KEY_B64='{{ .Data.data.${OBJECT_STORE_USER_KEYS.accessKeyId} | base64Encode }}'`,
              `SECRET_KEY_B64='{{ .Data.data.${OBJECT_STORE_USER_KEYS.secretAccessKey} | base64Encode }}'`,
              '{{- end }}',
            ].join('\n'),
          },
        ],
        prePopulateOnly: true,
        tlsSecret: props.vault.caSecretName,
        caCertFile: VAULT_AGENT_TLS_CA_FILE,
      }),
      priorityClassName: PRIORITY_CLASSES.platform.name,
      runAsUser: RUN_AS_USER,
      resources: this.resources,
      image: this.image,
      script: this.script,
      env: {
        [SETUP_SCRIPT_ENV.elasticsearchUrl]: `https://${elasticsearchHttpService(elasticsearchName)}.${this.namespace}.svc:${ELASTICSEARCH_HTTP_PORT}`,
        [SETUP_SCRIPT_ENV.elasticsearchCaFile]: `${ELASTICSEARCH_CA_DIRECTORY}/ca.crt`,
        [SETUP_SCRIPT_ENV.waitAttempts]: String(WAIT_ATTEMPTS),
        [SETUP_SCRIPT_ENV.waitSeconds]: String(WAIT_SECONDS),
        [SETUP_SCRIPT_ENV.configDirectory]: CONFIG_DIRECTORY,
        [SETUP_SCRIPT_ENV.kubernetesApi]: 'https://kubernetes.default.svc',
        [SETUP_SCRIPT_ENV.kubernetesCaFile]: `${KUBERNETES_API_DIRECTORY}/ca.crt`,
        [SETUP_SCRIPT_ENV.kubernetesTokenFile]: `${KUBERNETES_API_DIRECTORY}/token`,
        [SETUP_SCRIPT_ENV.snapshotKeysFile]: `${VAULT_SECRETS_DIR}/${SNAPSHOT_KEYS_FILE}`,
        [SETUP_SCRIPT_ENV.elasticPasswordFile]: `${ELASTIC_PASSWORD_DIRECTORY}/elastic`,
        HOME: '/tmp',
      },
      elasticPassword: { secretName: elasticUserSecret(elasticsearchName), key: 'elastic', directory: ELASTIC_PASSWORD_DIRECTORY },
      config,
      configDirectory: CONFIG_DIRECTORY,
      elasticsearchCa: { secretName: elasticsearchHttpCaSecret(elasticsearchName), directory: ELASTICSEARCH_CA_DIRECTORY },
      kubernetesApiDirectory: KUBERNETES_API_DIRECTORY,
      secureSettingsSecret: this.secureSettingsSecret,
      egressTo: [
        { namespace: this.namespace, podLabels: { [ELASTICSEARCH_CLUSTER_LABEL]: elasticsearchName }, port: ELASTICSEARCH_HTTP_PORT },
        props.vault.peer,
      ],
      apiServer: props.apiServer,
    });
    this.objects = chart.toJson() as KubeObject[];
  }
}
