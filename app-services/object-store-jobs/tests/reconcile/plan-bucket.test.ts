import { ReconcileConfigSchema, type DesiredBucket } from '../../src/config/reconcile-config';
import type { ObservedBucket, ObservedLifecycleRule } from '../../src/reconcile/bucket-state';
import { BucketPlanError, planBucket } from '../../src/reconcile/plan-bucket';

/** A bucket of the config, validated and defaulted like the real config file. */
function desired(bucket: Record<string, unknown>): DesiredBucket {
  const [parsed] = ReconcileConfigSchema.parse({ site: 'lusaka', buckets: [{ name: 'documents', ...bucket }] }).buckets;
  return parsed as DesiredBucket;
}

const LOCKED: DesiredBucket = desired({ versioning: true, objectLock: { mode: 'GOVERNANCE', days: 35 }, lifecycle: { noncurrentVersionExpirationDays: 35 } });
const VERSIONED: DesiredBucket = desired({ versioning: true });
const PLAIN: DesiredBucket = desired({ versioning: false });

const NONCURRENT_35: ObservedLifecycleRule = { id: 'lms-expire-noncurrent', enabled: true, prefix: '', noncurrentDays: 35, otherElements: [] };
const HEARTBEAT_1: ObservedLifecycleRule = { id: 'lms-expire-heartbeat-versions', enabled: true, prefix: '.lms-heartbeat/', noncurrentDays: 1, otherElements: [] };

/** The state `LOCKED` asks for. */
const LOCKED_STATE: ObservedBucket = {
  versioning: 'Enabled',
  objectLockEnabled: true,
  defaultRetention: { mode: 'GOVERNANCE', days: 35 },
  lifecycleRules: [NONCURRENT_35, HEARTBEAT_1],
};
const PLAIN_STATE: ObservedBucket = { versioning: 'Unversioned', objectLockEnabled: false, defaultRetention: null, lifecycleRules: [] };

const LOCKED_RULES = [
  { id: 'lms-expire-noncurrent', prefix: '', noncurrentDays: 35 },
  { id: 'lms-expire-heartbeat-versions', prefix: '.lms-heartbeat/', noncurrentDays: 1 },
];
const HEARTBEAT_RULES = [{ id: 'lms-expire-heartbeat-versions', prefix: '.lms-heartbeat/', noncurrentDays: 1 }];

function planError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BucketPlanError);
    return (error as Error).message;
  }
  throw new Error('planBucket did not throw');
}

describe('planBucket for a missing bucket', () => {
  it('creates an unversioned bucket and nothing else', () => {
    expect(planBucket(PLAIN, undefined)).toEqual([{ type: 'create', objectLock: false }]);
  });

  it('creates a bucket with object lock (which turns versioning on), then sets its retention and lifecycle', () => {
    expect(planBucket(LOCKED, undefined)).toEqual([
      { type: 'create', objectLock: true },
      { type: 'set-object-lock-retention', mode: 'GOVERNANCE', days: 35 },
      { type: 'set-lifecycle', rules: LOCKED_RULES },
    ]);
  });

  it('creates a versioned bucket without object lock, enables versioning and expires old heartbeat versions', () => {
    expect(planBucket(VERSIONED, undefined)).toEqual([{ type: 'create', objectLock: false }, { type: 'enable-versioning' }, { type: 'set-lifecycle', rules: HEARTBEAT_RULES }]);
  });

  it('creates a COMPLIANCE bucket with its own retention', () => {
    const compliance = desired({ versioning: true, objectLock: { mode: 'COMPLIANCE', days: 2555 } });
    expect(planBucket(compliance, undefined)).toEqual([
      { type: 'create', objectLock: true },
      { type: 'set-object-lock-retention', mode: 'COMPLIANCE', days: 2555 },
      { type: 'set-lifecycle', rules: HEARTBEAT_RULES },
    ]);
  });
});

