import { field, judge } from '../../objects';
import type { Violation } from '../../types';
import { findObjects, subject } from '../facts';
import { primarySiteOf } from '../plan';
import type { AuditCheck } from '../types';

/**
 * Every bucket with business data at the primary is replicated to the other site: each
 * bucket of the primary's `object-store-buckets` ConfigMap, except the site's own Terraform
 * state bucket (state stays at its site), is listed in the `object-store-replication`
 * ConfigMap, and the replication CronJob runs unsuspended.
 */
export const businessBucketsReplicated: AuditCheck = (plan) => {
  const primary = primarySiteOf(plan);
  if (primary === undefined) return judge(subject('Buckets', plan.name), [{ path: 'primary site', value: undefined, allowed: 'one primary site (running SQL Server log backups)' }]);
  const buckets = bucketsAt(plan, primary);
  const stateBuckets = new Set(plan.stacks.filter((stack) => stack.site === primary).map((stack) => field(stack.backend?.config, 'bucket')));
  const replicated = replicatedBucketsAt(plan, primary);
  const cronJob = findObjects(plan, primary, 'CronJob', 'object-store-replication')[0];
  if (buckets === undefined) return judge(subject('ConfigMap', 'object-store-buckets', undefined, 'lms-data'), [{ path: `data["buckets.json"] at ${primary}`, value: undefined, allowed: 'the bucket list the reconcile Job applies' }]);
  return buckets
    .filter((bucket) => !stateBuckets.has(bucket))
    .flatMap((bucket) => {
      const violations: Violation[] = [];
      if (!replicated.includes(bucket)) violations.push({ path: 'object-store-replication ConfigMap data.replicated-buckets', value: replicated.join(', ') || undefined, allowed: `a list including ${bucket}` });
      else if (!cronJob || field(cronJob.object.spec, 'suspend') === true) violations.push({ path: 'CronJob lms-data/object-store-replication', value: cronJob ? 'suspended' : undefined, allowed: 'an unsuspended replication CronJob at the primary' });
      return judge(subject('Bucket', bucket, undefined, primary), violations);
    });
};

/** The bucket names of a site's `object-store-buckets` ConfigMap, `undefined` when unreadable. */
export function bucketsAt(plan: Parameters<AuditCheck>[0], site: string): string[] | undefined {
  const config = findObjects(plan, site, 'ConfigMap', 'object-store-buckets')[0];
  const text = field(field(config?.object, 'data'), 'buckets.json');
  if (typeof text !== 'string') return undefined;
  try {
    const list = field(JSON.parse(text), 'buckets');
    return Array.isArray(list) ? list.map((bucket) => String(field(bucket, 'name'))) : undefined;
  } catch {
    return undefined;
  }
}

/** The buckets a site replicates to the other (empty when it replicates none). */
export function replicatedBucketsAt(plan: Parameters<AuditCheck>[0], site: string): string[] {
  const config = findObjects(plan, site, 'ConfigMap', 'object-store-replication')[0];
  const text = field(field(config?.object, 'data'), 'replicated-buckets');
  return typeof text === 'string' ? text.split('\n').filter((line) => line.trim() !== '') : [];
}
