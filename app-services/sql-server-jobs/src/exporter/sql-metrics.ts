import { Gauge, Registry } from 'prom-client';
import type { LogShippingConfig } from '../config/log-shipping-config';
import type { SqlSession } from '../sql/sql-session';
import { lastBackupsQuery, lastJobRunsQuery, lastRestoredBackupQuery, lastRestoreRunQuery } from '../tsql/queries';

const BACKUP_TYPES: Readonly<Record<string, string>> = { D: 'full', I: 'differential', L: 'log' };

/** The source site of a secondary: the first segment of its sourcePrefix (`lusaka/lms/` -> `lusaka`). */
export function sourceSiteOf(config: LogShippingConfig): string {
  return config.sourcePrefix?.split('/')[0] ?? '';
}

/**
 * The log-shipping metrics, read from SQL Server on every scrape. A collection that fails sets
 * lms_sql_up to 0 and drops every other series, so no stale value is ever served.
 */
export class SqlMetrics {
  readonly registry = new Registry();
  private readonly up: Gauge;
  private readonly lastBackup: Gauge<'database' | 'kind'>;
  private readonly restoredFinish: Gauge<'database' | 'source_site'>;
  private readonly restoreGap: Gauge<'database'>;
  private readonly jobLastRun: Gauge<'job' | 'outcome'>;

  constructor(private readonly config: LogShippingConfig) {
    const registers = [this.registry];
    this.up = new Gauge({ name: 'lms_sql_up', help: '1 if the last collection queried SQL Server, else 0.', registers });
    this.lastBackup = new Gauge({
      name: 'lms_sql_last_backup_timestamp_seconds',
      help: 'Unix time at which the newest backup of each kind (full, differential, log) finished, from msdb.dbo.backupset (primary).',
      labelNames: ['database', 'kind'],
      registers,
    });
    this.restoredFinish = new Gauge({
      name: 'lms_sql_restored_backup_finish_timestamp_seconds',
      help: 'BackupFinishDate of the last backup restored into the standby copy, as Unix time: its recovery point (secondary).',
      labelNames: ['database', 'source_site'],
      registers,
    });
    this.restoreGap = new Gauge({
      name: 'lms_sql_restore_gap',
      help: '1 when the last restore run stopped at a gap in the log chain, else 0 (secondary).',
      labelNames: ['database'],
      registers,
    });
    this.jobLastRun = new Gauge({
      name: 'lms_sql_job_last_run_timestamp_seconds',
      help: 'Unix time at which each job last finished, by outcome (success, failure), from the ops database job_run table.',
      labelNames: ['job', 'outcome'],
      registers,
    });
  }

  /** Reads everything from SQL Server; on failure leaves only lms_sql_up 0 and rethrows. */
  async collect(session: SqlSession): Promise<void> {
    const { database, opsDatabase } = this.config;
    try {
      const backups = this.config.role === 'primary' ? await session.query(lastBackupsQuery(database)) : [];
      const restored = this.config.role === 'secondary' ? (await session.query(lastRestoredBackupQuery(database)))[0] : undefined;
      const lastRestoreRun = this.config.role === 'secondary' ? (await session.query(lastRestoreRunQuery(opsDatabase)))[0] : undefined;
      const jobRuns = await session.query(lastJobRunsQuery(opsDatabase));

      this.clear();
      for (const row of backups) {
        const kind = BACKUP_TYPES[String(row['type']).trim()];
        if (kind !== undefined && row['last_finish_seconds'] !== null) this.lastBackup.set({ database, kind }, Number(row['last_finish_seconds']));
      }
      if (restored !== undefined && restored['backup_finish_ms'] !== null && restored['backup_finish_ms'] !== undefined) {
        this.restoredFinish.set({ database, source_site: sourceSiteOf(this.config) }, Number(restored['backup_finish_ms']) / 1000);
      }
      if (this.config.role === 'secondary') {
        const stopped = lastRestoreRun?.['stopped_at_gap'];
        this.restoreGap.set({ database }, stopped === true || stopped === 1 ? 1 : 0);
      }
      for (const row of jobRuns) {
        if (row['last_finished_seconds'] === null) continue;
        this.jobLastRun.set({ job: String(row['job']), outcome: String(row['outcome']) }, Number(row['last_finished_seconds']));
      }
      this.up.set(1);
    } catch (error) {
      this.clear();
      this.up.set(0);
      throw error;
    }
  }

  /** A collection that did not finish in time counts as failed. */
  collectionFailed(): void {
    this.clear();
    this.up.set(0);
  }

  private clear(): void {
    this.lastBackup.reset();
    this.restoredFinish.reset();
    this.restoreGap.reset();
    this.jobLastRun.reset();
  }
}
