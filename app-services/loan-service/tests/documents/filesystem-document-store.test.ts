import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { FilesystemDocumentStore } from '../../src/documents/filesystem-document-store';

describe('FilesystemDocumentStore', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'documents-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('stores and reads bytes under nested keys', async () => {
    const store = new FilesystemDocumentStore(join(directory, 'documents'));
    await store.checkReachable();
    await store.put('applications/a1/d1', Buffer.from([1, 2, 3]));
    expect([...(await store.get('applications/a1/d1'))]).toEqual([1, 2, 3]);
  });

  it('streams a body into place', async () => {
    const store = new FilesystemDocumentStore(directory);
    const stream = new PassThrough();
    const put = store.put('applications/a1/d2', { stream, sizeBytes: 6 });
    stream.write('%PDF');
    stream.end('-1');
    await put;
    expect((await store.get('applications/a1/d2')).toString()).toBe('%PDF-1');
  });

  it('leaves nothing behind when the stream fails halfway', async () => {
    const store = new FilesystemDocumentStore(directory);
    const stream = new PassThrough();
    const put = store.put('applications/a1/d3', { stream, sizeBytes: 100_000 });
    stream.write(Buffer.alloc(50_000));
    await new Promise((resolve) => setTimeout(resolve, 50));
    stream.destroy(new Error('client went away'));
    await expect(put).rejects.toThrow('client went away');
    expect(readdirSync(join(directory, 'applications', 'a1'))).toEqual([]);
  });

  it('refuses keys that escape its directory', async () => {
    const store = new FilesystemDocumentStore(directory);
    await expect(store.put('../outside', Buffer.from('x'))).rejects.toThrow(`document key "../outside" escapes ${directory}`);
  });

  it('fails a read of a missing document', async () => {
    await expect(new FilesystemDocumentStore(directory).get('applications/none')).rejects.toThrow('ENOENT');
  });
});
