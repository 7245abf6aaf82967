import type { Construct } from 'constructs';
import { LOAN_SERVICE_NAME } from '../charts-ts/loan-service-chart';
import { ALERT_SEVERITIES } from './alert-rule';
import type { ReplicationAlertInputs } from './bucket-replication';
import { Duration } from './duration';
import { ELASTICSEARCH_DASHBOARD_UID, elasticsearchDashboard } from './elasticsearch-dashboard';
import type { ElasticsearchAlertInputs } from './elasticsearch-alerts';
import { Dashboard } from './grafana-dashboard';
import { Panel, type PanelTarget } from './grafana-panel';
import { GrafanaDashboards } from './grafana-dashboards';
import type { MonitoringRulesSite } from './monitoring-rules';
import { parseSeries, seriesWith, type VaultSnapshotAlertInputs } from './platform-alerts';
import { CADVISOR_METRICS, KUBELET_METRICS, KUBE_STATE_METRICS, LOAN_SERVICE_METRICS, MINIO_METRICS, NODE_EXPORTER_METRICS, PROMETHEUS_METRICS, VAULT_METRICS } from './platform-metrics';
import { BURN_RATE_CONDITIONS, errorBudget, errorRatioRecord, loanServiceAvailabilitySlo } from './slo-alerts';
import type { SqlServerAlertInputs } from './sql-server-log-shipping';
import { VAULT_METRICS_SERVICE } from './vault-cluster';
import { VAULT_SNAPSHOT_NAME } from './vault-snapshots';

/** What the platform's dashboards are built from: the same typed inputs as the site's alerts. */
export interface PlatformDashboardsInputs {
  /** The site (`SiteCluster`): its name and namespaces. */
  readonly cluster: MonitoringRulesSite;
  /** `BucketReplication.alertInputs`: the heartbeat series with its lag budget. */
  readonly replication: ReplicationAlertInputs;
  /** `SqlServerLogShipping.alertInputs`: the backup, restore and job series with their thresholds. */
  readonly sqlServer: SqlServerAlertInputs;
  /** The site's `VaultSnapshots`: its namespace and schedule. */
  readonly vaultSnapshots: VaultSnapshotAlertInputs;
  /** The loan-service's namespace (`LoanService.namespace`) and the environment's `objectives.availabilityPercent`. */
  readonly loanService: { readonly namespace: string; readonly objectivePercent: number };
  /** `ElasticsearchExporter.alertInputs`: the log cluster's exporter, data streams, snapshot schedule and Filebeat. */
  readonly elasticsearch: ElasticsearchAlertInputs;
}

/** The dashboards' uids: stable, so links and bookmarks keep working. */
export const PLATFORM_DASHBOARD_UIDS = {
  overview: 'lms-platform-overview',
  sqlServer: 'lms-sql-server-log-shipping',
  objectStore: 'lms-object-store-replication',
  vault: 'lms-vault',
  loanService: 'lms-loan-service',
  elasticsearch: ELASTICSEARCH_DASHBOARD_UID,
} as const;

const q = JSON.stringify;
const target = (expr: string, legend?: string): PanelTarget => ({ expr, legend });
/** `{a="b",c=~"d"}` from label equalities, sorted by label. */
const matchers = (labels: Readonly<Record<string, string>>, regex: Readonly<Record<string, string>> = {}): string => {
  const all = [...Object.entries(labels).map(([name, value]) => [name, `=${q(value)}`]), ...Object.entries(regex).map(([name, value]) => [name, `=~${q(value)}`])];
  return `{${all
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, matcher]) => `${name}${matcher}`)
    .join(',')}}`;
};

/**
 * The platform's six dashboards for one site: overview, SQL Server log shipping, object store
 * replication, Vault, the loan-service's golden signals and the log cluster. Every site gets all six: after a
 * failover the disaster-recovery site takes the primary's part, so both sides' panels stay
 * (a panel of the other role shows no data).
 */
