import { App as Cdk8sApp } from 'cdk8s';
import type { Construct } from 'constructs';
import { ElasticsearchExporterChart } from '../charts-ts/elasticsearch-exporter-chart';
import type { ContainerResources } from './cert-manager-values';
import type { CronSchedule } from './cron-schedule';
import type { ElasticsearchAlertInputs } from './elasticsearch-alerts';
import { ELASTICSEARCH_HTTP_PORT, LOGGING_NAMES, elasticUserSecret, elasticsearchHttpCaSecret, elasticsearchHttpService } from './logging-names';
import { sumResources, type PodBudget } from './namespace-budget';
import { PlatformComponent, type KubeObject } from './platform-component';
import { PlatformError } from './platform-error';
import { cpuMillis, memoryMiB } from './quantities';
import type { MetricsScraper } from './service-references';
import { PRIORITY_CLASSES, type SiteCluster } from './site-cluster';
import { isDnsLabel } from './tls-certificate';
import { imageReference } from './versions';

/** The exporter's Deployment, Service and ServiceMonitor: Prometheus' `job` label of its series. */
export const ELASTICSEARCH_EXPORTER_NAME = 'elasticsearch-exporter';
/** The exporter's default listen port. */
export const ELASTICSEARCH_EXPORTER_PORT = 9114;
/** The image's user (`nobody`). */
export const ELASTICSEARCH_EXPORTER_USER = 65534;
/** Where the Elasticsearch HTTP CA is mounted. */
export const ELASTICSEARCH_EXPORTER_CA_DIRECTORY = '/etc/elasticsearch-exporter/ca';
/** The labels ECK puts on the pods of an `Elasticsearch` resource, which the exporter's egress selects. */
export function elasticsearchPodLabels(name: string = LOGGING_NAMES.elasticsearch): Readonly<Record<string, string>> {
  return { 'common.k8s.elastic.co/type': 'elasticsearch', 'elasticsearch.k8s.elastic.co/cluster-name': name };
}

const DEFAULT_RESOURCES: ContainerResources = { cpuRequest: '50m', cpuLimit: '250m', memoryRequest: '64Mi', memoryLimit: '128Mi' };

export interface ElasticsearchExporterProps {
  /** The site (`SiteCluster`): the exporter runs in its observability namespace, beside Elasticsearch. */
  readonly cluster: Pick<SiteCluster, 'siteName' | 'namespaces' | 'labels'>;
  /** The site's in-country registry mirror. */
  readonly registry: string;
  /** The site's Prometheus: let in, and selecting the ServiceMonitor by its labels. */
  readonly metrics: MetricsScraper;
  /** The environment (`production`): its log data streams are `logs-lms.<class>-production`. */
  readonly environmentName: string;
  /** `logging.snapshots.schedule` of the environment, parsed: the snapshot alert allows twice its longest gap. */
  readonly snapshotSchedule: CronSchedule;
  /**
   * The exporter container's requests and limits.
   * @default { cpuRequest: '50m', cpuLimit: '250m', memoryRequest: '64Mi', memoryLimit: '128Mi' }
   */
  readonly resources?: ContainerResources;
  /**
   * How often Prometheus scrapes it; each scrape queries Elasticsearch's health, node, index and snapshot APIs.
   * @default '30s'
   */
  readonly interval?: '15s' | '30s' | '60s';
}

/**
 * The Prometheus exporter of the site's log cluster (prometheus-community's
 * elasticsearch_exporter): cluster health, every node's disk (`--es.all`), every index's
 * indexing counters (`--es.indices`, which show whether logs still arrive) and the snapshot
 * repositories (`--collector.snapshots`). It signs in as ECK's `elastic` user from the
 * `logs-es-elastic-user` Secret and verifies Elasticsearch with ECK's HTTP CA. `alertInputs`
 * feeds `elasticsearchAlertGroup`.
 * @see https://github.com/prometheus-community/elasticsearch_exporter/blob/v1.9.0/README.md
 */
