import { quoteName, urlList } from './quote';

/** A full backup striped over `urls`. */
export function backupDatabaseStatement(database: string, urls: readonly string[], maxTransferSizeBytes: number): string {
  return `BACKUP DATABASE ${quoteName(database)} TO ${urlList(urls)} WITH COMPRESSION, CHECKSUM, FORMAT, MAXTRANSFERSIZE = ${maxTransferSizeBytes}, STATS = 10;`;
}

/** A differential backup: the extents changed since the last full backup. */
export function backupDifferentialStatement(database: string, urls: readonly string[], maxTransferSizeBytes: number): string {
  return `BACKUP DATABASE ${quoteName(database)} TO ${urlList(urls)} WITH DIFFERENTIAL, COMPRESSION, CHECKSUM, FORMAT, MAXTRANSFERSIZE = ${maxTransferSizeBytes};`;
}

/** A log backup: the log since the last log backup, which it then truncates. */
export function backupLogStatement(database: string, urls: readonly string[], maxTransferSizeBytes: number): string {
  return `BACKUP LOG ${quoteName(database)} TO ${urlList(urls)} WITH COMPRESSION, CHECKSUM, FORMAT, MAXTRANSFERSIZE = ${maxTransferSizeBytes};`;
}

/**
 * The tail of the log, for a planned role swap: the last log backup, after which the database
 * is left RESTORING (NORECOVERY) so that nothing more is written to it here.
 */
export function backupTailLogStatement(database: string, urls: readonly string[], maxTransferSizeBytes: number): string {
  return `BACKUP LOG ${quoteName(database)} TO ${urlList(urls)} WITH NORECOVERY, NO_TRUNCATE, COMPRESSION, CHECKSUM, FORMAT, MAXTRANSFERSIZE = ${maxTransferSizeBytes};`;
}
