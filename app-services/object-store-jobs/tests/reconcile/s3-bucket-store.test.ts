import { createHash } from 'node:crypto';
import { createS3Client } from '../../src/connection/s3-client';
import { observeLifecycleRule, S3BucketStore } from '../../src/reconcile/s3-bucket-store';
import { S3RVER_ACCESS_KEY, startS3TestServer, targets, type S3TestServer } from '../support/s3-test-server';

const XML = '<?xml version="1.0" encoding="UTF-8"?>';
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

function md5(body: string): string {
  return createHash('md5').update(body).digest('base64');
}

describe('S3BucketStore requests (s3rver, bucket settings answered as MinIO does)', () => {
  let server: S3TestServer;
  let store: S3BucketStore;
  let destroy: () => void;
  beforeEach(async () => {
    server = await startS3TestServer();
    const client = createS3Client(
      { endpoint: server.endpoint, region: 'us-east-1', credentialsFile: '(not read)' },
      { accessKeyId: S3RVER_ACCESS_KEY, secretAccessKey: S3RVER_ACCESS_KEY },
    );
    store = new S3BucketStore(client);
    destroy = () => client.destroy();
  });
  afterEach(async () => {
    destroy();
    await server.close();
  });

  it('creates a bucket with object lock through the x-amz-bucket-object-lock-enabled header, and one without it', async () => {
    await store.apply('documents', { type: 'create', objectLock: true });
    await store.apply('exports', { type: 'create', objectLock: false });
    expect(server.requests.map(({ method, target, headers }) => ({ method, target, headers }))).toEqual([
      { method: 'PUT', target: '/documents/', headers: { 'content-type': 'application/xml', 'x-amz-bucket-object-lock-enabled': 'true' } },
      { method: 'PUT', target: '/exports/', headers: { 'content-type': 'application/xml' } },
    ]);
  });

  it('sends the exact versioning, retention and lifecycle documents, each with its Content-MD5', async () => {
    await store.apply('documents', { type: 'create', objectLock: true });
    server.requests.length = 0;
    await store.apply('documents', { type: 'enable-versioning' });
    await store.apply('documents', { type: 'set-object-lock-retention', mode: 'GOVERNANCE', days: 35 });
    await store.apply('documents', {
      type: 'set-lifecycle',
      rules: [
        { id: 'lms-expire-noncurrent', prefix: '', noncurrentDays: 35 },
        { id: 'lms-expire-heartbeat-versions', prefix: '.lms-heartbeat/', noncurrentDays: 1 },
      ],
    });
    await store.apply('documents', { type: 'remove-lifecycle' });

    const versioning = `${XML}<VersioningConfiguration ${NS}><Status>Enabled</Status></VersioningConfiguration>`;
    const retention =
      `${XML}<ObjectLockConfiguration ${NS}><ObjectLockEnabled>Enabled</ObjectLockEnabled>` +
      '<Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>35</Days></DefaultRetention></Rule></ObjectLockConfiguration>';
    const lifecycle =
      `${XML}<LifecycleConfiguration ${NS}>` +
      '<Rule><Status>Enabled</Status><ID>lms-expire-noncurrent</ID><Filter><Prefix></Prefix></Filter><NoncurrentVersionExpiration><NoncurrentDays>35</NoncurrentDays></NoncurrentVersionExpiration></Rule>' +
      '<Rule><Status>Enabled</Status><ID>lms-expire-heartbeat-versions</ID><Filter><Prefix>.lms-heartbeat/</Prefix></Filter><NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays></NoncurrentVersionExpiration></Rule>' +
      '</LifecycleConfiguration>';
    expect(server.requests).toEqual([
      { method: 'PUT', target: '/documents/?versioning', headers: { 'content-md5': md5(versioning), 'content-type': 'application/xml' }, body: versioning },
      { method: 'PUT', target: '/documents/?object-lock', headers: { 'content-md5': md5(retention), 'content-type': 'application/xml' }, body: retention },
      { method: 'PUT', target: '/documents/?lifecycle', headers: { 'content-md5': md5(lifecycle), 'content-type': 'application/xml' }, body: lifecycle },
      { method: 'DELETE', target: '/documents/?lifecycle', headers: {}, body: '' },
    ]);
  });

  it('sends Suspended to suspend versioning', async () => {
    await store.apply('exports', { type: 'create', objectLock: false });
    await store.apply('exports', { type: 'suspend-versioning' });
    expect(server.requests[1]?.body).toBe(`${XML}<VersioningConfiguration ${NS}><Status>Suspended</Status></VersioningConfiguration>`);
  });

  it('reads back what it wrote', async () => {
    await store.apply('documents', { type: 'create', objectLock: true });
    await store.apply('documents', { type: 'set-object-lock-retention', mode: 'COMPLIANCE', days: 7 });
    await store.apply('documents', { type: 'set-lifecycle', rules: [{ id: 'lms-expire-heartbeat-versions', prefix: '.lms-heartbeat/', noncurrentDays: 1 }] });
    server.requests.length = 0;

    expect(await store.observe('documents')).toEqual({
      versioning: 'Enabled',
      objectLockEnabled: true,
      defaultRetention: { mode: 'COMPLIANCE', days: 7 },
      lifecycleRules: [{ id: 'lms-expire-heartbeat-versions', enabled: true, prefix: '.lms-heartbeat/', noncurrentDays: 1, otherElements: [] }],
    });
    expect(targets(server.requests)).toEqual(['HEAD /documents/', 'GET /documents/?versioning', 'GET /documents/?object-lock', 'GET /documents/?lifecycle']);
  });

  it('reads a new bucket without object lock or lifecycle from the 404 answers MinIO gives', async () => {
    await store.apply('exports', { type: 'create', objectLock: false });
    expect(await store.observe('exports')).toEqual({ versioning: 'Unversioned', objectLockEnabled: false, defaultRetention: null, lifecycleRules: [] });
  });

  it('reads a missing bucket as undefined', async () => {
    expect(await store.observe('missing-bucket')).toBeUndefined();
  });

  it('names the operation and the server answer when a request fails', async () => {
    await store.apply('documents', { type: 'create', objectLock: false });
    await expect(store.apply('documents', { type: 'set-object-lock-retention', mode: 'GOVERNANCE', days: 35 })).rejects.toThrow(
      new Error('PutObjectLockConfiguration failed: InvalidBucketState: Object Lock configuration cannot be enabled on existing buckets (HTTP 409)'),
    );
    await expect(store.apply('documents', { type: 'create', objectLock: false })).rejects.toThrow(
      new Error('CreateBucket failed: BucketAlreadyExists: The requested bucket already exists (HTTP 409)'),
    );
  });

  it('names the operation when the credentials are refused', async () => {
    const client = createS3Client(
      { endpoint: server.endpoint, region: 'us-east-1', credentialsFile: '(not read)' },
      { accessKeyId: 'ROTATED-AWAY', secretAccessKey: 'x' },
    );
    try {
      await expect(new S3BucketStore(client).observe('documents')).rejects.toThrow(new Error('HeadBucket failed: Forbidden (HTTP 403)'));
    } finally {
      client.destroy();
    }
  });
});

