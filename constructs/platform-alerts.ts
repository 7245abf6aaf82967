import { AlertRule, RuleGroup, type AlertTestCase, type InputSeries } from './alert-rule';
import { SITE_DOWN_ALERT } from './alertmanager-config';
import type { ReplicationAlertInputs } from './bucket-replication';
import type { CronSchedule } from './cron-schedule';
import { Duration } from './duration';
import { PlatformError } from './platform-error';
import type { SiteProbeAlertInputs } from './site-probe';
import type { SqlServerAlertInputs } from './sql-server-log-shipping';
import type { CertificateMetrics } from './tls-certificate';
import { VAULT_METRICS_SERVICE } from './vault-cluster';
import { VAULT_SNAPSHOT_NAME } from './vault-snapshots';

/** kube-state-metrics' series of a CronJob's last successful run, in Unix seconds. */
export const CRONJOB_LAST_SUCCESS_METRIC = 'kube_cronjob_status_last_successful_time';
/** Vault's telemetry: 1 while the server is unsealed. */
export const VAULT_UNSEALED_METRIC = 'vault_core_unsealed';

/** The names of the alerts below, for routing, inhibition and the README. */
export const PLATFORM_ALERTS = {
  replicationLagging: 'ObjectStoreReplicationLagging',
  heartbeatMissing: 'ObjectStoreHeartbeatMissing',
  replicationFailing: 'ObjectStoreReplicationFailing',
  logBackupStale: 'SqlServerLogBackupStale',
  fullBackupStale: 'SqlServerFullBackupStale',
  standbyBehind: 'SqlServerStandbyBehindRecoveryPoint',
  restoreGap: 'SqlServerRestoreGap',
  jobFailing: 'SqlServerJobFailing',
  unreachable: 'SqlServerUnreachable',
  metricsMissing: 'SqlServerMetricsMissing',
  certificateRenewalOverdue: 'CertificateRenewalOverdue',
  certificateExpiring: 'CertificateExpiring',
  certificateNotReady: 'CertificateNotReady',
  vaultSnapshotStale: 'VaultSnapshotStale',
  vaultSealed: 'VaultSealed',
  siteDown: SITE_DOWN_ALERT,
} as const;

/**
 * The alerts the loss of the other site sets off at the site that survives (its
 * `AlertmanagerConfig.siteDownSymptoms`): replication to a lost disaster-recovery site fails at
 * the primary; at the disaster-recovery site, a lost primary's heartbeat ages past the lag
 * budget and the standby database falls behind the recovery point. While `SiteDown` pages,
 * they add nothing the on-call engineer can act on.
 */
export const PEER_SITE_LOSS_SYMPTOMS: readonly string[] = [PLATFORM_ALERTS.replicationFailing, PLATFORM_ALERTS.replicationLagging, PLATFORM_ALERTS.standbyBehind];

/** What the Vault snapshot alert needs of `VaultSnapshots`: its namespace and schedule. */
export interface VaultSnapshotAlertInputs {
  /** Vault's namespace, where the `vault-snapshot` CronJob runs. */
  readonly namespace: string;
  readonly schedule: CronSchedule;
}

export interface PlatformAlertsProps {
  /**
   * The site's role: the primary's Prometheus sees the backups and the replication source,
   * the disaster-recovery site's the restores and the heartbeat reader.
   */
  readonly siteRole: 'primary' | 'disaster-recovery';
  /** `BucketReplication.alertInputs`. */
  readonly replication: ReplicationAlertInputs;
  /** `SqlServerLogShipping.alertInputs`. */
  readonly sqlServer: SqlServerAlertInputs;
  /** `metrics` of every certificate at the site (`TlsCertificate.metrics`, `CertManager.root.metrics`), each once. */
  readonly certificates: readonly CertificateMetrics[];
  /** The site's `VaultSnapshots`. */
  readonly vaultSnapshots: VaultSnapshotAlertInputs;
  /** `SiteProbe.alertInputs`: this site's probe of the other site. */
  readonly siteProbe: SiteProbeAlertInputs;
}

