import { S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** The one access key s3rver knows (it checks the key id, not the SigV4 signature). */
export const S3RVER_ACCESS_KEY = 'S3RVER';

export interface S3TestServer {
  readonly endpoint: string;
  /** A client with s3rver's credentials, for setting up and reading back. */
  readonly client: S3Client;
  /** Requests received, as `METHOD /path?query-names`. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** s3rver 3.7.1 on 127.0.0.1 (a free port), with the buckets given. */
export async function startS3TestServer(buckets: readonly string[]): Promise<S3TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: buckets.map((name) => ({ name })) });
  const requests: string[] = [];
  server.middleware.unshift(async (context, next) => {
    const queryNames = Object.keys(context.query);
    requests.push(`${context.method} ${context.path}${queryNames.length > 0 ? `?${queryNames.join('&')}` : ''}`);
    await next();
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: S3RVER_ACCESS_KEY, secretAccessKey: S3RVER_ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    client,
    requests,
    async close() {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
