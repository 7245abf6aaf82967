import type { ObjectLockMode } from '../config/reconcile-config';

/** A bucket's versioning as S3 reports it; `Unversioned` when versioning was never enabled. */
export type VersioningStatus = 'Enabled' | 'Suspended' | 'Unversioned';

/** A default object-lock retention as read from the bucket (set by hand it may be in years). */
export interface ObservedRetention {
  readonly mode: string;
  readonly days?: number;
  readonly years?: number;
}

/**
 * One lifecycle rule as read from the bucket, reduced to what this job manages. Everything
 * else a rule may hold (expiration, transitions, tag or size filters, ...) is listed by element
 * name in `otherElements`, so a rule edited by hand never looks equal to a managed one.
 */
export interface ObservedLifecycleRule {
  readonly id: string;
  readonly enabled: boolean;
  /** The rule's prefix filter; '' applies to every object. */
  readonly prefix: string;
  readonly noncurrentDays?: number;
  readonly otherElements: readonly string[];
}

/** What the job reads from an existing bucket. */
export interface ObservedBucket {
  readonly versioning: VersioningStatus;
  readonly objectLockEnabled: boolean;
  readonly defaultRetention: ObservedRetention | null;
  readonly lifecycleRules: readonly ObservedLifecycleRule[];
}

/** A lifecycle rule this job writes: enabled, one prefix filter, one noncurrent-version expiration. */
export interface ManagedLifecycleRule {
  readonly id: string;
  readonly prefix: string;
  readonly noncurrentDays: number;
}

/** One change to a bucket, in the order they are applied. */
export type BucketAction =
  | { readonly type: 'create'; readonly objectLock: boolean }
  | { readonly type: 'enable-versioning' }
  | { readonly type: 'suspend-versioning' }
  | { readonly type: 'set-object-lock-retention'; readonly mode: ObjectLockMode; readonly days: number }
  | { readonly type: 'set-lifecycle'; readonly rules: readonly ManagedLifecycleRule[] }
  | { readonly type: 'remove-lifecycle' };

export type BucketActionType = BucketAction['type'];

/**
 * Reads and changes buckets. Implemented over the S3 API for MinIO ({@link S3BucketStore});
 * tests record the calls.
 */
export interface BucketStore {
  /** The bucket's state, or undefined when it does not exist. */
  observe(bucket: string): Promise<ObservedBucket | undefined>;
  /** Applies one action; throws on failure. Never deletes a bucket or an object. */
  apply(bucket: string, action: BucketAction): Promise<void>;
}
