import * as fs from 'fs';
import type { Server } from 'https';
import * as path from 'path';
import { Readable } from 'stream';
import { PROJECT_ROOT } from '../support/tools';
import type { ServingCertificate } from './pki';

/** Access key the state servers accept (s3rver's built-in account); AWS_SECRET_ACCESS_KEY is the same. */
export const STATE_ACCESS_KEY = 'S3RVER';

/**
 * Finds the s3rver package: the project's devDependency, or a folder named by
 * LMS_S3RVER_PATH whose node_modules holds it.
 */
export function resolveS3rver(): { readonly found: true; readonly path: string } | { readonly found: false; readonly missing: string } {
  const extra = process.env.LMS_S3RVER_PATH;
  try {
    return { found: true, path: require.resolve('s3rver', { paths: [PROJECT_ROOT, ...(extra ? [extra] : [])] }) };
  } catch {
    return {
      found: false,
      missing: `s3rver not found (it is a devDependency: run \`npm ci\`${extra ? `; LMS_S3RVER_PATH=${JSON.stringify(extra)} has no node_modules/s3rver` : ', or set LMS_S3RVER_PATH to a folder whose node_modules holds s3rver@3.7.1'})`,
    };
  }
}

/**
 * A site's S3 server for Terraform state: s3rver over HTTPS on `<site address>:443`, path-style
 * buckets, objects on disk under `directory`. Stopping it closes every connection, as a lost
 * site would.
 */
export class StateServer {
  private constructor(
    private readonly server: any,
    private readonly http: Server,
    public readonly url: string,
  ) {}

  public static async start(props: { ip: string; certificate: ServingCertificate; directory: string; buckets: readonly string[] }): Promise<StateServer> {
    const resolved = resolveS3rver();
    if (!resolved.found) throw new Error(resolved.missing);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const S3rver = require(resolved.path);
    fs.mkdirSync(props.directory, { recursive: true });
    const server = new S3rver({
      address: props.ip,
      port: 443,
      key: fs.readFileSync(props.certificate.keyFile),
      cert: fs.readFileSync(props.certificate.certFile),
      directory: props.directory,
      silent: true,
      // Path-style only: the state host name is not a bucket name.
      vhostBuckets: false,
      configureBuckets: props.buckets.map((name) => ({ name })),
    });
    // First in the chain, before s3rver reads or stores a body.
    server.middleware.unshift(decodeAwsChunkedBodies);
    server.allowMismatchedSignatures = true;
    await server.run();
    return new StateServer(server, server.httpServer as Server, `https://${props.ip}:443`);
  }

  /** Objects (state files, lock files) stored in a bucket, by key. */
  public static objectsIn(directory: string, bucket: string): string[] {
    const folder = path.join(directory, bucket);
    if (!fs.existsSync(folder)) return [];
    return fs
      .readdirSync(folder, { recursive: true })
      .map(String)
      .filter((file) => file.endsWith('._S3rver_object'))
      .map((file) => file.slice(0, -'._S3rver_object'.length))
      .sort();
  }

  public async stop(): Promise<void> {
    this.http.closeAllConnections();
    await this.server.close();
  }
}

/**
 * Decodes an `aws-chunked` request body (S3 streaming uploads: `<hex size>[;ext]\r\n<data>\r\n`
 * ... `0\r\n<trailers>\r\n\r\n`) into its payload. Terraform's S3 backend sends state and
 * lock files this way (with a trailing CRC32); MinIO and AWS decode it, s3rver does not.
 */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) throw new Error(`aws-chunked body: no chunk header at byte ${offset}`);
    const sizeText = body.subarray(offset, lineEnd).toString('latin1').split(';')[0];
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw new Error(`aws-chunked body: chunk size ${JSON.stringify(sizeText)} at byte ${offset} is not hexadecimal`);
    const size = parseInt(sizeText, 16);
    offset = lineEnd + 2;
    if (size === 0) return Buffer.concat(parts);
    if (offset + size > body.length) throw new Error(`aws-chunked body: chunk of ${size} bytes at byte ${offset} runs past the end (${body.length})`);
    parts.push(body.subarray(offset, offset + size));
    offset += size + 2;
  }
}

/**
 * Koa middleware for s3rver: a streaming (`STREAMING-*`) upload is read whole, decoded, and
 * handed on as a plain body with the headers a plain upload has. The changed headers no
 * longer match the request's signature, so the state servers skip signature checks (they
 * test where state goes, not S3 authentication).
 */
async function decodeAwsChunkedBodies(ctx: any, next: () => Promise<void>): Promise<void> {
  const headers = ctx.req.headers as Record<string, string | undefined>;
  if (!String(headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-')) return next();
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) chunks.push(chunk);
  const decoded = decodeAwsChunked(Buffer.concat(chunks));
  headers['content-length'] = String(decoded.length);
  headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  delete headers['x-amz-decoded-content-length'];
  delete headers['x-amz-trailer'];
  const encodings = String(headers['content-encoding'] ?? '')
    .split(',')
    .map((encoding) => encoding.trim())
    .filter((encoding) => encoding && encoding !== 'aws-chunked');
  if (encodings.length > 0) headers['content-encoding'] = encodings.join(', ');
  else delete headers['content-encoding'];
  ctx.req = Object.assign(Readable.from([decoded]), { headers });
  return next();
}
