import { CreateBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { ReconcileConfigSchema, type ReconcileConfig } from '../../src/config/reconcile-config';
import { createS3Client } from '../../src/connection/s3-client';
import { reconcileBuckets, type BucketResult } from '../../src/reconcile/reconcile-buckets';
import { S3BucketStore } from '../../src/reconcile/s3-bucket-store';
import { S3RVER_ACCESS_KEY, startS3TestServer, targets, type S3TestServer } from '../support/s3-test-server';

const CONFIG: ReconcileConfig = ReconcileConfigSchema.parse({
  site: 'lusaka',
  buckets: [
    { name: 'documents', versioning: true, objectLock: { mode: 'GOVERNANCE', days: 35 }, lifecycle: { noncurrentVersionExpirationDays: 35 } },
    { name: 'exports', versioning: false, objectLock: null, lifecycle: null },
  ],
});

async function reconcile(server: S3TestServer, config: ReconcileConfig = CONFIG): Promise<BucketResult[]> {
  const client = createS3Client(
    { endpoint: server.endpoint, region: 'us-east-1', credentialsFile: '(not read)' },
    { accessKeyId: S3RVER_ACCESS_KEY, secretAccessKey: S3RVER_ACCESS_KEY },
  );
  try {
    const reported: BucketResult[] = [];
    const results = await reconcileBuckets(config, new S3BucketStore(client), (result) => reported.push(result));
    expect(reported).toEqual(results);
    return results;
  } finally {
    client.destroy();
  }
}

describe('reconcile-buckets against s3rver, bucket settings answered as MinIO does', () => {
  let server: S3TestServer;
  beforeEach(async () => {
    server = await startS3TestServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('creates the missing buckets with their settings, and a second run sends no change request', async () => {
    expect(await reconcile(server)).toEqual([
      { bucket: 'documents', actions: ['create', 'set-object-lock-retention', 'set-lifecycle'] },
      { bucket: 'exports', actions: ['create'] },
    ]);
    expect(targets(server.requests)).toEqual([
      'HEAD /documents/',
      'PUT /documents/',
      'PUT /documents/?object-lock',
      'PUT /documents/?lifecycle',
      'HEAD /exports/',
      'PUT /exports/',
    ]);
    const { Buckets } = await server.client.send(new ListBucketsCommand({}));
    expect(Buckets?.map((bucket) => bucket.Name)).toEqual(['documents', 'exports']);

    server.requests.length = 0;
    expect(await reconcile(server)).toEqual([
      { bucket: 'documents', actions: [] },
      { bucket: 'exports', actions: [] },
    ]);
    expect(targets(server.requests)).toEqual([
      'HEAD /documents/',
      'GET /documents/?versioning',
      'GET /documents/?object-lock',
      'GET /documents/?lifecycle',
      'HEAD /exports/',
      'GET /exports/?versioning',
      'GET /exports/?object-lock',
      'GET /exports/?lifecycle',
    ]);
  });

  it('fails a bucket that exists without the object lock the config wants, changes nothing in it, and goes on with the next', async () => {
    await server.client.send(new CreateBucketCommand({ Bucket: 'documents' }));
    server.requests.length = 0;

    expect(await reconcile(server)).toEqual([
      {
        bucket: 'documents',
        actions: [],
        error:
          'bucket "documents" exists without object lock, and object lock can only be enabled when a bucket is created; nothing was changed. ' +
          'Either create a new bucket with object lock, copy the objects into it and name it in the config, or set "objectLock": null for this bucket',
      },
      { bucket: 'exports', actions: ['create'] },
    ]);
    expect(server.requests.filter((request) => request.method !== 'GET' && request.method !== 'HEAD').map((request) => request.target)).toEqual(['/exports/']);
  });

  it('enables versioning and writes the lifecycle of an existing unversioned bucket once', async () => {
    await server.client.send(new CreateBucketCommand({ Bucket: 'reports' }));
    const config = ReconcileConfigSchema.parse({ site: 'kitwe', buckets: [{ name: 'reports', versioning: true, lifecycle: { noncurrentVersionExpirationDays: 7 } }] });

    expect(await reconcile(server, config)).toEqual([{ bucket: 'reports', actions: ['enable-versioning', 'set-lifecycle'] }]);
    expect(await reconcile(server, config)).toEqual([{ bucket: 'reports', actions: [] }]);
  });
});

describe('reconcile-buckets against plain s3rver 3.7.1, which lacks versioning, object lock and lifecycle', () => {
  let server: S3TestServer;
  beforeEach(async () => {
    server = await startS3TestServer({ emulateBucketSettings: false });
  });
  afterEach(async () => {
    await server.close();
  });

  it('reports the request s3rver refuses, keeps what was done, and goes on with the next bucket', async () => {
    expect(await reconcile(server)).toEqual([
      {
        bucket: 'documents',
        actions: ['create'],
        error: 'PutObjectLockConfiguration failed: MethodNotAllowed: The specified method is not allowed against this resource. (HTTP 405)',
      },
      { bucket: 'exports', actions: ['create'] },
    ]);
  });

  it('cannot read the object lock of an existing bucket (s3rver answers ?versioning with an object listing, read as unversioned)', async () => {
    await reconcile(server);
    expect((await reconcile(server))[1]).toEqual({
      bucket: 'exports',
      actions: [],
      error: 'GetObjectLockConfiguration failed: NotImplemented: A parameter you provided implies functionality that is not implemented (HTTP 501)',
    });
  });
});
