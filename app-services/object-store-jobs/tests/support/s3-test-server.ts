import { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver, { type S3rverContext } from 's3rver';

/** The one access key s3rver knows (it checks the key id, not the SigV4 signature). */
export const S3RVER_ACCESS_KEY = 'S3RVER';

/** A request the test server received, with the headers that matter here. */
export interface RecordedRequest {
  readonly method: string;
  /** Path and the query names, e.g. `PUT /documents?versioning`. */
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The body of the bucket-settings requests the server answers itself; '' otherwise. */
  readonly body: string;
}

export interface S3TestServer {
  readonly endpoint: string;
  readonly requests: RecordedRequest[];
  /** A client with s3rver's credentials, for setting up and reading back. */
  readonly client: S3Client;
  close(): Promise<void>;
}

export interface S3TestServerOptions {
  /**
   * Answer the bucket settings s3rver lacks (versioning, object lock, lifecycle) as MinIO does,
   * storing what the client PUTs and returning it on GET. Off: s3rver answers them
   * 501 NotImplemented.
   * @default true
   */
  readonly emulateBucketSettings?: boolean;
  /** PEM key and certificate to serve https. @default - http */
  readonly tls?: { readonly key: string; readonly cert: string };
  readonly buckets?: readonly string[];
}

/** Headers recorded on every request. */
const RECORDED_HEADERS = [
  'content-md5',
  'content-type',
  'x-amz-bucket-object-lock-enabled',
  'x-amz-object-lock-mode',
  'x-amz-object-lock-retain-until-date',
];

const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

interface BucketSettings {
  objectLock: boolean;
  versioning?: string;
  objectLockConfiguration?: string;
  lifecycle?: string;
}

/**
 * s3rver 3.7.1 on 127.0.0.1 (a free port), with a front middleware that records every request
 * and, by default, answers the bucket-settings sub-resources s3rver does not implement the way
 * MinIO does: GET/PUT `?versioning`, `?object-lock`, `?lifecycle`, DELETE `?lifecycle`, and
 * `x-amz-bucket-object-lock-enabled` on CreateBucket (which also turns versioning on). PUTs of
 * object-lock and lifecycle configuration need a matching Content-MD5, as on MinIO.
 */
export async function startS3TestServer(options: S3TestServerOptions = {}): Promise<S3TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
    ...(options.tls === undefined ? {} : { key: options.tls.key, cert: options.tls.cert }),
  });
  const requests: RecordedRequest[] = [];
  const settings = new Map<string, BucketSettings>();
  const emulate = options.emulateBucketSettings ?? true;

  server.middleware.unshift(async (context, next) => {
    const queryNames = Object.keys(context.query);
    const subresource = queryNames.find((name) => ['versioning', 'object-lock', 'lifecycle'].includes(name));
    const [, bucket = '', key = ''] = /^\/([^/]*)\/?(.*)$/.exec(context.path) ?? [];
    const handled = emulate && subresource !== undefined && key === '';
    const body = handled && context.method === 'PUT' ? await readBody(context) : '';
    requests.push({
      method: context.method,
      target: `${context.path}${queryNames.length > 0 ? `?${queryNames.join('&')}` : ''}`,
      headers: Object.fromEntries(
        RECORDED_HEADERS.flatMap((name) => (typeof context.headers[name] === 'string' ? [[name, context.headers[name] as string]] : [])),
      ),
      body,
    });
    if (!handled) {
      await next();
      if (emulate && context.method === 'PUT' && key === '' && queryNames.length === 0 && context.status === 200) {
        const objectLock = context.headers['x-amz-bucket-object-lock-enabled'] === 'true';
        settings.set(bucket, { objectLock, ...(objectLock ? { versioning: versioningXml('Enabled') } : {}) });
      }
      return;
    }
    if ((await context.app.store.getBucket(bucket)) === null) {
      return reply(context, 404, errorXml('NoSuchBucket', 'The specified bucket does not exist', bucket));
    }
    const state = settings.get(bucket) ?? { objectLock: false };
    settings.set(bucket, state);
    const md5 = context.headers['content-md5'];
    const md5Problem =
      context.method === 'PUT' && subresource !== 'versioning'
        ? md5 === undefined
          ? errorXml('InvalidRequest', 'Missing required header for this request: Content-Md5', bucket)
          : md5 !== createHash('md5').update(body).digest('base64')
            ? errorXml('BadDigest', 'The Content-Md5 you specified did not match what we received.', bucket)
            : undefined
        : undefined;
    if (md5Problem !== undefined) return reply(context, 400, md5Problem);

    switch (`${context.method} ${subresource}`) {
      case 'GET versioning':
        return reply(context, 200, state.versioning ?? `<?xml version="1.0" encoding="UTF-8"?>\n<VersioningConfiguration xmlns="${S3_NAMESPACE}"></VersioningConfiguration>`);
      case 'PUT versioning':
        if (state.objectLock && body.includes('<Status>Suspended</Status>')) {
          return reply(context, 409, errorXml('InvalidBucketState', 'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.', bucket));
        }
        state.versioning = body;
        return reply(context, 200, '');
      case 'GET object-lock':
        if (!state.objectLock) return reply(context, 404, errorXml('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', bucket));
        return reply(
          context,
          200,
          state.objectLockConfiguration ?? `<?xml version="1.0" encoding="UTF-8"?>\n<ObjectLockConfiguration xmlns="${S3_NAMESPACE}"><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>`,
        );
      case 'PUT object-lock':
        if (!state.objectLock) return reply(context, 409, errorXml('InvalidBucketState', 'Object Lock configuration cannot be enabled on existing buckets', bucket));
        state.objectLockConfiguration = body;
        return reply(context, 200, '');
      case 'GET lifecycle':
        if (state.lifecycle === undefined) return reply(context, 404, errorXml('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', bucket));
        return reply(context, 200, state.lifecycle);
      case 'PUT lifecycle':
        state.lifecycle = body;
        return reply(context, 200, '');
      case 'DELETE lifecycle':
        delete state.lifecycle;
        return reply(context, 204, '');
      default:
        return reply(context, 405, errorXml('MethodNotAllowed', 'The specified method is not allowed against this resource.', bucket));
    }
  });

  const address = await server.run();
  const endpoint = `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${address.port}`;
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
    requests,
    client,
    async close() {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** The settings requests (method and target) among `requests`, in order. */
export function targets(requests: readonly RecordedRequest[]): string[] {
  return requests.map((request) => `${request.method} ${request.target}`);
}

function versioningXml(status: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<VersioningConfiguration xmlns="${S3_NAMESPACE}"><Status>${status}</Status></VersioningConfiguration>`;
}

function errorXml(code: string, message: string, bucket: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><BucketName>${bucket}</BucketName><Resource>/${bucket}</Resource></Error>`;
}

function reply(context: S3rverContext, status: number, body: string): void {
  context.status = status;
  if (body !== '') {
    context.type = 'application/xml';
    context.body = body;
  }
}

async function readBody(context: S3rverContext): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of context.req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
