import { createHash } from 'crypto';
import { App as Cdk8sApp } from 'cdk8s';
import { Construct } from 'constructs';
import { SqlServerJobsChart, type SqlJobWorkload } from '../charts-ts/sql-server-jobs-chart';
import { VAULT_AGENT_TLS_CA_FILE, VAULT_SECRETS_DIR, vaultAgentAnnotations } from '../charts-ts/vault-agent-annotations';
import type { BucketReplication } from './bucket-replication';
import type { ContainerResources } from './cert-manager-values';
import { CronSchedule } from './cron-schedule';
import { Duration } from './duration';
import { maxResources, type PodBudget } from './namespace-budget';
import { credentialsTemplate, type ObjectStoreBuckets } from './object-store-buckets';
import { PlatformComponent, type KubeObject } from './platform-component';
import { PlatformError, formatValue } from './platform-error';
import { catchUpAtFailover, restoreFromBackups, worstCaseDataLoss, type RestoreEstimate } from './recovery-objectives';
import type { RunbookProcedure, RunbookStep } from './runbook-step';
import type { MetricsScraper } from './service-references';
import { PRIORITY_CLASSES } from './site-cluster';
import { LOG_SHIPPING_LOGIN, SQL_SERVER_NAME, type SqlServer } from './sql-server';
import { VaultConsumer, type VaultSecret } from './vault-secret';
import { VAULT_AGENT_RESOURCES } from './vault-values';
import { imageReference } from './versions';

/** The bucket log shipping goes through: object-locked, replicated to the other site. */
export const SQL_BACKUP_BUCKET = 'sql-backups';
/** Where the jobs record what they did, at each site. */
export const OPS_DATABASE = 'lms_ops';
/** The jobs' configuration file, and where it and the site CA are mounted. */
export const LOG_SHIPPING_CONFIG_FILE = 'log-shipping.json';
const CONFIG_DIRECTORY = '/etc/sql-server-jobs';
const CA_DIRECTORY = '/etc/lms-ca';
const CREDENTIALS_FILE = 'object-store.env';
const PASSWORD_FILE = 'mssql-password';
/** The metrics port of the exporter. */
export const SQL_METRICS_PORT = 9103;
/** SQL Server refuses a backup URL longer than this. */
export const MAX_BACKUP_URL_LENGTH = 259;
/** Stay well inside what one URL holds (10,000 parts of MAXTRANSFERSIZE 20 MiB): a full backup is striped above this. */
const STRIPE_MIB = 180 * 1024;
export const MAX_TRANSFER_SIZE_BYTES = 20 * 1024 * 1024;
const JOB_RUN_AS_USER = 10001;
export const DEFAULT_SQL_JOB_RESOURCES: ContainerResources = { cpuRequest: '50m', memoryRequest: '96Mi', cpuLimit: '250m', memoryLimit: '256Mi' };
/** Minutes a tail-log backup and its replication take in the runbook. */
const TAIL_LOG_MINUTES = 10;

/** Names of the jobs' workloads. */
export const SQL_JOBS = {
  setup: 'sql-server-setup',
  backupLog: 'sql-server-backup-log',
  backupDifferential: 'sql-server-backup-differential',
  backupFull: 'sql-server-backup-full',
  backupTailLog: 'sql-server-backup-tail-log',
  restore: 'sql-server-restore',
  recover: 'sql-server-recover',
  reseed: 'sql-server-reseed',
  exporter: 'sql-server-log-shipping-metrics',
} as const;
const SETUP_ACCOUNT = 'sql-server-setup';
const SHIPPING_ACCOUNT = 'sql-server-log-shipping';

/** The metrics the exporter serves: the typed inputs of the alert rules. */
export const SQL_SERVER_METRICS = {
  up: 'lms_sql_up',
  lastBackup: 'lms_sql_last_backup_timestamp_seconds',
  restoredBackupFinish: 'lms_sql_restored_backup_finish_timestamp_seconds',
  restoreGap: 'lms_sql_restore_gap',
  jobLastRun: 'lms_sql_job_last_run_timestamp_seconds',
} as const;

