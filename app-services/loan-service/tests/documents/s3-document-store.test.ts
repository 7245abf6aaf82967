import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { SECRET_RECHECK_MS, SecretFiles } from '../../src/config/secrets';
import { S3DocumentStore } from '../../src/documents/s3-document-store';
import { rewriteLikeVaultAgent } from '../support/vault-files';

/** s3rver accepts exactly these keys and checks each request's signature with them. */
const S3RVER_KEYS = { id: 'S3RVER', secret: 'S3RVER' };

describe('the S3 document store signs each request with the keys the Vault agent last wrote', () => {
  let directory: string;
  let vault: string;
  let server: S3rver;
  let endpoint: string;
  let clock: number;
  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 's3rver-'));
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: 'loan-documents' }] });
    endpoint = `http://127.0.0.1:${(await server.run()).port}`;
  });
  afterAll(async () => {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  });
  beforeEach(() => {
    vault = mkdtempSync(join(tmpdir(), 'vault-'));
    clock = 0;
  });
  afterEach(() => {
    rmSync(vault, { recursive: true, force: true });
  });

  const storeWithKeysFrom = (secrets: SecretFiles) =>
    new S3DocumentStore({
      store: 's3', endpoint, region: 'us-east-1', bucket: 'loan-documents', forcePathStyle: true, maxDocumentBytes: 1024,
      accessKeyId: secrets.getter('s3-access-key-id'), secretAccessKey: secrets.getter('s3-secret-access-key'),
    });
  const rotateTo = (id: string, secret: string) => {
    rewriteLikeVaultAgent(vault, 's3-access-key-id', `${id}\n`);
    rewriteLikeVaultAgent(vault, 's3-secret-access-key', `${secret}\n`);
    clock += SECRET_RECHECK_MS;
  };

  it('a store started with keys the server refuses works once valid keys are written, with no new client', async () => {
    rotateTo('retired-key', 'retired-secret');
    const store = storeWithKeysFrom(new SecretFiles(vault, {}, { now: () => clock }));
    try {
      await expect(store.put('a.pdf', Buffer.from('%PDF-1.7'), 'application/pdf')).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
      rotateTo(S3RVER_KEYS.id, S3RVER_KEYS.secret);
      await store.put('a.pdf', Buffer.from('%PDF-1.7'), 'application/pdf');
      expect((await store.get('a.pdf')).toString()).toBe('%PDF-1.7');
    } finally {
      store.destroy();
    }
  });

  it('keys are read again for each request: a rotated key id the server does not know is refused at once', async () => {
    rotateTo(S3RVER_KEYS.id, S3RVER_KEYS.secret);
    const secrets = new SecretFiles(vault, {}, { now: () => clock });
    // s3rver checks the key id but not the SigV4 signature, so the secret the SDK signs with is recorded here.
    const secretAccessKey = secrets.getter('s3-secret-access-key');
    const secretsSignedWith: string[] = [];
    const store = new S3DocumentStore({
      store: 's3', endpoint, region: 'us-east-1', bucket: 'loan-documents', forcePathStyle: true, maxDocumentBytes: 1024,
      accessKeyId: secrets.getter('s3-access-key-id'),
      secretAccessKey: () => {
        secretsSignedWith.push(secretAccessKey());
        return secretsSignedWith.at(-1) as string;
      },
    });
    try {
      await store.put('b.pdf', Buffer.from('%PDF-1.7'), 'application/pdf');
      expect(secretsSignedWith.at(-1)).toBe(S3RVER_KEYS.secret);
      rotateTo(S3RVER_KEYS.id, 'rotated-secret');
      await store.put('b.pdf', Buffer.from('%PDF-1.7'), 'application/pdf');
      expect(secretsSignedWith.at(-1)).toBe('rotated-secret');
      rotateTo('a-key-the-server-does-not-have', 'rotated-secret');
      await expect(store.get('b.pdf')).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
    } finally {
      store.destroy();
    }
  });
});