/**
 * The platform's alerts at one site, from the typed inputs its components expose: bucket
 * replication, SQL Server log shipping, certificates, Vault and the probe of the other site. Every paging alert carries
 * a case that pages and one that must not; the others a case each way too.
 * @throws PlatformError naming the input, the bad value and what is allowed
 */
export function platformAlertGroups(props: PlatformAlertsProps): readonly RuleGroup[] {
  if (props.siteRole !== 'primary' && props.siteRole !== 'disaster-recovery') {
    throw PlatformError.invalidProp('platformAlertGroups', 'siteRole', props.siteRole, '"primary" or "disaster-recovery"');
  }
  const primary = props.siteRole === 'primary';
  return [
    RuleGroup.define({ name: 'object-store-replication', rules: primary ? [replicationFailing(props.replication)] : [replicationLagging(props.replication), heartbeatMissing(props.replication)] }),
    RuleGroup.define({
      name: 'sql-server-log-shipping',
      rules: [
        ...(primary ? [logBackupStale(props.sqlServer), fullBackupStale(props.sqlServer)] : [standbyBehind(props.sqlServer), restoreGap(props.sqlServer)]),
        jobFailing(props.sqlServer),
        unreachable(props.sqlServer),
        metricsMissing(props.sqlServer),
      ],
    }),
    RuleGroup.define({ name: 'certificates', rules: certificateAlerts(props.certificates) }),
    RuleGroup.define({ name: 'vault', rules: [vaultSnapshotStale(props.vaultSnapshots), vaultSealed()] }),
    RuleGroup.define({ name: 'sites', rules: [siteDown(props.siteProbe, primary)] }),
  ];
}

const SELECTOR = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?$/;
const EQUALITY = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*$/;

/** The name and labels of a selector made only of `label="value"` matchers: what a test series of it carries. */
export function parseSeries(selector: string): { readonly name: string; readonly labels: Readonly<Record<string, string>> } {
  const match = SELECTOR.exec(selector);
  const fail = () => PlatformError.invalidProp('platformAlertGroups', 'series', selector, 'a metric name with optional {label="value",...} equality matchers');
  if (match === null) throw fail();
  const labels: Record<string, string> = {};
  for (const matcher of match[2] === undefined || match[2].trim() === '' ? [] : match[2].split(',')) {
    const equality = EQUALITY.exec(matcher);
    if (equality === null) throw fail();
    labels[equality[1]] = JSON.parse(`"${equality[2]}"`) as string;
  }
  return { name: match[1], labels };
}

/** A selector with more equality matchers: `x{a="b"}` with `{ c: "d" }` is `x{a="b",c="d"}`. */
export function seriesWith(selector: string, extra: Readonly<Record<string, string>>): string {
  const { name, labels } = parseSeries(selector);
  const all = { ...labels, ...extra };
  const entries = Object.keys(all)
    .sort()
    .map((key) => `${key}=${JSON.stringify(all[key])}`);
  return entries.length === 0 ? name : `${name}{${entries.join(',')}}`;
}

const minutes = Duration.minutes;

/** A case with one series: fires with the series' labels (beside `extraLabels` the expression keeps), or stays silent. */
function oneSeries(name: string, series: string, values: string, evalTime: Duration, fires: boolean, interval?: Duration): AlertTestCase {
  const input: InputSeries[] = [{ series, values }];
  return fires ? { name, series: input, evalTime, interval, fires: true, alerts: [{ labels: parseSeries(series).labels }] } : { name, series: input, evalTime, interval, fires: false };
}

/**
 * The two cases of a `time() - <timestamp> > maxAge` alert, short whatever the threshold: a
 * timestamp ten minutes short of too old that never moves (too old after ten minutes, firing
 * once the alert's `for` has passed, by 30 minutes), and one that keeps moving, half the
 * threshold behind. Promtool's clock starts at 0, so the timestamps are negative.
 */
function staleCases(series: string, maxAgeSeconds: number, firing: string, silent: string): AlertTestCase[] {
  return [
    oneSeries(firing, series, `-${maxAgeSeconds - 600}+0x40`, minutes(30), true),
    oneSeries(silent, series, `-${Math.floor(maxAgeSeconds / 2)}+60x40`, minutes(30), false),
  ];
}

