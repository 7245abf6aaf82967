import { App as Cdk8sApp } from 'cdk8s';
import type { Construct } from 'constructs';
import { LoggingChart, type LoggingContainerResources } from '../charts-ts/logging-chart';
import { PodPoliciesChart, type PodPeer, type PodPolicy } from '../charts-ts/pod-policies-chart';
import { KIBANA_HTTP_PORT, LOGSTASH_API_PORT, eckPodLabels } from './eck-operator';
import { LOGGING_NAMES, ELASTICSEARCH_HTTP_PORT, LOGSTASH_BEATS_PORT, elasticsearchHttpService } from './logging-names';
import type { PodBudget } from './namespace-budget';
import { FILEBEAT_LOGSTASH_TLS_DIRECTORY, FILEBEAT_NODE_NAME_ENV, LOGSTASH_BEATS_TLS_DIRECTORY, LOGSTASH_ELASTICSEARCH_CLUSTER_NAME } from './log-pipelines';
import { logRestoreRunbookSteps } from './logging-restore-runbook';
import { PlatformComponent, type KubeObject } from './platform-component';
import type { RunbookStep } from './runbook-step';
import { PlatformError } from './platform-error';
import { checkRequestsWithinLimits, memoryMiB } from './quantities';
import type { ApiServerPeer, ObjectStoreEndpoint } from './service-references';
import { PRIORITY_CLASSES, type SiteCluster } from './site-cluster';
import { requestCertificate, type CertificateIssuers, type TlsCertificate } from './tls-certificate';
import { VERSIONS, pinnedImage } from './versions';

/** The environment's `logging` settings the stack takes. */
export interface LoggingSettingsProps {
  readonly elasticsearch: { readonly masters: LoggingNodeSettings; readonly data: LoggingNodeSettings };
  readonly kibana: { readonly replicas: number };
  readonly logstash: { readonly replicas: number; readonly queueVolumeSize: string; readonly resources: LoggingContainerResources };
  readonly snapshots: { readonly schedule: string };
}

/** Count, volume and container resources of one kind of Elasticsearch node. */
export interface LoggingNodeSettings {
  readonly count: number;
  readonly volumeSize: string;
  readonly resources: LoggingContainerResources;
}

/** Elasticsearch's transport port, between its nodes. */
export const ELASTICSEARCH_TRANSPORT_PORT = 9300;

/** The Elasticsearch truststore with the object store's CA, for the S3 snapshot client. */
export const OBJECT_STORE_TRUSTSTORE = '/usr/share/elasticsearch/config/object-store-trust/cacerts.p12';

/** The labels ECK gives the pods of each resource (NetworkPolicies select them). */
export const LOGGING_POD_LABELS = {
  elasticsearch: eckPodLabels('elasticsearch', LOGGING_NAMES.elasticsearch),
  kibana: eckPodLabels('kibana', LOGGING_NAMES.kibana),
  logstash: eckPodLabels('logstash', LOGGING_NAMES.logstash),
  filebeat: eckPodLabels('beat', LOGGING_NAMES.filebeat),
} as const;

/** The Logstash Service Filebeat sends to: `<logstash>-ls-<name>`. */
export const LOGSTASH_BEATS_SERVICE = 'beats';

/** Requests and limits of the containers the environment does not size. */
export const DEFAULT_LOGGING_RESOURCES: Readonly<Record<'kibana' | 'filebeat' | 'init', LoggingContainerResources>> = {
  kibana: { cpuRequest: '250m', memoryRequest: '1Gi', cpuLimit: '1', memoryLimit: '1Gi' },
  filebeat: { cpuRequest: '100m', memoryRequest: '128Mi', cpuLimit: '500m', memoryLimit: '512Mi' },
  /** The truststore init container of each Elasticsearch node. */
  init: { cpuRequest: '100m', memoryRequest: '128Mi', cpuLimit: '500m', memoryLimit: '256Mi' },
};

