import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { PayloadTooLargeError } from '../../src/documents/document-errors';
import { S3DocumentStore } from '../../src/documents/s3-document-store';

/** What an S3 endpoint saw of one PUT. */
interface ReceivedPut {
  readonly url: string;
  readonly contentLength: string | undefined;
  bytes: number;
  outcome: 'complete' | 'aborted' | 'open';
}

/**
 * A stand-in S3 endpoint on 127.0.0.1 that records whether each PUT body arrived whole. (s3rver
 * writes bodies in place as they arrive, so it cannot show whether the client abandoned one.)
 */
async function startRecordingEndpoint(): Promise<{ url: string; puts: ReceivedPut[]; server: Server }> {
  const puts: ReceivedPut[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    const put: ReceivedPut = { url: request.url ?? '', contentLength: request.headers['content-length'], bytes: 0, outcome: 'open' };
    puts.push(put);
    request.on('data', (chunk: Buffer) => {
      put.bytes += chunk.length;
    });
    request.once('end', () => {
      put.outcome = 'complete';
      response.writeHead(200, { etag: '"0"' }).end();
    });
    request.once('close', () => {
      if (put.outcome === 'open') put.outcome = 'aborted';
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, puts, server };
}

describe('S3DocumentStore streaming puts', () => {
  let endpoint: Awaited<ReturnType<typeof startRecordingEndpoint>>;
  let store: S3DocumentStore;
  beforeEach(async () => {
    endpoint = await startRecordingEndpoint();
    store = new S3DocumentStore({
      store: 's3', endpoint: endpoint.url, region: 'us-east-1', bucket: 'loan-documents', forcePathStyle: true,
      accessKeyId: () => 'id', secretAccessKey: () => 'secret', maxDocumentBytes: 1_000_000,
    });
  });
  afterEach(async () => {
    store.destroy();
    endpoint.server.closeAllConnections();
    await new Promise((resolve) => endpoint.server.close(resolve));
  });

  it('sends a stream as one PUT of the declared length', async () => {
    const stream = new PassThrough();
    const put = store.put('applications/a/d', { stream, sizeBytes: 300_000 }, 'application/pdf');
    for (let sent = 0; sent < 300_000; sent += 30_000) stream.write(Buffer.alloc(30_000, 1));
    stream.end();
    await put;
    expect(endpoint.puts).toEqual([{ url: '/loan-documents/applications/a/d?x-id=PutObject', contentLength: '300000', bytes: 300_000, outcome: 'complete' }]);
  });

  it('aborts the PUT when the stream fails, and rejects with the stream\'s error', async () => {
    const stream = new PassThrough();
    const put = store.put('applications/a/d', { stream, sizeBytes: 300_000 }, 'application/pdf');
    stream.write(Buffer.alloc(100_000, 1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    stream.destroy(new PayloadTooLargeError(150_000));
    await expect(put).rejects.toThrow(new PayloadTooLargeError(150_000));
    for (let waited = 0; waited < 50 && endpoint.puts[0]?.outcome === 'open'; waited++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(endpoint.puts.map((received) => received.outcome)).toEqual(['aborted']);
  });
});
