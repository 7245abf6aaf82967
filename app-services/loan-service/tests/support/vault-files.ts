import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes a secret file the way the Vault agent does when a secret changes in Vault: the whole
 * new file under a temporary name in the same folder, then renamed over the old one, so a
 * reader sees the old file or the new one, never a partial one.
 */
export function rewriteLikeVaultAgent(directory: string, name: string, content: string): void {
  const temporary = join(directory, `.${name}.${process.pid}.tmp`);
  writeFileSync(temporary, content);
  renameSync(temporary, join(directory, name));
}
