import { createHash } from 'node:crypto';
import { finished, type Readable, Transform, type TransformCallback } from 'node:stream';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from './document-errors';
import { DOCUMENT_SIGNATURES, type DocumentContentType, signatureMismatch } from './document-signatures';

/**
 * Passes an upload through on its way to storage, and on the way:
 * - holds back the first bytes until they show the declared content type (else fails with
 *   UnsupportedMediaTypeError, before storage has seen a byte);
 * - fails with PayloadTooLargeError as soon as more than `limitBytes` have come;
 * - counts the bytes and computes their SHA-256, ready when the stream ends.
 */
export class UploadInspector extends Transform {
  private readonly hash = createHash('sha256');
  private readonly signatureBytes: number;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private verified = false;
  private digest: string | undefined;
  /** Bytes seen so far. */
  bytes = 0;

  constructor(
    private readonly contentType: DocumentContentType,
    private readonly limitBytes: number,
  ) {
    super();
    this.signatureBytes = DOCUMENT_SIGNATURES[contentType].bytes.length;
  }

  /** Hex SHA-256 of the whole body; only once the stream has ended. */
  get sha256(): string {
    if (this.digest === undefined) throw new Error('the upload has not been read to its end');
    return this.digest;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limitBytes) {
      callback(new PayloadTooLargeError(this.limitBytes));
      return;
    }
    this.hash.update(chunk);
    if (this.verified) {
      callback(null, chunk);
      return;
    }
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes < this.signatureBytes) {
      callback();
      return;
    }
    this.releaseHeld(callback);
  }

  override _flush(callback: TransformCallback): void {
    if (!this.verified) {
      this.releaseHeld((error, head) => {
        if (error) {
          callback(error);
          return;
        }
        if (head !== undefined) this.push(head);
        this.finish(callback);
      });
      return;
    }
    this.finish(callback);
  }

  private releaseHeld(callback: TransformCallback): void {
    const head = Buffer.concat(this.held);
    this.held = [];
    const mismatch = signatureMismatch(this.contentType, head);
    if (mismatch !== undefined) {
      callback(new UnsupportedMediaTypeError(mismatch));
      return;
    }
    this.verified = true;
    callback(null, head);
  }

  private finish(callback: TransformCallback): void {
    this.digest = this.hash.digest('hex');
    callback();
  }
}

/**
 * Feeds a request body into the inspector without tying their fates together: a client that
 * disconnects fails the inspector (and so the store's write), but an inspector that fails
 * (too large, wrong type) only stops reading, and the rest of the body is drained and
 * discarded, so the error response reaches the client and the connection stays usable.
 */
export function inspect(source: Readable, inspector: UploadInspector): UploadInspector {
  source.pipe(inspector);
  finished(source, (error) => {
    if (error) inspector.destroy(error);
  });
  inspector.once('error', () => stopReading(source, inspector));
  return inspector;
}

/** Stops passing `source` on (the inspector is failed or its consumer gone) and discards the rest of it. */
export function stopReading(source: Readable, inspector: UploadInspector): void {
  source.unpipe(inspector);
  source.resume();
  inspector.destroy();
}
