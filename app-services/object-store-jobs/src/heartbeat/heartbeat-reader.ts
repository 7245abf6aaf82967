import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { HeartbeatConfig } from '../config/heartbeat-config';
import type { Site } from '../config/bucket-name';
import { describeS3Error } from '../connection/s3-client';
import { HEARTBEAT_OPERATIONS, type ReaderMetrics } from './heartbeat-metrics';
import { HeartbeatContentError, heartbeatKey, parseHeartbeat } from './heartbeat-object';
import type { Logger } from './logger';

/** Reads the source site's heartbeat from this site's replica of every replicated bucket, once per cycle. */
export class HeartbeatReader {
  private readonly sourceSite: Site;

  constructor(
    private readonly config: HeartbeatConfig,
    private readonly metrics: ReaderMetrics,
    private readonly log: Logger,
  ) {
    if (config.sourceSite === undefined) throw new Error('a heartbeat reader needs config.sourceSite');
    this.sourceSite = config.sourceSite;
    metrics.initialiseErrors(config.replicatedBuckets, [HEARTBEAT_OPERATIONS.get, HEARTBEAT_OPERATIONS.parse]);
  }

  async runCycle(client: S3Client, abortSignal?: AbortSignal): Promise<void> {
    const key = heartbeatKey(this.sourceSite);
    for (const bucket of this.config.replicatedBuckets) {
      if (abortSignal?.aborted === true) return;
      let text: string;
      try {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal });
        text = response.Body === undefined ? '' : await response.Body.transformToString('utf8');
      } catch (error) {
        this.metrics.unreadable(bucket);
        this.metrics.errors.inc({ bucket, operation: HEARTBEAT_OPERATIONS.get });
        this.log('error', 'heartbeat get failed', { bucket, key, error: describeS3Error(error) });
        continue;
      }
      try {
        this.metrics.observed(bucket, parseHeartbeat(text, this.sourceSite));
      } catch (error) {
        if (!(error instanceof HeartbeatContentError)) throw error;
        this.metrics.unreadable(bucket);
        this.metrics.errors.inc({ bucket, operation: HEARTBEAT_OPERATIONS.parse });
        this.log('error', 'heartbeat object is not a heartbeat', { bucket, key, error: error.message });
      }
    }
  }
}