function replicationLagging(inputs: ReplicationAlertInputs): AlertRule {
  const budget = inputs.heartbeatAge.thresholdSeconds;
  const series = seriesWith(inputs.heartbeatAge.series, { bucket: 'documents' });
  return AlertRule.define({
    name: PLATFORM_ALERTS.replicationLagging,
    expr: `${inputs.heartbeatAge.series} > ${budget}`,
    for: minutes(5),
    severity: 'page',
    summary: `Bucket {{ $labels.bucket }} at this site is more than ${Duration.seconds(budget)} behind {{ $labels.source_site }}`,
    description: `The replication heartbeat read from this site's copy of {{ $labels.bucket }} is older than the lag budget (${Duration.seconds(budget)}): objects written at {{ $labels.source_site }} are not arriving, and a failover now would lose more than the recovery point allows. Check the source's replication (mc replicate status) and the link between the sites.`,
    tests: [
      // The age climbs a minute a minute from just under the budget: over it after two minutes, firing five later.
      oneSeries('a heartbeat that stopped arriving pages', series, `${budget - 60}+60x20`, minutes(15), true),
      oneSeries('a heartbeat within the budget stays silent', series, `${Math.min(60, budget - 1)}+0x20`, minutes(15), false),
    ],
  });
}

function heartbeatMissing(inputs: ReplicationAlertInputs): AlertRule {
  const series = seriesWith(inputs.heartbeatAge.series, { bucket: 'documents' });
  return AlertRule.define({
    name: PLATFORM_ALERTS.heartbeatMissing,
    expr: `absent(${inputs.heartbeatAge.series})`,
    for: minutes(10),
    severity: 'ticket',
    summary: 'No replication heartbeat age is exported at this site',
    description: `The heartbeat reader exports no ${parseSeries(inputs.heartbeatAge.series).name} series: it cannot read the heartbeat from this site's object store, or is not running, so replication lag is not measured.`,
    tests: [
      { name: 'a reader that stops exporting opens a ticket', series: [{ series, values: '30+0x5 _x30' }], evalTime: minutes(30), fires: true, alerts: [{ labels: parseSeries(inputs.heartbeatAge.series).labels }] },
      oneSeries('a reader that exports stays silent', series, '30+0x40', minutes(30), false),
    ],
  });
}

function replicationFailing(inputs: ReplicationAlertInputs): AlertRule {
  const series = seriesWith(inputs.failedReplications.series, { bucket: 'documents' });
  return AlertRule.define({
    name: PLATFORM_ALERTS.replicationFailing,
    expr: `increase(${inputs.failedReplications.series}[15m]) > 0`,
    for: minutes(1),
    severity: 'ticket',
    summary: 'MinIO failed to replicate objects of bucket {{ $labels.bucket }}',
    description: 'MinIO counted failed replications of {{ $labels.bucket }} in the last 15 minutes: those objects are missing at the disaster-recovery site until MinIO retries them. Check `mc replicate status` and the other site\'s MinIO.',
    tests: [oneSeries('a new failed replication opens a ticket', series, '0+0x10 1+0x20', minutes(15), true), oneSeries('a count that does not grow stays silent', series, '3+0x30', minutes(15), false)],
  });
}

function logBackupStale(inputs: SqlServerAlertInputs): AlertRule {
  const { series, maxAgeSeconds } = inputs.lastLogBackup;
  return AlertRule.define({
    name: PLATFORM_ALERTS.logBackupStale,
    expr: `time() - ${series} > ${maxAgeSeconds}`,
    for: minutes(5),
    severity: 'ticket',
    summary: `The newest log backup of {{ $labels.database }} is older than ${Duration.seconds(maxAgeSeconds)}`,
    description: `Log shipping has stopped at this (primary) site: no log backup of {{ $labels.database }} finished in two backup intervals. Look at the sql-server-backup-log CronJob's last Jobs; the standby falls behind the recovery point next.`,
    tests: [
      ...staleCases(series, maxAgeSeconds, 'no log backup since one nearly too old opens a ticket', 'log backups that keep finishing stay silent'),
    ],
  });
}

