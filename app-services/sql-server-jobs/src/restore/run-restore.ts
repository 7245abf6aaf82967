import type { S3Client } from '@aws-sdk/client-s3';
import type { LogShippingConfig } from '../config/log-shipping-config';
import { JobFailure } from '../errors';
import type { Output } from '../log';
import { describeDatabaseState, readDatabaseState } from '../setup/database-state';
import type { SqlSession } from '../sql/sql-session';
import { insertRestoredFileStatement, lastLogBackupLsnQuery, lastRestoredBackupQuery } from '../tsql/queries';
import { recoverStatement, restoreStatement } from '../tsql/restore-statements';
import { backupUrl } from '../backup/backup-naming';
import { readBackupSets } from './header-cache';
import { groupBackupSets, listKeys } from './list-backup-sets';
import { planRestore, type RestoreGap, type RestoreStart } from './plan-restore';

export interface RestoreOptions {
  /** After the catch-up, RESTORE ... WITH RECOVERY: the copy becomes a writable database. */
  readonly recover: boolean;
  /** Start again from a full backup, overwriting the database (REPLACE). */
  readonly reseed: boolean;
}

export interface RestoreOutcome {
  readonly restored: number;
  readonly gap?: RestoreGap;
  readonly recoveryPoint: Date | null;
  readonly recovered: boolean;
}

/**
 * The secondary's catch-up: lists the primary's backups in the replicated bucket, reads their
 * headers (cached in ops), plans by LSN and restores WITH NORECOVERY or STANDBY; with
 * `recover`, then brings the database online. Throws a JobFailure for an online database
 * without `reseed`, and (after restoring and, with `recover`, recovering what it could) for a gap.
 */
export async function runRestore(session: SqlSession, s3: S3Client, config: LogShippingConfig, options: RestoreOptions, output: Output): Promise<RestoreOutcome> {
  const sourcePrefix = config.sourcePrefix;
  if (config.role !== 'secondary' || sourcePrefix === null) {
    throw new JobFailure(`restore runs only at the secondary site: ${config.site} is the primary (role "primary" in the config)`);
  }
  const start = await restoreStart(session, config, options.reseed);

  const listing = groupBackupSets(sourcePrefix, await listKeys(s3, config.bucket, sourcePrefix));
  for (const set of listing.incomplete) {
    output.log('warn', 'striped backup set is incomplete (stripes still replicating or lost); skipped for now', { set: set.set, present: set.present, stripes: set.stripes });
  }
  for (const key of listing.ignored) output.log('warn', 'object is not a backup of this program; ignored', { key });
  const backups = await readBackupSets(session, config, listing.sets, output);

  const plan = planRestore(backups, start, config.database);
  for (const skipped of plan.skipped) output.log('warn', `backup skipped: ${skipped.reason}`, { key: skipped.key });
  if (plan.waitingForFullBackup) {
    output.log('warn', `no full backup of "${config.database}" under "${sourcePrefix}" yet: nothing to restore until one arrives`, { database: config.database });
  }

  for (const step of plan.steps) {
    const { backup } = step;
    const started = output.now();
    await session.execute(restoreStatement(config.database, backup.type, backup.keys.map((key) => backupUrl(config, key)), config.standby, step.replace));
    await session.execute(insertRestoredFileStatement(config.opsDatabase), {
      first_key: backup.keys[0] as string,
      backup_type: backup.type === 'full' ? 1 : backup.type === 'differential' ? 5 : 2,
      first_lsn: backup.firstLsn.toString(),
      last_lsn: backup.lastLsn.toString(),
      backup_finish_date: backup.finishedAt,
    });
    output.report({
      restored: backup.type,
      key: backup.keys[0],
      ...(step.replace ? { replace: true } : {}),
      lastLsn: backup.lastLsn.toString(),
      backupFinishDate: backup.finishedAt.toISOString(),
      seconds: Math.round((output.now() - started) / 100) / 10,
    });
  }

  let recovered = false;
  if (options.recover) {
    if (plan.steps.length === 0 && start.kind === 'empty') {
      throw new JobFailure(`nothing to recover: no backup of "${config.database}" has been restored at ${config.site}`);
    }
    await session.execute(recoverStatement(config.database));
    recovered = true;
    output.report({
      recovered: config.database,
      recoveryPoint: plan.recoveryPoint?.toISOString() ?? null,
      ...(plan.gap === undefined ? {} : { missingAfterLsn: plan.gap.fromLsn.toString() }),
    });
  }
  if (plan.gap !== undefined) {
    const point = plan.recoveryPoint === null ? 'no point in time' : plan.recoveryPoint.toISOString();
    const reseed = plan.gap.newerFullAvailable ? '; a newer full backup is there: restore --reseed gets past the gap' : '';
    throw new GapFailure(
      `log backups of "${config.database}" are missing after LSN ${plan.gap.fromLsn} (the next present begins at LSN ${plan.gap.nextAvailableLsn}): ` +
        (recovered ? `recovered at ${point}; later changes are not in this database` : `restored up to ${point}; later backups wait for the missing ones${reseed}`),
      plan.gap,
    );
  }
  return { restored: plan.steps.length, recoveryPoint: plan.recoveryPoint, recovered, ...(plan.gap === undefined ? {} : { gap: plan.gap }) };
}

/** A restore that stopped at a gap in the log chain (exit 1, lms_sql_restore_gap 1). */
export class GapFailure extends JobFailure {
  constructor(
    message: string,
    readonly gap: RestoreGap,
  ) {
    super(message);
  }
}

async function restoreStart(session: SqlSession, config: LogShippingConfig, reseed: boolean): Promise<RestoreStart> {
  const state = await readDatabaseState(session, config.database);
  if (state === undefined) return { kind: 'empty', reseed: false };
  if (reseed) return { kind: 'empty', reseed: true };
  if (state.state === 'ONLINE' && !state.inStandby) {
    throw new JobFailure(`database "${config.database}" at ${config.site} is online (recovered): a standby must be reseeded; run restore --reseed`);
  }
  if (state.state !== 'RESTORING' && !state.inStandby) {
    throw new JobFailure(`database "${config.database}" at ${config.site} is ${describeDatabaseState(state)}: a standby must be RESTORING or in standby; run restore --reseed`);
  }
  const last = (await session.query(lastRestoredBackupQuery(config.database)))[0];
  if (last !== undefined && last['last_lsn'] !== null) {
    return {
      kind: 'restoring',
      lastLsn: BigInt(String(last['last_lsn'])),
      baseCheckpointLsn: last['base_checkpoint_lsn'] === null || last['base_checkpoint_lsn'] === undefined ? null : BigInt(String(last['base_checkpoint_lsn'])),
      finishedAt: last['backup_finish_ms'] === null || last['backup_finish_ms'] === undefined ? null : new Date(Number(last['backup_finish_ms'])),
    };
  }
  // A former primary left RESTORING by its tail-log backup has no restore history: it stands at its last log backup.
  const tail = (await session.query(lastLogBackupLsnQuery(config.database)))[0]?.['last_log_backup_lsn'];
  if (tail !== null && tail !== undefined) return { kind: 'restoring', lastLsn: BigInt(String(tail)), baseCheckpointLsn: null, finishedAt: null };
  return { kind: 'empty', reseed: true };
}
