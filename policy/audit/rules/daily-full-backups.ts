import { judge } from '../../objects';
import { readableMinutes, subject } from '../facts';
import { recoveryEvidence } from '../recovery-evidence';
import type { AuditCheck } from '../types';

/** The primary takes a full SQL Server backup at least daily (an unsuspended, regular `sql-server-backup-full` CronJob). */
export const dailyFullBackups: AuditCheck = (plan) => {
  const evidence = recoveryEvidence(plan);
  const full = evidence.schedules.find((entry) => entry.subject.name === 'sql-server-backup-full');
  const allowed = 'an unsuspended CronJob sql-server-backup-full at the primary, at least daily';
  if (!full) return judge(subject('CronJob', 'sql-server-backup-full', undefined, 'lms-data'), [{ path: `CronJob at ${evidence.primarySite ?? 'the primary'}`, value: undefined, allowed }]);
  if (full.suspended) return judge(full.subject, [{ path: 'spec.suspend', value: true, allowed }]);
  if (full.intervalMinutes === undefined || full.intervalMinutes > 1440) return judge(full.subject, [{ path: 'spec.schedule', value: full.intervalMinutes === undefined ? full.schedule : `${full.schedule} (every ${readableMinutes(full.intervalMinutes)})`, allowed }]);
  return judge(full.subject, []);
};