export interface LoggingStackProps {
  readonly cluster: SiteCluster;
  readonly environmentName: string;
  readonly registry: string;
  readonly issuers: CertificateIssuers;
  readonly settings: LoggingSettingsProps;
  readonly storageClassName: string;
  /** The site's role: the disaster-recovery site restores the primary's log snapshots in a failover, the primary in a fail-back. */
  readonly siteRole: 'primary' | 'disaster-recovery';
  /** The other site of the environment, whose replicated snapshots this one restores. */
  readonly otherSiteName: string;
  /** The site's object store: snapshots go to its `es-snapshots` bucket, over TLS it verifies with the site CA. */
  readonly objectStore: ObjectStoreEndpoint;
  readonly apiServer: ApiServerPeer;
  /** Logstash's pipelines: the Beats input, parsing, classification and the data stream outputs. */
  readonly pipelines: readonly { readonly pipelineId: string; readonly config: string }[];
  /** Filebeat's configuration (`filebeat.yml` as an object). */
  readonly filebeatConfig: Readonly<Record<string, unknown>>;
  /** The S3 client settings of every node (`s3.client.default.*`: the object store's endpoint, path style, region). */
  readonly snapshotClientSettings: Readonly<Record<string, string | boolean>>;
  /** Secrets whose keys go into Elasticsearch's keystore (the snapshot client's credentials). */
  readonly secureSettingsSecrets: readonly string[];
  /** Other pods that call Elasticsearch's HTTP API: the ECK operator, the exporter, the setup job. */
  readonly elasticsearchClients: readonly PodPeer[];
  /** The ECK operator's pods: they call Kibana's and Logstash's APIs too. */
  readonly operator: PodPeer;
  /**
   * Resources of the containers the environment does not size.
   * @default DEFAULT_LOGGING_RESOURCES
   */
  readonly resources?: Partial<typeof DEFAULT_LOGGING_RESOURCES>;
}

/**
 * Centralised logs at one site, run by the ECK operator: Elasticsearch (dedicated masters and
 * data nodes sized by the environment, TLS on its HTTP endpoint from the site's internal CA,
 * no memory-mapped store so no host `vm.max_map_count` change), Kibana, Logstash (a
 * persistent queue, a TLS Beats input with client certificates) and Filebeat on every node.
 * NetworkPolicies admit exactly the flows between them; the pods' budget is checked against
 * the namespace quota by the layer.
 */
export class LoggingStack extends PlatformComponent {
  public readonly objects: readonly KubeObject[];
  public readonly namespace: string;
  /** Filebeat's namespace. */
  public readonly agentsNamespace: string;
  /** The pods of the observability namespace, for the quota check (Filebeat's DaemonSet is outside it). */
  public readonly podBudgets: readonly PodBudget[];
  /** Elasticsearch's HTTP API: `https://logs-es-http.lms-observability.svc:9200`. */
  public readonly elasticsearchUrl: string;
  /** The certificates of the HTTP endpoint, the Beats input and Filebeat's client, for the expiry alerts. */
  public readonly certificates: readonly TlsCertificate[];
  /** Restoring the other site's log snapshots here, in the failover runbook. */
  public readonly runbookSteps: readonly RunbookStep[];
  /** Elasticsearch's pods as a client's NetworkPolicy sees them. */
  public readonly elasticsearchPeer: { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>>; readonly port: number };