export class ElasticsearchExporter extends PlatformComponent {
  public readonly namespace: string;
  /** `https://logs-es-http.lms-observability.svc:9200`: a name ECK's HTTP certificate carries. */
  public readonly elasticsearchUrl: string;
  /** The exporter's command-line flags. */
  public readonly args: readonly string[];
  public readonly resources: ContainerResources;
  public readonly interval: string;
  public readonly podBudget: PodBudget;
  public readonly alertInputs: ElasticsearchAlertInputs;
  public readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: ElasticsearchExporterProps) {
    super(scope, id);
    const where = `ElasticsearchExporter ${this.node.path}`;
    this.namespace = props.cluster.namespaces.observability;
    if (!isDnsLabel(props.environmentName)) {
      throw PlatformError.invalidProp(where, 'environmentName', props.environmentName, 'a lower-case environment name, e.g. "production"');
    }
    if (props.metrics.peer.namespace !== this.namespace) {
      throw PlatformError.invalidProp(where, 'metrics.peer.namespace', props.metrics.peer.namespace, `the observability namespace "${this.namespace}", where the exporter runs`);
    }
    this.resources = props.resources ?? DEFAULT_RESOURCES;
    sumResources(`${where}: resources`, [this.resources]);
    for (const [request, limit, parse] of [['cpuRequest', 'cpuLimit', cpuMillis], ['memoryRequest', 'memoryLimit', memoryMiB]] as const) {
      if (parse(this.resources[request], `${where}: resources.${request}`) > parse(this.resources[limit], `${where}: resources.${limit}`)) {
        throw PlatformError.invalidProp(where, `resources.${request}`, this.resources[request], `at most resources.${limit}, "${this.resources[limit]}"`);
      }
    }
    this.interval = props.interval ?? '30s';
    if (!['15s', '30s', '60s'].includes(this.interval)) {
      throw PlatformError.invalidProp(where, 'interval', props.interval, '"15s", "30s" or "60s"');
    }
    const elasticsearch = elasticsearchHttpService();
    this.elasticsearchUrl = `https://${elasticsearch}.${this.namespace}.svc:${ELASTICSEARCH_HTTP_PORT}`;
    // Each scrape must answer within Prometheus' timeout; Elasticsearch gets two thirds of it.
    const scrapeTimeoutSeconds = Math.min(Number(this.interval.slice(0, -1)) - 5, 25);
    const elasticsearchTimeoutSeconds = Math.floor((scrapeTimeoutSeconds * 2) / 3);
    this.args = [
      `--es.uri=${this.elasticsearchUrl}`,
      `--es.ca=${ELASTICSEARCH_EXPORTER_CA_DIRECTORY}/ca.crt`,
      '--es.all',
      '--es.indices',
      '--collector.snapshots',
      `--es.timeout=${elasticsearchTimeoutSeconds}s`,
      `--web.listen-address=:${ELASTICSEARCH_EXPORTER_PORT}`,
    ];
    this.podBudget = { what: 'the Elasticsearch exporter', pods: 2, perPod: this.resources };
    this.alertInputs = {
      job: ELASTICSEARCH_EXPORTER_NAME,
      environmentName: props.environmentName,
      snapshotRepository: LOGGING_NAMES.snapshotRepository,
      snapshotSchedule: props.snapshotSchedule,
      filebeat: { namespace: props.cluster.namespaces['node-agents'], daemonSet: `${LOGGING_NAMES.filebeat}-beat-filebeat` },
    };
    const chart = new ElasticsearchExporterChart(new Cdk8sApp(), 'elasticsearch-exporter', {
      namespace: this.namespace,
      labels: props.cluster.labels,
      name: ELASTICSEARCH_EXPORTER_NAME,
      image: imageReference(props.registry, 'elasticsearchExporter'),
      runAsUser: ELASTICSEARCH_EXPORTER_USER,
      priorityClassName: PRIORITY_CLASSES.platform.name,
      resources: this.resources,
      args: this.args,
      metricsPort: ELASTICSEARCH_EXPORTER_PORT,
      credentials: { username: 'elastic', secretName: elasticUserSecret(), key: 'elastic' },
      ca: { secretName: elasticsearchHttpCaSecret(), directory: ELASTICSEARCH_EXPORTER_CA_DIRECTORY },
      interval: this.interval,
      scrapeTimeout: `${scrapeTimeoutSeconds}s`,
      serviceMonitorLabels: props.metrics.serviceMonitorLabels,
      scraper: props.metrics.peer,
      elasticsearch: { namespace: this.namespace, podLabels: elasticsearchPodLabels(), port: ELASTICSEARCH_HTTP_PORT },
    });
    this.objects = chart.toJson() as KubeObject[];
  }
}
