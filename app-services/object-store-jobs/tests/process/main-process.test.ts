import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { temporaryDirectory, type TemporaryDirectory } from '../support/files';
import { httpGet, samples } from '../support/http-get';
import { runProgram, startProgram } from '../support/program';
import { startS3TestServer, type S3TestServer } from '../support/s3-test-server';

/** s3rver checks only the access key id; the secret must still never be printed. */
const SECRET = 'never-print-this-secret';

describe('node dist/main.js (the built program, as the container runs it)', () => {
  let directory: TemporaryDirectory;
  let server: S3TestServer;
  let environment: Record<string, string>;
  beforeEach(async () => {
    directory = temporaryDirectory();
    server = await startS3TestServer();
    environment = {
      S3_ENDPOINT: server.endpoint,
      S3_ALLOW_HTTP: 'true',
      S3_REGION: 'us-east-1',
      S3_CREDENTIALS_FILE: directory.write('s3-credentials', `export AWS_ACCESS_KEY_ID='S3RVER'\nexport AWS_SECRET_ACCESS_KEY='${SECRET}'\n`),
    };
  });
  afterEach(async () => {
    await server.close();
    directory.remove();
  });

  it('exits 2 naming a config file it cannot read and every missing setting', async () => {
    expect(await runProgram(['reconcile-buckets', '--config', '/nonexistent'], {})).toEqual({
      code: 2,
      stdout: '',
      stderr: [
        '/nonexistent: cannot read the config file (ENOENT: no such file or directory)',
        'S3_ENDPOINT: missing (allowed: an https:// URL of the object store with no path, e.g. https://minio.lms-data.svc)',
        'S3_REGION: missing (allowed: the region the object store is set to, e.g. us-east-1)',
        'S3_CREDENTIALS_FILE: missing (allowed: the path of the file the Vault agent renders with AWS_ACCESS_KEY_ID=... and AWS_SECRET_ACCESS_KEY=...)',
        '',
      ].join('\n'),
    });
  });

  it('exits 2 for an http endpoint without S3_ALLOW_HTTP and for a bad argument', async () => {
    const config = directory.write('buckets.json', { site: 'lusaka', buckets: [{ name: 'exports', versioning: false }] });
    const { S3_ALLOW_HTTP: _allowHttp, ...https } = environment;
    expect(await runProgram(['reconcile-buckets', '--config', config], https)).toEqual({
      code: 2,
      stdout: '',
      stderr: `S3_ENDPOINT: "${server.endpoint}" uses http, which would send requests unencrypted (allowed: an https:// URL of the object store with no path, e.g. https://minio.lms-data.svc; S3_ALLOW_HTTP=true permits http and is for tests only)\n`,
    });
    expect((await runProgram(['replication-heartbeat', '--mode', 'primary', '--config', config], environment)).code).toBe(2);
    expect(server.requests).toEqual([]);
  });

  it('reconciles the buckets, printing one JSON line per bucket, then changes nothing on a second run', async () => {
    const config = directory.write('buckets.json', {
      site: 'lusaka',
      buckets: [
        { name: 'documents', versioning: true, objectLock: { mode: 'GOVERNANCE', days: 35 }, lifecycle: { noncurrentVersionExpirationDays: 35 } },
        { name: 'exports', versioning: false, objectLock: null, lifecycle: null },
      ],
    });
    expect(await runProgram(['reconcile-buckets', '--config', config], environment)).toEqual({
      code: 0,
      stdout: '{"bucket":"documents","actions":["create","set-object-lock-retention","set-lifecycle"]}\n{"bucket":"exports","actions":["create"]}\n',
      stderr: '',
    });
    expect(await runProgram(['reconcile-buckets', '--config', config], environment)).toEqual({
      code: 0,
      stdout: '{"bucket":"documents","actions":[]}\n{"bucket":"exports","actions":[]}\n',
      stderr: '',
    });
  });

  it('exits 1 when a bucket fails, after going on with the others', async () => {
    await server.client.send(new CreateBucketCommand({ Bucket: 'documents' }));
    const config = directory.write('buckets.json', {
      site: 'kitwe',
      buckets: [
        { name: 'documents', versioning: true, objectLock: { mode: 'GOVERNANCE', days: 35 } },
        { name: 'exports', versioning: true },
      ],
    });
    const run = await runProgram(['reconcile-buckets', '--config', config], environment);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n').map((line) => (line === '' ? line : JSON.parse(line)))).toEqual([
      {
        bucket: 'documents',
        actions: [],
        error:
          'bucket "documents" exists without object lock, and object lock can only be enabled when a bucket is created; nothing was changed. ' +
          'Either create a new bucket with object lock, copy the objects into it and name it in the config, or set "objectLock": null for this bucket',
      },
      { bucket: 'exports', actions: ['create', 'enable-versioning', 'set-lifecycle'] },
      '',
    ]);
  });

  it('runs the heartbeat writer until SIGTERM, serving metrics, and exits 0', async () => {
    await server.client.send(new CreateBucketCommand({ Bucket: 'documents' }));
    const config = directory.write('heartbeat.json', { site: 'lusaka', replicatedBuckets: ['documents'], intervalSeconds: 1 });
    const program = startProgram(['replication-heartbeat', '--mode', 'writer', '--config', config, '--port', '0', '--host', '127.0.0.1'], environment);
    const started = await program.waitForLogLine((entry) => entry['msg'] === 'replication heartbeat started');
    expect(started).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) as unknown,
      msg: 'replication heartbeat started',
      mode: 'writer',
      site: 'lusaka',
      buckets: ['documents'],
      intervalSeconds: 1,
      endpoint: server.endpoint,
      metricsPort: expect.any(Number) as unknown,
    });
    const port = started['metricsPort'] as number;

    let written: string[] = [];
    for (let attempt = 0; attempt < 50 && written.length === 0; attempt += 1) {
      written = samples((await httpGet(`http://127.0.0.1:${port}/metrics`)).body, 'lms_object_store_heartbeat_last_write_timestamp_seconds');
      if (written.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(written).toEqual([expect.stringMatching(/^lms_object_store_heartbeat_last_write_timestamp_seconds\{bucket="documents"\} \d+\.?\d*$/)]);
    const object = await server.client.send(new GetObjectCommand({ Bucket: 'documents', Key: '.lms-heartbeat/lusaka.json' }));
    expect(JSON.parse((await object.Body?.transformToString()) ?? '')).toEqual({ site: 'lusaka', writtenAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/) as unknown });

    program.child.kill('SIGTERM');
    expect(await program.exited).toEqual({ code: 0, signal: null });
    const messages = program
      .stdout()
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages.slice(-2)).toEqual(['SIGTERM received, stopping', 'replication heartbeat stopped']);
    expect(program.stderr()).toBe('');
    expect(program.stdout()).not.toContain(SECRET);
    await expect(httpGet(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow(`connect ECONNREFUSED 127.0.0.1:${port}`);
  });
});