export function platformDashboards(inputs: PlatformDashboardsInputs): readonly Dashboard[] {
  return [overview(inputs), sqlServer(inputs), objectStore(inputs), vault(inputs), loanService(inputs), elasticsearchDashboard(inputs.cluster.siteName, inputs.elasticsearch)];
}

function overview(inputs: PlatformDashboardsInputs): Dashboard {
  const namespaces = Object.values(inputs.cluster.namespaces).sort().join('|');
  const ns = { namespace: namespaces };
  const ready = (status: string) => `${KUBE_STATE_METRICS.podStatusReady}${matchers({ condition: status }, ns)}`;
  const firing = (labels: Readonly<Record<string, string>>) => `${PROMETHEUS_METRICS.alerts}${matchers({ alertstate: 'firing', ...labels })}`;
  const used = (volumes: string) => `max by (namespace, persistentvolumeclaim) (${KUBELET_METRICS.volumeUsedBytes}${volumes} / ${KUBELET_METRICS.volumeCapacityBytes}${volumes})`;
  const fullness = [{ value: 0.8, color: 'orange' }, { value: 0.9, color: 'red' }] as const;
  return Dashboard.define({
    uid: PLATFORM_DASHBOARD_UIDS.overview,
    title: `Platform overview (${inputs.cluster.siteName})`,
    tags: ['lms', 'platform'],
    rows: [
      {
        title: 'Alerts',
        panels: [
          ...ALERT_SEVERITIES.map((severity) =>
            Panel.stat({ title: `Firing alerts: ${severity}`, targets: [target(`count(${firing({ severity })}) or vector(0)`)], thresholds: [{ value: 1, color: severity === 'page' ? 'red' : 'orange' }] }),
          ),
          Panel.timeseries({ title: 'Firing alerts by severity', targets: [target(`count by (severity) (${firing({})})`, '{{severity}}')] }),
          Panel.table({ title: 'Firing alerts', targets: [target(`count by (alertname, severity) (${firing({})})`)] }),
        ],
      },
      {
        title: 'Workloads',
        panels: [
          Panel.stat({ title: 'Pods not ready', description: `Pods of the platform's namespaces (${namespaces.replace(/\|/g, ', ')}) whose Ready condition is not true.`, targets: [target(`sum(${ready('false')}) + sum(${ready('unknown')})`)], thresholds: [{ value: 1, color: 'red' }] }),
          Panel.stat({ title: 'Container restarts (1h)', targets: [target(`sum(increase(${KUBE_STATE_METRICS.containerRestarts}${matchers({}, ns)}[1h]))`)], thresholds: [{ value: 1, color: 'orange' }] }),
          Panel.timeseries({ title: 'Pods not ready by namespace', targets: [target(`sum by (namespace) (${ready('false')})`, '{{namespace}}')] }),
        ],
      },
      {
        title: 'Nodes',
        panels: [
          Panel.timeseries({ title: 'Node CPU busy', unit: 'percentunit', thresholds: fullness, targets: [target(`1 - avg by (instance) (rate(${NODE_EXPORTER_METRICS.cpuSeconds}{mode="idle"}[$__rate_interval]))`, '{{instance}}')] }),
          Panel.timeseries({ title: 'Node memory used', unit: 'percentunit', thresholds: fullness, targets: [target(`1 - ${NODE_EXPORTER_METRICS.memoryAvailable} / ${NODE_EXPORTER_METRICS.memoryTotal}`, '{{instance}}')] }),
          Panel.stat({ title: 'Nodes not ready', targets: [target(`sum(${KUBE_STATE_METRICS.nodeStatusCondition}{condition="Ready",status!="true"})`)], thresholds: [{ value: 1, color: 'red' }] }),
        ],
      },
      {
        title: 'Storage',
        panels: [
          Panel.timeseries({ title: 'Persistent volume usage', unit: 'percentunit', thresholds: fullness, width: 24, targets: [target(used(matchers({}, ns)), '{{namespace}}/{{persistentvolumeclaim}}')] }),
        ],
      },
    ],
  });
}