/** The configuration file of `sql-server-jobs` (its schema: app-services/sql-server-jobs/src/config/log-shipping-config.ts). */
export interface LogShippingConfig {
  readonly site: string;
  readonly role: 'primary' | 'secondary';
  readonly database: string;
  readonly opsDatabase: string;
  readonly backupUrlBase: string;
  readonly bucket: string;
  readonly ownPrefix: string;
  readonly sourcePrefix: string | null;
  readonly fullBackupStripes: number;
  readonly maxTransferSizeBytes: number;
  readonly standby: { readonly mode: 'norecovery' } | { readonly mode: 'standby'; readonly undoFile: string };
  readonly logins: readonly { readonly name: string; readonly sid: string; readonly passwordFile: string; readonly serverRoles: readonly string[]; readonly databaseRoles: readonly string[] }[];
}

/** What the metrics work turns into alert rules: each series, its threshold and why. */
export interface SqlServerAlertInputs {
  /** Primary: the newest log backup's finish time; older than two intervals means log shipping stopped. */
  readonly lastLogBackup: { readonly series: string; readonly maxAgeSeconds: number };
  /** Primary: the newest full backup; older than a day and two hours means the daily full failed. */
  readonly lastFullBackup: { readonly series: string; readonly maxAgeSeconds: number };
  /** Standby: the recovery point of the standby copy; older than the RPO breaks the promise. */
  readonly standbyRecoveryPoint: { readonly series: string; readonly maxAgeSeconds: number };
  /** Standby: the last restore stopped at a missing log backup. */
  readonly restoreGap: { readonly series: string };
  /** Both: a job's last failure newer than its last success. */
  readonly jobRuns: { readonly series: string };
  /** Both: the exporter cannot query SQL Server. */
  readonly up: { readonly series: string };
}

/** One site's side: its SQL Server, buckets, the object store user's keys, and the data stack scope. */
export interface LogShippingSite {
  /** A construct in the site's data stack: this side's jobs are created under it. */
  readonly scope: Construct;
  readonly server: SqlServer;
  readonly buckets: ObjectStoreBuckets;
  /** The KV secret of the site's `sql-server` object store user (`access_key_id`, `secret_access_key`). */
  readonly objectStoreCredentials: VaultSecret;
  readonly metrics: MetricsScraper;
}

/** How the restores are sized: from the environment's `sqlServer` settings. */
export interface LogShippingSizing {
  readonly databaseMiB: number;
  readonly logMiBPerHour: number;
  readonly restoreMiBPerSecond: number;
  readonly differentialBackupInterval: Duration;
  readonly restoreInterval: Duration;
  readonly standbyMode: 'norecovery' | 'standby';
}

export interface SqlServerLogShippingProps {
  readonly environmentName: string;
  readonly primary: LogShippingSite;
  readonly standby: LogShippingSite;
  /** The bucket replication between the sites' stores: `sql-backups` must be among its buckets. */
  readonly replication: BucketReplication;
  readonly logBackupInterval: Duration;
  readonly recoveryPointObjective: Duration;
  readonly recoveryTimeObjective: Duration;
  readonly sizing: LogShippingSizing;
  /**
   * Minutes the failover's other steps take until the public name is served again (the
   * platform's own and every other component's, and the DNS TTL): the estimated recovery
   * time adds the database's restore to them.
   */
  readonly otherFailoverMinutes: number;
  /**
   * Requests and limits of each job container.
   * @default DEFAULT_SQL_JOB_RESOURCES
   */
  readonly resources?: ContainerResources;
}

/**
 * SQL Server log shipping from the primary to the disaster-recovery site through the
 * object-locked, replicated `sql-backups` bucket, built in the cross-site wiring pass. At the
 * primary: log backups every `logBackupInterval`, differentials, a daily full, each to a
 * unique, time-sorted URL; at the standby: restores every `restoreInterval`, ordered by LSN.
 * Computes the worst-case data loss and the estimated recovery time from the settings and
 * refuses settings that cannot meet the objectives; contributes the runbook's database steps
 * and the alert inputs.
 */
