import type { LogShippingConfig } from '../config/log-shipping-config';
import type { Output } from '../log';
import type { SqlRow, SqlSession } from '../sql/sql-session';
import { cachedHeadersQuery, insertHeaderStatement } from '../tsql/queries';
import { readBackupHeaderBatch } from '../tsql/restore-statements';
import { backupUrl } from '../backup/backup-naming';
import type { ListedBackupSet } from './list-backup-sets';
import { HEADER_BACKUP_TYPES, type BackupSet } from './plan-restore';

/** A header as cached in ops backup_file (LSNs as text, as SQL Server sent them). */
interface CachedHeader {
  readonly keys: readonly string[];
  readonly databaseName: string;
  readonly backupType: number;
  readonly firstLsn: string;
  readonly lastLsn: string;
  readonly checkpointLsn: string;
  readonly differentialBaseLsn: string | null;
  readonly finishedAtMs: number;
}

function fromRow(row: SqlRow, keys: readonly string[]): CachedHeader {
  return {
    keys,
    databaseName: String(row['database_name'] ?? ''),
    backupType: Number(row['backup_type']),
    firstLsn: String(row['first_lsn']),
    lastLsn: String(row['last_lsn']),
    checkpointLsn: String(row['checkpoint_lsn']),
    differentialBaseLsn: row['differential_base_lsn'] === null || row['differential_base_lsn'] === undefined ? null : String(row['differential_base_lsn']),
    finishedAtMs: Number(row['backup_finish_ms']),
  };
}

function toBackupSet(header: CachedHeader): BackupSet | undefined {
  const type = HEADER_BACKUP_TYPES[header.backupType];
  if (type === undefined) return undefined;
  return {
    keys: header.keys,
    type,
    databaseName: header.databaseName,
    firstLsn: BigInt(header.firstLsn),
    lastLsn: BigInt(header.lastLsn),
    checkpointLsn: BigInt(header.checkpointLsn),
    differentialBaseLsn: header.differentialBaseLsn === null ? null : BigInt(header.differentialBaseLsn),
    finishedAt: new Date(header.finishedAtMs),
  };
}

/**
 * The headers of the listed sets: from ops backup_file when cached, else read with RESTORE
 * HEADERONLY over every URL of the set and cached. A set whose header cannot be read (not fully
 * replicated yet, damaged) is logged and left out of this run; one of another type than full,
 * differential or log is logged and left out.
 */
export async function readBackupSets(session: SqlSession, config: LogShippingConfig, listed: readonly ListedBackupSet[], output: Output): Promise<BackupSet[]> {
  const cached = new Map<string, SqlRow>();
  for (const row of await session.query(cachedHeadersQuery(config.opsDatabase))) cached.set(String(row['first_key']), row);
  const sets: BackupSet[] = [];
  for (const set of listed) {
    const firstKey = set.keys[0] as string;
    let header: CachedHeader;
    const row = cached.get(firstKey);
    if (row !== undefined) header = fromRow(row, set.keys);
    else {
      let rows: SqlRow[];
      try {
        rows = await session.query(readBackupHeaderBatch(set.keys.map((key) => backupUrl(config, key))));
      } catch (error) {
        output.log('warn', 'cannot read the backup header; the set is left out of this run', { key: firstKey, error: (error as Error).message });
        continue;
      }
      const first = rows[0];
      if (first === undefined) {
        output.log('warn', 'the backup holds no backup set; left out of this run', { key: firstKey });
        continue;
      }
      header = fromRow(first, set.keys);
      await session.execute(insertHeaderStatement(config.opsDatabase), {
        first_key: firstKey,
        keys: JSON.stringify(set.keys),
        database_name: header.databaseName,
        backup_type: header.backupType,
        first_lsn: header.firstLsn,
        last_lsn: header.lastLsn,
        checkpoint_lsn: header.checkpointLsn,
        database_backup_lsn: first['database_backup_lsn'] === null || first['database_backup_lsn'] === undefined ? null : String(first['database_backup_lsn']),
        differential_base_lsn: header.differentialBaseLsn,
        backup_finish_date: new Date(header.finishedAtMs),
      });
    }
    const backupSet = toBackupSet(header);
    if (backupSet === undefined) output.log('warn', `backup type ${header.backupType} is not restored by log shipping (allowed: 1 full, 5 differential, 2 log)`, { key: firstKey });
    else sets.push(backupSet);
  }
  return sets;
}