describe('observeLifecycleRule', () => {
  it('reduces a managed rule to its id, status, prefix and noncurrent days', () => {
    expect(
      observeLifecycleRule({ ID: 'lms-expire-noncurrent', Status: 'Enabled', Filter: { Prefix: '' }, NoncurrentVersionExpiration: { NoncurrentDays: 35 } }),
    ).toEqual({ id: 'lms-expire-noncurrent', enabled: true, prefix: '', noncurrentDays: 35, otherElements: [] });
  });

  it('lists every element this job does not write, so such a rule never equals a managed one', () => {
    expect(
      observeLifecycleRule({
        Status: 'Disabled',
        Prefix: 'legacy/',
        Filter: { Tag: { Key: 'k', Value: 'v' }, ObjectSizeGreaterThan: 1, ObjectSizeLessThan: 2, And: { Prefix: 'a' } },
        Expiration: { Days: 1 },
        Transitions: [{ Days: 1, StorageClass: 'GLACIER' }],
        NoncurrentVersionTransitions: [{ NoncurrentDays: 1, StorageClass: 'GLACIER' }],
        NoncurrentVersionExpiration: { NewerNoncurrentVersions: 3 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      }),
    ).toEqual({
      id: '',
      enabled: false,
      prefix: '',
      otherElements: [
        'Expiration',
        'Transition',
        'NoncurrentVersionTransition',
        'AbortIncompleteMultipartUpload',
        'NoncurrentVersionExpiration.NewerNoncurrentVersions',
        'Prefix',
        'Filter.Tag',
        'Filter.And',
        'Filter.ObjectSizeGreaterThan',
        'Filter.ObjectSizeLessThan',
      ],
    });
  });

  it('ignores an empty Expiration element and a zero NewerNoncurrentVersions', () => {
    expect(
      observeLifecycleRule({ ID: 'x', Status: 'Enabled', Filter: {}, Expiration: {}, NoncurrentVersionExpiration: { NoncurrentDays: 1, NewerNoncurrentVersions: 0 } }),
    ).toEqual({ id: 'x', enabled: true, prefix: '', noncurrentDays: 1, otherElements: [] });
  });
});
