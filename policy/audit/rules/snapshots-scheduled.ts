import { judge } from '../../objects';
import { readableMinutes, subject } from '../facts';
import { recoveryEvidence } from '../recovery-evidence';
import type { AuditCheck } from '../types';

/**
 * Vault and Elasticsearch are snapshotted at every site at least daily: an unsuspended
 * `vault-snapshot` CronJob and an Elasticsearch snapshot lifecycle policy (`slm-*.json` in
 * the `elasticsearch-setup` ConfigMap) with a regular schedule. Their buckets' replication
 * is LMS-BC-004.
 */
export const snapshotsScheduled: AuditCheck = (plan) => {
  const evidence = recoveryEvidence(plan);
  const sites = [...new Set(plan.stacks.map((stack) => stack.site))];
  return sites.flatMap((site) =>
    (['Vault Raft snapshots', 'Elasticsearch snapshots'] as const).flatMap((what) => {
      const entries = evidence.schedules.filter((entry) => entry.site === site && entry.what.startsWith(what));
      const allowed = `${what} scheduled at ${site}, at least daily`;
      if (entries.length === 0) return judge(subject('Snapshots', what, undefined, site), [{ path: what === 'Vault Raft snapshots' ? 'CronJob lms-security/vault-snapshot' : 'ConfigMap lms-observability/elasticsearch-setup slm-*.json', value: undefined, allowed }]);
      return entries.flatMap((entry) =>
        judge(
          entry.subject,
          entry.suspended || entry.intervalMinutes === undefined || entry.intervalMinutes > 1440
            ? [{ path: 'schedule', value: entry.suspended ? 'suspended' : entry.intervalMinutes === undefined ? entry.schedule : `${entry.schedule} (every ${readableMinutes(entry.intervalMinutes)})`, allowed }]
            : [],
        ),
      );
    }),
  );
};