describe('planBucket for an existing bucket', () => {
  it('plans nothing when the bucket is as desired', () => {
    expect(planBucket(LOCKED, LOCKED_STATE)).toEqual([]);
    expect(planBucket(PLAIN, PLAIN_STATE)).toEqual([]);
    expect(planBucket(VERSIONED, { ...PLAIN_STATE, versioning: 'Enabled', lifecycleRules: [HEARTBEAT_1] })).toEqual([]);
  });

  it('compares lifecycle rules whatever their order', () => {
    expect(planBucket(LOCKED, { ...LOCKED_STATE, lifecycleRules: [HEARTBEAT_1, NONCURRENT_35] })).toEqual([]);
  });

  it.each([
    ['never versioned', 'Unversioned'],
    ['suspended', 'Suspended'],
  ] as const)('enables versioning that is %s', (_name, versioning) => {
    expect(planBucket(VERSIONED, { ...PLAIN_STATE, versioning, lifecycleRules: [HEARTBEAT_1] })).toEqual([{ type: 'enable-versioning' }]);
  });

  it('suspends versioning on a bucket without object lock when the config says versioning false', () => {
    expect(planBucket(PLAIN, { ...PLAIN_STATE, versioning: 'Enabled' })).toEqual([{ type: 'suspend-versioning' }]);
  });

  it.each([
    ['Suspended', 'Suspended'],
    ['Unversioned', 'Unversioned'],
  ] as const)('leaves a %s bucket alone when the config says versioning false', (_name, versioning) => {
    expect(planBucket(PLAIN, { ...PLAIN_STATE, versioning })).toEqual([]);
  });

  it.each([
    ['no default retention', null],
    ['another mode', { mode: 'COMPLIANCE', days: 35 }],
    ['other days', { mode: 'GOVERNANCE', days: 30 }],
    ['a period in years', { mode: 'GOVERNANCE', years: 1 }],
    ['days and years', { mode: 'GOVERNANCE', days: 35, years: 1 }],
  ])('sets the default retention when the bucket has %s', (_name, defaultRetention) => {
    expect(planBucket(LOCKED, { ...LOCKED_STATE, defaultRetention })).toEqual([{ type: 'set-object-lock-retention', mode: 'GOVERNANCE', days: 35 }]);
  });

  it.each<[string, ObservedLifecycleRule[]]>([
    ['no rules', []],
    ['a rule missing', [NONCURRENT_35]],
    ['a rule added by hand', [NONCURRENT_35, HEARTBEAT_1, { id: 'archive', enabled: true, prefix: 'archive/', otherElements: ['Transition'] }]],
    ['a managed rule disabled', [{ ...NONCURRENT_35, enabled: false }, HEARTBEAT_1]],
    ['other noncurrent days', [{ ...NONCURRENT_35, noncurrentDays: 30 }, HEARTBEAT_1]],
    ['another prefix', [NONCURRENT_35, { ...HEARTBEAT_1, prefix: '' }]],
    ['an element this job does not write', [{ ...NONCURRENT_35, otherElements: ['Expiration'] }, HEARTBEAT_1]],
    ['no noncurrent expiration', [{ id: 'lms-expire-noncurrent', enabled: true, prefix: '', otherElements: [] }, HEARTBEAT_1]],
    ['the same id twice', [NONCURRENT_35, NONCURRENT_35]],
  ])('rewrites the lifecycle configuration when the bucket has %s', (_name, lifecycleRules) => {
    expect(planBucket(LOCKED, { ...LOCKED_STATE, lifecycleRules })).toEqual([{ type: 'set-lifecycle', rules: LOCKED_RULES }]);
  });

  it('removes the lifecycle configuration of an unversioned bucket whose config has none', () => {
    expect(planBucket(PLAIN, { ...PLAIN_STATE, lifecycleRules: [NONCURRENT_35] })).toEqual([{ type: 'remove-lifecycle' }]);
  });

  it('plans every difference in order: versioning, retention, lifecycle', () => {
    const state: ObservedBucket = { versioning: 'Suspended', objectLockEnabled: true, defaultRetention: null, lifecycleRules: [] };
    expect(planBucket(LOCKED, state)).toEqual([
      { type: 'enable-versioning' },
      { type: 'set-object-lock-retention', mode: 'GOVERNANCE', days: 35 },
      { type: 'set-lifecycle', rules: LOCKED_RULES },
    ]);
  });
});

describe('planBucket refusals (nothing is changed in the bucket)', () => {
  it('refuses object lock on a bucket created without it', () => {
    expect(planError(() => planBucket(LOCKED, { ...PLAIN_STATE, versioning: 'Enabled' }))).toBe(
      'bucket "documents" exists without object lock, and object lock can only be enabled when a bucket is created; nothing was changed. ' +
        'Either create a new bucket with object lock, copy the objects into it and name it in the config, or set "objectLock": null for this bucket',
    );
  });

  it('refuses to suspend versioning on a bucket with object lock', () => {
    expect(planError(() => planBucket(PLAIN, LOCKED_STATE))).toBe(
      'bucket "documents" has object lock (default retention: GOVERNANCE, 35 days), so its versioning cannot be suspended, but the config sets "versioning": false; nothing was changed. ' +
        'Set "versioning": true and "objectLock" to the retention the bucket should keep',
    );
  });

  it('refuses to turn object lock off', () => {
    expect(planError(() => planBucket(VERSIONED, { ...LOCKED_STATE, defaultRetention: { mode: 'COMPLIANCE', years: 7 } }))).toBe(
      'bucket "documents" has object lock (default retention: COMPLIANCE, 7 years), which cannot be turned off, but the config sets "objectLock": null; nothing was changed. ' +
        'Set "objectLock" to the retention the bucket should keep',
    );
    expect(planError(() => planBucket(VERSIONED, { ...LOCKED_STATE, defaultRetention: null }))).toContain('(default retention: none)');
  });
});