function fullBackupStale(inputs: SqlServerAlertInputs): AlertRule {
  const { series, maxAgeSeconds } = inputs.lastFullBackup;
  return AlertRule.define({
    name: PLATFORM_ALERTS.fullBackupStale,
    expr: `time() - ${series} > ${maxAgeSeconds}`,
    for: minutes(5),
    severity: 'ticket',
    summary: `The newest full backup of {{ $labels.database }} is older than ${Duration.seconds(maxAgeSeconds)}`,
    description: 'The daily full backup did not finish: restores from backups alone need more logs, and the recovery time estimate no longer holds. Look at the sql-server-backup-full CronJob\'s last Job.',
    tests: [
      ...staleCases(series, maxAgeSeconds, 'no full backup since one nearly too old opens a ticket', 'full backups that keep finishing stay silent'),
    ],
  });
}

function standbyBehind(inputs: SqlServerAlertInputs): AlertRule {
  const { series, maxAgeSeconds } = inputs.standbyRecoveryPoint;
  return AlertRule.define({
    name: PLATFORM_ALERTS.standbyBehind,
    expr: `time() - ${series} > ${maxAgeSeconds}`,
    for: minutes(5),
    severity: 'page',
    summary: `The standby copy of {{ $labels.database }} is more than ${Duration.seconds(maxAgeSeconds)} (the recovery point objective) behind {{ $labels.source_site }}`,
    description: `The last log backup restored at this disaster-recovery site finished more than the recovery point objective ago: a failover now would lose more data than promised. Check the primary's log backups, bucket replication of sql-backups, and the sql-server-restore CronJob here.`,
    runbookStep: 'sql-server.recover',
    tests: [
      ...staleCases(series, maxAgeSeconds, 'restores that stopped page once the recovery point is older than the objective', 'a standby steadily half the objective behind stays silent'),
    ],
  });
}

function restoreGap(inputs: SqlServerAlertInputs): AlertRule {
  const { series } = inputs.restoreGap;
  return AlertRule.define({
    name: PLATFORM_ALERTS.restoreGap,
    expr: `${series} == 1`,
    for: minutes(1),
    severity: 'page',
    summary: 'The restores of {{ $labels.database }} stopped at a gap in the log chain',
    description: 'A log backup is missing between the last one restored and the next: no later backup can be restored until the standby is reseeded from a full backup, so the standby falls further behind with every interval.',
    runbookStep: 'sql-server.reseed',
    tests: [oneSeries('a restore stopped at a gap pages', series, '0+0x5 1+0x20', minutes(15), true), oneSeries('restores without a gap stay silent', series, '0+0x20', minutes(15), false)],
  });
}

function jobFailing(inputs: SqlServerAlertInputs): AlertRule {
  const runs = inputs.jobRuns.series;
  const failure = seriesWith(runs, { outcome: 'failure' });
  const success = seriesWith(runs, { outcome: 'success' });
  const job = (series: string, values: string) => ({ series: seriesWith(series, { job: 'backup-log' }), values });
  const fired = [{ labels: { ...parseSeries(runs).labels, job: 'backup-log', outcome: 'failure' } }];
  return AlertRule.define({
    name: PLATFORM_ALERTS.jobFailing,
    // A failure with no success at least as recent: the success series' labels lose `outcome` in the comparison, the failure's keep it.
    expr: `${failure} unless ignoring(outcome) (${success} >= ignoring(outcome) ${failure})`,
    for: minutes(1),
    severity: 'ticket',
    summary: 'The last run of SQL Server job {{ $labels.job }} failed',
    description: 'The job {{ $labels.job }} failed more recently than it succeeded (or never succeeded): read its last Job\'s log, and the job_run table of the ops database.',
    tests: [
      { name: 'a failure after the last success opens a ticket', series: [job(success, '100+0x10'), job(failure, '200+0x10')], evalTime: minutes(5), fires: true, alerts: fired },
      { name: 'a job that never succeeded opens a ticket', series: [job(failure, '200+0x10')], evalTime: minutes(5), fires: true, alerts: fired },
      { name: 'a success after the last failure stays silent', series: [job(success, '300+0x10'), job(failure, '200+0x10')], evalTime: minutes(5), fires: false },
    ],
  });
}

