import { REPLICATION_METRICS } from './bucket-replication';
import { ELASTICSEARCH_METRICS } from './elasticsearch-alerts';
import { CRONJOB_LAST_SUCCESS_METRIC, VAULT_UNSEALED_METRIC } from './platform-alerts';
import { errorRatioRecord, LOAN_SERVICE_REQUESTS, SLO_WINDOWS } from './slo-alerts';
import { SQL_SERVER_METRICS } from './sql-server-log-shipping';

/**
 * The metric names the platform's dashboards may read, by exporter: the platform's own
 * exporters' constants (SQL Server log shipping, the replication heartbeat, the SLO recording
 * rules) and the upstream exporters' standard series. A dashboard query reading any other
 * name is a typo or a series nothing scrapes (tests/tools/dashboards.test.ts checks it).
 */

/** kube-state-metrics (the kube-prometheus-stack's). */
export const KUBE_STATE_METRICS = {
  podStatusReady: 'kube_pod_status_ready',
  podStatusPhase: 'kube_pod_status_phase',
  containerRestarts: 'kube_pod_container_status_restarts_total',
  deploymentReplicasUnavailable: 'kube_deployment_status_replicas_unavailable',
  statefulSetReplicasReady: 'kube_statefulset_status_replicas_ready',
  statefulSetReplicas: 'kube_statefulset_replicas',
  cronJobLastSuccess: CRONJOB_LAST_SUCCESS_METRIC,
  jobFailed: 'kube_job_status_failed',
  nodeStatusCondition: 'kube_node_status_condition',
  containerResourceLimits: 'kube_pod_container_resource_limits',
} as const;

/** The kubelet's volume statistics (scraped by the kube-prometheus-stack's kubelet ServiceMonitor). */
export const KUBELET_METRICS = {
  volumeUsedBytes: 'kubelet_volume_stats_used_bytes',
  volumeCapacityBytes: 'kubelet_volume_stats_capacity_bytes',
} as const;

/** cAdvisor's container series, from the kubelet. */
export const CADVISOR_METRICS = {
  containerCpuSeconds: 'container_cpu_usage_seconds_total',
  containerMemoryWorkingSet: 'container_memory_working_set_bytes',
} as const;

/** node-exporter. */
export const NODE_EXPORTER_METRICS = {
  cpuSeconds: 'node_cpu_seconds_total',
  memoryAvailable: 'node_memory_MemAvailable_bytes',
  memoryTotal: 'node_memory_MemTotal_bytes',
  filesystemAvailable: 'node_filesystem_avail_bytes',
  filesystemSize: 'node_filesystem_size_bytes',
} as const;

/** Prometheus' own: the alerts it evaluates, and whether each target answers its scrape. */
export const PROMETHEUS_METRICS = {
  alerts: 'ALERTS',
  up: 'up',
} as const;

/**
 * MinIO's v2 metrics on the two paths the platform scrapes (`/minio/v2/metrics/cluster` and
 * `/minio/v2/metrics/bucket`), as MinIO RELEASE.2025-10-15T17-29-55Z names them.
 * @see https://github.com/minio/minio/blob/RELEASE.2025-10-15T17-29-55Z/cmd/metrics-v2.go
 */
export const MINIO_METRICS = {
  capacityUsableTotal: 'minio_cluster_capacity_usable_total_bytes',
  capacityUsableFree: 'minio_cluster_capacity_usable_free_bytes',
  nodesOffline: 'minio_cluster_nodes_offline_total',
  drivesOffline: 'minio_cluster_drive_offline_total',
  bucketUsage: REPLICATION_METRICS.bucketSize,
  replicationFailedTotal: 'minio_bucket_replication_total_failed_count',
  replicationFailedLastHour: 'minio_bucket_replication_last_hour_failed_count',
  replicationSent: 'minio_bucket_replication_sent_count',
  replicationReceived: 'minio_bucket_replication_received_count',
} as const;

/**
 * Vault's telemetry (`/v1/sys/metrics?format=prometheus`); `handle_request` is a summary in
 * milliseconds.
 * @see https://developer.hashicorp.com/vault/docs/internals/telemetry/metrics/core-system
 */
export const VAULT_METRICS = {
  unsealed: VAULT_UNSEALED_METRIC,
  active: 'vault_core_active',
  requests: 'vault_core_handle_request_count',
  requestLatency: 'vault_core_handle_request',
  inFlightRequests: 'vault_core_in_flight_requests',
} as const;

/**
 * The loan-service's metrics, as app-services/loan-service/src/observability/service-metrics.ts
 * registers them (a test keeps these equal to that file), and the series of its histogram.
 */
export const LOAN_SERVICE_METRICS = {
  requests: LOAN_SERVICE_REQUESTS,
  requestErrors: 'http_request_errors_total',
  requestDuration: 'http_request_duration_seconds',
  dbPoolUsed: 'db_pool_connections_used',
  dbPoolFree: 'db_pool_connections_free',
  dbPoolPending: 'db_pool_pending_acquires',
  applicationsCreated: 'loan_applications_created_total',
  applicationsDisbursed: 'loan_applications_disbursed_total',
} as const;

/** The series of a Prometheus histogram or summary besides its quantiles. */
function histogramSeries(name: string): string[] {
  return [`${name}_bucket`, `${name}_sum`, `${name}_count`];
}

/** Every metric name a dashboard may read. */
export const PLATFORM_METRIC_NAMES: ReadonlySet<string> = new Set([
  ...Object.values(SQL_SERVER_METRICS),
  ...Object.values(REPLICATION_METRICS),
  ...Object.values(KUBE_STATE_METRICS),
  ...Object.values(KUBELET_METRICS),
  ...Object.values(CADVISOR_METRICS),
  ...Object.values(NODE_EXPORTER_METRICS),
  ...Object.values(PROMETHEUS_METRICS),
  ...Object.values(MINIO_METRICS),
  ...Object.values(VAULT_METRICS),
  ...Object.values(ELASTICSEARCH_METRICS),
  ...Object.values(LOAN_SERVICE_METRICS).filter((name) => name !== LOAN_SERVICE_METRICS.requestDuration),
  ...histogramSeries(LOAN_SERVICE_METRICS.requestDuration),
  ...SLO_WINDOWS.map(errorRatioRecord),
]);
