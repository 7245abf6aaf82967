import { MAX_BACKUP_URL_LENGTH, MAX_FULL_BACKUP_STRIPES, type LogShippingConfig } from '../config/log-shipping-config';

export const BACKUP_KINDS = ['full', 'differential', 'log', 'tail-log'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

const EXTENSIONS: Record<BackupKind, string> = { full: 'bak', differential: 'dif', log: 'trn', 'tail-log': 'trn' };

/** `2026-01-05T08:00:00.123Z` -> `20260105T080000Z`: sorts as time does. */
export function backupTime(start: Date): string {
  return start.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The keys of one backup under the bucket: `<ownPrefix><yyyymmddThhmmssZ>-<kind>[-<i>of<n>].<ext>`,
 * one per stripe for a full backup with fullBackupStripes > 1, else one.
 */
export function backupKeys(config: Pick<LogShippingConfig, 'ownPrefix' | 'fullBackupStripes'>, kind: BackupKind, start: Date): string[] {
  const stem = `${config.ownPrefix}${backupTime(start)}-${kind}`;
  const stripes = kind === 'full' ? config.fullBackupStripes : 1;
  if (stripes === 1) return [`${stem}.${EXTENSIONS[kind]}`];
  return Array.from({ length: stripes }, (_, index) => `${stem}-${index + 1}of${stripes}.${EXTENSIONS[kind]}`);
}

/** The URL SQL Server writes a key to: `<backupUrlBase>/<key>`. */
export function backupUrl(config: Pick<LogShippingConfig, 'backupUrlBase'>, key: string): string {
  return `${config.backupUrlBase}/${key}`;
}

/**
 * The longest URL this config's backups can have (the time part has a fixed length). SQL Server
 * refuses URLs over {@link MAX_BACKUP_URL_LENGTH} characters; the platform checks this at synth.
 */
export function longestBackupUrl(config: Pick<LogShippingConfig, 'backupUrlBase' | 'ownPrefix' | 'fullBackupStripes'>): string {
  const sample = new Date(Date.UTC(2099, 11, 31, 23, 59, 59));
  const stripes = Math.min(Math.max(config.fullBackupStripes, 1), MAX_FULL_BACKUP_STRIPES);
  const urls = BACKUP_KINDS.flatMap((kind) => backupKeys({ ...config, fullBackupStripes: stripes }, kind, sample)).map((key) => backupUrl(config, key));
  return urls.reduce((longest, url) => (url.length > longest.length ? url : longest));
}

/** A backup object name parsed back: its set, stripe and kind. */
export interface ParsedBackupKey {
  /** The key without the stripe suffix: what the stripes of one set share. */
  readonly setName: string;
  readonly kind: BackupKind;
  readonly stripe: number;
  readonly stripes: number;
}

const KEY = /^(?<set>\d{8}T\d{6}Z-(?<kind>full|differential|log|tail-log))(?:-(?<stripe>\d+)of(?<stripes>\d+))?\.(?<ext>bak|dif|trn)$/;

/** Parses the name of a key under `prefix`; undefined for an object that is not a backup of this program. */
export function parseBackupKey(prefix: string, key: string): ParsedBackupKey | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const groups = KEY.exec(key.slice(prefix.length))?.groups;
  if (groups === undefined) return undefined;
  const kind = groups['kind'] as BackupKind;
  if (groups['ext'] !== EXTENSIONS[kind]) return undefined;
  const stripe = groups['stripe'] === undefined ? 1 : Number(groups['stripe']);
  const stripes = groups['stripes'] === undefined ? 1 : Number(groups['stripes']);
  if (stripes < 1 || stripe < 1 || stripe > stripes || (stripes > 1 && kind !== 'full')) return undefined;
  return { setName: `${prefix}${groups['set'] as string}`, kind, stripe, stripes };
}

export { MAX_BACKUP_URL_LENGTH };
