import { field } from '../objects';
import type { ObjectRef } from '../types';
import { alertRulesOf, cronIntervalMinutes, findObjects, otherSite } from './facts';
import { primarySiteOf, type EnvironmentPlan } from './plan';

/**
 * The recovery point and recovery time as the synthesized plan shows them, each figure with
 * the object it is read from, so an auditor can check it without the TypeScript:
 *
 * - worst-case data loss = log backup interval (the primary's `sql-server-backup-log`
 *   CronJob) + replication lag budget (the threshold of the DR site's
 *   `ObjectStoreReplicationLagging` alert) + restore interval (the DR site's
 *   `sql-server-restore` CronJob), as the log shipping computes it at synth;
 * - estimated recovery time: the figure the synth wrote into the failover runbook
 *   (`runbooks/<environment>-failover.md`: failover steps + tail-log backup + a restore from
 *   backups alone), which needs database sizes the plan does not state.
 */
export interface RecoveryEvidence {
  readonly primarySite?: string;
  readonly drSite?: string;
  /** Each schedule the figures come from; `intervalMinutes` undefined when irregular or missing. */
  readonly schedules: readonly ScheduleEvidence[];
  readonly logBackupMinutes?: number;
  readonly replicationLagBudgetMinutes?: number;
  readonly restoreMinutes?: number;
  /** Sum of the three terms, when all three are known. */
  readonly worstCaseDataLossMinutes?: number;
  /** From the runbook. */
  readonly estimatedRecoveryMinutes?: number;
  /** A restore from backups alone, from the runbook. */
  readonly restoreFromBackupsMinutes?: number;
}

export interface ScheduleEvidence {
  /** e.g. `SQL Server log backups`. */
  readonly what: string;
  readonly site: string;
  readonly subject: ObjectRef;
  readonly schedule?: string;
  readonly suspended: boolean;
  readonly intervalMinutes?: number;
}

/** The CronJobs that make backups and restores, by name: what each does. */
export const RECOVERY_CRONJOBS: readonly { readonly name: string; readonly what: string; readonly at: 'primary' | 'dr' | 'every site' }[] = [
  { name: 'sql-server-backup-log', what: 'SQL Server log backups', at: 'primary' },
  { name: 'sql-server-backup-differential', what: 'SQL Server differential backups', at: 'primary' },
  { name: 'sql-server-backup-full', what: 'SQL Server full backups', at: 'primary' },
  { name: 'sql-server-restore', what: 'SQL Server restores at the standby', at: 'dr' },
  { name: 'object-store-replication', what: 'bucket replication rules (re-applied)', at: 'primary' },
  { name: 'vault-snapshot', what: 'Vault Raft snapshots', at: 'every site' },
];

export function recoveryEvidence(plan: EnvironmentPlan): RecoveryEvidence {
  const primarySite = primarySiteOf(plan);
  const drSite = primarySite === undefined ? undefined : otherSite(plan, primarySite);
  const schedules: ScheduleEvidence[] = [];
  for (const cronJob of RECOVERY_CRONJOBS) {
    const sites = cronJob.at === 'primary' ? [primarySite] : cronJob.at === 'dr' ? [drSite] : [...new Set(plan.stacks.map((stack) => stack.site))];
    for (const site of sites) {
      if (site === undefined) continue;
      for (const { object, ref } of findObjects(plan, site, 'CronJob', cronJob.name)) {
        const schedule = field(object.spec, 'schedule');
        const suspended = field(object.spec, 'suspend') === true;
        const interval = suspended ? undefined : cronIntervalMinutes(schedule);
        schedules.push({ what: cronJob.what, site, subject: ref, ...(typeof schedule === 'string' ? { schedule } : {}), suspended, ...(interval === undefined ? {} : { intervalMinutes: interval }) });
      }
    }
  }
  for (const site of [...new Set(plan.stacks.map((stack) => stack.site))]) {
    for (const { object, ref } of findObjects(plan, site, 'ConfigMap', 'elasticsearch-setup')) {
      const data = field(object, 'data');
      for (const [key, text] of Object.entries(typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {})) {
        if (!/^slm-.*\.json$/.test(key) || typeof text !== 'string') continue;
        let schedule: unknown;
        try {
          schedule = field(JSON.parse(text), 'schedule');
        } catch {
          schedule = undefined;
        }
        const interval = typeof schedule === 'string' ? elasticsearchScheduleMinutes(schedule) : undefined;
        schedules.push({ what: `Elasticsearch snapshots (${key})`, site, subject: ref, ...(typeof schedule === 'string' ? { schedule } : {}), suspended: false, ...(interval === undefined ? {} : { intervalMinutes: interval }) });
      }
    }
  }
  const intervalOf = (name: string) => schedules.find((entry) => entry.subject.name === name && !entry.suspended)?.intervalMinutes;
  const logBackupMinutes = intervalOf('sql-server-backup-log');
  const restoreMinutes = intervalOf('sql-server-restore');
  const lag = alertRulesOf(plan).find((rule) => rule.site === drSite && rule.alert === 'ObjectStoreReplicationLagging');
  const lagSeconds = lag ? /lms_object_store_replication_heartbeat_age_seconds(?:\{[^}]*\})?\s*>\s*(\d+(?:\.\d+)?)/.exec(lag.expr)?.[1] : undefined;
  const replicationLagBudgetMinutes = lagSeconds === undefined ? undefined : Number(lagSeconds) / 60;
  const worstCaseDataLossMinutes =
    logBackupMinutes !== undefined && restoreMinutes !== undefined && replicationLagBudgetMinutes !== undefined ? logBackupMinutes + replicationLagBudgetMinutes + restoreMinutes : undefined;
  const runbook = plan.runbook ?? '';
  const recovery = /estimated recovery time of (\d+)m\b/.exec(runbook)?.[1];
  const restore = /restore from backups alone instead[^:]*:\s*about (\d+) min/.exec(runbook)?.[1];
  return {
    ...(primarySite ? { primarySite } : {}),
    ...(drSite ? { drSite } : {}),
    schedules,
    ...(logBackupMinutes === undefined ? {} : { logBackupMinutes }),
    ...(replicationLagBudgetMinutes === undefined ? {} : { replicationLagBudgetMinutes }),
    ...(restoreMinutes === undefined ? {} : { restoreMinutes }),
    ...(worstCaseDataLossMinutes === undefined ? {} : { worstCaseDataLossMinutes }),
    ...(recovery === undefined ? {} : { estimatedRecoveryMinutes: Number(recovery) }),
    ...(restore === undefined ? {} : { restoreFromBackupsMinutes: Number(restore) }),
  };
}

/**
 * Elasticsearch's snapshot lifecycle schedules are Quartz cron (`sec min hour day month
 * weekday`): `0 15 * * * ?` runs hourly, `0 30 1 * * ?` daily. `undefined` when irregular.
 */
export function elasticsearchScheduleMinutes(schedule: string): number | undefined {
  const parts = schedule.trim().split(/\s+/);
  if (parts.length < 6) return undefined;
  const [, minute, hour, day, month, weekday] = parts;
  return cronIntervalMinutes(`${minute} ${hour} ${day} ${month} ${weekday === '?' ? '*' : weekday}`);
}
