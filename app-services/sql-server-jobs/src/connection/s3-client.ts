import { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { ConnectionSettings } from './s3-settings';
import type { S3Credentials } from './credentials-file';

/** Milliseconds to open a connection, and for a whole request, before a cycle gives up on it. */
const CONNECTION_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * An S3 client for the site's MinIO: path-style addressing, the site CA trusted besides Node's
 * own CAs, checksums only where the API requires them (older MinIO releases reject the SDK's
 * default streaming CRC32 trailers), and a Content-MD5 header on every request with a body,
 * which MinIO requires for lifecycle, object-lock and versioning configuration and for objects
 * written with retention.
 */
export function createS3Client(settings: ConnectionSettings, credentials: S3Credentials): S3Client {
  const client = new S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: true,
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
    },
    maxAttempts: 3,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      ...(settings.caCertificates === undefined
        ? {}
        : { httpsAgent: new HttpsAgent({ keepAlive: true, ca: [...rootCertificates, settings.caCertificates] }) }),
    },
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string>; body?: unknown };
      const body = request.body;
      if (request.headers !== undefined && (typeof body === 'string' || body instanceof Uint8Array) && body.length > 0) {
        const hasMd5 = Object.keys(request.headers).some((name) => name.toLowerCase() === 'content-md5');
        if (!hasMd5) request.headers['content-md5'] = createHash('md5').update(body).digest('base64');
      }
      return next(args);
    },
    { step: 'build', name: 'lmsContentMd5Middleware' },
  );
  return client;
}

interface S3ErrorShape {
  name?: unknown;
  message?: unknown;
  Code?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** The S3 error code (`NoSuchKey`, `NotFound`, ...) of an SDK error, or undefined. */
export function s3ErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const shape = error as S3ErrorShape;
  if (shape.$metadata?.httpStatusCode === undefined) return undefined;
  return typeof shape.Code === 'string' ? shape.Code : typeof shape.name === 'string' ? shape.name : undefined;
}

/** The HTTP status of an SDK error answered by the server, or undefined. */
export function s3HttpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  return (error as S3ErrorShape).$metadata?.httpStatusCode;
}

/**
 * One line about a failed request: `NoSuchKey: The specified key does not exist. (HTTP 404)`,
 * or the network error (`connect ECONNREFUSED 127.0.0.1:9`). Holds no credential.
 */
export function describeS3Error(error: unknown): string {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as S3ErrorShape;
  // The SDK wraps errors it does not recognise as Error objects; its wrapper adds nothing here.
  const message = (typeof shape.message === 'string' ? shape.message : String(error)).replace(/^AWS SDK error wrapper for (Error: )?/, '');
  const status = s3HttpStatus(error);
  if (status === undefined) return message;
  const reported = s3ErrorCode(error) ?? (typeof shape.name === 'string' ? shape.name : 'Error');
  // HEAD answers have no body, so the SDK knows no error code: name the HTTP status instead.
  const code = reported === 'Unknown' || reported === 'UnknownError' ? (STATUS_CODES[status] ?? reported) : reported;
  const detail = message === '' || message === 'UnknownError' || message === reported || message === code ? '' : `: ${message}`;
  return `${code}${detail} (HTTP ${status})`;
}
