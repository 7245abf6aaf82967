import { z } from 'zod';
import { BucketNameSchema, SiteSchema } from './bucket-name';
import { parseConfig, readJsonFile, SENTENCE, strictObject } from './config-file';

export const OBJECT_LOCK_MODES = ['GOVERNANCE', 'COMPLIANCE'] as const;
export type ObjectLockMode = (typeof OBJECT_LOCK_MODES)[number];

/** S3 caps object-lock retention at 100 years; lifecycle days get the same bound. */
const MAX_DAYS = 36500;
const DAYS_ALLOWED = `a whole number of days from 1 to ${MAX_DAYS}`;
const Days = z.int({ error: DAYS_ALLOWED }).min(1, { error: DAYS_ALLOWED }).max(MAX_DAYS, { error: DAYS_ALLOWED });

/**
 * Why `abortIncompleteMultipartUploadDays` is refused. MinIO's lifecycle rules have no
 * AbortIncompleteMultipartUpload action: a rule holding only it is rejected as malformed XML,
 * beside another action it is dropped (so it would be rewritten on every run), and MinIO
 * removes incomplete uploads itself.
 * @see https://github.com/minio/minio/blob/master/internal/bucket/lifecycle/rule.go
 */
export const ABORT_INCOMPLETE_MULTIPART_UNSUPPORTED =
  'is not supported by MinIO (its lifecycle rules have no AbortIncompleteMultipartUpload action; it removes incomplete multipart uploads itself after the server setting api stale_uploads_expiry, 24h by default): remove the field';

const ObjectLockSchema = strictObject(
  { mode: z.enum(OBJECT_LOCK_MODES, { error: OBJECT_LOCK_MODES.join(', ') }), days: Days },
  `null, or {"mode": "GOVERNANCE" or "COMPLIANCE", "days": 1-${MAX_DAYS}}`,
);

const LifecycleSchema = strictObject(
  {
    abortIncompleteMultipartUploadDays: z.unknown().optional(),
    noncurrentVersionExpirationDays: Days.optional(),
  },
  `null, or {"noncurrentVersionExpirationDays": 1-${MAX_DAYS}}`,
).superRefine((lifecycle, context) => {
  if (lifecycle.abortIncompleteMultipartUploadDays !== undefined) {
    context.addIssue({ code: 'custom', path: ['abortIncompleteMultipartUploadDays'], message: ABORT_INCOMPLETE_MULTIPART_UNSUPPORTED, params: SENTENCE });
  } else if (lifecycle.noncurrentVersionExpirationDays === undefined) {
    context.addIssue({ code: 'custom', message: `sets no rule (allowed: null, or {"noncurrentVersionExpirationDays": 1-${MAX_DAYS}})`, params: SENTENCE });
  }
});

const BucketSchema = strictObject(
  {
    name: BucketNameSchema,
    versioning: z.boolean({ error: 'true or false' }),
    objectLock: ObjectLockSchema.nullable().default(null),
    lifecycle: LifecycleSchema.nullable().default(null),
  },
  `an object {"name", "versioning", "objectLock", "lifecycle"}`,
).superRefine((bucket, context) => {
  if (bucket.objectLock !== null && !bucket.versioning) {
    context.addIssue({
      code: 'custom',
      path: ['objectLock'],
      message: 'needs "versioning": true (object lock protects object versions; allowed with "versioning": false: null)',
      params: SENTENCE,
    });
  }
  if (bucket.lifecycle?.noncurrentVersionExpirationDays !== undefined && !bucket.versioning) {
    context.addIssue({
      code: 'custom',
      path: ['lifecycle', 'noncurrentVersionExpirationDays'],
      message: 'needs "versioning": true (an unversioned bucket has no noncurrent versions)',
      params: SENTENCE,
    });
  }
});

export const ReconcileConfigSchema = strictObject(
  {
    site: SiteSchema,
    buckets: z.array(BucketSchema, { error: `a list of buckets` }).min(1, { error: 'a list of at least one bucket' }),
  },
  'an object {"site", "buckets"}',
).superRefine((config, context) => {
  const seen = new Set<string>();
  config.buckets.forEach((bucket, index) => {
    if (seen.has(bucket.name)) {
      context.addIssue({ code: 'custom', path: ['buckets', index, 'name'], message: 'is listed twice (allowed: each bucket once)', params: SENTENCE });
    }
    seen.add(bucket.name);
  });
});

export type ReconcileConfig = z.output<typeof ReconcileConfigSchema>;
export type DesiredBucket = ReconcileConfig['buckets'][number];

/** Reads and validates the reconcile-buckets config file. */
export function loadReconcileConfig(file: string): ReconcileConfig {
  return parseConfig(ReconcileConfigSchema, readJsonFile(file), file);
}
