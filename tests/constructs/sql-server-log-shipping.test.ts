import { Testing } from 'cdktf';
import type { BucketReplication } from '../../constructs/bucket-replication';
import { Duration } from '../../constructs/duration';
import type { KubeObject } from '../../constructs/platform-component';
import { SqlServer } from '../../constructs/sql-server';
import { SQL_JOBS, SqlServerJobs, SqlServerLogShipping, type SqlServerLogShippingProps } from '../../constructs/sql-server-log-shipping';
import { buildPlatform } from '../../stacks/platform';
import { logShippingOf } from '../../stacks/recovery-summary';
import { environmentNamed } from '../support/environments';
import { testScope } from '../support/fixtures';

const production = environmentNamed('production');
const sites = buildPlatform(Testing.app(), [production]);
const lusaka = sites.get('production-lusaka')!;
const kitwe = sites.get('production-kitwe')!;
const shipping = logShippingOf([lusaka.data.stack])!;
const find = (objects: readonly KubeObject[], kind: string, name: string) => {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind}/${name}`);
  return found as any;
};
const names = (objects: readonly KubeObject[], kind: string) => objects.filter((object) => object.kind === kind).map((object) => object.metadata.name);

describe('SqlServerLogShipping: Lusaka to Kitwe through the replicated sql-backups bucket', () => {
  test('the primary backs up (log every 15 min, differential every 6 h, full daily); the standby restores every 15 min', () => {
    const primary = shipping.primaryJobs.objects;
    const standby = shipping.standbyJobs.objects;
    expect(Object.fromEntries(primary.filter((o) => o.kind === 'CronJob').map((o: any) => [o.metadata.name, [o.spec.schedule, o.spec.suspend]]))).toEqual({
      'sql-server-setup': ['47 * * * *', false],
      'sql-server-backup-log': ['*/15 * * * *', false],
      'sql-server-backup-differential': ['45 */6 * * *', false],
      'sql-server-backup-full': ['30 1 * * *', false],
      'sql-server-backup-tail-log': ['0 0 1 1 *', true],
    });
    expect(Object.fromEntries(standby.filter((o) => o.kind === 'CronJob').map((o: any) => [o.metadata.name, [o.spec.schedule, o.spec.suspend]]))).toEqual({
      'sql-server-setup': ['47 * * * *', false],
      'sql-server-restore': ['5-59/15 * * * *', false],
      'sql-server-recover': ['0 0 1 1 *', true],
      'sql-server-reseed': ['0 0 1 1 *', true],
    });
    expect(shipping.primaryJobs.node.path).toBe('production-lusaka-data/sql-server-jobs');
    expect(shipping.standbyJobs.node.path).toBe('production-kitwe-data/sql-server-jobs');
    const log = find(primary, 'CronJob', SQL_JOBS.backupLog).spec;
    expect(log.concurrencyPolicy).toBe('Forbid');
    expect(log.jobTemplate.spec.template.spec.containers[0].command).toEqual(['node', 'dist/main.js', 'backup', '--kind', 'log', '--config', '/etc/sql-server-jobs/log-shipping.json']);
  });

  test('each site\'s configuration: its own prefix, the primary\'s prefix to restore from, stripes and logins', () => {
    expect(shipping.primaryJobs.config).toEqual({
      site: 'lusaka',
      role: 'primary',
      database: 'lms',
      opsDatabase: 'lms_ops',
      backupUrlBase: 's3://minio.lms-data.svc.cluster.local:9000/sql-backups',
      bucket: 'sql-backups',
      ownPrefix: 'lusaka/lms/',
      sourcePrefix: null,
      fullBackupStripes: 2,
      maxTransferSizeBytes: 20971520,
      standby: { mode: 'norecovery' },
      logins: lusaka.data.sqlServer.logins.map((login) => ({ name: login.name, sid: login.sid, passwordFile: `/vault/secrets/login-${login.name}`, serverRoles: login.serverRoles, databaseRoles: login.databaseRoles })),
    });
    expect(shipping.standbyJobs.config).toMatchObject({ site: 'kitwe', role: 'secondary', ownPrefix: 'kitwe/lms/', sourcePrefix: 'lusaka/lms/' });
    expect(find(shipping.primaryJobs.objects, 'ConfigMap', 'sql-server-jobs').data['log-shipping.json']).toBe(`${JSON.stringify(shipping.primaryJobs.config, null, 2)}\n`);
    expect(shipping.primaryJobs.longestBackupUrl).toBe('s3://minio.lms-data.svc.cluster.local:9000/sql-backups/lusaka/lms/20261126T024433Z-differential.dif');
  });

  test('the setup Job is named after its configuration and runs as sa; the others as log_shipping; no secret in any object', () => {
    expect(shipping.primaryJobs.setupJobName).toMatch(/^sql-server-setup-[0-9a-f]{10}$/);
    expect(shipping.primaryJobs.setupJobName).not.toBe(shipping.standbyJobs.setupJobName);
    const setup = find(shipping.primaryJobs.objects, 'Job', shipping.primaryJobs.setupJobName).spec.template;
    const env = Object.fromEntries(setup.spec.containers[0].env.map((entry: any) => [entry.name, entry.value]));
    expect(env).toMatchObject({ MSSQL_USER: 'sa', MSSQL_PASSWORD_FILE: '/vault/secrets/mssql-password', MSSQL_CA_FILE: '/etc/lms-ca/ca.crt', S3_CREDENTIALS_FILE: '/vault/secrets/object-store.env' });
    expect(Object.keys(setup.metadata.annotations).filter((key) => key.startsWith('vault.hashicorp.com/agent-inject-secret-')).sort()).toEqual([
      'vault.hashicorp.com/agent-inject-secret-login-loan_service',
      'vault.hashicorp.com/agent-inject-secret-login-log_shipping',
      'vault.hashicorp.com/agent-inject-secret-mssql-password',
      'vault.hashicorp.com/agent-inject-secret-object-store.env',
    ]);
    const restore = find(shipping.standbyJobs.objects, 'CronJob', SQL_JOBS.restore).spec.jobTemplate.spec.template;
    expect(restore.spec.containers[0].env.find((entry: any) => entry.name === 'MSSQL_USER').value).toBe('log_shipping');
    expect(restore.spec.serviceAccountName).toBe('sql-server-log-shipping');
    expect(shipping.standbyJobs.consumers.shipping.secrets.map((secret) => secret.dataPath)).toEqual(['kv/data/production/object-store/sql-server', 'kv/data/production/sql-server/log-shipping']);
    expect(JSON.stringify([...shipping.primaryJobs.objects, ...shipping.standbyJobs.objects])).not.toMatch(/PASSWORD=|SECRET_ACCESS_KEY=[^'{]/);
  });

  test('the metrics exporter at both sites, scraped by the site\'s Prometheus', () => {
    for (const jobs of [shipping.primaryJobs, shipping.standbyJobs]) {
      expect(names(jobs.objects, 'Deployment')).toEqual([SQL_JOBS.exporter]);
      expect(find(jobs.objects, 'ServiceMonitor', SQL_JOBS.exporter).metadata.labels).toMatchObject({ 'lms.co.zm/scrape': 'true' });
    }
    const policy = find(shipping.primaryJobs.objects, 'NetworkPolicy', 'sql-server-jobs').spec;
    expect(policy.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 9103 }]);
    expect(policy.egress.map((rule: any) => rule.ports.map((port: any) => port.port).join(','))).toEqual(['1433', '9000', '8200', '53,53']);
  });

  test('the recovery point and recovery time computed from the settings', () => {
    expect(shipping.recoveryPoint.toString()).toBe('35m');
    expect(shipping.restoreFromBackups).toEqual({ fullMiB: 204800, differentialMiB: 98304, logMiB: 24576, logFiles: 24, minutes: 46 });
    expect(shipping.catchUp).toEqual({ fullMiB: 0, differentialMiB: 0, logMiB: 1366, logFiles: 2, minutes: 6 });
    expect(shipping.recoveryTime.toString()).toBe('157m');
  });

  test('alert inputs for the metrics work', () => {
    expect(shipping.alertInputs).toEqual({
      lastLogBackup: { series: 'lms_sql_last_backup_timestamp_seconds{database="lms",kind="log"}', maxAgeSeconds: 1800 },
      lastFullBackup: { series: 'lms_sql_last_backup_timestamp_seconds{database="lms",kind="full"}', maxAgeSeconds: 93600 },
      standbyRecoveryPoint: { series: 'lms_sql_restored_backup_finish_timestamp_seconds{database="lms",source_site="lusaka"}', maxAgeSeconds: 3600 },
      restoreGap: { series: 'lms_sql_restore_gap{database="lms"}' },
      jobRuns: { series: 'lms_sql_job_last_run_timestamp_seconds' },
      up: { series: 'lms_sql_up' },
    });
  });

  test('runbook steps: tail-log at the old primary, recover at the new one, and a reseed before failing back', () => {
    expect(shipping.runbookSteps.map((step) => [step.procedure, step.id, step.expectedMinutes])).toEqual([
      ['failover', 'sql-server.tail-log', 10],
      ['failover', 'sql-server.recover', 6],
      ['fail-back', 'sql-server.reseed', 46],
      ['fail-back', 'sql-server.tail-log', 10],
      ['fail-back', 'sql-server.recover', 6],
    ]);
    const recover = shipping.runbookSteps[1].body;
    expect(recover).toContain("kitwe -n lms-data patch cronjob sql-server-restore -p '{\"spec\":{\"suspend\":true}}'");
    expect(recover).toContain('kitwe -n lms-data create job "$job" --from=cronjob/sql-server-recover');
    expect(shipping.runbookSteps[0].body).toContain('lusaka -n lms-data create job "$job" --from=cronjob/sql-server-backup-tail-log');
    expect(shipping.runbookSteps[2].body).toContain('lusaka -n lms-data create job "$job" --from=cronjob/sql-server-reseed');
  });

  describe('bad input', () => {
    const props = (change: Partial<SqlServerLogShippingProps> = {}): SqlServerLogShippingProps => ({
      environmentName: 'production',
      primary: { scope: testScope('test-lusaka-data'), server: lusaka.data.sqlServer, buckets: lusaka.data.buckets, objectStoreCredentials: lusaka.data.sqlServerUser.credentials, metrics: shippingMetrics() },
      standby: { scope: testScope('test-kitwe-data'), server: kitwe.data.sqlServer, buckets: kitwe.data.buckets, objectStoreCredentials: kitwe.data.sqlServerUser.credentials, metrics: shippingMetrics() },
      replication: { replicatedBuckets: ['documents', 'sql-backups'], lagBudget: Duration.minutes(5) } as unknown as BucketReplication,
      logBackupInterval: Duration.minutes(15),
      recoveryPointObjective: Duration.hours(1),
      recoveryTimeObjective: Duration.hours(4),
      sizing: { databaseMiB: 204800, logMiBPerHour: 4096, restoreMiBPerSecond: 150, differentialBackupInterval: Duration.hours(6), restoreInterval: Duration.minutes(15), standbyMode: 'norecovery' },
      otherFailoverMinutes: 101,
      ...change,
    });
    const shippingMetrics = () => ({ peer: { namespace: 'lms-observability', podLabels: { 'app.kubernetes.io/name': 'prometheus' }, port: 9090 }, serviceMonitorLabels: { 'lms.co.zm/scrape': 'true' } });
    const build = (change: Partial<SqlServerLogShippingProps>) => () => new SqlServerLogShipping(testScope('test-lusaka-data'), 'sql-server-log-shipping', props(change));
    const where = 'SqlServerLogShipping test-lusaka-data/sql-server-log-shipping';

    test('the same settings as the environment build', () => {
      expect(build({})).not.toThrow();
    });

    test('worst-case data loss over the recovery point objective', () => {
      expect(build({ logBackupInterval: Duration.minutes(30), sizing: { ...props().sizing, restoreInterval: Duration.minutes(30) } })).toThrow(
        `${where}: worst-case data loss 65m (log backups every 30m + replication lag budget 5m + restores every 30m) is over the recovery point objective 1h (allowed: at most the objective; back up the log or restore more often)`,
      );
    });

    test('estimated recovery time over the recovery time objective', () => {
      expect(build({ sizing: { ...props().sizing, restoreMiBPerSecond: 20 } })).toThrow(
        `${where}: estimated recovery time 394m (101 min of failover steps + 10 min tail-log backup + 283 min to restore 204800 MiB full, 98304 MiB differential and 24576 MiB in 24 log backups at 20 MiB/s) is over the recovery time objective 4h (allowed: at most the objective; take differentials more often, or raise the restore throughput)`,
      );
    });

    test('primary and standby at the same site', () => {
      expect(build({ standby: { ...props().primary, scope: testScope('test-lusaka-data') } })).toThrow(`${where}: standby: "lusaka" is not allowed (allowed: the environment's other site, not the primary "lusaka")`);
    });

    test('a backup bucket that is not replicated, or has no object lock', () => {
      expect(build({ replication: { replicatedBuckets: ['documents'], lagBudget: Duration.minutes(5) } as unknown as BucketReplication })).toThrow(
        `${where}: replication: "sql-backups" is not replicated (allowed: a bucket the replication copies to kitwe; replicated: documents)`,
      );
      const unlocked = { ...lusaka.data.buckets, buckets: lusaka.data.buckets.buckets.map((bucket) => (bucket.name === 'sql-backups' ? { ...bucket, objectLock: false } : bucket)) } as unknown as typeof lusaka.data.buckets;
      expect(build({ primary: { ...props().primary, buckets: unlocked } })).toThrow(
        `${where}: primary.buckets: "sql-backups" at lusaka has no object lock (allowed: an object-locked bucket, so a backup cannot be deleted or overwritten within the backup retention)`,
      );
    });

    test('a log backup interval no cron schedule repeats evenly', () => {
      expect(build({ logBackupInterval: Duration.minutes(25) })).toThrow(
        `${where}: logBackupInterval: "25m" does not divide an hour or a day evenly (allowed: 1m, 2m, 3m, 4m, 5m, 6m, 10m, 12m, 15m, 20m, 30m, 1h, 2h, 3h, 4h, 6h, 8h, 12h or 1d)`,
      );
    });

    test('a backup URL longer than SQL Server allows', () => {
      const server = lusaka.data.sqlServer;
      const longHost = new SqlServer(testScope('test-lusaka-data'), 'sql-server', {
        cluster: server.cluster,
        environmentName: 'production',
        registry: 'registry.lms.co.zm',
        issuers: lusaka.traffic.certManager.issuers,
        edition: 'Enterprise',
        resources: { cpuRequest: '1', memoryRequest: '4Gi', cpuLimit: '2', memoryLimit: '4Gi' },
        volumeSize: '100Gi',
        storageClassName: 'ssd-standard',
        vault: server.vault,
        objectStore: { ...server.objectStore, url: `https://${'s'.repeat(63)}.${'t'.repeat(63)}.${'u'.repeat(60)}.lms.co.zm:9000` },
        database: 'lms',
        logins: [],
        clients: [],
      });
      expect(() => new SqlServerJobs(testScope('test-lusaka-data'), 'sql-server-jobs', {
        environmentName: 'production',
        site: { ...props().primary, server: longHost },
        role: 'primary',
        sourceSite: undefined,
        database: 'lms',
        stripes: 2,
        standbyMode: 'norecovery',
        schedules: {},
      })).toThrow(/^SqlServerJobs test-lusaka-data\/sql-server-jobs: backup URL "s3:\/\/s{63}\.t{63}\.u{60}\.lms\.co\.zm:9000\/sql-backups\/lusaka\/lms\/20261126T024433Z-differential\.dif" has 265 characters \(allowed: at most 259, SQL Server's limit; shorten the object store's host name or the database name\)$/);
    });
  });
});