function unreachable(inputs: SqlServerAlertInputs): AlertRule {
  const { series } = inputs.up;
  return AlertRule.define({
    name: PLATFORM_ALERTS.unreachable,
    expr: `${series} == 0`,
    for: minutes(5),
    severity: 'ticket',
    summary: 'The log-shipping exporter cannot query SQL Server',
    description: 'The sql-server-log-shipping-metrics exporter cannot query SQL Server, so the backup and restore alerts see nothing. Check the SQL Server pod and the exporter\'s log.',
    tests: [oneSeries('an exporter that cannot query opens a ticket', series, '1+0x5 0+0x20', minutes(15), true), oneSeries('an exporter that queries stays silent', series, '1+0x20', minutes(15), false)],
  });
}

function metricsMissing(inputs: SqlServerAlertInputs): AlertRule {
  const { series } = inputs.up;
  return AlertRule.define({
    name: PLATFORM_ALERTS.metricsMissing,
    expr: `absent(${series})`,
    for: minutes(10),
    severity: 'ticket',
    summary: 'The log-shipping exporter is not scraped',
    description: 'No lms_sql_up series reaches Prometheus: the sql-server-log-shipping-metrics exporter is down or not scraped, so the backup and restore alerts see nothing.',
    tests: [
      { name: 'an exporter that disappears opens a ticket', series: [{ series, values: '1+0x5 _x30' }], evalTime: minutes(30), fires: true, alerts: [{ labels: parseSeries(series).labels }] },
      oneSeries('an exporter that is scraped stays silent', series, '1+0x40', minutes(30), false),
    ],
  });
}

function certificateAlerts(certificates: readonly CertificateMetrics[]): AlertRule[] {
  const seen = new Set<string>();
  for (const certificate of certificates) {
    const key = `${certificate.labels.namespace}/${certificate.labels.name}`;
    if (seen.has(key)) throw PlatformError.invalidProp('platformAlertGroups', 'certificates', key, 'each certificate once');
    seen.add(key);
    if (!Number.isSafeInteger(certificate.renewBeforeSeconds) || certificate.renewBeforeSeconds < 3600) {
      throw PlatformError.invalidProp('platformAlertGroups', `certificates ${key}: renewBeforeSeconds`, certificate.renewBeforeSeconds, 'whole seconds of at least an hour');
    }
  }
  if (certificates.length === 0) {
    throw PlatformError.invalidProp('platformAlertGroups', 'certificates', [], 'the metrics of every certificate at the site, at least one');
  }
  // One rule per alert, or-ed over the certificates (each with its own renewal window): rules of one name and labels would be duplicates to Prometheus.
  const anyOf = (term: (certificate: CertificateMetrics) => string) => certificates.map((certificate) => `(${term(certificate)})`).join('\nor\n');
  // One case covers every certificate at once (each case is a promtool test group, which costs a fresh database).
  const all = (name: string, series: (certificate: CertificateMetrics) => InputSeries, fires: boolean): AlertTestCase => {
    const inputs = certificates.map(series);
    return fires
      ? { name, series: inputs, evalTime: minutes(30), fires: true, alerts: inputs.map((input) => ({ labels: parseSeries(input.series).labels })) }
      : { name, series: inputs, evalTime: minutes(30), fires: false };
  };
  const expiring = (name: string, expiresAt: (renewBeforeSeconds: number) => number, fires: boolean) =>
    all(name, (certificate) => ({ series: certificate.expirySeries, values: `${expiresAt(certificate.renewBeforeSeconds)}+0x40` }), fires);
  const window = (certificate: CertificateMetrics) => Duration.seconds(certificate.renewBeforeSeconds);
  const half = (certificate: CertificateMetrics) => Math.floor(certificate.renewBeforeSeconds / 2);
  return [
    AlertRule.define({
      name: PLATFORM_ALERTS.certificateRenewalOverdue,
      expr: anyOf((certificate) => `${certificate.expirySeries} - time() < ${certificate.renewBeforeSeconds}`),
      for: minutes(15),
      severity: 'ticket',
      summary: 'Certificate {{ $labels.namespace }}/{{ $labels.name }} is inside its renewal window and was not renewed',
      description: `cert-manager renews each platform certificate its renewBefore ahead of expiry (${[...new Set(certificates.map((certificate) => window(certificate).toString()))].join(', ')}); this one was not. Read \`kubectl -n {{ $labels.namespace }} describe certificate {{ $labels.name }}\` and its CertificateRequest.`,
      tests: [
        expiring('certificates inside their renewal window open a ticket each', (renewBefore) => Math.floor(renewBefore * 0.75), true),
        expiring('certificates before their renewal window stay silent', (renewBefore) => renewBefore * 2, false),
      ],
    }),
    AlertRule.define({
      name: PLATFORM_ALERTS.certificateExpiring,
      expr: anyOf((certificate) => `${certificate.expirySeries} - time() < ${half(certificate)}`),
      for: minutes(5),
      severity: 'page',
      summary: 'Certificate {{ $labels.namespace }}/{{ $labels.name }} is in the second half of its renewal window, close to expiry',
      description: 'Half the renewal window has passed without a renewal: when the certificate expires, clients refuse the endpoint. Renew it now (`cmctl renew`), or find why cert-manager cannot.',
      tests: [
        expiring('certificates in the second half of their renewal window page, each', (renewBefore) => Math.floor(renewBefore * 0.25), true),
        expiring('certificates in the first half of their renewal window do not page', (renewBefore) => Math.floor(renewBefore * 0.75), false),
      ],
    }),
    AlertRule.define({
      name: PLATFORM_ALERTS.certificateNotReady,
      expr: anyOf((certificate) => `${certificate.readySeries} != 1`),
      for: minutes(15),
      severity: 'ticket',
      summary: 'Certificate {{ $labels.namespace }}/{{ $labels.name }} is not Ready',
      description: 'cert-manager reports the certificate not Ready: it could not be issued or renewed. Read `kubectl -n {{ $labels.namespace }} describe certificate {{ $labels.name }}`.',
      tests: [
        all('certificates not Ready open a ticket each', (certificate) => ({ series: certificate.readySeries, values: '1+0x5 0+0x30' }), true),
        all('Ready certificates stay silent', (certificate) => ({ series: certificate.readySeries, values: '1+0x40' }), false),
      ],
    }),
  ];
}

