import { AlertRule, RuleGroup, type AlertTestCase } from './alert-rule';
import type { CronSchedule } from './cron-schedule';
import { Duration } from './duration';
import { LOG_CLASSES, dataStreamName } from './logging-names';
import { PlatformError } from './platform-error';
import { isDnsLabel } from './tls-certificate';

/**
 * The exporter's series the alerts and the dashboard read, as elasticsearch_exporter v1.9.0
 * names them, and kube-state-metrics' ready count of a DaemonSet.
 * @see https://github.com/prometheus-community/elasticsearch_exporter/tree/v1.9.0/collector
 */
export const ELASTICSEARCH_METRICS = {
  healthStatus: 'elasticsearch_cluster_health_status',
  nodes: 'elasticsearch_cluster_health_number_of_nodes',
  dataNodes: 'elasticsearch_cluster_health_number_of_data_nodes',
  unassignedShards: 'elasticsearch_cluster_health_unassigned_shards',
  indexedDocuments: 'elasticsearch_index_stats_indexing_index_total',
  diskAvailable: 'elasticsearch_filesystem_data_available_bytes',
  diskSize: 'elasticsearch_filesystem_data_size_bytes',
  heapUsed: 'elasticsearch_jvm_memory_used_bytes',
  heapMax: 'elasticsearch_jvm_memory_max_bytes',
  latestSnapshot: 'elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds',
  daemonSetReady: 'kube_daemonset_status_number_ready',
} as const;

/** The names of the log cluster's alerts. */
export const ELASTICSEARCH_ALERTS = {
  clusterRed: 'ElasticsearchClusterRed',
  clusterYellow: 'ElasticsearchClusterYellow',
  unreachable: 'ElasticsearchUnreachable',
  exporterDown: 'ElasticsearchExporterDown',
  snapshotStale: 'ElasticsearchSnapshotStale',
  ingestionStalled: 'LogIngestionStalled',
  diskWatermarkClose: 'ElasticsearchDiskWatermarkClose',
} as const;

/**
 * Elasticsearch's default disk watermarks: past `low` no new shard is placed on the node, past
 * `high` shards move away, past `floodStage` every index with a shard there turns read-only
 * (ingestion stops). The alert fires `margin` below `low`.
 * @see https://www.elastic.co/docs/reference/elasticsearch/configuration-reference/cluster-level-shard-allocation-routing-settings#disk-based-shard-allocation
 */
export const DISK_WATERMARKS = { low: 0.85, high: 0.9, floodStage: 0.95, margin: 0.05 } as const;
/** What a snapshot may take beyond two gaps of its schedule before it counts as missed. */
export const SNAPSHOT_AGE_MARGIN = Duration.minutes(30);
/** How long no document may reach the log data streams while Filebeat runs. */
export const INGESTION_STALL_WINDOW = Duration.minutes(15);

/** What the alerts need: `ElasticsearchExporter.alertInputs`. */
export interface ElasticsearchAlertInputs {
  /** Prometheus' `job` of the exporter's series: `elasticsearch-exporter`. */
  readonly job: string;
  /** The environment: its data streams are `logs-lms.<class>-<environment>`. */
  readonly environmentName: string;
  /** The snapshot repository whose newest successful snapshot is watched: `es-snapshots`. */
  readonly snapshotRepository: string;
  /** The snapshot lifecycle policy's schedule (`logging.snapshots.schedule`). */
  readonly snapshotSchedule: CronSchedule;
  /** The Filebeat DaemonSet (ECK names it `<beat>-beat-filebeat`): ingestion counts as stalled only while its pods are ready. */
  readonly filebeat: { readonly namespace: string; readonly daemonSet: string };
}

const minutes = Duration.minutes;
const quote = JSON.stringify;

