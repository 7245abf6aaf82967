import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** A document store backend started for a test, with direct access that bypasses the service. */
export interface StartedStore {
  /** Settings that point the service at it. */
  readonly environment: Record<string, string>;
  /** Reads an object straight from the backing store. */
  readStored(key: string, serviceDirectory: string): Promise<Buffer>;
  /** Every object (or file, temporary ones included) stored under a key prefix. */
  listStored(prefix: string, serviceDirectory: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** The same behaviour is required of both drivers. */
export const DOCUMENT_STORE_DRIVERS: Array<[string, () => Promise<StartedStore>]> = [
  [
    'filesystem',
    async () => ({
      environment: {},
      readStored: async (key, serviceDirectory) => readFileSync(join(serviceDirectory, 'documents', key)),
      listStored: async (prefix, serviceDirectory) => {
        try {
          return readdirSync(join(serviceDirectory, 'documents', prefix)).map((name) => `${prefix}/${name}`);
        } catch {
          return [];
        }
      },
      stop: async () => undefined,
    }),
  ],
  [
    's3 (s3rver on 127.0.0.1)',
    async () => {
      const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
      const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: 'loan-documents' }] });
      const { port } = await server.run();
      const client = new S3Client({
        endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', forcePathStyle: true,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      });
      return {
        async readStored(key) {
          const object = await client.send(new GetObjectCommand({ Bucket: 'loan-documents', Key: key }));
          return Buffer.from(await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
        },
        async listStored(prefix) {
          const listed = await client.send(new ListObjectsV2Command({ Bucket: 'loan-documents', Prefix: `${prefix}/` }));
          return (listed.Contents ?? []).map((object) => object.Key ?? '');
        },
        environment: {
          DOCUMENT_STORE: 's3',
          S3_ENDPOINT: `http://127.0.0.1:${port}`,
          S3_BUCKET: 'loan-documents',
          S3_ACCESS_KEY_ID: 'S3RVER',
          S3_SECRET_ACCESS_KEY: 'S3RVER',
        },
        async stop() {
          client.destroy();
          await server.close();
          rmSync(directory, { recursive: true, force: true });
        },
      };
    },
  ],
];
