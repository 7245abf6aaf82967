import { readConnectionSettings } from '../../src/connection/connection-settings';
import { ConfigurationError } from '../../src/errors';
import { temporaryDirectory, type TemporaryDirectory } from '../support/files';

const VALID = { S3_ENDPOINT: 'https://minio.lms-data.svc', S3_REGION: 'us-east-1', S3_CREDENTIALS_FILE: '/vault/secrets/s3-credentials' };
const ENDPOINT_ALLOWED = 'an https:// URL of the object store with no path, e.g. https://minio.lms-data.svc';

function problems(environment: NodeJS.ProcessEnv): string[] {
  try {
    readConnectionSettings(environment);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return [...(error as ConfigurationError).lines];
  }
  throw new Error('readConnectionSettings accepted the environment');
}

describe('readConnectionSettings', () => {
  let directory: TemporaryDirectory;
  beforeEach(() => {
    directory = temporaryDirectory();
  });
  afterEach(() => directory.remove());

  it('reads an https endpoint, the region and the credentials file path (the file is read later)', () => {
    expect(readConnectionSettings(VALID)).toEqual({ endpoint: 'https://minio.lms-data.svc', region: 'us-east-1', credentialsFile: '/vault/secrets/s3-credentials' });
  });

  it('reads the site CA', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    expect(readConnectionSettings({ ...VALID, S3_CA_FILE: directory.write('ca.pem', pem) }).caCertificates).toBe(pem);
  });

  it('names every missing setting', () => {
    expect(problems({})).toEqual([
      `S3_ENDPOINT: missing (allowed: ${ENDPOINT_ALLOWED})`,
      'S3_REGION: missing (allowed: the region the object store is set to, e.g. us-east-1)',
      'S3_CREDENTIALS_FILE: missing (allowed: the path of the file the Vault agent renders with AWS_ACCESS_KEY_ID=... and AWS_SECRET_ACCESS_KEY=...)',
    ]);
  });

  it('refuses http unless S3_ALLOW_HTTP=true', () => {
    expect(problems({ ...VALID, S3_ENDPOINT: 'http://minio.lms-data.svc:9000' })).toEqual([
      `S3_ENDPOINT: "http://minio.lms-data.svc:9000" uses http, which would send requests unencrypted (allowed: ${ENDPOINT_ALLOWED}; S3_ALLOW_HTTP=true permits http and is for tests only)`,
    ]);
    expect(problems({ ...VALID, S3_ENDPOINT: 'http://127.0.0.1:9000', S3_ALLOW_HTTP: 'false' })).toHaveLength(1);
    expect(readConnectionSettings({ ...VALID, S3_ENDPOINT: 'http://127.0.0.1:9000', S3_ALLOW_HTTP: 'true' }).endpoint).toBe('http://127.0.0.1:9000');
  });

  it('names bad values', () => {
    expect(problems({ ...VALID, S3_ALLOW_HTTP: 'yes', S3_ENDPOINT: 'minio:9000/' })).toEqual([
      'S3_ALLOW_HTTP: "yes" is not allowed (allowed: true or false; true is for tests only)',
      `S3_ENDPOINT: "minio:9000/" uses minio: (allowed: ${ENDPOINT_ALLOWED})`,
    ]);
    expect(problems({ ...VALID, S3_ENDPOINT: 'not a url' })).toEqual([`S3_ENDPOINT: "not a url" is not a URL (allowed: ${ENDPOINT_ALLOWED})`]);
    expect(problems({ ...VALID, S3_ENDPOINT: 'https://minio.lms-data.svc/bucket' })).toEqual([
      `S3_ENDPOINT: "https://minio.lms-data.svc/bucket" has a path or query (allowed: ${ENDPOINT_ALLOWED})`,
    ]);
  });

  it('never echoes credentials put in the endpoint URL', () => {
    const lines = problems({ ...VALID, S3_ENDPOINT: 'https://admin:hunter2@minio.lms-data.svc' });
    expect(lines).toEqual([
      `S3_ENDPOINT: "https://***@minio.lms-data.svc" holds credentials (allowed: ${ENDPOINT_ALLOWED}; credentials come from S3_CREDENTIALS_FILE)`,
    ]);
  });

  it('names a CA file it cannot read or that holds no certificate', () => {
    expect(problems({ ...VALID, S3_CA_FILE: '/nonexistent/ca.pem' })).toEqual(['S3_CA_FILE: cannot read "/nonexistent/ca.pem" (ENOENT: no such file or directory)']);
    const empty = directory.write('ca.pem', 'not a certificate\n');
    expect(problems({ ...VALID, S3_CA_FILE: empty })).toEqual([
      `S3_CA_FILE: "${empty}" holds no PEM certificate (allowed: a file with -----BEGIN CERTIFICATE----- blocks)`,
    ]);
  });
});
