import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** Operations counted in `lms_object_store_heartbeat_errors_total`. */
export const HEARTBEAT_OPERATIONS = {
  /** Writer: PutObject of the heartbeat failed. */
  put: 'put',
  /** Writer: reading whether the bucket has object lock failed (the heartbeat is put without retention). */
  getObjectLockConfiguration: 'get-object-lock-configuration',
  /** Reader: GetObject failed, including a missing heartbeat object (NoSuchKey). */
  get: 'get',
  /** Reader: the heartbeat object's content is not a heartbeat from the source site. */
  parse: 'parse',
  /** Either: re-reading S3_CREDENTIALS_FILE failed; the cycle used the last credentials read. */
  readCredentials: 'read-credentials',
} as const;
export type HeartbeatOperation = (typeof HEARTBEAT_OPERATIONS)[keyof typeof HEARTBEAT_OPERATIONS];

/** The metrics a heartbeat process serves, on a registry of its own. */
export class HeartbeatMetrics {
  readonly registry = new Registry();
  readonly errors: Counter<'bucket' | 'operation'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.errors = new Counter({
      name: 'lms_object_store_heartbeat_errors_total',
      help: 'Failed heartbeat operations, by bucket and operation (put, get-object-lock-configuration, get, parse; read-credentials with bucket="").',
      labelNames: ['bucket', 'operation'],
      registers: [this.registry],
    });
  }

  /** Starts the error series at 0, so a first error shows as an increase. */
  initialiseErrors(buckets: readonly string[], operations: readonly HeartbeatOperation[]): void {
    for (const bucket of buckets) for (const operation of operations) this.errors.inc({ bucket, operation }, 0);
    this.errors.inc({ bucket: '', operation: HEARTBEAT_OPERATIONS.readCredentials }, 0);
  }
}

/** Writer metrics: when each bucket's heartbeat was last put. */
export class WriterMetrics extends HeartbeatMetrics {
  readonly lastWrite = new Gauge({
    name: 'lms_object_store_heartbeat_last_write_timestamp_seconds',
    help: 'Unix time of the last heartbeat object successfully put into the bucket.',
    labelNames: ['bucket'],
    registers: [this.registry],
  });
}

/**
 * Reader metrics. The age is computed when Prometheus scrapes (now - writtenAt of the last
 * heartbeat read), so it keeps growing between reads. A bucket whose last read failed has no
 * age and no timestamp series at all (never a stale or made-up value): alert on the age being
 * too high and on the series being absent.
 */
export class ReaderMetrics extends HeartbeatMetrics {
  /** writtenAt (ms) of the last heartbeat read from each bucket. */
  private readonly writtenAt = new Map<string, number>();

  constructor(
    private readonly sourceSite: string,
    private readonly now: () => number,
  ) {
    super();
    const reader = this;
    new Gauge({
      name: 'lms_object_store_replication_heartbeat_age_seconds',
      help: 'Seconds since the source site wrote the heartbeat object last read from this site\'s replica of the bucket; absent while it cannot be read.',
      labelNames: ['bucket', 'source_site'],
      registers: [this.registry],
      collect() {
        this.reset();
        const now = reader.now();
        for (const [bucket, writtenAt] of reader.writtenAt) this.set({ bucket, source_site: reader.sourceSite }, (now - writtenAt) / 1000);
      },
    });
    new Gauge({
      name: 'lms_object_store_replication_heartbeat_timestamp_seconds',
      help: 'Unix time at which the source site wrote the heartbeat object last read from this site\'s replica of the bucket; absent while it cannot be read.',
      labelNames: ['bucket', 'source_site'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [bucket, writtenAt] of reader.writtenAt) this.set({ bucket, source_site: reader.sourceSite }, writtenAt / 1000);
      },
    });
  }

  /** Records a heartbeat read from `bucket`. */
  observed(bucket: string, writtenAt: number): void {
    this.writtenAt.set(bucket, writtenAt);
  }

  /** Forgets `bucket`'s heartbeat: its age and timestamp series disappear. */
  unreadable(bucket: string): void {
    this.writtenAt.delete(bucket);
  }
}
