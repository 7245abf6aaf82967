import { PlatformError, formatValue } from './platform-error';

/** How long objects of a bucket are held and what is replicated: one bucket of a site's store, as data. */
export interface BucketSpec {
  readonly name: string;
  /** What it holds, for people (README, audit). */
  readonly purpose: string;
  /** Versioning: every bucket has it (replication and object lock need it; overwrites stay recoverable). */
  readonly versioning: true;
  /**
   * Object lock (GOVERNANCE, the environment's backup retention): on buckets that protect
   * backups, so a stolen key cannot delete or overwrite them within the retention. Set when
   * the bucket is created, never later.
   */
  readonly objectLock: boolean;
  /** Whether the disaster-recovery site keeps a replica: every bucket that holds business data. */
  readonly replicated: boolean;
}

/** The object store's buckets at every site, besides the site's Terraform state bucket. */
export const BUSINESS_BUCKETS: readonly BucketSpec[] = [
  { name: 'documents', purpose: 'loan documents uploaded through the loan-service (identity documents, payslips, signed agreements)', versioning: true, objectLock: false, replicated: true },
  { name: 'sql-backups', purpose: 'SQL Server full, differential and log backups (log shipping to the disaster-recovery site)', versioning: true, objectLock: true, replicated: true },
  { name: 'vault-snapshots', purpose: 'Vault Raft snapshots', versioning: true, objectLock: true, replicated: true },
  { name: 'es-snapshots', purpose: 'Elasticsearch snapshots (logs and audit trails)', versioning: true, objectLock: true, replicated: true },
];

/** The site's Terraform state bucket: versioned (every state kept), never replicated (each site's state stays at its site). */
export function stateBucket(name: string): BucketSpec {
  return { name, purpose: "the site's Terraform state", versioning: true, objectLock: false, replicated: false };
}

/** S3 bucket naming rules (the general-purpose rules MinIO follows). */
export function isBucketName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/.test(name) &&
    !name.startsWith('xn--') &&
    !name.endsWith('-s3alias')
  );
}

export const BUCKET_NAME_ALLOWED =
  'an S3 bucket name: 3-63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit, no "..", not shaped like an IP address';

/** Checks a list of buckets: names, each once, versioning on. */
export function checkBuckets(where: string, buckets: readonly BucketSpec[]): void {
  if (buckets.length === 0) throw PlatformError.invalidProp(where, 'buckets', buckets, 'one or more buckets');
  buckets.forEach((bucket, index) => {
    if (!isBucketName(bucket.name)) throw PlatformError.invalidProp(where, `buckets[${index}].name`, bucket.name, BUCKET_NAME_ALLOWED);
    if (buckets.findIndex((other) => other.name === bucket.name) !== index) {
      throw PlatformError.invalidProp(where, `buckets[${index}].name`, bucket.name, 'each bucket once');
    }
    if ((bucket.versioning as boolean) !== true) {
      throw new PlatformError(
        `${where}: buckets[${index}].versioning: ${formatValue(bucket.versioning)} is not allowed for bucket ${formatValue(bucket.name)} (allowed: true; replication, object lock and recovery from overwrites need versions)`,
      );
    }
  });
}
