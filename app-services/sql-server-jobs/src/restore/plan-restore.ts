/** The three kinds of backup set the restore applies (a tail-log backup is a log backup). */
export type BackupSetType = 'full' | 'differential' | 'log';

/** RESTORE HEADERONLY's BackupType -> the set's type; other types (file, partial) are not shipped. */
export const HEADER_BACKUP_TYPES: Readonly<Record<number, BackupSetType>> = { 1: 'full', 5: 'differential', 2: 'log' };

/** One backup set found under the source prefix, with the header SQL Server read from it. */
export interface BackupSet {
  /** The objects of the set, stripe 1 first: every URL is needed to restore it. */
  readonly keys: readonly string[];
  readonly type: BackupSetType;
  readonly databaseName: string;
  readonly firstLsn: bigint;
  readonly lastLsn: bigint;
  readonly checkpointLsn: bigint;
  /** Differential: the CheckpointLSN of the full backup it is based on. */
  readonly differentialBaseLsn: bigint | null;
  /** When the backup finished, on the primary: the point in time the data reaches once it is restored. */
  readonly finishedAt: Date;
}

/** Where the standby copy stands before the run. */
export type RestoreStart =
  /** No database here, or a reseed (`reseed`: the first restore overwrites the database): start from a full backup. */
  | { readonly kind: 'empty'; readonly reseed: boolean }
  /** A restoring (or standby) copy whose last restored backup ended at `lastLsn`. */
  | {
      readonly kind: 'restoring';
      readonly lastLsn: bigint;
      /** CheckpointLSN of the full backup the copy was built from: differentials on it apply. null: unknown. */
      readonly baseCheckpointLsn: bigint | null;
      readonly finishedAt: Date | null;
    };

export interface RestoreStep {
  readonly backup: BackupSet;
  /** The first step of a reseed overwrites the database (RESTORE ... REPLACE). */
  readonly replace: boolean;
}

/** Logs are missing: nothing after `fromLsn` can be restored until the backup covering it arrives. */
export interface RestoreGap {
  /** The LSN the copy reached (the last applied backup's LastLSN). */
  readonly fromLsn: bigint;
  /** The FirstLSN of the earliest log backup present beyond the gap. */
  readonly nextAvailableLsn: bigint;
  /** A full backup newer than the gap exists: a reseed would get past it. */
  readonly newerFullAvailable: boolean;
}

export interface SkippedBackup {
  readonly key: string;
  readonly reason: string;
}

export interface RestorePlan {
  readonly steps: readonly RestoreStep[];
  readonly gap?: RestoreGap;
  /** BackupFinishDate of the last backup applied (or, with no step, of the last one restored before); null when none. */
  readonly recoveryPoint: Date | null;
  /** The copy is empty and no full backup is there yet to start from. */
  readonly waitingForFullBackup: boolean;
  readonly skipped: readonly SkippedBackup[];
}

/** Orders by LSN, never by key or arrival time. */
function byFirstLsn(a: BackupSet, b: BackupSet): number {
  return a.firstLsn < b.firstLsn ? -1 : a.firstLsn > b.firstLsn ? 1 : a.lastLsn < b.lastLsn ? -1 : a.lastLsn > b.lastLsn ? 1 : 0;
}

interface Chain {
  readonly steps: BackupSet[];
  readonly reachedLsn: bigint;
  readonly gap?: Omit<RestoreGap, 'newerFullAvailable'>;
}

/**
 * From `currentLsn`, applies log backups in FirstLSN order: each must begin at or before the
 * current LSN and end after it (those ending at or before it are already in). Where none does,
 * the newest differential on `baseCheckpointLsn` that ends after the current LSN bridges the gap;
 * without one, the chain stops at a gap when later logs exist.
 */
