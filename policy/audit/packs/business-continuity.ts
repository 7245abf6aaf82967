import { businessBucketsReplicated } from '../rules/business-buckets-replicated';
import { continuityAlerts } from '../rules/continuity-alerts';
import { criticalServicesRedundant } from '../rules/critical-services-redundant';
import { dailyFullBackups } from '../rules/daily-full-backups';
import { recoveryPointWithinTarget } from '../rules/recovery-point-within-target';
import { recoveryTimeWithinTarget } from '../rules/recovery-time-within-target';
import { snapshotsScheduled } from '../rules/snapshots-scheduled';
import type { AuditPack } from '../types';

/** Business continuity: the operations plan's RPO 1 h, RTO 4 h, daily full backups and 99.9 % availability. */
export const BUSINESS_CONTINUITY_PACK: AuditPack = {
  name: 'business-continuity',
  title: 'Business continuity',
  description:
    "Backups, replication, snapshots, redundancy and their alerts, read from the synthesized CronJobs, ConfigMaps, PrometheusRules and the failover runbook; targets from the environment's objectives.",
  rules: [
    { id: 'LMS-BC-001', level: 'error', title: 'Log backup interval and computed worst-case data loss within the RPO', why: 'The recovery point is what a site loss may cost; it is computed from the schedules actually synthesized, not from intentions.', check: recoveryPointWithinTarget },
    { id: 'LMS-BC-002', level: 'error', title: 'Estimated recovery time within the RTO', why: 'The failover must finish within the recovery time objective; the synth computes it from the restore sizes and steps and writes it into the runbook.', check: recoveryTimeWithinTarget },
    { id: 'LMS-BC-003', level: 'error', title: 'Daily full backups', why: 'The operations plan requires a daily full backup; it bounds the restore from backups alone and the log chain to replay.', check: dailyFullBackups },
    { id: 'LMS-BC-004', level: 'error', title: 'Every bucket with business data replicated to the other site', why: 'Documents, SQL Server backups and snapshots must survive the loss of the primary site; only the site\'s own Terraform state stays where it is.', check: businessBucketsReplicated },
    { id: 'LMS-BC-005', level: 'error', title: 'Vault and Elasticsearch snapshots at every site, at least daily', why: 'Vault holds every credential and Elasticsearch the audit trail; without snapshots a lost site loses them.', check: snapshotsScheduled },
    { id: 'LMS-BC-006', level: 'error', title: 'Production critical services: at least 2 replicas and a PodDisruptionBudget', why: 'One replica, or none kept through a node drain, breaks the 99.9 % availability objective at the first maintenance.', check: criticalServicesRedundant },
    { id: 'LMS-BC-007', level: 'error', title: 'An alert for every backup, replication and snapshot', why: 'A backup that silently stopped is found at the failover; an alert finds it within the recovery point.', check: continuityAlerts },
  ],
};