function vaultSnapshotStale(inputs: VaultSnapshotAlertInputs): AlertRule {
  const maxAge = 2 * inputs.schedule.longestInterval.totalSeconds;
  const series = `${CRONJOB_LAST_SUCCESS_METRIC}{cronjob=${JSON.stringify(VAULT_SNAPSHOT_NAME)},namespace=${JSON.stringify(inputs.namespace)}}`;
  return AlertRule.define({
    name: PLATFORM_ALERTS.vaultSnapshotStale,
    expr: `time() - ${series} > ${maxAge}`,
    for: minutes(5),
    severity: 'ticket',
    summary: `No Vault snapshot succeeded in ${Duration.seconds(maxAge)} (twice the longest gap of schedule "${inputs.schedule}")`,
    description: `The ${VAULT_SNAPSHOT_NAME} CronJob has not succeeded for two of its intervals: a restore at the other site would miss the secrets written since. Read its last Jobs' logs (\`kubectl -n ${inputs.namespace} get jobs\`).`,
    tests: [
      ...staleCases(series, maxAge, 'no successful snapshot since one nearly too old opens a ticket', 'snapshots that keep succeeding stay silent'),
    ],
  });
}

/**
 * A server that answers its scrape without reporting itself unsealed. Vault sets
 * `vault_core_unsealed` 0 once when it starts and refreshes the gauge only from the metrics
 * loop it runs once unsealed (active and standby alike); the Prometheus sink drops a gauge
 * not refreshed within `prometheus_retention_time` (30 s). So a server that restarts sealed,
 * or is sealed while running, reports 0 for at most that long and then no series at all,
 * while its scrape (`up`) keeps succeeding: every server is a target (the ServiceMonitor
 * reads the headless Service, which lists not-ready pods too).
 */
