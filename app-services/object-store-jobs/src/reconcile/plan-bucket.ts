import type { DesiredBucket } from '../config/reconcile-config';
import { HEARTBEAT_PREFIX } from '../heartbeat/heartbeat-object';
import type { BucketAction, ManagedLifecycleRule, ObservedBucket, ObservedLifecycleRule, ObservedRetention } from './bucket-state';

/** The fixed ids of the lifecycle rules this job writes. */
export const EXPIRE_NONCURRENT_RULE_ID = 'lms-expire-noncurrent';
export const EXPIRE_HEARTBEAT_VERSIONS_RULE_ID = 'lms-expire-heartbeat-versions';

/**
 * Noncurrent heartbeat versions are kept this long. The writer puts a new version every
 * interval (1440 a day at 60 s); without this rule a versioned bucket would keep every one of
 * them as long as its other noncurrent versions.
 */
export const HEARTBEAT_NONCURRENT_DAYS = 1;

/** The desired state cannot be reached without a change this job refuses to make. */
export class BucketPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BucketPlanError';
  }
}

/** What a bucket has just after creation (MinIO, like S3, turns versioning on with object lock). */
export function newBucketState(objectLock: boolean): ObservedBucket {
  return { versioning: objectLock ? 'Enabled' : 'Unversioned', objectLockEnabled: objectLock, defaultRetention: null, lifecycleRules: [] };
}

/** The lifecycle rules a bucket should have, in the order they are written. */
export function desiredLifecycleRules(desired: DesiredBucket): ManagedLifecycleRule[] {
  const rules: ManagedLifecycleRule[] = [];
  const noncurrentDays = desired.lifecycle?.noncurrentVersionExpirationDays;
  if (noncurrentDays !== undefined) rules.push({ id: EXPIRE_NONCURRENT_RULE_ID, prefix: '', noncurrentDays });
  if (desired.versioning) {
    rules.push({ id: EXPIRE_HEARTBEAT_VERSIONS_RULE_ID, prefix: HEARTBEAT_PREFIX, noncurrentDays: HEARTBEAT_NONCURRENT_DAYS });
  }
  return rules;
}

/**
 * The actions that bring a bucket from `observed` (undefined: it does not exist) to `desired`,
 * only for what differs: an empty list when the bucket is as desired. Throws a
 * {@link BucketPlanError} when that would need a change the job never makes (enabling object
 * lock on an existing bucket, turning it off, suspending versioning under object lock).
 */
export function planBucket(desired: DesiredBucket, observed: ObservedBucket | undefined): BucketAction[] {
  const actions: BucketAction[] = [];
  let current = observed;
  if (current === undefined) {
    actions.push({ type: 'create', objectLock: desired.objectLock !== null });
    current = newBucketState(desired.objectLock !== null);
  }
  const bucket = `bucket "${desired.name}"`;
  const retention = describeRetention(current.defaultRetention);

  if (desired.objectLock !== null && !current.objectLockEnabled) {
    throw new BucketPlanError(
      `${bucket} exists without object lock, and object lock can only be enabled when a bucket is created; nothing was changed. ` +
        'Either create a new bucket with object lock, copy the objects into it and name it in the config, or set "objectLock": null for this bucket',
    );
  }
  if (!desired.versioning && current.objectLockEnabled) {
    throw new BucketPlanError(
      `${bucket} has object lock (default retention: ${retention}), so its versioning cannot be suspended, but the config sets "versioning": false; nothing was changed. ` +
        'Set "versioning": true and "objectLock" to the retention the bucket should keep',
    );
  }
  if (desired.objectLock === null && current.objectLockEnabled) {
    throw new BucketPlanError(
      `${bucket} has object lock (default retention: ${retention}), which cannot be turned off, but the config sets "objectLock": null; nothing was changed. ` +
        'Set "objectLock" to the retention the bucket should keep',
    );
  }

  if (desired.versioning && current.versioning !== 'Enabled') actions.push({ type: 'enable-versioning' });
  if (!desired.versioning && current.versioning === 'Enabled') actions.push({ type: 'suspend-versioning' });

  if (desired.objectLock !== null) {
    const { mode, days } = desired.objectLock;
    const observedRetention = current.defaultRetention;
    const same = observedRetention !== null && observedRetention.mode === mode && observedRetention.days === days && observedRetention.years === undefined;
    if (!same) actions.push({ type: 'set-object-lock-retention', mode, days });
  }

  const rules = desiredLifecycleRules(desired);
  if (!sameLifecycleRules(rules, current.lifecycleRules)) {
    actions.push(rules.length === 0 ? { type: 'remove-lifecycle' } : { type: 'set-lifecycle', rules });
  }
  return actions;
}

/** `GOVERNANCE, 35 days`, or `none`. */
export function describeRetention(retention: ObservedRetention | null): string {
  if (retention === null) return 'none';
  const period = retention.days !== undefined ? `${retention.days} days` : retention.years !== undefined ? `${retention.years} years` : 'no period';
  return `${retention.mode}, ${period}`;
}

function sameLifecycleRules(desired: readonly ManagedLifecycleRule[], observed: readonly ObservedLifecycleRule[]): boolean {
  if (desired.length !== observed.length) return false;
  return desired.every((rule) => {
    const match = observed.filter((candidate) => candidate.id === rule.id);
    const found = match[0];
    return (
      match.length === 1 &&
      found !== undefined &&
      found.enabled &&
      found.prefix === rule.prefix &&
      found.noncurrentDays === rule.noncurrentDays &&
      found.otherElements.length === 0
    );
  });
}
