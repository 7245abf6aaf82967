import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { parseBackupKey, type BackupKind } from '../backup/backup-naming';
import { describeS3Error } from '../connection/s3-client';
import { JobFailure } from '../errors';

/** The objects of one backup set found in the bucket. */
export interface ListedBackupSet {
  readonly kind: BackupKind;
  /** Every stripe's key, stripe 1 first. */
  readonly keys: readonly string[];
}

export interface Listing {
  readonly sets: readonly ListedBackupSet[];
  /** Striped sets with stripes missing (still replicating, or lost): skipped for now. */
  readonly incomplete: ReadonlyArray<{ readonly set: string; readonly present: readonly string[]; readonly stripes: number }>;
  /** Keys under the prefix that are not backups of this program. */
  readonly ignored: readonly string[];
}

/** Every key under `prefix` in `bucket`, all pages of ListObjectsV2. */
export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    let page;
    try {
      page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token === undefined ? {} : { ContinuationToken: token }) }));
    } catch (error) {
      throw new JobFailure(`cannot list the backups under "${prefix}" in bucket "${bucket}": ${describeS3Error(error)}`);
    }
    for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return keys;
}

/** Groups keys into backup sets: a striped full backup is one set, complete only with all its stripes. */
export function groupBackupSets(prefix: string, keys: readonly string[]): Listing {
  const groups = new Map<string, { kind: BackupKind; stripes: number; byStripe: Map<number, string>; consistent: boolean }>();
  const ignored: string[] = [];
  for (const key of [...keys].sort()) {
    const parsed = parseBackupKey(prefix, key);
    if (parsed === undefined) {
      ignored.push(key);
      continue;
    }
    const group = groups.get(parsed.setName) ?? { kind: parsed.kind, stripes: parsed.stripes, byStripe: new Map<number, string>(), consistent: true };
    if (group.stripes !== parsed.stripes) group.consistent = false;
    group.byStripe.set(parsed.stripe, key);
    groups.set(parsed.setName, group);
  }
  const sets: ListedBackupSet[] = [];
  const incomplete: Array<{ set: string; present: string[]; stripes: number }> = [];
  for (const [name, group] of groups) {
    const keysInOrder = Array.from({ length: group.stripes }, (_, index) => group.byStripe.get(index + 1));
    if (group.consistent && keysInOrder.every((key) => key !== undefined)) sets.push({ kind: group.kind, keys: keysInOrder as string[] });
    else incomplete.push({ set: name, present: [...group.byStripe.values()].sort(), stripes: group.stripes });
  }
  return { sets, incomplete, ignored };
}
