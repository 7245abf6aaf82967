import { Dashboard } from './grafana-dashboard';
import { Panel, type PanelTarget } from './grafana-panel';
import { DISK_WATERMARKS, ELASTICSEARCH_METRICS, INGESTION_STALL_WINDOW, SNAPSHOT_AGE_MARGIN, type ElasticsearchAlertInputs } from './elasticsearch-alerts';
import { Duration } from './duration';
import { LOG_CLASSES, dataStreamName } from './logging-names';

/** The dashboard's uid: stable, so links and bookmarks keep working. */
export const ELASTICSEARCH_DASHBOARD_UID = 'lms-elasticsearch';

const q = JSON.stringify;
const target = (expr: string, legend?: string): PanelTarget => ({ expr, legend });

/**
 * The site's log cluster: its health, whether each class of log still arrives, its nodes'
 * disks against the watermarks, and the age of its newest snapshot, from the same inputs and
 * thresholds as its alerts.
 */
export function elasticsearchDashboard(siteName: string, inputs: ElasticsearchAlertInputs): Dashboard {
  const job = `job=${q(inputs.job)}`;
  const m = ELASTICSEARCH_METRICS;
  // A data stream's backing indices are `.ds-<data stream>-<yyyy.MM.dd>-<generation>`.
  const indexing = (logClass: (typeof LOG_CLASSES)[number]) =>
    `sum(rate(${m.indexedDocuments}{${job},index=~${q(`\\.ds-${dataStreamName(logClass, inputs.environmentName).replace(/\./g, '\\.')}-.*`)}}[$__rate_interval]))`;
  const diskUsed = `1 - ${m.diskAvailable}{${job}} / ${m.diskSize}{${job}}`;
  const snapshotAge = `time() - ${m.latestSnapshot}{${job},repository=${q(inputs.snapshotRepository)}}`;
  const snapshotLimit = 2 * inputs.snapshotSchedule.longestInterval.totalSeconds + SNAPSHOT_AGE_MARGIN.totalSeconds;
  return Dashboard.define({
    uid: ELASTICSEARCH_DASHBOARD_UID,
    title: `Logs: Elasticsearch (${siteName})`,
    tags: ['lms', 'logging'],
    rows: [
      {
        title: 'Health',
        panels: [
          Panel.stat({
            title: 'Cluster status',
            description: '0 green, 1 yellow (replicas unassigned), 2 red (a primary unassigned).',
            targets: [target(`max(${m.healthStatus}{${job},color="yellow"}) + 2 * max(${m.healthStatus}{${job},color="red"})`)],
            thresholds: [{ value: 1, color: 'orange' }, { value: 2, color: 'red' }],
          }),
          Panel.stat({ title: 'Nodes', targets: [target(`max(${m.nodes}{${job}})`)] }),
          Panel.stat({ title: 'Data nodes', targets: [target(`max(${m.dataNodes}{${job}})`)] }),
          Panel.stat({ title: 'Unassigned shards', targets: [target(`max(${m.unassignedShards}{${job}})`)], thresholds: [{ value: 1, color: 'orange' }] }),
        ],
      },
      {
        title: 'Ingestion',
        panels: [
          Panel.timeseries({
            title: 'Documents indexed by data stream',
            description: `Events written per second into each class's data stream. The ingestion alert fires after ${INGESTION_STALL_WINDOW} with none while Filebeat runs.`,
            unit: 'ops',
            width: 16,
            targets: LOG_CLASSES.map((logClass) => target(indexing(logClass), dataStreamName(logClass, inputs.environmentName))),
          }),
          Panel.stat({
            title: 'Filebeat pods ready',
            targets: [target(`sum(${m.daemonSetReady}{daemonset=${q(inputs.filebeat.daemonSet)},namespace=${q(inputs.filebeat.namespace)}})`)],
            baseColor: 'red',
            thresholds: [{ value: 1, color: 'green' }],
            width: 8,
          }),
        ],
      },
      {
        title: 'Disks and heap',
        panels: [
          Panel.timeseries({
            title: 'Data disk used',
            description: `Elasticsearch's watermarks: ${Math.round(DISK_WATERMARKS.low * 100)} % low (no new shards), ${Math.round(DISK_WATERMARKS.high * 100)} % high (shards move away), ${Math.round(DISK_WATERMARKS.floodStage * 100)} % flood stage (indices read-only).`,
            unit: 'percentunit',
            thresholds: [{ value: DISK_WATERMARKS.low, color: 'orange' }, { value: DISK_WATERMARKS.floodStage, color: 'red' }],
            targets: [target(diskUsed, '{{name}}')],
          }),
          Panel.timeseries({ title: 'Heap used', unit: 'percentunit', thresholds: [{ value: 0.85, color: 'orange' }], targets: [target(`${m.heapUsed}{${job},area="heap"} / ${m.heapMax}{${job},area="heap"}`, '{{name}}')] }),
        ],
      },
      {
        title: 'Snapshots',
        panels: [
          Panel.stat({
            title: 'Newest successful snapshot',
            description: `Age of the newest successful snapshot in ${inputs.snapshotRepository}; the alert fires past ${Duration.seconds(snapshotLimit)} (twice the longest gap of "${inputs.snapshotSchedule}" and ${SNAPSHOT_AGE_MARGIN}).`,
            unit: 's',
            thresholds: [{ value: snapshotLimit, color: 'red' }],
            width: 24,
            targets: [target(snapshotAge)],
          }),
        ],
      },
    ],
  });
}
