import { GetObjectLockConfigurationCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { HeartbeatConfig } from '../config/heartbeat-config';
import { describeS3Error, s3ErrorCode } from '../connection/s3-client';
import { HEARTBEAT_OPERATIONS, type WriterMetrics } from './heartbeat-metrics';
import { heartbeatBody, heartbeatKey } from './heartbeat-object';
import type { Logger } from './logger';

/**
 * How long a heartbeat version stays locked in a bucket with object lock. Without an explicit
 * retention each version would take the bucket's default (e.g. 35 days), and the versions of
 * one key, one per interval, could not be expired before then; with it the bucket's
 * `lms-expire-heartbeat-versions` lifecycle rule removes them after a day.
 */
export const HEARTBEAT_RETENTION_MS = 24 * 60 * 60 * 1000;

/** Puts this site's heartbeat into every replicated bucket, once per cycle. */
export class HeartbeatWriter {
  /** Whether each bucket has object lock, once known (it cannot be turned off). */
  private readonly objectLock = new Map<string, boolean>();

  constructor(
    private readonly config: HeartbeatConfig,
    private readonly metrics: WriterMetrics,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    metrics.initialiseErrors(config.replicatedBuckets, [HEARTBEAT_OPERATIONS.put, HEARTBEAT_OPERATIONS.getObjectLockConfiguration]);
  }

  async runCycle(client: S3Client, abortSignal?: AbortSignal): Promise<void> {
    for (const bucket of this.config.replicatedBuckets) {
      if (abortSignal?.aborted === true) return;
      const locked = await this.hasObjectLock(client, bucket, abortSignal);
      const writtenAt = this.now();
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: heartbeatKey(this.config.site),
            Body: heartbeatBody(this.config.site, new Date(writtenAt)),
            ContentType: 'application/json',
            ...(locked === true ? { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: new Date(writtenAt + HEARTBEAT_RETENTION_MS) } : {}),
          }),
          { abortSignal },
        );
        this.metrics.lastWrite.set({ bucket }, writtenAt / 1000);
      } catch (error) {
        this.metrics.errors.inc({ bucket, operation: HEARTBEAT_OPERATIONS.put });
        this.log('error', 'heartbeat put failed', { bucket, key: heartbeatKey(this.config.site), error: describeS3Error(error) });
      }
    }
  }

  /** true/false once known; undefined when it could not be read this cycle (then put without retention). */
  private async hasObjectLock(client: S3Client, bucket: string, abortSignal?: AbortSignal): Promise<boolean | undefined> {
    const known = this.objectLock.get(bucket);
    if (known !== undefined) return known;
    try {
      const { ObjectLockConfiguration } = await client.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }), { abortSignal });
      const enabled = ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled';
      this.objectLock.set(bucket, enabled);
      return enabled;
    } catch (error) {
      if (s3ErrorCode(error) === 'ObjectLockConfigurationNotFoundError') {
        this.objectLock.set(bucket, false);
        return false;
      }
      this.metrics.errors.inc({ bucket, operation: HEARTBEAT_OPERATIONS.getObjectLockConfiguration });
      this.log('warn', 'cannot read whether the bucket has object lock; heartbeat put without retention', { bucket, error: describeS3Error(error) });
      return undefined;
    }
  }
}
