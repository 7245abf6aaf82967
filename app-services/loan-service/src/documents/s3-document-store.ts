import { GetObjectCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3DocumentStoreConfig } from '../config/service-config';
import type { DocumentStore } from './document-store';

/**
 * Stores documents in an S3-compatible bucket: MinIO in the platform (path-style addressing,
 * `S3_FORCE_PATH_STYLE=true`), any S3 API elsewhere.
 */
export class S3DocumentStore implements DocumentStore {
  readonly description: string;
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(config: S3DocumentStoreConfig) {
    this.bucket = config.bucket;
    this.description = `s3 bucket ${config.bucket}${config.endpoint === undefined ? '' : ` at ${config.endpoint}`}`;
    this.client = new S3Client({
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      credentials: currentCredentials(config),
      ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
      maxAttempts: 2,
      // Checksums only where the API requires them: older MinIO releases reject the SDK's default CRC32 trailers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, ContentLength: body.length }),
    );
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
