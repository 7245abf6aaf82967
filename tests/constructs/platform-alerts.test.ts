import type { AlertingRuleObject } from '../../constructs/alert-rule';
import { ruleFile } from '../../constructs/alert-rule';
import { CronSchedule } from '../../constructs/cron-schedule';
import { Duration } from '../../constructs/duration';
import { PEER_SITE_LOSS_SYMPTOMS, PLATFORM_ALERTS, parseSeries, platformAlertGroups, seriesWith, type PlatformAlertsProps } from '../../constructs/platform-alerts';
import { certificateMetrics } from '../../constructs/tls-certificate';

const inputs: PlatformAlertsProps = {
  siteRole: 'primary',
  replication: {
    heartbeatAge: { series: 'lms_object_store_replication_heartbeat_age_seconds{source_site="lusaka"}', thresholdSeconds: 300 },
    failedReplications: { series: 'minio_bucket_replication_failed_count' },
    bucketSize: { series: 'minio_bucket_usage_total_bytes' },
  },
  sqlServer: {
    lastLogBackup: { series: 'lms_sql_last_backup_timestamp_seconds{database="lms",kind="log"}', maxAgeSeconds: 1800 },
    lastFullBackup: { series: 'lms_sql_last_backup_timestamp_seconds{database="lms",kind="full"}', maxAgeSeconds: 93600 },
    standbyRecoveryPoint: { series: 'lms_sql_restored_backup_finish_timestamp_seconds{database="lms",source_site="lusaka"}', maxAgeSeconds: 3600 },
    restoreGap: { series: 'lms_sql_restore_gap{database="lms"}' },
    jobRuns: { series: 'lms_sql_job_last_run_timestamp_seconds' },
    up: { series: 'lms_sql_up' },
  },
  certificates: [certificateMetrics('vault', 'lms-security', Duration.days(30)), certificateMetrics('minio', 'lms-data', Duration.days(10))],
  vaultSnapshots: { namespace: 'lms-security', schedule: CronSchedule.parse('0 */6 * * *', 'schedule') },
  siteProbe: { peerSite: 'kitwe', up: { series: 'up{job="peer-site-kitwe",peer_site="kitwe"}' }, instance: '10.20.240.8:9000', failoverCommand: 'npm run dr -- --env production --promote lusaka' },
};
const alertsOf = (props: PlatformAlertsProps) =>
  ruleFile(platformAlertGroups(props)).groups.flatMap((group) => group.rules.map((rule) => [group.name, rule as AlertingRuleObject] as const));
const find = (props: PlatformAlertsProps, name: string) => alertsOf(props).find(([, rule]) => rule.alert === name)![1];
const disasterRecovery = { ...inputs, siteRole: 'disaster-recovery' as const };

