import { randomUUID } from 'node:crypto';
import { access, constants, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { DocumentStore } from './document-store';

/**
 * Stores documents as files under one directory (`DOCUMENTS_DIR`): the embedded default for
 * local runs. Writes go to a temporary file renamed into place, so a crash never leaves half a document.
 */
export class FilesystemDocumentStore implements DocumentStore {
  readonly description: string;
  private readonly root: string;

  constructor(directory: string) {
    this.root = resolve(directory);
    this.description = `filesystem ${directory}`;
  }

  async put(key: string, body: Buffer): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomUUID()}.partial`;
    await writeFile(temporary, body);
    await rename(temporary, path);
  }

  async get(key: string): Promise<Buffer> {
    return readFile(this.pathOf(key));
  }

  async checkReachable(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    await access(this.root, constants.R_OK | constants.W_OK);
  }

  private pathOf(key: string): string {
    const path = resolve(join(this.root, key));
    if (!path.startsWith(this.root + sep)) throw new Error(`document key "${key}" escapes ${this.root}`);
    return path;
  }
}
