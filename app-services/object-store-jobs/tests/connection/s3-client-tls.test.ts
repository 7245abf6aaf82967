import { readConnectionSettings } from '../../src/connection/connection-settings';
import { createS3Client } from '../../src/connection/s3-client';
import { S3BucketStore } from '../../src/reconcile/s3-bucket-store';
import { temporaryDirectory, type TemporaryDirectory } from '../support/files';
import { S3RVER_ACCESS_KEY, startS3TestServer, type S3TestServer } from '../support/s3-test-server';
import { makeSiteCertificates, type SiteCertificates } from '../support/site-ca';

describe('https to an object store whose certificate the site CA signed (s3rver over TLS)', () => {
  let directory: TemporaryDirectory;
  let certificates: SiteCertificates;
  let server: S3TestServer;
  beforeAll(async () => {
    directory = temporaryDirectory();
    certificates = makeSiteCertificates(directory.path);
    server = await startS3TestServer({ tls: { key: certificates.serverKey, cert: certificates.serverCert }, buckets: ['documents'] });
  });
  afterAll(async () => {
    await server.close();
    directory.remove();
  });

  async function observe(environment: NodeJS.ProcessEnv): Promise<unknown> {
    const settings = readConnectionSettings({ S3_ENDPOINT: server.endpoint, S3_REGION: 'us-east-1', S3_CREDENTIALS_FILE: '(not read)', ...environment });
    const client = createS3Client(settings, { accessKeyId: S3RVER_ACCESS_KEY, secretAccessKey: S3RVER_ACCESS_KEY });
    try {
      return await new S3BucketStore(client).observe('documents');
    } finally {
      client.destroy();
    }
  }

  it('trusts the server with S3_CA_FILE', async () => {
    expect(server.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await observe({ S3_CA_FILE: certificates.caFile })).toEqual({ versioning: 'Unversioned', objectLockEnabled: false, defaultRetention: null, lifecycleRules: [] });
  });

  it('refuses the server without it', async () => {
    // Node.js 24 appends its --use-system-ca hint to the TLS error; the site CA comes from S3_CA_FILE.
    await expect(observe({})).rejects.toThrow(
      new Error('HeadBucket failed: unable to verify the first certificate; if the root CA is installed locally, try running Node.js with --use-system-ca'),
    );
  });
});