export class SqlServerLogShipping extends Construct {
  /** Worst-case data loss: log backup interval + replication lag budget + restore interval. */
  public readonly recoveryPoint: Duration;
  /** Estimated recovery time: the other failover steps, a tail-log backup, and a restore from backups alone. */
  public readonly recoveryTime: Duration;
  /** The restore from backups alone (standby copy lost): what the recovery time counts. */
  public readonly restoreFromBackups: RestoreEstimate;
  /** The standby copy's catch-up at a failover: what the runbook's recover step expects. */
  public readonly catchUp: RestoreEstimate;
  public readonly logBackupSchedule: CronSchedule;
  public readonly restoreSchedule: CronSchedule;
  public readonly alertInputs: SqlServerAlertInputs;
  public readonly runbookSteps: readonly RunbookStep[];
  /** The primary's jobs and the standby's. */
  public readonly primaryJobs: SqlServerJobs;
  public readonly standbyJobs: SqlServerJobs;

  constructor(scope: Construct, id: string, props: SqlServerLogShippingProps) {
    super(scope, id);
    const where = `SqlServerLogShipping ${this.node.path}`;
    const { primary, standby, sizing } = props;
    if (primary.server.siteName === standby.server.siteName) {
      throw PlatformError.invalidProp(where, 'standby', standby.server.siteName, `the environment's other site, not the primary "${primary.server.siteName}"`);
    }
    for (const [side, site] of [
      ['primary', primary],
      ['standby', standby],
    ] as const) {
      const bucket = site.buckets.buckets.find((candidate) => candidate.name === SQL_BACKUP_BUCKET);
      if (bucket === undefined || !bucket.objectLock) {
        throw new PlatformError(`${where}: ${side}.buckets: ${formatValue(SQL_BACKUP_BUCKET)} at ${site.server.siteName} ${bucket === undefined ? 'is missing' : 'has no object lock'} (allowed: an object-locked bucket, so a backup cannot be deleted or overwritten within the backup retention)`);
      }
    }
    if (!props.replication.replicatedBuckets.includes(SQL_BACKUP_BUCKET)) {
      throw new PlatformError(`${where}: replication: ${formatValue(SQL_BACKUP_BUCKET)} is not replicated (allowed: a bucket the replication copies to ${standby.server.siteName}; replicated: ${props.replication.replicatedBuckets.join(', ')})`);
    }
    if (primary.server.databaseName !== standby.server.databaseName) {
      throw PlatformError.invalidProp(where, 'standby.server.databaseName', standby.server.databaseName, `the primary's database "${primary.server.databaseName}"`);
    }
    if (!Number.isFinite(props.otherFailoverMinutes) || props.otherFailoverMinutes < 0) {
      throw PlatformError.invalidProp(where, 'otherFailoverMinutes', props.otherFailoverMinutes, 'a number of minutes, 0 or more');
    }
    if (!(sizing.restoreMiBPerSecond > 0) || !(sizing.databaseMiB > 0) || !(sizing.logMiBPerHour > 0)) {
      throw PlatformError.invalidProp(where, 'sizing', sizing, 'a database size, a log volume per hour and a restore throughput above 0');
    }
    this.logBackupSchedule = CronSchedule.every(props.logBackupInterval, `${where}: logBackupInterval`);
    // Restores start a few minutes after the backups they wait for.
    this.restoreSchedule = CronSchedule.every(sizing.restoreInterval, `${where}: sizing.restoreInterval`, Math.min(5, Math.floor(Math.min(sizing.restoreInterval.totalSeconds / 60, 60) / 2)));

    const lossInputs = { logBackupInterval: props.logBackupInterval, replicationLagBudget: props.replication.lagBudget, restoreInterval: sizing.restoreInterval };
    this.recoveryPoint = worstCaseDataLoss(lossInputs);
    if (this.recoveryPoint.isLongerThan(props.recoveryPointObjective)) {
      throw new PlatformError(
        `${where}: worst-case data loss ${this.recoveryPoint} (log backups every ${props.logBackupInterval} + replication lag budget ${props.replication.lagBudget} + restores every ${sizing.restoreInterval}) is over the recovery point objective ${props.recoveryPointObjective} (allowed: at most the objective; back up the log or restore more often)`,
      );
    }
    const restoreInputs = {
      databaseMiB: sizing.databaseMiB,
      logMiBPerHour: sizing.logMiBPerHour,
      differentialBackupInterval: sizing.differentialBackupInterval,
      fullBackupInterval: Duration.days(1),
      logBackupInterval: props.logBackupInterval,
      restoreMiBPerSecond: sizing.restoreMiBPerSecond,
    };
    this.restoreFromBackups = restoreFromBackups(restoreInputs);
    this.catchUp = catchUpAtFailover({ ...restoreInputs, restoreInterval: sizing.restoreInterval, replicationLagBudget: props.replication.lagBudget });
    this.recoveryTime = Duration.minutes(Math.ceil(props.otherFailoverMinutes) + TAIL_LOG_MINUTES + this.restoreFromBackups.minutes);
    if (this.recoveryTime.isLongerThan(props.recoveryTimeObjective)) {
      const estimate = this.restoreFromBackups;
      throw new PlatformError(
        `${where}: estimated recovery time ${this.recoveryTime} (${Math.ceil(props.otherFailoverMinutes)} min of failover steps + ${TAIL_LOG_MINUTES} min tail-log backup + ${estimate.minutes} min to restore ${estimate.fullMiB} MiB full, ${estimate.differentialMiB} MiB differential and ${estimate.logMiB} MiB in ${estimate.logFiles} log backups at ${sizing.restoreMiBPerSecond} MiB/s) is over the recovery time objective ${props.recoveryTimeObjective} (allowed: at most the objective; take differentials more often, or raise the restore throughput)`,
      );
    }

    const database = primary.server.databaseName;
    const stripes = Math.max(1, Math.ceil(sizing.databaseMiB / STRIPE_MIB));
    const common = { database, stripes, standbyMode: sizing.standbyMode, environmentName: props.environmentName };
    this.primaryJobs = new SqlServerJobs(primary.scope, 'sql-server-jobs', {
      ...common,
      site: primary,
      role: 'primary',
      sourceSite: undefined,
      schedules: {
        log: this.logBackupSchedule,
        differential: CronSchedule.every(sizing.differentialBackupInterval, `${where}: sizing.differentialBackupInterval`, 45),
        // 01:30 UTC, 03:30 in Zambia: the quietest hour, away from the differentials at :45.
        full: CronSchedule.parse('30 1 * * *', `${where}: full backup schedule`),
      },
      resources: props.resources,
    });
    this.standbyJobs = new SqlServerJobs(standby.scope, 'sql-server-jobs', {
      ...common,
      site: standby,
      role: 'secondary',
      sourceSite: primary.server.siteName,
      schedules: { restore: this.restoreSchedule },
      resources: props.resources,
    });

    // Each site's Prometheus scrapes its own exporter: the primary's series are there, the standby's at the standby.
    const label = `{database="${database}"`;
    this.alertInputs = {
      lastLogBackup: { series: `${SQL_SERVER_METRICS.lastBackup}${label},kind="log"}`, maxAgeSeconds: 2 * props.logBackupInterval.totalSeconds },
      lastFullBackup: { series: `${SQL_SERVER_METRICS.lastBackup}${label},kind="full"}`, maxAgeSeconds: 26 * 3600 },
      standbyRecoveryPoint: { series: `${SQL_SERVER_METRICS.restoredBackupFinish}${label},source_site="${primary.server.siteName}"}`, maxAgeSeconds: props.recoveryPointObjective.totalSeconds },
      restoreGap: { series: `${SQL_SERVER_METRICS.restoreGap}${label}}` },
      jobRuns: { series: SQL_SERVER_METRICS.jobLastRun },
      up: { series: SQL_SERVER_METRICS.up },
    };
    this.runbookSteps = [
      ...logShippingSteps('failover', primary.server, standby.server, this),
      ...logShippingSteps('fail-back', standby.server, primary.server, this),
    ];
  }
}