function sqlServer(inputs: PlatformDashboardsInputs): Dashboard {
  const sql = inputs.sqlServer;
  const age = (series: string) => `time() - max(${series})`;
  const rpo = sql.standbyRecoveryPoint.maxAgeSeconds;
  const objective = target(`vector(${rpo})`, `recovery point objective (${Duration.seconds(rpo)})`);
  const runs = (outcome: string) => seriesWith(sql.jobRuns.series, { outcome });
  return Dashboard.define({
    uid: PLATFORM_DASHBOARD_UIDS.sqlServer,
    title: `SQL Server and log shipping (${inputs.cluster.siteName})`,
    tags: ['lms', 'sql-server'],
    rows: [
      {
        title: 'Backups at the primary',
        panels: [
          Panel.stat({
            title: 'Last log backup age',
            description: `Log backups are due every ${Duration.seconds(sql.lastLogBackup.maxAgeSeconds / 2)}; orange from two intervals (the alert), red at the recovery point objective.`,
            unit: 's',
            targets: [target(age(sql.lastLogBackup.series))],
            thresholds: [{ value: sql.lastLogBackup.maxAgeSeconds, color: 'orange' }, { value: rpo, color: 'red' }],
          }),
          Panel.stat({ title: 'Last full backup age', unit: 's', targets: [target(age(sql.lastFullBackup.series))], thresholds: [{ value: sql.lastFullBackup.maxAgeSeconds, color: 'red' }] }),
          Panel.stat({ title: 'Exporter reaches SQL Server', targets: [target(`min(${sql.up.series})`)], baseColor: 'red', thresholds: [{ value: 1, color: 'green' }] }),
          Panel.timeseries({ title: 'Log backup age vs recovery point objective', unit: 's', width: 24, targets: [target(age(sql.lastLogBackup.series), 'last log backup'), objective] }),
        ],
      },
      {
        title: 'Restores at the disaster-recovery site',
        panels: [
          Panel.stat({ title: 'Standby behind the primary', description: 'Age of the newest log backup restored at this site: the data a failover now would lose.', unit: 's', targets: [target(age(sql.standbyRecoveryPoint.series))], thresholds: [{ value: rpo, color: 'red' }] }),
          Panel.stat({ title: 'Restores stopped at a gap', targets: [target(`max(${sql.restoreGap.series})`)], thresholds: [{ value: 1, color: 'red' }] }),
          Panel.timeseries({ title: 'Restore lag vs recovery point objective', unit: 's', targets: [target(age(sql.standbyRecoveryPoint.series), 'restore lag'), objective] }),
        ],
      },
      {
        title: 'Jobs',
        panels: [
          Panel.timeseries({ title: 'Job successes per day', description: 'Runs that succeeded in the last 24 hours: each moves its last-success time.', targets: [target(`sum by (job) (changes(${runs('success')}[1d]))`, '{{job}}')] }),
          Panel.timeseries({ title: 'Job failures per day', targets: [target(`sum by (job) (changes(${runs('failure')}[1d]))`, '{{job}}')], thresholds: [{ value: 1, color: 'red' }] }),
          Panel.table({ title: 'Time since each job last ran', unit: 's', targets: [target(`time() - max by (job, outcome) (${sql.jobRuns.series})`)] }),
        ],
      },
    ],
  });
}

