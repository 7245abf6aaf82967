import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LogShippingConfig } from '../config/log-shipping-config';
import { describeS3Error, s3HttpStatus } from '../connection/s3-client';
import { JobFailure } from '../errors';
import type { Output } from '../log';
import type { SqlSession } from '../sql/sql-session';
import { backupDatabaseStatement, backupDifferentialStatement, backupLogStatement, backupTailLogStatement } from '../tsql/backup-statements';
import { lastLogBackupLsnQuery } from '../tsql/queries';
import { backupKeys, backupUrl, MAX_BACKUP_URL_LENGTH, type BackupKind } from './backup-naming';

const STATEMENTS: Record<BackupKind, (database: string, urls: readonly string[], maxTransferSizeBytes: number) => string> = {
  full: backupDatabaseStatement,
  differential: backupDifferentialStatement,
  log: backupLogStatement,
  'tail-log': backupTailLogStatement,
};

/** One backup taken: what the command prints. */
export interface BackupTaken {
  readonly backup: BackupKind;
  readonly url: string;
  readonly urls?: readonly string[];
  readonly seconds: number;
}

/**
 * Takes a backup of the primary's database to the replicated bucket. A log or differential
 * backup with no full backup in the log chain yet (last_log_backup_lsn NULL) takes a full
 * backup first. Refuses (JobFailure) on a secondary, for a URL over 259 characters, and when an
 * object of the name exists already (two runs in the same second).
 */
export async function runBackup(session: SqlSession, s3: S3Client, config: LogShippingConfig, kind: BackupKind, output: Output): Promise<BackupTaken[]> {
  if (config.role !== 'primary') {
    throw new JobFailure(`backup runs only at the primary site: ${config.site} is a secondary (role "secondary" in the config); its database is a restoring copy`);
  }
  const taken: BackupTaken[] = [];
  if (kind === 'log' || kind === 'differential') {
    const rows = await session.query(lastLogBackupLsnQuery(config.database));
    if (rows.length === 0) throw new JobFailure(`database "${config.database}" does not exist at ${config.site}: run setup first`);
    if (rows[0]?.['last_log_backup_lsn'] === null) {
      output.log('info', `no full backup in the log chain of "${config.database}" yet: taking a full backup before the ${kind} backup`, { database: config.database });
      taken.push(await takeBackup(session, s3, config, 'full', output));
    }
  }
  taken.push(await takeBackup(session, s3, config, kind, output));
  return taken;
}

async function takeBackup(session: SqlSession, s3: S3Client, config: LogShippingConfig, kind: BackupKind, output: Output): Promise<BackupTaken> {
  const startedAt = output.now();
  const keys = backupKeys(config, kind, new Date(startedAt));
  const urls = keys.map((key) => backupUrl(config, key));
  const tooLong = urls.find((url) => url.length > MAX_BACKUP_URL_LENGTH);
  if (tooLong !== undefined) {
    throw new JobFailure(
      `backup URL "${tooLong}" has ${tooLong.length} characters (allowed: at most ${MAX_BACKUP_URL_LENGTH}, SQL Server's limit): shorten backupUrlBase or ownPrefix`,
    );
  }
  for (const key of keys) {
    if (await objectExists(s3, config.bucket, key)) {
      throw new JobFailure(`backup object "${key}" already exists in bucket "${config.bucket}": another backup started in the same second; nothing was written`);
    }
  }
  await session.execute(STATEMENTS[kind](config.database, urls, config.maxTransferSizeBytes));
  const result: BackupTaken = {
    backup: kind,
    url: urls[0] as string,
    ...(urls.length > 1 ? { urls } : {}),
    seconds: Math.round((output.now() - startedAt) / 100) / 10,
  };
  output.report({ ...result });
  return result;
}

async function objectExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (s3HttpStatus(error) === 404) return false;
    throw new JobFailure(`cannot check whether backup object "${key}" exists in bucket "${bucket}": ${describeS3Error(error)}`);
  }
}
