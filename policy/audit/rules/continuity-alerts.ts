import { judge } from '../../objects';
import { alertRulesOf, otherSite, subject } from '../facts';
import { primarySiteOf } from '../plan';
import type { AuditCheck } from '../types';

/** What must page someone when backups, replication or snapshots stop: the metric an alert must watch, and where. */
export const CONTINUITY_SIGNALS: readonly { readonly name: string; readonly at: 'primary' | 'dr' | 'every site'; readonly expr: RegExp; readonly metric: string }[] = [
  { name: 'log backups', at: 'primary', expr: /lms_sql_last_backup_timestamp_seconds\{[^}]*kind="log"/, metric: 'lms_sql_last_backup_timestamp_seconds{kind="log"}' },
  { name: 'full backups', at: 'primary', expr: /lms_sql_last_backup_timestamp_seconds\{[^}]*kind="full"/, metric: 'lms_sql_last_backup_timestamp_seconds{kind="full"}' },
  { name: 'bucket replication failures', at: 'primary', expr: /minio_bucket_replication_total_failed_count/, metric: 'minio_bucket_replication_total_failed_count' },
  { name: 'replication lag', at: 'dr', expr: /lms_object_store_replication_heartbeat_age_seconds/, metric: 'lms_object_store_replication_heartbeat_age_seconds' },
  { name: 'standby recovery point', at: 'dr', expr: /lms_sql_restored_backup_finish_timestamp_seconds/, metric: 'lms_sql_restored_backup_finish_timestamp_seconds' },
  { name: 'Vault snapshots', at: 'every site', expr: /cronjob="vault-snapshot"/, metric: 'kube_cronjob_status_last_successful_time{cronjob="vault-snapshot"}' },
  { name: 'Elasticsearch snapshots', at: 'every site', expr: /elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds/, metric: 'elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds' },
];

/** Every backup, replication and snapshot has an alert rule at the site where it can be seen. */
export const continuityAlerts: AuditCheck = (plan) => {
  const primary = primarySiteOf(plan);
  const dr = primary === undefined ? undefined : otherSite(plan, primary);
  const sites = [...new Set(plan.stacks.map((stack) => stack.site))];
  const alerts = alertRulesOf(plan);
  return CONTINUITY_SIGNALS.flatMap((signal) => {
    const where = signal.at === 'primary' ? [primary] : signal.at === 'dr' ? [dr] : sites;
    return where.flatMap((site) => {
      const ref = subject('AlertSignal', signal.name, undefined, site ?? `(${signal.at})`);
      const found = site !== undefined && alerts.some((rule) => rule.site === site && signal.expr.test(rule.expr));
      return judge(ref, found ? [] : [{ path: `PrometheusRule alerts at ${site ?? `the ${signal.at} site`}`, value: undefined, allowed: `an alert on ${signal.metric}` }]);
    });
  });
};