  constructor(scope: Construct, id: string, props: LoggingStackProps) {
    super(scope, id);
    const where = `LoggingStack ${this.node.path}`;
    const ns = props.cluster.namespaces.observability;
    const agents = props.cluster.namespaces['node-agents'];
    this.namespace = ns;
    this.agentsNamespace = agents;
    const resources = { ...DEFAULT_LOGGING_RESOURCES, ...props.resources };
    for (const [name, value] of Object.entries(resources)) checkRequestsWithinLimits(`${where}: resources.${name}`, value);
    if (props.pipelines.length === 0) throw PlatformError.invalidProp(where, 'pipelines', props.pipelines, 'one or more Logstash pipelines');
    const ids = props.pipelines.map((pipeline) => pipeline.pipelineId);
    ids.forEach((pipelineId, index) => {
      if (ids.indexOf(pipelineId) !== index) throw PlatformError.invalidProp(where, `pipelines[${index}].pipelineId`, pipelineId, 'each pipeline id once');
    });
    const storeUrl = new URL(props.objectStore.url);
    if (storeUrl.protocol !== 'https:') {
      throw PlatformError.invalidProp(where, 'objectStore.url', props.objectStore.url, 'an https:// URL (snapshots travel over TLS)');
    }

    const settings = props.settings;
    const esService = elasticsearchHttpService();
    const http = requestCertificate(this, props.issuers, {
      name: `${esService}-tls`,
      namespace: ns,
      secretName: `${esService}-tls`,
      dnsNames: [`${esService}.${ns}.svc`, `${esService}.${ns}.svc.cluster.local`],
    });
    const kibanaService = `${LOGGING_NAMES.kibana}-kb-http`;
    const kibanaHttp = requestCertificate(this, props.issuers, {
      name: `${kibanaService}-tls`,
      namespace: ns,
      secretName: `${kibanaService}-tls`,
      dnsNames: [`${kibanaService}.${ns}.svc`, `${kibanaService}.${ns}.svc.cluster.local`],
    });
    const beatsService = `${LOGGING_NAMES.logstash}-ls-${LOGSTASH_BEATS_SERVICE}`;
    const beats = requestCertificate(this, props.issuers, {
      name: `${beatsService}-tls`,
      namespace: ns,
      secretName: `${beatsService}-tls`,
      dnsNames: [`${beatsService}.${ns}.svc`, `${beatsService}.${ns}.svc.cluster.local`],
    });
    // Logstash accepts only Filebeat's client certificate, from the same internal CA.
    const filebeatClient = requestCertificate(this, props.issuers, {
      name: `${LOGGING_NAMES.filebeat}-client`,
      namespace: agents,
      secretName: `${LOGGING_NAMES.filebeat}-client-tls`,
      dnsNames: [`${LOGGING_NAMES.filebeat}.${agents}.svc`],
      usages: ['client auth'],
    });
    this.certificates = [http.reference, kibanaHttp.reference, beats.reference, filebeatClient.reference];
    this.elasticsearchUrl = `https://${esService}.${ns}.svc:${ELASTICSEARCH_HTTP_PORT}`;
    this.elasticsearchPeer = { namespace: ns, podLabels: LOGGING_POD_LABELS.elasticsearch, port: ELASTICSEARCH_HTTP_PORT };

    const image = (name: 'elasticsearch' | 'kibana' | 'logstash' | 'filebeat') => pinnedImage(props.registry, name).reference;
    const version = VERSIONS.images.elasticsearch.tag;
    const nodeSets = [
      { name: 'masters', roles: ['master'], ...settings.elasticsearch.masters },
      // Data nodes hold every tier of the log data streams and run the ingest pipelines.
      { name: 'data', roles: ['data', 'ingest'], ...settings.elasticsearch.data },
    ];
    const queueMiB = memoryMiB(settings.logstash.queueVolumeSize, `${where}: settings.logstash.queueVolumeSize`);
    const heapMiB = Math.floor(memoryMiB(settings.logstash.resources.memoryLimit, `${where}: settings.logstash.resources.memoryLimit`) / 2);

    const chart = new LoggingChart(new Cdk8sApp(), 'logging', {
      namespace: ns,
      agentsNamespace: agents,
      labels: props.cluster.labels,
      names: { elasticsearch: LOGGING_NAMES.elasticsearch, kibana: LOGGING_NAMES.kibana, logstash: LOGGING_NAMES.logstash, filebeat: LOGGING_NAMES.filebeat },
      version,
      images: { elasticsearch: image('elasticsearch'), kibana: image('kibana'), logstash: image('logstash'), filebeat: image('filebeat') },
      priorityClassName: PRIORITY_CLASSES.platform.name,
      storageClassName: props.storageClassName,
      elasticsearch: {
        nodeSets,
        config: {
          // No memory-mapped store: Elasticsearch then needs no vm.max_map_count raised on the
          // host, so no privileged init container (ECK's documented choice for restricted pods).
          'node.store.allow_mmap': false,
          'action.destructive_requires_name': true,
          // The snapshot client: the site's object store, path-style, over TLS.
          ...props.snapshotClientSettings,
        },
        httpCertificateSecret: http.reference.secretName,
        secureSettingsSecrets: [...props.secureSettingsSecrets],
        objectStoreTrust: { caSecretName: props.objectStore.caSecretName, trustStorePath: OBJECT_STORE_TRUSTSTORE },
        initResources: resources.init,
      },
      kibana: { replicas: settings.kibana.replicas, resources: resources.kibana, httpCertificateSecret: kibanaHttp.reference.secretName },
      logstash: {
        replicas: settings.logstash.replicas,
        resources: settings.logstash.resources,
        javaOptions: `-Xms${heapMiB}m -Xmx${heapMiB}m`,
        config: {
          // Events wait on disk while Elasticsearch is slow or away; the queue leaves a tenth of its volume free.
          'queue.type': 'persisted',
          'queue.max_bytes': `${Math.floor(queueMiB * 0.9)}mb`,
          'api.http.host': '0.0.0.0',
        },
        pipelines: props.pipelines,
        queueVolumeSize: settings.logstash.queueVolumeSize,
        elasticsearchClusterName: LOGSTASH_ELASTICSEARCH_CLUSTER_NAME,
        beatsService: LOGSTASH_BEATS_SERVICE,
        beatsPort: LOGSTASH_BEATS_PORT,
        tls: { secretName: beats.reference.secretName, directory: LOGSTASH_BEATS_TLS_DIRECTORY },
      },
      filebeat: { config: props.filebeatConfig, resources: resources.filebeat, nodeNameEnv: FILEBEAT_NODE_NAME_ENV, tls: { secretName: filebeatClient.reference.secretName, directory: FILEBEAT_LOGSTASH_TLS_DIRECTORY } },
    });

    const elasticsearch = { namespace: ns, podLabels: LOGGING_POD_LABELS.elasticsearch };
    const kibana = { namespace: ns, podLabels: LOGGING_POD_LABELS.kibana };
    const logstash = { namespace: ns, podLabels: LOGGING_POD_LABELS.logstash };
    const filebeat = { namespace: agents, podLabels: LOGGING_POD_LABELS.filebeat };
    const apiServer = { addressBlocks: [...props.apiServer.addressBlocks] };
    const policies: PodPolicy[] = [
      {
        name: `${LOGGING_NAMES.elasticsearch}-elasticsearch`,
        podLabels: LOGGING_POD_LABELS.elasticsearch,
        ingress: [
          { peer: elasticsearch, ports: [ELASTICSEARCH_TRANSPORT_PORT] },
          ...[kibana, logstash, props.operator, ...props.elasticsearchClients].map((peer) => ({ peer, ports: [ELASTICSEARCH_HTTP_PORT] })),
        ],
        egress: [
          { peer: elasticsearch, ports: [ELASTICSEARCH_TRANSPORT_PORT] },
          { peer: { namespace: props.objectStore.peer.namespace, podLabels: props.objectStore.peer.podLabels }, ports: [props.objectStore.peer.port] },
        ],
      },
      {
        name: `${LOGGING_NAMES.kibana}-kibana`,
        podLabels: LOGGING_POD_LABELS.kibana,
        ingress: [{ peer: props.operator, ports: [KIBANA_HTTP_PORT] }],
        egress: [{ peer: elasticsearch, ports: [ELASTICSEARCH_HTTP_PORT] }],
      },
      {
        name: `${LOGGING_NAMES.logstash}-logstash`,
        podLabels: LOGGING_POD_LABELS.logstash,
        ingress: [
          { peer: filebeat, ports: [LOGSTASH_BEATS_PORT] },
          { peer: props.operator, ports: [LOGSTASH_API_PORT] },
        ],
        egress: [{ peer: elasticsearch, ports: [ELASTICSEARCH_HTTP_PORT] }],
      },
    ];
    const filebeatPolicy: PodPolicy = {
      name: LOGGING_NAMES.filebeat,
      podLabels: LOGGING_POD_LABELS.filebeat,
      ingress: [],
      egress: [
        { peer: logstash, ports: [LOGSTASH_BEATS_PORT] },
        { peer: apiServer, ports: [props.apiServer.port] },
      ],
    };
    this.objects = [
      http.object,
      kibanaHttp.object,
      beats.object,
      filebeatClient.object,
      ...(PodPoliciesChart.render({ namespace: ns, labels: props.cluster.labels, podPolicies: policies }, new Cdk8sApp(), 'logging-policies') as unknown as KubeObject[]),
      ...(PodPoliciesChart.render({ namespace: agents, labels: props.cluster.labels, podPolicies: [filebeatPolicy] }, new Cdk8sApp(), 'filebeat-policies') as unknown as KubeObject[]),
      ...(chart.toJson() as KubeObject[]),
    ];

    this.runbookSteps = logRestoreRunbookSteps({
      procedure: props.siteRole === 'disaster-recovery' ? 'failover' : 'fail-back',
      environmentName: props.environmentName,
      restoreAt: props.cluster.siteName,
      snapshotsOf: props.otherSiteName,
      namespace: ns,
      bucket: LOGGING_NAMES.snapshotRepository,
      caSecret: http.reference.secretName,
      schedule: settings.snapshots.schedule,
    });

    const esNode = (nodeSet: (typeof nodeSets)[number]): PodBudget => ({
      what: `Elasticsearch ${nodeSet.name}`,
      pods: nodeSet.count,
      // The truststore init container finishes before the node starts and asks for less.
      perPod: nodeSet.resources,
      volumes: { claims: 1, storage: nodeSet.volumeSize },
    });
    this.podBudgets = [
      ...nodeSets.map(esNode),
      // Rolling updates surge one Kibana pod.
      { what: 'Kibana', pods: settings.kibana.replicas + 1, perPod: resources.kibana },
      { what: 'Logstash', pods: settings.logstash.replicas, perPod: settings.logstash.resources, volumes: { claims: 1, storage: settings.logstash.queueVolumeSize } },
    ];
  }
}