function vaultSealed(): AlertRule {
  const up = `up{job=${JSON.stringify(VAULT_METRICS_SERVICE)}}`;
  const target = { job: VAULT_METRICS_SERVICE, namespace: 'lms-security', pod: 'vault-0' };
  const upSeries = seriesWith('up', target);
  const unsealedSeries = seriesWith(VAULT_UNSEALED_METRIC, target);
  const fires = (name: string, unsealed: string): AlertTestCase => ({
    name,
    series: [
      { series: upSeries, values: '1+0x20' },
      { series: unsealedSeries, values: unsealed },
    ],
    evalTime: minutes(15),
    fires: true,
    alerts: [{ labels: target }],
  });
  return AlertRule.define({
    name: PLATFORM_ALERTS.vaultSealed,
    expr: `${up} == 1 unless on (namespace, pod) ${VAULT_UNSEALED_METRIC} == 1`,
    for: minutes(2),
    severity: 'page',
    summary: 'Vault server {{ $labels.pod }} is sealed',
    description: 'The server answers but does not report itself unsealed: a sealed Vault server serves no secret, and pods that start now get no credentials. Unseal it (see "Bringing up a site\'s Vault" in the README) and find why it restarted sealed.',
    tests: [
      fires('a server that reports itself sealed pages', '1+0x5 0+0x15'),
      fires('a server whose unsealed gauge is gone while its scrape succeeds (restarted sealed) pages', '1+0x5 _x15'),
      {
        name: 'an unsealed server stays silent',
        series: [
          { series: upSeries, values: '1+0x20' },
          { series: unsealedSeries, values: '1+0x20' },
        ],
        evalTime: minutes(15),
        fires: false,
      },
      { name: 'a server that does not answer is not called sealed', series: [{ series: upSeries, values: '0+0x20' }], evalTime: minutes(15), fires: false },
    ],
  });
}

function siteDown(inputs: SiteProbeAlertInputs, primary: boolean): AlertRule {
  const { series } = inputs.up;
  const { labels } = parseSeries(series);
  // One alert whether the probe fails or is not scraped at all: both sides keep only the selector's labels (job, peer_site).
  const expr = `max by (${Object.keys(labels).sort().join(', ')}) (${series}) == 0\nor\nabsent(${series})`;
  const scraped = seriesWith(series, { instance: inputs.instance });
  const whatNow = primary
    ? `This site keeps serving, but bucket replication and log shipping to {{ $labels.peer_site }} stop, so there is no site to fail over to until it is back: find out whether {{ $labels.peer_site }} or only the link is down (the other site pages the same way if only the link is). Do not fail over.`
    : `If {{ $labels.peer_site }} cannot serve, fail over to this site with the failover runbook (\`${inputs.failoverCommand}\`), starting with its assessment; if only the link is down, {{ $labels.peer_site }} pages the same way and keeps serving.`;
  return AlertRule.define({
    name: PLATFORM_ALERTS.siteDown,
    expr,
    for: minutes(5),
    severity: 'page',
    summary: 'Site {{ $labels.peer_site }} does not answer this site\'s probe',
    description: `This site's Prometheus has not reached the object store of {{ $labels.peer_site }} (its cross-site endpoint's health check, with write quorum) for 5 minutes: the site, its object store or the link between the sites is down. ${whatNow} While this fires, the alerts the loss of {{ $labels.peer_site }} sets off here are held back.`,
    runbookStep: 'platform.declare',
    tests: [
      { name: 'a probe failing for 5 minutes pages', series: [{ series: scraped, values: '1+0x5 0+0x20' }], evalTime: minutes(15), fires: true, alerts: [{ labels }] },
      { name: 'a probe no longer scraped pages', series: [{ series: scraped, values: '1+0x5 _x30' }], evalTime: minutes(25), fires: true, alerts: [{ labels }] },
      oneSeries('a probe that answers stays silent', scraped, '1+0x30', minutes(15), false),
      oneSeries('a probe failing for 3 minutes stays silent', scraped, '1+0x5 0+0x3 1+0x20', minutes(9), false),
    ],
  });
}