function objectStore(inputs: PlatformDashboardsInputs): Dashboard {
  const heartbeat = inputs.replication.heartbeatAge;
  const data = { namespace: inputs.cluster.namespaces.data };
  const minio = (name: string) => `${name}${matchers(data)}`;
  const capacityUsed = `1 - max(${minio(MINIO_METRICS.capacityUsableFree)}) / max(${minio(MINIO_METRICS.capacityUsableTotal)})`;
  return Dashboard.define({
    uid: PLATFORM_DASHBOARD_UIDS.objectStore,
    title: `MinIO replication (${inputs.cluster.siteName})`,
    tags: ['lms', 'minio'],
    rows: [
      {
        title: 'Replication',
        panels: [
          Panel.stat({ title: 'Oldest replication heartbeat', description: `At the disaster-recovery site: how far its copy is behind ${parseSeries(heartbeat.series).labels.source_site ?? 'the source'}; red over the lag budget.`, unit: 's', targets: [target(`max(${heartbeat.series})`)], thresholds: [{ value: heartbeat.thresholdSeconds, color: 'red' }] }),
          Panel.stat({ title: 'Failed replications (last hour)', description: 'At the primary: objects MinIO could not copy to the other site in the last hour.', targets: [target(`sum(${minio(MINIO_METRICS.replicationFailedLastHour)}) or vector(0)`)], thresholds: [{ value: 1, color: 'red' }] }),
          Panel.timeseries({ title: 'Heartbeat age by bucket', unit: 's', thresholds: [{ value: heartbeat.thresholdSeconds, color: 'red' }], targets: [target(`max by (bucket) (${heartbeat.series})`, '{{bucket}}')] }),
          Panel.timeseries({ title: 'Failed replications by bucket', targets: [target(`sum by (bucket) (increase(${minio(MINIO_METRICS.replicationFailedTotal)}[$__rate_interval]))`, '{{bucket}}')] }),
          Panel.timeseries({ title: 'Objects replicated', description: 'Sent at the primary, received at the disaster-recovery site.', targets: [target(`sum by (bucket) (increase(${minio(MINIO_METRICS.replicationSent)}[$__rate_interval]))`, 'sent {{bucket}}'), target(`sum by (bucket) (increase(${minio(MINIO_METRICS.replicationReceived)}[$__rate_interval]))`, 'received {{bucket}}')] }),
        ],
      },
      {
        title: 'Capacity',
        panels: [
          Panel.stat({ title: 'Usable capacity used', unit: 'percentunit', targets: [target(capacityUsed)], thresholds: [{ value: 0.75, color: 'orange' }, { value: 0.85, color: 'red' }] }),
          Panel.stat({ title: 'Offline nodes', targets: [target(`max(${minio(MINIO_METRICS.nodesOffline)})`)], thresholds: [{ value: 1, color: 'red' }] }),
          Panel.stat({ title: 'Offline drives', targets: [target(`max(${minio(MINIO_METRICS.drivesOffline)})`)], thresholds: [{ value: 1, color: 'red' }] }),
          Panel.timeseries({ title: 'Bucket size', unit: 'bytes', width: 24, targets: [target(`max by (bucket) (${minio(MINIO_METRICS.bucketUsage)})`, '{{bucket}}')] }),
        ],
      },
    ],
  });
}