/** A PromQL regular expression matching exactly `text`. */
function literalRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The log cluster's alerts at one site, from the exporter's series (its health, nodes' disks,
 * indices' indexing counters and snapshot repository) and kube-state-metrics' view of Filebeat.
 * @throws PlatformError naming the input, the bad value and what is allowed
 */
export function elasticsearchAlertGroup(inputs: ElasticsearchAlertInputs): RuleGroup {
  const where = 'elasticsearchAlertGroup';
  if (!isDnsLabel(inputs.job)) throw PlatformError.invalidProp(where, 'job', inputs.job, 'the exporter\'s Service name, a DNS label');
  if (!isDnsLabel(inputs.environmentName)) throw PlatformError.invalidProp(where, 'environmentName', inputs.environmentName, 'a lower-case environment name, e.g. "production"');
  const job = `job=${quote(inputs.job)}`;
  const health = (color: string) => `${ELASTICSEARCH_METRICS.healthStatus}{${job},color=${quote(color)}}`;
  const healthLabels = (color: string) => ({ job: inputs.job, cluster: 'logs', color });
  const healthSeries = (color: string, values: string) => ({ series: `${ELASTICSEARCH_METRICS.healthStatus}{cluster="logs",color=${quote(color)},${job}}`, values });
  const colours = (red: string, yellow: string, green: string) => [healthSeries('red', red), healthSeries('yellow', yellow), healthSeries('green', green)];
  const up = `up{${job}}`;
  const upSeries = (values: string) => ({ series: `up{instance="10.42.1.7:9114",${job}}`, values });

  const clusterRed = AlertRule.define({
    name: ELASTICSEARCH_ALERTS.clusterRed,
    expr: `${health('red')} == 1`,
    for: minutes(5),
    severity: 'page',
    summary: 'The log cluster {{ $labels.cluster }} is red: a primary shard is unassigned',
    description: 'Elasticsearch has an index with no copy of one of its shards: events for that index are refused and Logstash holds them in its persistent queue until it fills, then Filebeat stops reading and the audit trail has a gap once the nodes rotate their logs. Find the shard (`GET _cluster/allocation/explain`) and the node or disk it lost.',
    tests: [
      { name: 'a cluster red for 10 minutes pages', series: colours('0+0x5 1+0x20', '1+0x5 0+0x20', '0+0x25'), evalTime: minutes(15), fires: true, alerts: [{ labels: healthLabels('red') }] },
      { name: 'a green cluster stays silent', series: colours('0+0x25', '0+0x25', '1+0x25'), evalTime: minutes(15), fires: false },
      { name: 'a cluster red for 2 minutes stays silent', series: colours('0+0x5 1+0x2 0+0x20', '0+0x25', '1+0x5 0+0x2 1+0x20'), evalTime: minutes(9), fires: false },
    ],
  });

  const clusterYellow = AlertRule.define({
    name: ELASTICSEARCH_ALERTS.clusterYellow,
    expr: `${health('yellow')} == 1`,
    for: minutes(30),
    severity: 'ticket',
    summary: 'The log cluster {{ $labels.cluster }} has been yellow for 30 minutes: replica shards are unassigned',
    description: 'Every primary shard is assigned but some replicas are not, so one more lost node or disk loses log data. A node restart makes it yellow for a few minutes; for this long, a node is down, a disk is past its watermark or there are fewer data nodes than replicas. Read `GET _cluster/allocation/explain`.',
    tests: [
      { name: 'a cluster yellow for 40 minutes opens a ticket', series: colours('0+0x50', '0+0x5 1+0x45', '1+0x5 0+0x45'), evalTime: minutes(45), fires: true, alerts: [{ labels: healthLabels('yellow') }] },
      { name: 'a cluster yellow for 10 minutes during a restart stays silent', series: colours('0+0x50', '0+0x5 1+0x10 0+0x35', '1+0x5 0+0x10 1+0x35'), evalTime: minutes(45), fires: false },
    ],
  });

  const unreachable = AlertRule.define({
    name: ELASTICSEARCH_ALERTS.unreachable,
    expr: `max by (job) (${up}) == 1\nunless on (job)\ncount by (job) (${ELASTICSEARCH_METRICS.healthStatus}{${job}})`,
    for: minutes(10),
    severity: 'page',
    summary: 'Elasticsearch does not answer the exporter: the log cluster is down or unreachable',
    description: 'The exporter runs but gets no cluster health from Elasticsearch (no node answers on 9200, the `elastic` password or the CA changed, or its NetworkPolicy blocks it). While Elasticsearch is down Logstash queues every event; once its queue is full Filebeat stops and the audit trail has a gap. Check the `logs` Elasticsearch resource (`kubectl -n lms-observability get elasticsearch`) and the exporter\'s log.',
    tests: [
      { name: 'an exporter that gets no health for 20 minutes pages', series: [upSeries('1+0x30'), healthSeries('green', '1+0x5 _x25')], evalTime: minutes(25), fires: true, alerts: [{ labels: { job: inputs.job } }] },
      { name: 'an exporter that reads the health stays silent', series: [upSeries('1+0x30'), healthSeries('green', '1+0x30')], evalTime: minutes(20), fires: false },
      { name: 'an exporter that is down is not called Elasticsearch being unreachable', series: [upSeries('0+0x30')], evalTime: minutes(20), fires: false },
    ],
  });

  const exporterDown = AlertRule.define({
    name: ELASTICSEARCH_ALERTS.exporterDown,
    expr: `max by (job) (${up}) == 0\nor\nabsent(${up})`,
    for: minutes(10),
    severity: 'ticket',
    summary: 'The Elasticsearch exporter is not scraped: the log cluster\'s health, disks, ingestion and snapshots go unwatched',
    description: `Prometheus cannot scrape the ${inputs.job} Deployment (down, not ready, or its ServiceMonitor or NetworkPolicy changed), so no other log cluster alert can fire. Check its pod in lms-observability.`,
    tests: [
      { name: 'an exporter that fails its scrapes opens a ticket', series: [upSeries('1+0x5 0+0x25')], evalTime: minutes(20), fires: true, alerts: [{ labels: { job: inputs.job } }] },
      { name: 'an exporter that disappears opens a ticket', series: [upSeries('1+0x5 _x25')], evalTime: minutes(25), fires: true, alerts: [{ labels: { job: inputs.job } }] },
      { name: 'an exporter that is scraped stays silent', series: [upSeries('1+0x30')], evalTime: minutes(20), fires: false },
    ],
  });

  const maxAgeSeconds = 2 * inputs.snapshotSchedule.longestInterval.totalSeconds + SNAPSHOT_AGE_MARGIN.totalSeconds;
  const snapshot = `${ELASTICSEARCH_METRICS.latestSnapshot}{${job},repository=${quote(inputs.snapshotRepository)}}`;
  const snapshotLabels = { job: inputs.job, repository: inputs.snapshotRepository };
  const snapshotSeries = (values: string) => ({ series: snapshot, values });
  const snapshotStale = AlertRule.define({
    name: ELASTICSEARCH_ALERTS.snapshotStale,
    // The exporter reports 0 for a repository without a successful snapshot.
    expr: `time() - ${snapshot} > ${maxAgeSeconds}\nor\n${snapshot} == 0`,
    for: minutes(5),
    severity: 'ticket',
    summary: `No snapshot of the logs succeeded in ${Duration.seconds(maxAgeSeconds)} (twice the longest gap of schedule "${inputs.snapshotSchedule}" and ${SNAPSHOT_AGE_MARGIN})`,
    description: `The newest successful snapshot in repository ${inputs.snapshotRepository} started longer ago than two of its scheduled gaps: a restore at the other site would miss the logs since. Read the snapshot lifecycle policy's last failure (\`GET _slm/policy\`) and the ${inputs.snapshotRepository} bucket's MinIO.`,
    tests: [
      // Promtool's clock starts at 0, so the timestamps are negative.
      { name: 'no snapshot since one nearly too old opens a ticket', series: [snapshotSeries(`-${maxAgeSeconds - 600}+0x40`)], evalTime: minutes(30), fires: true, alerts: [{ labels: snapshotLabels }] },
      { name: 'snapshots that keep succeeding stay silent', series: [snapshotSeries(`-${Math.floor(maxAgeSeconds / 2)}+60x40`)], evalTime: minutes(30), fires: false },
      { name: 'a repository that never had a successful snapshot (0) opens a ticket', series: [snapshotSeries('0+0x40')], evalTime: minutes(30), fires: true, alerts: [{ labels: snapshotLabels }] },
    ],
  });

  const streams = LOG_CLASSES.map((logClass) => literalRegex(dataStreamName(logClass, inputs.environmentName))).join('|');
  const indexing = `${ELASTICSEARCH_METRICS.indexedDocuments}{${job},index=~${quote(`\\.ds-(${streams})-.*`)}}`;
  const filebeatReady = `${ELASTICSEARCH_METRICS.daemonSetReady}{daemonset=${quote(inputs.filebeat.daemonSet)},namespace=${quote(inputs.filebeat.namespace)}}`;
  const window = INGESTION_STALL_WINDOW.toString();
  const indexSeries = (logClass: (typeof LOG_CLASSES)[number], values: string) => ({
    series: `${ELASTICSEARCH_METRICS.indexedDocuments}{cluster="logs",index=${quote(`.ds-${dataStreamName(logClass, inputs.environmentName)}-2026.11.26-000001`)},${job}}`,
    values,
  });
  const filebeatSeries = (values: string) => ({ series: filebeatReady, values });
  const ingestionStalled = AlertRule.define({
    name: ELASTICSEARCH_ALERTS.ingestionStalled,
    expr: `sum(increase(${indexing}[${window}])) == 0\nand on ()\nsum(${filebeatReady}) > 0`,
    for: minutes(5),
    severity: 'page',
    summary: `No log event reached the log data streams in ${window} while Filebeat runs`,
    description: 'Filebeat pods are ready on the nodes but no document was indexed into any logs-lms.* data stream: Logstash is down, refuses Filebeat (its certificate), or cannot write to Elasticsearch (credentials, a read-only index past the flood-stage watermark). Events wait in Filebeat and Logstash\'s queue until they fill; after that the nodes\' log rotation loses them, audit lines included. Read Logstash\'s log (`kubectl -n lms-observability logs statefulset/logs-ls`).',
    tests: [
      {
        name: 'indexing that stops while Filebeat runs pages',
        series: [indexSeries('system', '0+100x10 1000+0x30'), indexSeries('audit', '0+5x10 50+0x30'), filebeatSeries('3+0x40')],
        evalTime: minutes(35),
        fires: true,
        alerts: [{ labels: {} }],
      },
      { name: 'indexing that goes on stays silent', series: [indexSeries('system', '0+100x40'), indexSeries('audit', '0+0x40'), filebeatSeries('3+0x40')], evalTime: minutes(35), fires: false },
      { name: 'no indexing while no Filebeat pod is ready is not a stall of the pipeline', series: [indexSeries('system', '1000+0x40'), filebeatSeries('0+0x40')], evalTime: minutes(35), fires: false },
      {
        name: 'a quiet 10 minutes stays silent',
        series: [indexSeries('system', '0+100x20 2000+0x10 2100+100x10'), filebeatSeries('3+0x40')],
        evalTime: minutes(40),
        fires: false,
      },
    ] satisfies AlertTestCase[],
  });

  const threshold = Number((DISK_WATERMARKS.low - DISK_WATERMARKS.margin).toFixed(2));
  const disk = (metric: string) => `${metric}{${job}}`;
  const diskLabels = { job: inputs.job, cluster: 'logs', name: 'logs-es-data-0', mount: '/usr/share/elasticsearch/data (/dev/sdb)', path: '/usr/share/elasticsearch/data' };
  const diskSeries = (metric: string, values: string) => ({
    series: `${metric}{cluster="logs",${job},mount=${quote(diskLabels.mount)},name="logs-es-data-0",path=${quote(diskLabels.path)}}`,
    values,
  });
  const diskWatermarkClose = AlertRule.define({
    name: ELASTICSEARCH_ALERTS.diskWatermarkClose,
    expr: `1 - ${disk(ELASTICSEARCH_METRICS.diskAvailable)} / ${disk(ELASTICSEARCH_METRICS.diskSize)} > ${threshold}`,
    for: minutes(15),
    severity: 'ticket',
    summary: `Elasticsearch node {{ $labels.name }} has used more than ${Math.round(threshold * 100)} % of its data disk, ${Math.round(DISK_WATERMARKS.margin * 100)} points below the low watermark`,
    description: `At ${Math.round(DISK_WATERMARKS.low * 100)} % Elasticsearch stops placing shards on the node, at ${Math.round(DISK_WATERMARKS.high * 100)} % it moves them away and at ${Math.round(DISK_WATERMARKS.floodStage * 100)} % the indices turn read-only and log ingestion stops. Grow the data volumes (logging.elasticsearch.data.volumeSize), add data nodes, or shorten a log class's retention.`,
    tests: [
      { name: 'a data disk 82 % full opens a ticket', series: [diskSeries(ELASTICSEARCH_METRICS.diskAvailable, '18+0x30'), diskSeries(ELASTICSEARCH_METRICS.diskSize, '100+0x30')], evalTime: minutes(20), fires: true, alerts: [{ labels: diskLabels }] },
      { name: 'a data disk 70 % full stays silent', series: [diskSeries(ELASTICSEARCH_METRICS.diskAvailable, '30+0x30'), diskSeries(ELASTICSEARCH_METRICS.diskSize, '100+0x30')], evalTime: minutes(20), fires: false },
    ],
  });

  return RuleGroup.define({ name: 'elasticsearch', rules: [clusterRed, clusterYellow, unreachable, exporterDown, snapshotStale, ingestionStalled, diskWatermarkClose] });
}