/** The database steps of one procedure, from `from` (serving) to `to` (taking over). */
function logShippingSteps(procedure: RunbookProcedure, from: SqlServer, to: SqlServer, shipping: SqlServerLogShipping): RunbookStep[] {
  const title = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
  const ns = to.namespace;
  const failover = procedure === 'failover';
  const startJob = (site: string, template: string, timeout: string) => [
    `job=${template}-$(date -u +%Y%m%d%H%M%S)`,
    `${site} -n ${ns} create job "$job" --from=cronjob/${template}`,
    `${site} -n ${ns} wait --for=condition=complete --timeout=${timeout} job/"$job"`,
    `${site} -n ${ns} logs job/"$job" | tail -n 20`,
  ];
  const sqlcmd = (site: string, query: string) =>
    `${site} -n ${ns} exec ${SQL_SERVER_NAME}-0 -c mssql -- /bin/bash -c 'SQLCMDPASSWORD="$(cat ${VAULT_SECRETS_DIR}/sa-password)" /opt/mssql-tools18/bin/sqlcmd -S tcp:127.0.0.1,1433 -U sa -C -b -W -Q "SET NOCOUNT ON; ${query}"'`;
  const steps: RunbookStep[] = [];
  if (!failover) {
    steps.push({
      id: 'sql-server.reseed',
      procedure,
      phase: 'assess',
      order: 10,
      title: `Reseed ${title(to.siteName)}'s SQL Server from ${title(from.siteName)}'s backups`,
      expectedMinutes: shipping.restoreFromBackups.minutes,
      body: [
        `${title(to.siteName)}'s copy of \`${to.databaseName}\` was left behind when ${title(from.siteName)} took over, and its restore job refuses a database that is online. Once ${title(to.siteName)}'s stacks are deployed as the disaster-recovery site, restore ${title(from.siteName)}'s newest full, differential and logs over it (about ${shipping.restoreFromBackups.minutes} min), while ${title(from.siteName)} keeps serving:`,
        '',
        '```sh',
        ...startJob(to.siteName, SQL_JOBS.reseed, `${Math.max(60, shipping.restoreFromBackups.minutes * 2)}m`),
        '```',
        '',
        `From then on its restore CronJob (\`${SQL_JOBS.restore}\`) keeps it within ${shipping.recoveryPoint} of ${title(from.siteName)}.`,
      ].join('\n'),
    });
  }
  steps.push({
    id: 'sql-server.tail-log',
    procedure,
    phase: 'data',
    order: 10,
    title: `${failover ? 'If it still answers, take' : 'Take'} the tail of ${title(from.siteName)}'s transaction log`,
    expectedMinutes: TAIL_LOG_MINUTES,
    body: [
      failover
        ? `If ${title(from.siteName)}'s SQL Server still answers, back up the tail of its log, so no committed transaction is lost. The backup leaves \`${from.databaseName}\` restoring there: nothing more can be written at ${title(from.siteName)}. If it does not answer, skip this step: what was committed after its last replicated log backup is lost, at most ${shipping.recoveryPoint} by design.`
        : `Stop writes at ${title(from.siteName)} and ship the last of them: the tail-log backup leaves \`${from.databaseName}\` restoring there.`,
      '',
      '```sh',
      ...startJob(from.siteName, SQL_JOBS.backupTailLog, '15m'),
      '```',
      '',
      `Replication copies the file to ${title(to.siteName)} within its lag budget; the next step restores it.`,
    ].join('\n'),
  });
  steps.push({
    id: 'sql-server.recover',
    procedure,
    phase: 'data',
    order: 20,
    title: `Restore the remaining log backups at ${title(to.siteName)} and bring \`${to.databaseName}\` online`,
    expectedMinutes: shipping.catchUp.minutes,
    body: [
      `Stop the scheduled restores, wait for a running one to end, then restore every log backup that has arrived, in LSN order, and recover the database (\`RESTORE DATABASE ... WITH RECOVERY\`):`,
      '',
      '```sh',
      `${to.siteName} -n ${ns} patch cronjob ${SQL_JOBS.restore} -p '{"spec":{"suspend":true}}'`,
      `${to.siteName} -n ${ns} wait --for=delete pod -l lms.co.zm/sql-job=${SQL_JOBS.restore} --timeout=30m`,
      ...startJob(to.siteName, SQL_JOBS.recover, '60m'),
      '```',
      '',
      `The job's last line is the recovery point: the finish time of the newest log backup now in the database. Record it in the incident. Check the database is online:`,
      '',
      '```sh',
      sqlcmd(to.siteName, 'SELECT name, state_desc FROM sys.databases'),
      `# ${to.databaseName} ONLINE`,
      '```',
      '',
      `If the job reports a gap in the log chain or no standby copy, restore from backups alone instead (\`${SQL_JOBS.reseed}\`, then \`${SQL_JOBS.recover}\`): about ${shipping.restoreFromBackups.minutes} min, which the estimated recovery time of ${shipping.recoveryTime} already counts. Once the roles are swapped and ${title(to.siteName)}'s stacks deployed, its log backups start and ${title(from.siteName)}'s restore jobs take over the other direction.`,
    ].join('\n'),
  });
  return steps;
}

