import * as fs from 'fs';
import type { Server } from 'http';
import * as path from 'path';
import { STATE_ACCESS_KEY, StateServer, resolveS3rver } from '../deploy/state-server';

/**
 * A plain-HTTP S3 server (s3rver, the devDependency) on 127.0.0.1 at a free port, for
 * Terraform's S3 backend: path-style buckets, objects on disk under `directory`. Over plain
 * HTTP Terraform signs each upload's payload instead of streaming it `aws-chunked`, so unlike
 * the deploy tier's HTTPS state servers (tests/deploy/state-server.ts) no body needs decoding.
 * The access key must be STATE_ACCESS_KEY; signatures are not checked, so any secret works.
 */
export class LoopbackS3 {
  private constructor(
    private readonly server: any,
    public readonly url: string,
    public readonly directory: string,
  ) {}

  public static readonly accessKey = STATE_ACCESS_KEY;

  public static async start(props: { directory: string; buckets: readonly string[] }): Promise<LoopbackS3> {
    const resolved = resolveS3rver();
    if (!resolved.found) throw new Error(resolved.missing);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const S3rver = require(resolved.path);
    fs.mkdirSync(props.directory, { recursive: true });
    const server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      directory: props.directory,
      silent: true,
      vhostBuckets: false,
      configureBuckets: props.buckets.map((name) => ({ name })),
    });
    server.allowMismatchedSignatures = true;
    const address = (await server.run()) as { port: number };
    return new LoopbackS3(server, `http://127.0.0.1:${address.port}`, props.directory);
  }

  /** The stored object `key` of `bucket`, or undefined. */
  public object(bucket: string, key: string): string | undefined {
    const file = path.join(this.directory, bucket, `${key}._S3rver_object`);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  }

  /** Keys of the objects stored in `bucket`, sorted. */
  public keys(bucket: string): string[] {
    return StateServer.objectsIn(this.directory, bucket);
  }

  public async stop(): Promise<void> {
    (this.server.httpServer as Server).closeAllConnections();
    await this.server.close();
  }
}
