import {
  CreateBucketCommand,
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  HeadBucketCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectLockConfigurationCommand,
  type LifecycleRule,
  type S3Client,
} from '@aws-sdk/client-s3';
import { describeS3Error, s3ErrorCode, s3HttpStatus } from '../connection/s3-client';
import type { BucketAction, BucketStore, ObservedBucket, ObservedLifecycleRule, VersioningStatus } from './bucket-state';

/** A request to the object store failed; the message names the S3 operation. */
export class StoreRequestError extends Error {
  constructor(operation: string, cause: unknown) {
    super(`${operation} failed: ${describeS3Error(cause)}`);
    this.name = 'StoreRequestError';
  }
}

/** {@link BucketStore} over the S3 API of MinIO. Never deletes a bucket or an object. */
export class S3BucketStore implements BucketStore {
  constructor(private readonly client: S3Client) {}

  async observe(bucket: string): Promise<ObservedBucket | undefined> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: bucket }));
    } catch (error) {
      if (s3HttpStatus(error) === 404) return undefined;
      throw new StoreRequestError('HeadBucket', error);
    }
    return {
      versioning: await this.readVersioning(bucket),
      ...(await this.readObjectLock(bucket)),
      lifecycleRules: await this.readLifecycleRules(bucket),
    };
  }

  async apply(bucket: string, action: BucketAction): Promise<void> {
    const client = this.client;
    switch (action.type) {
      case 'create': {
        const lock = action.objectLock ? { ObjectLockEnabledForBucket: true } : {};
        return this.request('CreateBucket', () => client.send(new CreateBucketCommand({ Bucket: bucket, ...lock })));
      }
      case 'enable-versioning':
      case 'suspend-versioning': {
        const Status = action.type === 'enable-versioning' ? 'Enabled' : 'Suspended';
        return this.request('PutBucketVersioning', () =>
          client.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status } })),
        );
      }
      case 'set-object-lock-retention': {
        const DefaultRetention = { Mode: action.mode, Days: action.days };
        return this.request('PutObjectLockConfiguration', () =>
          client.send(
            new PutObjectLockConfigurationCommand({
              Bucket: bucket,
              ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention } },
            }),
          ),
        );
      }
      case 'set-lifecycle': {
        const Rules = action.rules.map((rule) => ({
          ID: rule.id,
          Status: 'Enabled' as const,
          Filter: { Prefix: rule.prefix },
          NoncurrentVersionExpiration: { NoncurrentDays: rule.noncurrentDays },
        }));
        return this.request('PutBucketLifecycleConfiguration', () =>
          client.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules } })),
        );
      }
      case 'remove-lifecycle':
        return this.request('DeleteBucketLifecycle', () => client.send(new DeleteBucketLifecycleCommand({ Bucket: bucket })));
    }
  }

  private async request(operation: string, send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
    } catch (error) {
      throw new StoreRequestError(operation, error);
    }
  }

  private async readVersioning(bucket: string): Promise<VersioningStatus> {
    try {
      const { Status } = await this.client.send(new GetBucketVersioningCommand({ Bucket: bucket }));
      return Status === 'Enabled' || Status === 'Suspended' ? Status : 'Unversioned';
    } catch (error) {
      throw new StoreRequestError('GetBucketVersioning', error);
    }
  }

  private async readObjectLock(bucket: string): Promise<Pick<ObservedBucket, 'objectLockEnabled' | 'defaultRetention'>> {
    try {
      const { ObjectLockConfiguration: configuration } = await this.client.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
      const retention = configuration?.Rule?.DefaultRetention;
      return {
        objectLockEnabled: configuration?.ObjectLockEnabled === 'Enabled',
        defaultRetention:
          retention?.Mode === undefined
            ? null
            : {
                mode: retention.Mode,
                ...(retention.Days === undefined ? {} : { days: retention.Days }),
                ...(retention.Years === undefined ? {} : { years: retention.Years }),
              },
      };
    } catch (error) {
      if (s3ErrorCode(error) === 'ObjectLockConfigurationNotFoundError') return { objectLockEnabled: false, defaultRetention: null };
      throw new StoreRequestError('GetObjectLockConfiguration', error);
    }
  }

  private async readLifecycleRules(bucket: string): Promise<ObservedLifecycleRule[]> {
    try {
      const { Rules } = await this.client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
      return (Rules ?? []).map(observeLifecycleRule);
    } catch (error) {
      if (s3ErrorCode(error) === 'NoSuchLifecycleConfiguration') return [];
      throw new StoreRequestError('GetBucketLifecycleConfiguration', error);
    }
  }
}

/** Reduces an SDK lifecycle rule to what the planner compares. */
export function observeLifecycleRule(rule: LifecycleRule): ObservedLifecycleRule {
  const other: string[] = [];
  const expiration = rule.Expiration;
  if (expiration !== undefined && (expiration.Days !== undefined || expiration.Date !== undefined || expiration.ExpiredObjectDeleteMarker === true)) {
    other.push('Expiration');
  }
  if ((rule.Transitions ?? []).length > 0) other.push('Transition');
  if ((rule.NoncurrentVersionTransitions ?? []).length > 0) other.push('NoncurrentVersionTransition');
  if (rule.AbortIncompleteMultipartUpload !== undefined) other.push('AbortIncompleteMultipartUpload');
  if ((rule.NoncurrentVersionExpiration?.NewerNoncurrentVersions ?? 0) > 0) other.push('NoncurrentVersionExpiration.NewerNoncurrentVersions');
  if (rule.Prefix !== undefined) other.push('Prefix');
  const filter = rule.Filter;
  if (filter?.Tag !== undefined) other.push('Filter.Tag');
  if (filter?.And !== undefined) other.push('Filter.And');
  if (filter?.ObjectSizeGreaterThan !== undefined) other.push('Filter.ObjectSizeGreaterThan');
  if (filter?.ObjectSizeLessThan !== undefined) other.push('Filter.ObjectSizeLessThan');
  const noncurrentDays = rule.NoncurrentVersionExpiration?.NoncurrentDays;
  return {
    id: rule.ID ?? '',
    enabled: rule.Status === 'Enabled',
    prefix: filter?.Prefix ?? '',
    ...(noncurrentDays === undefined ? {} : { noncurrentDays }),
    otherElements: other,
  };
}
