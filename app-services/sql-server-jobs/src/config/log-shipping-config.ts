import { z } from 'zod';
import { parseConfig, readJsonFile, SENTENCE, strictObject } from './config-file';

/** What each rule allows, as error messages say it. */
const ALLOWED = {
  site: 'a DNS label: 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit',
  role: 'primary, secondary',
  databaseName: 'a name of 1-64 letters, digits and underscores, not starting with a digit',
  backupUrlBase: 's3://host[:port]/<bucket>, at most 128 characters (it also names the SQL Server credential)',
  bucket:
    '3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, no "..", not an IP address, no xn-- or sthree- prefix, no -s3alias or --ol-s3 suffix',
  prefix: 'a key prefix of path segments (letters, digits, ".", "_", "-") each ending with "/", e.g. "lusaka/lms/"',
  sourcePrefix: 'a key prefix of path segments (letters, digits, ".", "_", "-") each ending with "/", e.g. "lusaka/lms/", or null',
  fullBackupStripes: 'a whole number from 1 to 64',
  maxTransferSizeBytes: 'a multiple of 65536 from 65536 to 20971520',
  standby: '{"mode": "norecovery"} or {"mode": "standby", "undoFile": "<absolute path>"}',
  undoFile: 'an absolute path of at most 260 characters, e.g. /var/opt/mssql/data/lms.tuf',
  loginName: 'a login name of 1-128 letters, digits and underscores, not starting with a digit',
  sid: '0x followed by 32 hexadecimal digits (a 16-byte SID)',
  passwordFile: 'an absolute path',
  roles: 'a list of role names (letters, digits and underscores, not starting with a digit)',
  logins: 'a list of logins',
} as const;

/** How many characters SQL Server accepts in a backup URL. */
export const MAX_BACKUP_URL_LENGTH = 259;
export const MAX_FULL_BACKUP_STRIPES = 64;
export const MAX_TRANSFER_SIZE_BYTES = 20_971_520;
export const TRANSFER_SIZE_UNIT_BYTES = 65_536;

const SITE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const ROLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const PREFIX = /^([A-Za-z0-9._-]+\/)+$/;
const BACKUP_URL_BASE = /^s3:\/\/([A-Za-z0-9.-]+)(:\d{1,5})?\/([^/]+)$/;
const SID = /^0x[0-9A-Fa-f]{32}$/;

function bucketNameIsValid(name: string): boolean {
  return (
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d{1,3}(\.\d{1,3}){3}$/.test(name) &&
    !name.startsWith('xn--') &&
    !name.startsWith('sthree-') &&
    !name.endsWith('-s3alias') &&
    !name.endsWith('--ol-s3')
  );
}

const matching = (pattern: RegExp, allowed: string) => z.string({ error: allowed }).regex(pattern, { error: allowed });
const absolutePath = (allowed: string, maxLength = 4096) =>
  z
    .string({ error: allowed })
    .refine((path) => path.startsWith('/') && path.length <= maxLength && !path.includes('\0'), { error: allowed });

const LoginSchema = strictObject(
  {
    name: matching(ROLE_NAME, ALLOWED.loginName),
    sid: matching(SID, ALLOWED.sid),
    passwordFile: absolutePath(ALLOWED.passwordFile),
    serverRoles: z.array(matching(ROLE_NAME, ALLOWED.roles), { error: ALLOWED.roles }),
    databaseRoles: z.array(matching(ROLE_NAME, ALLOWED.roles), { error: ALLOWED.roles }),
  },
  'an object {"name", "sid", "passwordFile", "serverRoles", "databaseRoles"}',
);

const StandbySchema = z.discriminatedUnion(
  'mode',
  [
    strictObject({ mode: z.literal('norecovery') }, ALLOWED.standby),
    strictObject({ mode: z.literal('standby'), undoFile: absolutePath(ALLOWED.undoFile, 260) }, ALLOWED.standby),
  ],
  { error: ALLOWED.standby },
);

/**
 * The log-shipping config of one site: what the platform writes into the jobs' ConfigMap. Strict:
 * an unknown field is an error. The platform's contract test parses its output with this schema.
 */