describe('platformAlertGroups', () => {
  test('the primary alerts on what it runs: replication source, backups; the disaster-recovery site on the heartbeat and restores', () => {
    const summary = (props: PlatformAlertsProps) => alertsOf(props).map(([group, rule]) => `${group}/${rule.alert}/${rule.labels.severity}`);
    expect(summary(inputs)).toEqual([
      'object-store-replication/ObjectStoreReplicationFailing/ticket',
      'sql-server-log-shipping/SqlServerLogBackupStale/ticket',
      'sql-server-log-shipping/SqlServerFullBackupStale/ticket',
      'sql-server-log-shipping/SqlServerJobFailing/ticket',
      'sql-server-log-shipping/SqlServerUnreachable/ticket',
      'sql-server-log-shipping/SqlServerMetricsMissing/ticket',
      'certificates/CertificateRenewalOverdue/ticket',
      'certificates/CertificateExpiring/page',
      'certificates/CertificateNotReady/ticket',
      'vault/VaultSnapshotStale/ticket',
      'vault/VaultSealed/page',
      'sites/SiteDown/page',
    ]);
    expect(summary(disasterRecovery).slice(0, 5)).toEqual([
      'object-store-replication/ObjectStoreReplicationLagging/page',
      'object-store-replication/ObjectStoreHeartbeatMissing/ticket',
      'sql-server-log-shipping/SqlServerStandbyBehindRecoveryPoint/page',
      'sql-server-log-shipping/SqlServerRestoreGap/page',
      'sql-server-log-shipping/SqlServerJobFailing/ticket',
    ]);
  });

  test('thresholds come from the inputs: lag budget, two log backup intervals, the RPO, each renewal window, twice the snapshot interval', () => {
    expect(find(disasterRecovery, PLATFORM_ALERTS.replicationLagging).expr).toBe('lms_object_store_replication_heartbeat_age_seconds{source_site="lusaka"} > 300');
    expect(find(inputs, PLATFORM_ALERTS.logBackupStale).expr).toBe('time() - lms_sql_last_backup_timestamp_seconds{database="lms",kind="log"} > 1800');
    expect(find(disasterRecovery, PLATFORM_ALERTS.standbyBehind)).toMatchObject({
      expr: 'time() - lms_sql_restored_backup_finish_timestamp_seconds{database="lms",source_site="lusaka"} > 3600',
      for: '5m',
      annotations: { runbook_step: 'sql-server.recover' },
    });
    expect(find(inputs, PLATFORM_ALERTS.certificateExpiring).expr).toBe(
      '(certmanager_certificate_expiration_timestamp_seconds{name="vault",namespace="lms-security"} - time() < 1296000)\nor\n(certmanager_certificate_expiration_timestamp_seconds{name="minio",namespace="lms-data"} - time() < 432000)',
    );
    expect(find(inputs, PLATFORM_ALERTS.vaultSnapshotStale).expr).toBe('time() - kube_cronjob_status_last_successful_time{cronjob="vault-snapshot",namespace="lms-security"} > 43200');
    expect(find(inputs, PLATFORM_ALERTS.vaultSealed).expr).toBe('up{job="vault-internal"} == 1 unless on (namespace, pod) vault_core_unsealed == 1');
    expect(find(inputs, PLATFORM_ALERTS.jobFailing).expr).toBe(
      'lms_sql_job_last_run_timestamp_seconds{outcome="failure"} unless ignoring(outcome) (lms_sql_job_last_run_timestamp_seconds{outcome="success"} >= ignoring(outcome) lms_sql_job_last_run_timestamp_seconds{outcome="failure"})',
    );
  });

  test('every paging alert has a case that pages and one that does not; every alert has cases both ways', () => {
    for (const props of [inputs, disasterRecovery]) {
      for (const alert of platformAlertGroups(props).flatMap((group) => group.alerts)) {
        expect([alert.name, alert.tests.some((c) => c.fires), alert.tests.some((c) => !c.fires)]).toEqual([alert.name, true, true]);
      }
    }
  });

  test('SiteDown pages at both sites on a probe of the other site that fails or is not scraped, labelled with the probed site, and says what to do by role', () => {
    const [primaryGroup, primaryRule] = alertsOf(inputs).find(([, rule]) => rule.alert === PLATFORM_ALERTS.siteDown)!;
    expect(primaryGroup).toBe('sites');
    expect(primaryRule).toMatchObject({
      alert: 'SiteDown',
      expr: 'max by (job, peer_site) (up{job="peer-site-kitwe",peer_site="kitwe"}) == 0\nor\nabsent(up{job="peer-site-kitwe",peer_site="kitwe"})',
      for: '5m',
      labels: { severity: 'page' },
      annotations: { summary: "Site {{ $labels.peer_site }} does not answer this site's probe", runbook_step: 'platform.declare' },
    });
    expect(primaryRule.annotations.description).toContain('Do not fail over.');
    const standbyRule = find(disasterRecovery, PLATFORM_ALERTS.siteDown);
    expect(standbyRule.annotations.description).toContain('with the failover runbook (`npm run dr -- --env production --promote lusaka`)');
    expect(standbyRule.annotations.description).not.toContain('Do not fail over.');
    expect(PEER_SITE_LOSS_SYMPTOMS).toEqual(['ObjectStoreReplicationFailing', 'ObjectStoreReplicationLagging', 'SqlServerStandbyBehindRecoveryPoint']);
  });

  test('series helpers: labels of an equality selector, and more matchers added in order', () => {
    expect(parseSeries('x{b="2",a="1"}')).toEqual({ name: 'x', labels: { b: '2', a: '1' } });
    expect(seriesWith('x{b="2"}', { a: '1' })).toBe('x{a="1",b="2"}');
    expect(seriesWith('lms_sql_up', {})).toBe('lms_sql_up');
    expect(() => parseSeries('x{a=~"1"}')).toThrow('platformAlertGroups: series: "x{a=~\\"1\\"}" is not allowed (allowed: a metric name with optional {label="value",...} equality matchers)');
  });

  test.each([
    [{ siteRole: 'standby' }, 'platformAlertGroups: siteRole: "standby" is not allowed (allowed: "primary" or "disaster-recovery")'],
    [{ certificates: [] }, 'platformAlertGroups: certificates: [] is not allowed (allowed: the metrics of every certificate at the site, at least one)'],
    [{ certificates: [inputs.certificates[0], inputs.certificates[0]] }, 'platformAlertGroups: certificates: "lms-security/vault" is not allowed (allowed: each certificate once)'],
  ])('refuses %j', (override, message) => {
    expect(() => platformAlertGroups({ ...inputs, ...(override as Partial<PlatformAlertsProps>) })).toThrow(message);
  });
});
