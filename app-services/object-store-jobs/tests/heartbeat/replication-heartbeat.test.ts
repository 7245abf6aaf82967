import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { HeartbeatConfigSchema, type HeartbeatMode } from '../../src/config/heartbeat-config';
import { ConfigurationError } from '../../src/errors';
import { startHeartbeat, type RunningHeartbeat } from '../../src/heartbeat/run-heartbeat';
import type { Logger } from '../../src/heartbeat/logger';
import { S3RVER_CREDENTIALS, temporaryDirectory, type TemporaryDirectory } from '../support/files';
import { httpGet, samples } from '../support/http-get';
import { startS3TestServer, type S3TestServer } from '../support/s3-test-server';

const WRITTEN_AT = Date.parse('2026-01-05T08:00:00.000Z');
const HEARTBEAT_KEY = '.lms-heartbeat/lusaka.json';

interface LogEntry {
  readonly level: string;
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

describe('replication-heartbeat against s3rver', () => {
  let directory: TemporaryDirectory;
  let server: S3TestServer;
  let credentialsFile: string;
  let logs: LogEntry[];
  let clock: number;
  let running: RunningHeartbeat | undefined;
  const log: Logger = (level, message, fields = {}) => logs.push({ level, message, fields });

  async function start(mode: HeartbeatMode, config: object, s3 = server): Promise<RunningHeartbeat> {
    running = await startHeartbeat({
      mode,
      config: HeartbeatConfigSchema.parse(config),
      settings: { endpoint: s3.endpoint, region: 'us-east-1', credentialsFile },
      host: '127.0.0.1',
      port: 0,
      log,
      now: () => clock,
    });
    return running;
  }

  async function scrape(heartbeat: RunningHeartbeat): Promise<string> {
    const answer = await httpGet(`http://127.0.0.1:${heartbeat.port}/metrics`);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    return answer.body;
  }

  async function readObject(bucket: string, key = HEARTBEAT_KEY): Promise<string> {
    const object = await server.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await object.Body?.transformToString('utf8')) ?? '';
  }

  async function putHeartbeat(bucket: string, body: string): Promise<void> {
    await server.client.send(new PutObjectCommand({ Bucket: bucket, Key: HEARTBEAT_KEY, Body: body, ContentType: 'application/json' }));
  }

  beforeEach(async () => {
    directory = temporaryDirectory();
    credentialsFile = directory.write('s3-credentials', S3RVER_CREDENTIALS);
    server = await startS3TestServer();
    await server.client.send(new CreateBucketCommand({ Bucket: 'documents', ObjectLockEnabledForBucket: true }));
    await server.client.send(new CreateBucketCommand({ Bucket: 'exports' }));
    server.requests.length = 0;
    logs = [];
    clock = WRITTEN_AT;
    running = undefined;
  });
  afterEach(async () => {
    await running?.stop();
    await server.close();
    directory.remove();
  });

  describe('writer', () => {
    it('puts the heartbeat into every bucket, with a one-day retention where the bucket has object lock, and serves its metrics', async () => {
      const writer = await start('writer', { site: 'lusaka', replicatedBuckets: ['documents', 'exports'], intervalSeconds: 1 });
      await writer.nextCycle();

      const body = '{"site":"lusaka","writtenAt":"2026-01-05T08:00:00.000Z"}';
      const md5 = createHash('md5').update(body).digest('base64');
      const puts = server.requests.filter((request) => request.method === 'PUT');
      expect(await readObject('documents')).toBe(body);
      expect(await readObject('exports')).toBe(body);
      expect(puts.map(({ target, headers }) => ({ target, headers }))).toEqual([
        {
          target: '/documents/.lms-heartbeat/lusaka.json?x-id',
          headers: {
            'content-md5': md5,
            'content-type': 'application/json',
            'x-amz-object-lock-mode': 'GOVERNANCE',
            'x-amz-object-lock-retain-until-date': '2026-01-06T08:00:00Z',
          },
        },
        { target: '/exports/.lms-heartbeat/lusaka.json?x-id', headers: { 'content-md5': md5, 'content-type': 'application/json' } },
      ]);

      const metrics = await scrape(writer);
      expect(samples(metrics, 'lms_object_store_heartbeat_last_write_timestamp_seconds')).toEqual([
        'lms_object_store_heartbeat_last_write_timestamp_seconds{bucket="documents"} 1767600000',
        'lms_object_store_heartbeat_last_write_timestamp_seconds{bucket="exports"} 1767600000',
      ]);
      expect(samples(metrics, 'lms_object_store_heartbeat_errors_total')).toEqual([
        'lms_object_store_heartbeat_errors_total{bucket="documents",operation="put"} 0',
        'lms_object_store_heartbeat_errors_total{bucket="documents",operation="get-object-lock-configuration"} 0',
        'lms_object_store_heartbeat_errors_total{bucket="exports",operation="put"} 0',
        'lms_object_store_heartbeat_errors_total{bucket="exports",operation="get-object-lock-configuration"} 0',
        'lms_object_store_heartbeat_errors_total{bucket="",operation="read-credentials"} 0',
      ]);
      expect(samples(metrics, 'process_resident_memory_bytes')).toHaveLength(1);
      expect(await httpGet(`http://127.0.0.1:${writer.port}/healthz`)).toEqual({ status: 200, contentType: 'application/json', body: '{"status":"ok"}\n' });
      expect((await httpGet(`http://127.0.0.1:${writer.port}/other`)).status).toBe(404);
      expect((await httpGet(`http://127.0.0.1:${writer.port}/metrics`, 'POST')).status).toBe(405);
      expect(logs.filter((entry) => entry.level !== 'info')).toEqual([]);
    });

    it('writes again every interval, asking for the object lock only once per bucket', async () => {
      const writer = await start('writer', { site: 'lusaka', replicatedBuckets: ['exports'], intervalSeconds: 1 });
      await writer.nextCycle();
      clock = WRITTEN_AT + 1000;
      await writer.nextCycle();

      expect(server.requests.map((request) => `${request.method} ${request.target}`)).toEqual([
        'GET /exports/?object-lock',
        'PUT /exports/.lms-heartbeat/lusaka.json?x-id',
        'PUT /exports/.lms-heartbeat/lusaka.json?x-id',
      ]);
      expect(await readObject('exports')).toBe('{"site":"lusaka","writtenAt":"2026-01-05T08:00:01.000Z"}');
      expect(samples(await scrape(writer), 'lms_object_store_heartbeat_last_write_timestamp_seconds')).toEqual([
        'lms_object_store_heartbeat_last_write_timestamp_seconds{bucket="exports"} 1767600001',
      ]);
    });

    it('re-reads the credentials file on every cycle and keeps the last good credentials when it cannot', async () => {
      directory.write('s3-credentials', 'AWS_ACCESS_KEY_ID=ROTATED-AWAY\nAWS_SECRET_ACCESS_KEY=old\n');
      const writer = await start('writer', { site: 'lusaka', replicatedBuckets: ['exports'], intervalSeconds: 1 });
      await writer.nextCycle();
      expect(samples(await scrape(writer), 'lms_object_store_heartbeat_errors_total{bucket="exports",operation="put"}')).toEqual([
        'lms_object_store_heartbeat_errors_total{bucket="exports",operation="put"} 1',
      ]);
      expect(logs.filter((entry) => entry.level === 'error')).toEqual([
        {
          level: 'error',
          message: 'heartbeat put failed',
          fields: {
            bucket: 'exports',
            key: HEARTBEAT_KEY,
            error: 'InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records. (HTTP 403)',
          },
        },
      ]);

      directory.write('s3-credentials', S3RVER_CREDENTIALS);
      await writer.nextCycle();
      unlinkSync(credentialsFile);
      clock = WRITTEN_AT + 2000;
      await writer.nextCycle();

      expect(await readObject('exports')).toBe('{"site":"lusaka","writtenAt":"2026-01-05T08:00:02.000Z"}');
      const metrics = await scrape(writer);
      expect(samples(metrics, 'lms_object_store_heartbeat_errors_total')).toEqual([
        'lms_object_store_heartbeat_errors_total{bucket="exports",operation="put"} 1',
        'lms_object_store_heartbeat_errors_total{bucket="exports",operation="get-object-lock-configuration"} 0',
        'lms_object_store_heartbeat_errors_total{bucket="",operation="read-credentials"} 1',
      ]);
      expect(logs.filter((entry) => entry.level === 'warn')).toEqual([
        {
          level: 'warn',
          message: 'cannot re-read the credentials file; using the last credentials read',
          fields: {
            error: `S3_CREDENTIALS_FILE: cannot read "${credentialsFile}" (ENOENT: no such file or directory; allowed: a file with lines AWS_ACCESS_KEY_ID=... and AWS_SECRET_ACCESS_KEY=..., each optionally prefixed by "export " and quoted; blank lines and # comments)`,
          },
        },
      ]);
      expect(JSON.stringify(logs)).not.toContain('S3RVER');
    });

    it('puts the heartbeat without retention when the bucket object lock cannot be read (plain s3rver)', async () => {
      const plain = await startS3TestServer({ emulateBucketSettings: false, buckets: ['exports'] });
      try {
        const writer = await start('writer', { site: 'lusaka', replicatedBuckets: ['exports'], intervalSeconds: 1 }, plain);
        await writer.nextCycle();
        expect(plain.requests.map((request) => `${request.method} ${request.target} ${request.headers['x-amz-object-lock-mode'] ?? '-'}`)).toEqual([
          'GET /exports/?object-lock -',
          'PUT /exports/.lms-heartbeat/lusaka.json?x-id -',
        ]);
        expect(samples(await scrape(writer), 'lms_object_store_heartbeat_errors_total{bucket="exports",operation="get-object-lock-configuration"}')).toEqual([
          'lms_object_store_heartbeat_errors_total{bucket="exports",operation="get-object-lock-configuration"} 1',
        ]);
        expect(logs.filter((entry) => entry.level === 'warn')).toEqual([
          {
            level: 'warn',
            message: 'cannot read whether the bucket has object lock; heartbeat put without retention',
            fields: { bucket: 'exports', error: 'NotImplemented: A parameter you provided implies functionality that is not implemented (HTTP 501)' },
          },
        ]);
      } finally {
        await running?.stop();
        running = undefined;
        await plain.close();
      }
    });

    it('refuses to start without a readable credentials file', async () => {
      unlinkSync(credentialsFile);
      await expect(start('writer', { site: 'lusaka', replicatedBuckets: ['exports'] })).rejects.toThrow(
        new ConfigurationError([
          `S3_CREDENTIALS_FILE: cannot read "${credentialsFile}" (ENOENT: no such file or directory; allowed: a file with lines AWS_ACCESS_KEY_ID=... and AWS_SECRET_ACCESS_KEY=..., each optionally prefixed by "export " and quoted; blank lines and # comments)`,
        ]),
      );
    });
  });

  describe('reader', () => {
    const READER = { site: 'kitwe', sourceSite: 'lusaka', replicatedBuckets: ['documents', 'exports'], intervalSeconds: 1 };

    it('exposes the age of the replicated heartbeat, growing with the clock until the next read', async () => {
      await putHeartbeat('documents', '{"site":"lusaka","writtenAt":"2026-01-05T08:00:00.000Z"}');
      await putHeartbeat('exports', '{"site":"lusaka","writtenAt":"2026-01-05T07:59:30.000Z"}');
      clock = WRITTEN_AT + 42_500;
      const reader = await start('reader', READER);
      await reader.nextCycle();

      let metrics = await scrape(reader);
      expect(samples(metrics, 'lms_object_store_replication_heartbeat_age_seconds')).toEqual([
        'lms_object_store_replication_heartbeat_age_seconds{bucket="documents",source_site="lusaka"} 42.5',
        'lms_object_store_replication_heartbeat_age_seconds{bucket="exports",source_site="lusaka"} 72.5',
      ]);
      expect(samples(metrics, 'lms_object_store_replication_heartbeat_timestamp_seconds')).toEqual([
        'lms_object_store_replication_heartbeat_timestamp_seconds{bucket="documents",source_site="lusaka"} 1767600000',
        'lms_object_store_replication_heartbeat_timestamp_seconds{bucket="exports",source_site="lusaka"} 1767599970',
      ]);
      expect(samples(metrics, 'lms_object_store_heartbeat_errors_total')).toEqual([
        'lms_object_store_heartbeat_errors_total{bucket="documents",operation="get"} 0',
        'lms_object_store_heartbeat_errors_total{bucket="documents",operation="parse"} 0',
        'lms_object_store_heartbeat_errors_total{bucket="exports",operation="get"} 0',
        'lms_object_store_heartbeat_errors_total{bucket="exports",operation="parse"} 0',
        'lms_object_store_heartbeat_errors_total{bucket="",operation="read-credentials"} 0',
      ]);

      clock += 10_000;
      metrics = await scrape(reader);
      expect(samples(metrics, 'lms_object_store_replication_heartbeat_age_seconds')[0]).toBe(
        'lms_object_store_replication_heartbeat_age_seconds{bucket="documents",source_site="lusaka"} 52.5',
      );
    });

    it('has no age series for a missing heartbeat object, counts the failed get, and reports the heartbeat once it arrives', async () => {
      await putHeartbeat('documents', '{"site":"lusaka","writtenAt":"2026-01-05T08:00:00.000Z"}');
      const reader = await start('reader', READER);
      await reader.nextCycle();

      let metrics = await scrape(reader);
      expect(samples(metrics, 'lms_object_store_replication_heartbeat_age_seconds')).toEqual([
        'lms_object_store_replication_heartbeat_age_seconds{bucket="documents",source_site="lusaka"} 0',
      ]);
      expect(samples(metrics, 'lms_object_store_heartbeat_errors_total{bucket="exports",operation="get"}')).toEqual([
        'lms_object_store_heartbeat_errors_total{bucket="exports",operation="get"} 1',
      ]);
      expect(logs.filter((entry) => entry.level === 'error')).toEqual([
        {
          level: 'error',
          message: 'heartbeat get failed',
          fields: { bucket: 'exports', key: HEARTBEAT_KEY, error: 'NoSuchKey: The specified key does not exist. (HTTP 404)' },
        },
      ]);

      await putHeartbeat('exports', '{"site":"lusaka","writtenAt":"2026-01-05T08:00:00.000Z"}');
      clock += 1000;
      await reader.nextCycle();
      metrics = await scrape(reader);
      expect(samples(metrics, 'lms_object_store_replication_heartbeat_age_seconds')).toEqual([
        'lms_object_store_replication_heartbeat_age_seconds{bucket="documents",source_site="lusaka"} 1',
        'lms_object_store_replication_heartbeat_age_seconds{bucket="exports",source_site="lusaka"} 1',
      ]);
    });

    it('removes the series of a heartbeat that stops being readable instead of keeping a stale age', async () => {
      await putHeartbeat('documents', '{"site":"lusaka","writtenAt":"2026-01-05T08:00:00.000Z"}');
      await putHeartbeat('exports', '{"site":"lusaka","writtenAt":"2026-01-05T08:00:00.000Z"}');
      const reader = await start('reader', READER);
      await reader.nextCycle();
      expect(samples(await scrape(reader), 'lms_object_store_replication_heartbeat_age_seconds')).toHaveLength(2);

      await putHeartbeat('exports', '{"site":"kitwe","writtenAt":"2026-01-05T08:00:00.000Z"}');
      await putHeartbeat('documents', 'not json');
      await reader.nextCycle();

      const metrics = await scrape(reader);
      expect(samples(metrics, 'lms_object_store_replication_heartbeat_age_seconds')).toEqual([]);
      expect(samples(metrics, 'lms_object_store_replication_heartbeat_timestamp_seconds')).toEqual([]);
      expect(samples(metrics, 'lms_object_store_heartbeat_errors_total').filter((line) => line.includes('"parse"'))).toEqual([
        'lms_object_store_heartbeat_errors_total{bucket="documents",operation="parse"} 1',
        'lms_object_store_heartbeat_errors_total{bucket="exports",operation="parse"} 1',
      ]);
      expect(logs.filter((entry) => entry.level === 'error').map((entry) => entry.fields['error'])).toEqual([
        'content is not JSON (expected {"site":"lusaka","writtenAt":"<ISO time>"})',
        'site is "kitwe" (expected "lusaka", the sourceSite of the config)',
      ]);
    });
  });
});
