import { judge } from '../../objects';
import type { Violation } from '../../types';
import { readableMinutes, subject } from '../facts';
import { recoveryEvidence } from '../recovery-evidence';
import type { AuditCheck } from '../types';

/**
 * Log backups run at the primary at least as often as the recovery point objective, and the
 * worst-case data loss computed from the plan (log backup interval + replication lag budget
 * + restore interval) is within it.
 */
export const recoveryPointWithinTarget: AuditCheck = (plan, context) => {
  const evidence = recoveryEvidence(plan);
  const target = `at most the recovery point objective ${readableMinutes(context.recoveryPointMinutes)}`;
  const log = evidence.schedules.find((entry) => entry.subject.name === 'sql-server-backup-log');
  const violations: Violation[] = [];
  if (evidence.primarySite === undefined) violations.push({ path: 'CronJob lms-data/sql-server-backup-log', value: undefined, allowed: 'one primary site running unsuspended SQL Server log backups' });
  else if (evidence.logBackupMinutes === undefined) violations.push({ path: 'spec.schedule', value: log?.schedule, allowed: 'a regular schedule (every N minutes or hours)' });
  else if (evidence.logBackupMinutes > context.recoveryPointMinutes) violations.push({ path: 'log backup interval', value: readableMinutes(evidence.logBackupMinutes), allowed: target });
  if (evidence.primarySite !== undefined) {
    if (evidence.restoreMinutes === undefined) violations.push({ path: `CronJob lms-data/sql-server-restore at ${evidence.drSite ?? 'the DR site'}`, value: undefined, allowed: 'an unsuspended restore CronJob with a regular schedule' });
    if (evidence.replicationLagBudgetMinutes === undefined) violations.push({ path: `PrometheusRule alert ObjectStoreReplicationLagging at ${evidence.drSite ?? 'the DR site'}`, value: undefined, allowed: 'a heartbeat-age alert stating the replication lag budget' });
    if (evidence.worstCaseDataLossMinutes !== undefined && evidence.worstCaseDataLossMinutes > context.recoveryPointMinutes) {
      violations.push({ path: 'worst-case data loss', value: readableMinutes(evidence.worstCaseDataLossMinutes), allowed: target });
    }
  }
  return judge(log?.subject ?? subject('RecoveryPoint', plan.name), violations);
};