function vault(inputs: PlatformDashboardsInputs): Dashboard {
  const security = { namespace: inputs.cluster.namespaces.security };
  const series = (name: string) => `${name}${matchers(security)}`;
  const snapshotMaxAge = 2 * inputs.vaultSnapshots.schedule.longestInterval.totalSeconds;
  const snapshot = `${KUBE_STATE_METRICS.cronJobLastSuccess}${matchers({ cronjob: VAULT_SNAPSHOT_NAME, namespace: inputs.vaultSnapshots.namespace })}`;
  return Dashboard.define({
    uid: PLATFORM_DASHBOARD_UIDS.vault,
    title: `Vault (${inputs.cluster.siteName})`,
    tags: ['lms', 'vault'],
    rows: [
      {
        title: 'Servers',
        panels: [
          // As the VaultSealed alert counts them: a sealed server answers the scrape but stops
          // refreshing its unsealed gauge, which then disappears.
          Panel.stat({
            title: 'Sealed servers',
            description: 'Servers that answer the metrics scrape without reporting themselves unsealed (the VaultSealed alert).',
            targets: [target(`count((${PROMETHEUS_METRICS.up}${matchers({ ...security, job: VAULT_METRICS_SERVICE })} == 1) unless on (namespace, pod) (${series(VAULT_METRICS.unsealed)} == 1)) or vector(0)`)],
            thresholds: [{ value: 1, color: 'red' }],
          }),
          Panel.stat({ title: 'Active servers (leader)', description: 'Exactly one server of the cluster is active; the others forward to it.', targets: [target(`sum(${series(VAULT_METRICS.active)})`)], baseColor: 'red', thresholds: [{ value: 1, color: 'green' }, { value: 2, color: 'red' }] }),
          Panel.stat({ title: 'Last snapshot age', description: `Red at twice the longest gap of the snapshot schedule "${inputs.vaultSnapshots.schedule}" (the alert).`, unit: 's', targets: [target(`time() - max(${snapshot})`)], thresholds: [{ value: snapshotMaxAge, color: 'red' }] }),
          Panel.timeseries({ title: 'Leader by server', targets: [target(`max by (pod) (${series(VAULT_METRICS.active)})`, '{{pod}}')] }),
          Panel.timeseries({ title: 'Snapshot age', unit: 's', thresholds: [{ value: snapshotMaxAge, color: 'red' }], targets: [target(`time() - max(${snapshot})`, VAULT_SNAPSHOT_NAME)] }),
        ],
      },
      {
        title: 'Requests',
        panels: [
          Panel.timeseries({ title: 'Request rate', unit: 'reqps', targets: [target(`sum by (pod) (rate(${series(VAULT_METRICS.requests)}[$__rate_interval]))`, '{{pod}}')] }),
          Panel.timeseries({ title: 'Request latency (p99)', unit: 'ms', targets: [target(`max by (pod) (${VAULT_METRICS.requestLatency}${matchers({ ...security, quantile: '0.99' })})`, '{{pod}}')] }),
        ],
      },
    ],
  });
}