export const LogShippingConfigSchema = strictObject(
  {
    /** This site, a DNS label (lusaka, kitwe). */
    site: matching(SITE, ALLOWED.site),
    /** primary: takes backups; secondary: restores the primary's backups as a standby copy. */
    role: z.enum(['primary', 'secondary'], { error: ALLOWED.role }),
    /** The shipped database. */
    database: matching(DATABASE_NAME, ALLOWED.databaseName),
    /** Where the jobs record what they did (header cache, restored files, job runs). */
    opsDatabase: matching(DATABASE_NAME, ALLOWED.databaseName),
    /** `s3://host[:port]/<bucket>`: the base of every backup URL and the name of the SQL Server credential. */
    backupUrlBase: z
      .string({ error: ALLOWED.backupUrlBase })
      .refine((url) => BACKUP_URL_BASE.test(url) && url.length <= 128, { error: ALLOWED.backupUrlBase }),
    /** The bucket of backupUrlBase, which MinIO replicates from the primary site to the other. */
    bucket: z.string({ error: ALLOWED.bucket }).refine(bucketNameIsValid, { error: ALLOWED.bucket }),
    /** Where this site writes its backups, e.g. `kitwe/lms/`. */
    ownPrefix: matching(PREFIX, ALLOWED.prefix),
    /** Secondary: the primary's prefix in the replicated bucket; null on the primary. */
    sourcePrefix: matching(PREFIX, ALLOWED.sourcePrefix).nullable(),
    /** How many URLs (objects) one full backup is striped over. */
    fullBackupStripes: z
      .int({ error: ALLOWED.fullBackupStripes })
      .min(1, { error: ALLOWED.fullBackupStripes })
      .max(MAX_FULL_BACKUP_STRIPES, { error: ALLOWED.fullBackupStripes }),
    /** BACKUP ... MAXTRANSFERSIZE: the part size of the S3 multipart upload. */
    maxTransferSizeBytes: z
      .int({ error: ALLOWED.maxTransferSizeBytes })
      .refine((size) => size >= TRANSFER_SIZE_UNIT_BYTES && size <= MAX_TRANSFER_SIZE_BYTES && size % TRANSFER_SIZE_UNIT_BYTES === 0, {
        error: ALLOWED.maxTransferSizeBytes,
      }),
    /** How the secondary leaves the database between restores: RESTORING, or read-only standby. */
    standby: StandbySchema,
    /** The SQL logins, created with the same SID at both sites so the restored users map to them. */
    logins: z.array(LoginSchema, { error: ALLOWED.logins }),
  },
  'an object {"site", "role", "database", "opsDatabase", "backupUrlBase", "bucket", "ownPrefix", "sourcePrefix", "fullBackupStripes", "maxTransferSizeBytes", "standby", "logins"}',
).superRefine((config, context) => {
  const sentence = (path: PropertyKey[], message: string) => context.addIssue({ code: 'custom', path, message, params: SENTENCE });
  if (config.opsDatabase === config.database) {
    sentence(['opsDatabase'], `is the shipped database itself (allowed: another name, e.g. "${config.database}_ops")`);
  }
  const urlBucket = BACKUP_URL_BASE.exec(config.backupUrlBase)?.[3];
  if (urlBucket !== undefined && urlBucket !== config.bucket) {
    sentence(['backupUrlBase'], `names bucket "${urlBucket}" (allowed: the bucket of the config, "${config.bucket}")`);
  }
  if (config.role === 'secondary') {
    if (config.sourcePrefix === null) sentence(['sourcePrefix'], 'is not allowed on a secondary (allowed: the primary\'s prefix in the replicated bucket, e.g. "lusaka/lms/")');
    else if (config.sourcePrefix === config.ownPrefix) sentence(['sourcePrefix'], 'is the ownPrefix (allowed: the primary\'s prefix, another than this site\'s)');
  } else if (config.sourcePrefix !== null) {
    sentence(['sourcePrefix'], 'is not allowed on a primary (allowed: null)');
  }
  const names = new Map<string, number>();
  const sids = new Map<string, number>();
  config.logins.forEach((login, index) => {
    const sameName = names.get(login.name.toLowerCase());
    if (sameName !== undefined) sentence(['logins', index, 'name'], `is also the name of logins[${sameName}] (allowed: each name once)`);
    else names.set(login.name.toLowerCase(), index);
    const sameSid = sids.get(login.sid.toLowerCase());
    if (sameSid !== undefined) sentence(['logins', index, 'sid'], `is also the sid of logins[${sameSid}] (allowed: each sid once)`);
    else sids.set(login.sid.toLowerCase(), index);
  });
});

export type LogShippingConfig = z.output<typeof LogShippingConfigSchema>;
export type LoginConfig = LogShippingConfig['logins'][number];
export type StandbyConfig = LogShippingConfig['standby'];

/** Reads and validates the config file; every problem is one line of the ConfigurationError. */
export function loadLogShippingConfig(file: string): LogShippingConfig {
  return parseConfig(LogShippingConfigSchema, readJsonFile(file), file);
}
