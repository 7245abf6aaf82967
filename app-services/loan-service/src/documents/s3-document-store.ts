import { GetObjectCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3DocumentStoreConfig } from '../config/service-config';
import type { DocumentBody, DocumentStore, StreamedDocumentBody } from './document-store';

/**
 * Stores documents in an S3-compatible bucket: MinIO in the platform (path-style addressing,
 * `S3_FORCE_PATH_STYLE=true`), any S3 API elsewhere.
 *
 * Streamed bodies go out as one PutObject with the length the client declared, so nothing is
 * buffered; if the stream fails the request is aborted and the bucket never sees a complete
 * object. (A multipart upload would hold a 5 MiB part per upload in memory.)
 */
/** Where the SDK's own warnings go (pino fits); they would otherwise be printed to the console. */
export interface SdkWarningSink {
  warn(object: Record<string, unknown>, message: string): void;
}

export class S3DocumentStore implements DocumentStore {
  readonly description: string;
  private readonly client: S3Client;
  /** The same, without retries: a stream is consumed once, so a retried PutObject would send nothing. */
  private readonly streamingClient: S3Client;
  private readonly bucket: string;

  constructor(config: S3DocumentStoreConfig, log?: SdkWarningSink) {
    this.bucket = config.bucket;
    this.description = `s3 bucket ${config.bucket}${config.endpoint === undefined ? '' : ` at ${config.endpoint}`}`;
    const options = {
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      credentials: currentCredentials(config),
      ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
      maxAttempts: 2,
      // Checksums only where the API requires them: older MinIO releases reject the SDK's default CRC32 trailers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // One JSON log line per event: the SDK's warnings (e.g. a failed streaming request) go to the
      // service log, its debug chatter nowhere, and nothing to the console.
      logger: {
        debug: () => undefined,
        info: () => undefined,
        warn: (...content: unknown[]) => log?.warn({ component: 'aws-sdk' }, content.map(String).join(' ')),
        error: (...content: unknown[]) => log?.warn({ component: 'aws-sdk' }, content.map(String).join(' ')),
      },
    } as const;
    this.client = new S3Client(options);
    this.streamingClient = new S3Client({ ...options, maxAttempts: 1 });
  }

  async put(key: string, body: DocumentBody, contentType: string): Promise<void> {
    if (!Buffer.isBuffer(body)) return this.putStream(key, body, contentType);
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, ContentLength: body.length }),
    );
  }

  private async putStream(key: string, body: StreamedDocumentBody, contentType: string): Promise<void> {
    // The SDK pipes the body into its request and would wait forever for bytes a failed stream
    // never sends: abort the request instead, and report the stream's own error.
    const abort = new AbortController();
    let streamError: unknown;
    const onStreamError = (error: unknown): void => {
      streamError = error;
      abort.abort();
    };
    body.stream.once('error', onStreamError);
    try {
      await this.streamingClient.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body.stream, ContentType: contentType, ContentLength: body.sizeBytes }),
        { abortSignal: abort.signal },
      );
    } catch (error) {
      throw streamError ?? error;
    } finally {
      body.stream.off('error', onStreamError);
    }
    if (streamError !== undefined) throw streamError;
  }

  async get(key: string): Promise<Buffer> {
    const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (response.Body === undefined) throw new Error(`object ${key} in bucket ${this.bucket} has no body`);
    return Buffer.from(await response.Body.transformToByteArray());
  }

  async checkReachable(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  /** Releases the SDK's HTTP agents. */
  destroy(): void {
    this.client.destroy();
    this.streamingClient.destroy();
  }
}

/** Keys that sign one request. */
export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** When the SDK must ask for the keys again. */
  readonly expiration: Date;
}

/**
 * The object store keys as the Vault agent last wrote them. The SDK keeps what a provider
 * returns until shortly before its `expiration`; an expiration of now makes it ask again
 * before each request, so rotated keys sign the next request (the getters only stat the files
 * once a second).
 */
export function currentCredentials(config: Pick<S3DocumentStoreConfig, 'accessKeyId' | 'secretAccessKey'>): () => Promise<S3Credentials> {
  return async () => ({
    accessKeyId: config.accessKeyId(),
    secretAccessKey: config.secretAccessKey(),
    expiration: new Date(),
  });
}