export interface SqlServerJobsProps {
  readonly environmentName: string;
  readonly site: LogShippingSite;
  readonly role: 'primary' | 'secondary';
  /** The primary's site name, whose prefix a secondary restores from. */
  readonly sourceSite: string | undefined;
  readonly database: string;
  readonly stripes: number;
  readonly standbyMode: 'norecovery' | 'standby';
  readonly schedules: { readonly log?: CronSchedule; readonly differential?: CronSchedule; readonly full?: CronSchedule; readonly restore?: CronSchedule };
  /** @default DEFAULT_SQL_JOB_RESOURCES */
  readonly resources?: ContainerResources;
}

/**
 * The log-shipping jobs at one site, from `app-services/sql-server-jobs`: the setup Job
 * (logins with the same SIDs at both sites, the S3 credential, the database at the primary;
 * named after its configuration so every change runs it, and hourly to repair drift), the
 * backups (primary) or restores (standby) as CronJobs, the suspended CronJobs the runbook
 * starts (tail-log backup, recover, reseed), and the metrics exporter.
 */
export class SqlServerJobs extends PlatformComponent {
  public readonly namespace: string;
  public readonly config: LogShippingConfig;
  public readonly setupJobName: string;
  /** The longest backup URL the naming can produce: SQL Server allows 259 characters. */
  public readonly longestBackupUrl: string;
  public readonly consumers: { readonly setup: VaultConsumer; readonly shipping: VaultConsumer };
  public override readonly vaultConsumers: readonly VaultConsumer[];
  public readonly podBudget: PodBudget;
  public readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: SqlServerJobsProps) {
    super(scope, id);
    const where = `SqlServerJobs ${this.node.path}`;
    const { server } = props.site;
    this.namespace = server.namespace;
    const resources = props.resources ?? DEFAULT_SQL_JOB_RESOURCES;
    const store = new URL(server.objectStore.url);
    const backupUrlBase = `s3://${store.host}/${SQL_BACKUP_BUCKET}`;
    const prefix = (site: string) => `${site}/${props.database}/`;
    this.config = {
      site: server.siteName,
      role: props.role,
      database: props.database,
      opsDatabase: OPS_DATABASE,
      backupUrlBase,
      bucket: SQL_BACKUP_BUCKET,
      ownPrefix: prefix(server.siteName),
      sourcePrefix: props.sourceSite === undefined ? null : prefix(props.sourceSite),
      fullBackupStripes: props.stripes,
      maxTransferSizeBytes: MAX_TRANSFER_SIZE_BYTES,
      standby: props.standbyMode === 'standby' ? { mode: 'standby', undoFile: `/var/opt/mssql/data/${props.database}-standby.tuf` } : { mode: 'norecovery' },
      logins: server.logins.map((login) => ({ name: login.name, sid: login.sid, passwordFile: `${VAULT_SECRETS_DIR}/login-${login.name}`, serverRoles: [...login.serverRoles], databaseRoles: [...login.databaseRoles] })),
    };
    // The longest name the jobs write (`<UTC time>-<kind>[-<i>of<n>].<ext>`): a differential's, or a full backup's last stripe.
    const names = ['differential.dif', 'tail-log.trn', props.stripes > 1 ? `full-${props.stripes}of${props.stripes}.bak` : 'full.bak'].map((name) => `20261126T024433Z-${name}`);
    this.longestBackupUrl = names.map((name) => `${backupUrlBase}/${this.config.ownPrefix}${name}`).reduce((longest, url) => (url.length > longest.length ? url : longest));
    if (this.longestBackupUrl.length > MAX_BACKUP_URL_LENGTH) {
      throw new PlatformError(`${where}: backup URL ${formatValue(this.longestBackupUrl)} has ${this.longestBackupUrl.length} characters (allowed: at most ${MAX_BACKUP_URL_LENGTH}, SQL Server's limit; shorten the object store's host name or the database name)`);
    }
    const configJson = `${JSON.stringify(this.config, null, 2)}\n`;
    const image = imageReference(server.registry, 'sqlServerJobs');
    this.setupJobName = `${SQL_JOBS.setup}-${createHash('sha256').update(configJson).update(image).digest('hex').slice(0, 10)}`;

    const s3 = props.site.objectStoreCredentials;
    const shippingLogin = server.logins.find((login) => login.name === LOG_SHIPPING_LOGIN)!;
    const setup = new VaultConsumer({
      serviceAccount: SETUP_ACCOUNT,
      namespace: this.namespace,
      secrets: uniqueSecrets([server.saPassword.secret, ...server.logins.map((login) => login.password.secret), s3]),
    });
    const shipping = new VaultConsumer({ serviceAccount: SHIPPING_ACCOUNT, namespace: this.namespace, secrets: uniqueSecrets([shippingLogin.password.secret, s3]) });
    this.consumers = { setup, shipping };
    this.vaultConsumers = [setup, shipping];

    const agent = (consumer: VaultConsumer, passwords: readonly { file: string; path: string; key: string }[], prePopulateOnly: boolean) =>
      vaultAgentAnnotations({
        address: server.vault.address,
        role: consumer.role,
        secrets: passwords,
        templates: [{ file: CREDENTIALS_FILE, path: s3.dataPath, template: credentialsTemplate(s3.dataPath, { id: 'access_key_id', secret: 'secret_access_key' }) }],
        prePopulateOnly,
        tlsSecret: server.vault.caSecretName,
        caCertFile: VAULT_AGENT_TLS_CA_FILE,
      });
    const setupAnnotations = agent(
      setup,
      [
        { file: PASSWORD_FILE, path: server.saPassword.secret.dataPath, key: server.saPassword.key },
        ...server.logins.map((login) => ({ file: `login-${login.name}`, path: login.password.secret.dataPath, key: login.password.key })),
      ],
      true,
    );
    const shippingPassword = [{ file: PASSWORD_FILE, path: shippingLogin.password.secret.dataPath, key: shippingLogin.password.key }];
    const env = (user: string) => ({
      MSSQL_HOST: server.endpoint.host,
      MSSQL_PORT: String(server.endpoint.port),
      MSSQL_USER: user,
      MSSQL_PASSWORD_FILE: `${VAULT_SECRETS_DIR}/${PASSWORD_FILE}`,
      MSSQL_CA_FILE: `${CA_DIRECTORY}/ca.crt`,
      S3_ENDPOINT: server.objectStore.url,
      S3_REGION: server.objectStore.region,
      S3_CA_FILE: `${CA_DIRECTORY}/ca.crt`,
      S3_CREDENTIALS_FILE: `${VAULT_SECRETS_DIR}/${CREDENTIALS_FILE}`,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    const config = `${CONFIG_DIRECTORY}/${LOG_SHIPPING_CONFIG_FILE}`;
    const task = (run: SqlJobWorkload['run'], args: readonly string[], account: 'setup' | 'shipping'): SqlJobWorkload => ({
      run,
      serviceAccount: account === 'setup' ? SETUP_ACCOUNT : SHIPPING_ACCOUNT,
      // The exporter runs for weeks: its agent stays to renew the login's password file.
      podAnnotations: account === 'setup' ? setupAnnotations : agent(shipping, shippingPassword, run.kind !== 'deployment'),
      args: [...args, '--config', config],
      env: env(account === 'setup' ? 'sa' : LOG_SHIPPING_LOGIN),
    });
    const cron = (name: string, schedule: CronSchedule | undefined, deadline: Duration, args: readonly string[]) =>
      task({ kind: 'cronjob', name, schedule: schedule?.expression ?? '0 0 1 1 *', suspend: schedule === undefined, activeDeadlineSeconds: deadline.totalSeconds }, args, 'shipping');
    const { schedules } = props;
    const roleWorkloads =
      props.role === 'primary'
        ? [
            cron(SQL_JOBS.backupLog, schedules.log, Duration.minutes(30), ['backup', '--kind', 'log']),
            cron(SQL_JOBS.backupDifferential, schedules.differential, Duration.hours(3), ['backup', '--kind', 'differential']),
            cron(SQL_JOBS.backupFull, schedules.full, Duration.hours(6), ['backup', '--kind', 'full']),
            cron(SQL_JOBS.backupTailLog, undefined, Duration.minutes(30), ['backup', '--kind', 'tail-log']),
          ]
        : [
            cron(SQL_JOBS.restore, schedules.restore, Duration.hours(3), ['restore']),
            cron(SQL_JOBS.recover, undefined, Duration.hours(3), ['restore', '--recover']),
            cron(SQL_JOBS.reseed, undefined, Duration.hours(12), ['restore', '--reseed']),
          ];
    for (const [name, schedule] of Object.entries(schedules)) {
      if (schedule === undefined) throw PlatformError.invalidProp(where, `schedules.${name}`, schedule, 'a cron schedule');
    }
    const workloads: SqlJobWorkload[] = [
      task({ kind: 'job', name: this.setupJobName, activeDeadlineSeconds: Duration.minutes(30).totalSeconds }, ['setup'], 'setup'),
      task({ kind: 'cronjob', name: SQL_JOBS.setup, schedule: '47 * * * *', suspend: false, activeDeadlineSeconds: Duration.minutes(30).totalSeconds }, ['setup'], 'setup'),
      ...roleWorkloads,
      task({ kind: 'deployment', name: SQL_JOBS.exporter, metricsPort: SQL_METRICS_PORT }, ['exporter', '--port', String(SQL_METRICS_PORT)], 'shipping'),
    ];
    const perPod = maxResources(`${where}: resources`, VAULT_AGENT_RESOURCES, resources);
    // At once at most: the setup Job and its CronJob, each scheduled job, the exporter with its agent, a runbook job.
    this.podBudget = { what: 'the SQL Server log-shipping jobs and their metrics exporter', pods: roleWorkloads.length + 3, perPod };

    const chart = new SqlServerJobsChart(new Cdk8sApp(), SQL_SERVER_NAME, {
      namespace: this.namespace,
      labels: server.cluster.labels,
      name: 'sql-server-jobs',
      image,
      serviceAccounts: [SETUP_ACCOUNT, SHIPPING_ACCOUNT],
      workloads,
      config: { [LOG_SHIPPING_CONFIG_FILE]: configJson },
      configDirectory: CONFIG_DIRECTORY,
      caCertificate: { secretName: server.objectStore.caSecretName, directory: CA_DIRECTORY },
      priorityClassName: PRIORITY_CLASSES.criticalData.name,
      runAsUser: JOB_RUN_AS_USER,
      resources,
      egressTo: [server.endpoint.peer, server.objectStore.peer, server.vault.peer],
      metrics: { scraper: props.site.metrics.peer, serviceMonitorLabels: props.site.metrics.serviceMonitorLabels },
    });
    this.objects = chart.toJson() as KubeObject[];
  }
}

function uniqueSecrets(secrets: readonly VaultSecret[]): VaultSecret[] {
  const seen = new Map<string, VaultSecret>();
  for (const secret of secrets) if (!seen.has(secret.dataPath)) seen.set(secret.dataPath, secret);
  return [...seen.values()];
}