function continueChain(currentLsn: bigint, baseCheckpointLsn: bigint | null, logs: readonly BackupSet[], differentials: readonly BackupSet[]): Chain {
  const steps: BackupSet[] = [];
  let current = currentLsn;
  for (;;) {
    const pending = logs.filter((log) => log.lastLsn > current);
    const next = pending.find((log) => log.firstLsn <= current);
    if (next !== undefined) {
      steps.push(next);
      current = next.lastLsn;
      continue;
    }
    const bridge = newestDifferential(differentials, baseCheckpointLsn, current);
    if (bridge !== undefined) {
      steps.push(bridge);
      current = bridge.lastLsn;
      continue;
    }
    const beyond = pending[0];
    return beyond === undefined ? { steps, reachedLsn: current } : { steps, reachedLsn: current, gap: { fromLsn: current, nextAvailableLsn: beyond.firstLsn } };
  }
}

function newestDifferential(differentials: readonly BackupSet[], baseCheckpointLsn: bigint | null, after: bigint): BackupSet | undefined {
  if (baseCheckpointLsn === null) return undefined;
  return differentials
    .filter((differential) => differential.differentialBaseLsn === baseCheckpointLsn && differential.lastLsn > after)
    .reduce<BackupSet | undefined>((newest, differential) => (newest === undefined || differential.lastLsn > newest.lastLsn ? differential : newest), undefined);
}

/**
 * Plans the restores that bring the standby copy as far forward as the backups present allow.
 * Pure: the same backups and start give the same plan.
 *
 * - Empty copy (no database, or a reseed): a full backup, the newest differential on it, then
 *   logs. Of the fulls, the one whose chain reaches the highest LSN is taken; on a tie the newest
 *   (by LastLSN), which needs the fewest restores.
 * - Restoring copy: logs (and differentials on its base to bridge a gap) after its last LSN.
 * - Backup sets of another database are skipped.
 */
export function planRestore(backups: readonly BackupSet[], start: RestoreStart, database: string): RestorePlan {
  const skipped: SkippedBackup[] = [];
  const usable = backups.filter((backup) => {
    if (backup.databaseName === database) return true;
    skipped.push({ key: backup.keys[0] ?? '', reason: `a backup of database "${backup.databaseName}", not "${database}"` });
    return false;
  });
  const logs = usable.filter((backup) => backup.type === 'log').sort(byFirstLsn);
  const differentials = usable.filter((backup) => backup.type === 'differential');
  const fulls = usable.filter((backup) => backup.type === 'full');

  if (start.kind === 'restoring') {
    const chain = continueChain(start.lastLsn, start.baseCheckpointLsn, logs, differentials);
    const last = chain.steps[chain.steps.length - 1];
    return {
      steps: chain.steps.map((backup) => ({ backup, replace: false })),
      ...(chain.gap === undefined ? {} : { gap: { ...chain.gap, newerFullAvailable: fulls.some((full) => full.firstLsn > chain.gap!.fromLsn) } }),
      recoveryPoint: last?.finishedAt ?? start.finishedAt,
      waitingForFullBackup: false,
      skipped,
    };
  }

  let best: { full: BackupSet; chain: Chain } | undefined;
  for (const full of fulls) {
    const differential = newestDifferential(differentials, full.checkpointLsn, full.lastLsn);
    const afterBase = continueChain(differential?.lastLsn ?? full.lastLsn, full.checkpointLsn, logs, differentials);
    const chain: Chain = { ...afterBase, steps: [full, ...(differential === undefined ? [] : [differential]), ...afterBase.steps] };
    if (best === undefined || chain.reachedLsn > best.chain.reachedLsn || (chain.reachedLsn === best.chain.reachedLsn && full.lastLsn > best.full.lastLsn)) {
      best = { full, chain };
    }
  }
  if (best === undefined) return { steps: [], recoveryPoint: null, waitingForFullBackup: true, skipped };
  const { chain } = best;
  return {
    steps: chain.steps.map((backup, index) => ({ backup, replace: start.reseed && index === 0 })),
    ...(chain.gap === undefined ? {} : { gap: { ...chain.gap, newerFullAvailable: fulls.some((full) => full.firstLsn > chain.gap!.fromLsn) } }),
    recoveryPoint: chain.steps[chain.steps.length - 1]?.finishedAt ?? null,
    waitingForFullBackup: false,
    skipped,
  };
}
