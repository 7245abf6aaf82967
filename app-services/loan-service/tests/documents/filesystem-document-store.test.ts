import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('refuses keys that escape its directory', async () => {
    const store = new FilesystemDocumentStore(directory);
    await expect(store.put('../outside', Buffer.from('x'))).rejects.toThrow(`document key "../outside" escapes ${directory}`);
  });

  it('fails a read of a missing document', async () => {
    await expect(new FilesystemDocumentStore(directory).get('applications/none')).rejects.toThrow('ENOENT');
  });
});
