import { createHash } from 'node:crypto';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../../src/documents/document-errors';
import { inspect, UploadInspector } from '../../src/documents/upload-inspector';

/** Collects what passes through, chunk by chunk. */
function collector(): { sink: Writable; chunks: Buffer[] } {
  const chunks: Buffer[] = [];
  return {
    chunks,
    sink: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    }),
  };
}

describe('UploadInspector', () => {
  it('passes the bytes through, counting and hashing them, with the signature split across chunks', async () => {
    const parts = ['%P', 'DF', '-1.7\n', 'x'.repeat(70_000)].map((part) => Buffer.from(part, 'latin1'));
    const inspector = new UploadInspector('application/pdf', 1_000_000);
    const { sink, chunks } = collector();
    await pipeline(Readable.from(parts), inspector, sink);
    const whole = Buffer.concat(parts);
    expect(Buffer.concat(chunks).equals(whole)).toBe(true);
    expect(inspector.bytes).toBe(whole.length);
    expect(inspector.sha256).toBe(createHash('sha256').update(whole).digest('hex'));
  });

  it('lets no byte through before the signature has been checked', async () => {
    const inspector = new UploadInspector('image/png', 1_000_000);
    const { sink, chunks } = collector();
    const done = pipeline(Readable.from([Buffer.from([0x89, 0x50]), Buffer.from([0x4e, 0x47]), Buffer.from('GIF89a')]), inspector, sink);
    await expect(done).rejects.toThrow(
      new UnsupportedMediaTypeError(
        'body does not match Content-Type image/png: a PNG starts with 89 50 4E 47 0D 0A 1A 0A, this body starts with 89 50 4E 47 47 49 46 38',
      ),
    );
    expect(chunks).toEqual([]);
  });

  it('fails as soon as the limit is passed, not at the end', async () => {
    const inspector = new UploadInspector('image/jpeg', 10_000);
    const source = new PassThrough();
    const { sink, chunks } = collector();
    const done = pipeline(source, inspector, sink);
    source.write(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(9_000)]));
    source.write(Buffer.alloc(2_000));
    // The source never ends: the failure must not wait for it.
    await expect(done).rejects.toThrow(new PayloadTooLargeError(10_000));
    expect(Buffer.concat(chunks).length).toBe(9_003);
  });

  it('has no checksum before the end', () => {
    expect(() => new UploadInspector('application/pdf', 10).sha256).toThrow('the upload has not been read to its end');
  });
});

describe('inspect', () => {
  it('drains and discards the rest of the source once the inspector fails, so the request can be answered', async () => {
    const source = new PassThrough();
    const inspector = inspect(source, new UploadInspector('application/pdf', 100));
    const failed = new Promise((resolve) => inspector.once('error', resolve));
    inspector.resume();
    source.write(Buffer.from('%PDF-'));
    source.write(Buffer.alloc(200));
    expect(await failed).toEqual(new PayloadTooLargeError(100));
    // Written after the failure: consumed by the drain, not left to stall the connection.
    for (let index = 0; index < 100; index++) source.write(Buffer.alloc(64 * 1024));
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.readableFlowing).toBe(true);
    expect(source.readableLength).toBe(0);
    expect(source.writableLength).toBe(0);
  });

  it('fails the inspector when the client goes away mid-body', async () => {
    const source = new PassThrough();
    const inspector = inspect(source, new UploadInspector('application/pdf', 1000));
    const failed = new Promise<Error>((resolve) => inspector.once('error', resolve));
    source.write(Buffer.from('%PDF-1.7'));
    source.destroy(new Error('aborted'));
    expect((await failed).message).toBe('aborted');
  });
});
