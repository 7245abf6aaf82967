import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary directory for config, credentials and CA files. */
export interface TemporaryDirectory {
  readonly path: string;
  /** Writes `content` (objects as JSON) to `name` and returns its path. */
  write(name: string, content: string | object): string;
  remove(): void;
}

export function temporaryDirectory(): TemporaryDirectory {
  const path = mkdtempSync(join(tmpdir(), 'sql-server-jobs-'));
  return {
    path,
    write(name, content) {
      const file = join(path, name);
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      return file;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** The credentials file s3rver accepts, as the Vault agent would render it. */
export const S3RVER_CREDENTIALS = 'export AWS_ACCESS_KEY_ID="S3RVER"\nexport AWS_SECRET_ACCESS_KEY="S3RVER"\n';