function loanService(inputs: PlatformDashboardsInputs): Dashboard {
  const slo = loanServiceAvailabilitySlo(inputs.loanService);
  const service = parseSeries(slo.total).labels;
  const selected = (extra: Readonly<Record<string, string>> = {}) => matchers(service, { route: '$route', ...extra });
  const rate = (name: string, extra: Readonly<Record<string, string>> = {}) => `rate(${name}${selected(extra)}[$__rate_interval])`;
  const budget = errorBudget(slo.objectivePercent);
  const burn = (window: (typeof BURN_RATE_CONDITIONS)[number]['long']) => `${errorRatioRecord(window)}${matchers({ slo: slo.name })} / ${budget}`;
  const quantile = (value: number) => target(`histogram_quantile(${value}, sum by (le) (${rate(`${LOAN_SERVICE_METRICS.requestDuration}_bucket`)}))`, `p${Math.round(value * 100)}`);
  const pods = matchers({ container: LOAN_SERVICE_NAME, namespace: inputs.loanService.namespace });
  const burnSteps = [...new Set(BURN_RATE_CONDITIONS.map((condition) => condition.factor))].sort((a, b) => a - b);
  const burnColors = ['yellow', 'orange', 'red', 'red'] as const;
  return Dashboard.define({
    uid: PLATFORM_DASHBOARD_UIDS.loanService,
    title: `Loan service (${inputs.cluster.siteName})`,
    tags: ['lms', 'loan-service', 'slo'],
    variables: [{ name: 'route', label: 'Route', series: `${LOAN_SERVICE_METRICS.requests}${matchers(service)}`, labelName: 'route' }],
    rows: [
      {
        title: 'Traffic',
        panels: [
          Panel.stat({ title: 'Requests per second', unit: 'reqps', targets: [target(`sum(${rate(LOAN_SERVICE_METRICS.requests)})`)] }),
          Panel.stat({ title: 'Applications submitted (1d)', targets: [target(`sum(increase(${LOAN_SERVICE_METRICS.applicationsCreated}${matchers(service)}[1d]))`)] }),
          Panel.stat({ title: 'Loans disbursed (1d)', targets: [target(`sum(increase(${LOAN_SERVICE_METRICS.applicationsDisbursed}${matchers(service)}[1d]))`)] }),
          Panel.timeseries({ title: 'Request rate by route', unit: 'reqps', width: 24, targets: [target(`sum by (route) (${rate(LOAN_SERVICE_METRICS.requests)})`, '{{route}}')] }),
        ],
      },
      {
        title: 'Errors',
        panels: [
          Panel.timeseries({
            title: 'Server error ratio (5xx)',
            unit: 'percentunit',
            thresholds: [{ value: budget, color: 'red' }],
            targets: [target(`sum(${rate(LOAN_SERVICE_METRICS.requests, { status_code: '5..' })}) / sum(${rate(LOAN_SERVICE_METRICS.requests)})`, '5xx ratio')],
          }),
          Panel.timeseries({ title: 'Client errors by route (4xx)', unit: 'reqps', targets: [target(`sum by (route, status_code) (${rate(LOAN_SERVICE_METRICS.requestErrors, { status_code: '4..' })})`, '{{route}} {{status_code}}')] }),
        ],
      },
      {
        title: 'Latency',
        panels: [Panel.timeseries({ title: 'Latency percentiles', unit: 's', width: 24, targets: [quantile(0.5), quantile(0.9), quantile(0.99)] })],
      },
      {
        title: 'Saturation',
        panels: [
          Panel.timeseries({
            title: 'Database connection pool',
            description: 'Connections in use and idle, and requests waiting for one: waiting requests mean the pool is too small or the database slow.',
            targets: [LOAN_SERVICE_METRICS.dbPoolUsed, LOAN_SERVICE_METRICS.dbPoolFree, LOAN_SERVICE_METRICS.dbPoolPending].map((name) => target(`sum(${name}${matchers(service)})`, name)),
          }),
          Panel.timeseries({ title: 'CPU by pod', unit: 'short', targets: [target(`sum by (pod) (rate(${CADVISOR_METRICS.containerCpuSeconds}${pods}[$__rate_interval]))`, '{{pod}}')] }),
          Panel.timeseries({ title: 'Memory by pod', unit: 'bytes', targets: [target(`sum by (pod) (${CADVISOR_METRICS.containerMemoryWorkingSet}${pods})`, '{{pod}}')] }),
        ],
      },
      {
        title: 'Error budget',
        panels: [
          Panel.stat({
            title: 'Budget burn rate (1h)',
            description: `How many times faster than the ${slo.objectivePercent} % objective allows errors are using the error budget: 1 uses it up in exactly the period; the alerts page at ${burnSteps[burnSteps.length - 1]}.`,
            targets: [target(burn('1h'))],
            thresholds: burnSteps.map((value, index) => ({ value, color: burnColors[index] })),
          }),
          Panel.timeseries({
            title: 'Budget burn rate by window',
            width: 18,
            thresholds: burnSteps.map((value, index) => ({ value, color: burnColors[index] })),
            targets: BURN_RATE_CONDITIONS.map((condition) => target(burn(condition.long), condition.long)),
          }),
        ],
      },
    ],
  });
}

/** The id of the dashboards component in the site's stack. */
export const GRAFANA_DASHBOARDS_ID = 'grafana-dashboards';

/**
 * The site's platform dashboards as a `GrafanaDashboards` component under `scope`
 * (id `grafana-dashboards`): what the observability layer creates.
 */
export function buildPlatformDashboards(scope: Construct, inputs: PlatformDashboardsInputs): GrafanaDashboards {
  return new GrafanaDashboards(scope, GRAFANA_DASHBOARDS_ID, { cluster: inputs.cluster, dashboards: platformDashboards(inputs) });
}
