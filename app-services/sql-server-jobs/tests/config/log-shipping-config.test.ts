import { loadLogShippingConfig, LogShippingConfigSchema } from '../../src/config/log-shipping-config';
import { ConfigurationError } from '../../src/errors';
import { primaryConfig, secondaryConfig } from '../support/configs';
import { temporaryDirectory, type TemporaryDirectory } from '../support/files';

const BUCKET_ALLOWED =
  '3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, no "..", not an IP address, no xn-- or sthree- prefix, no -s3alias or --ol-s3 suffix';

describe('loadLogShippingConfig', () => {
  let directory: TemporaryDirectory;
  beforeEach(() => {
    directory = temporaryDirectory();
  });
  afterEach(() => directory.remove());

  function errorLines(content: unknown): string[] {
    const file = directory.write('log-shipping.json', JSON.stringify(content));
    try {
      loadLogShippingConfig(file);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      return (error as ConfigurationError).lines.map((line) => line.replace(file, '<file>'));
    }
    throw new Error('loadLogShippingConfig accepted the config');
  }

  it('reads the primary and the secondary config the platform writes', () => {
    const primary = directory.write('primary.json', primaryConfig());
    expect(loadLogShippingConfig(primary)).toEqual(primaryConfig());
    const secondary = directory.write('secondary.json', secondaryConfig({ standby: { mode: 'standby', undoFile: '/var/opt/mssql/data/lms.tuf' } }));
    expect(loadLogShippingConfig(secondary)).toEqual(secondaryConfig({ standby: { mode: 'standby', undoFile: '/var/opt/mssql/data/lms.tuf' } }));
  });

  it('exports the schema for the platform contract test', () => {
    expect(LogShippingConfigSchema.safeParse(primaryConfig()).success).toBe(true);
    expect(LogShippingConfigSchema.safeParse({ ...primaryConfig(), extra: 1 }).success).toBe(false);
  });

  it('names every field problem with its path, value and what is allowed', () => {
    const login = primaryConfig().logins[0]!;
    expect(
      errorLines({
        site: 'Kitwe',
        role: 'standby',
        database: '1lms',
        opsDatabase: 'lms-ops',
        backupUrlBase: 'https://minio/sql-backups',
        bucket: 'SQL',
        ownPrefix: 'kitwe/lms',
        sourcePrefix: '/lusaka/',
        fullBackupStripes: 65,
        maxTransferSizeBytes: 100000,
        standby: { mode: 'standby', undoFile: 'lms.tuf' },
        logins: [{ ...login, sid: '0x12', passwordFile: 'password', serverRoles: ['db creator'], extra: true }],
        retention: 7,
      }),
    ).toEqual([
      '<file>: site: "Kitwe" is not allowed (allowed: a DNS label: 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit)',
      '<file>: role: "standby" is not allowed (allowed: primary, secondary)',
      '<file>: database: "1lms" is not allowed (allowed: a name of 1-64 letters, digits and underscores, not starting with a digit)',
      '<file>: opsDatabase: "lms-ops" is not allowed (allowed: a name of 1-64 letters, digits and underscores, not starting with a digit)',
      '<file>: backupUrlBase: "https://minio/sql-backups" is not allowed (allowed: s3://host[:port]/<bucket>, at most 128 characters (it also names the SQL Server credential))',
      `<file>: bucket: "SQL" is not allowed (allowed: ${BUCKET_ALLOWED})`,
      '<file>: ownPrefix: "kitwe/lms" is not allowed (allowed: a key prefix of path segments (letters, digits, ".", "_", "-") each ending with "/", e.g. "lusaka/lms/")',
      '<file>: sourcePrefix: "/lusaka/" is not allowed (allowed: a key prefix of path segments (letters, digits, ".", "_", "-") each ending with "/", e.g. "lusaka/lms/", or null)',
      '<file>: fullBackupStripes: 65 is not allowed (allowed: a whole number from 1 to 64)',
      '<file>: maxTransferSizeBytes: 100000 is not allowed (allowed: a multiple of 65536 from 65536 to 20971520)',
      '<file>: standby.undoFile: "lms.tuf" is not allowed (allowed: an absolute path of at most 260 characters, e.g. /var/opt/mssql/data/lms.tuf)',
      '<file>: logins[0].sid: "0x12" is not allowed (allowed: 0x followed by 32 hexadecimal digits (a 16-byte SID))',
      '<file>: logins[0].passwordFile: "password" is not allowed (allowed: an absolute path)',
      '<file>: logins[0].serverRoles[0]: "db creator" is not allowed (allowed: a list of role names (letters, digits and underscores, not starting with a digit))',
      '<file>: logins[0].extra: unknown field (known fields: name, sid, passwordFile, serverRoles, databaseRoles)',
      '<file>: retention: unknown field (known fields: site, role, database, opsDatabase, backupUrlBase, bucket, ownPrefix, sourcePrefix, fullBackupStripes, maxTransferSizeBytes, standby, logins)',
    ]);
  });

  it('names missing fields and a standby mode it does not know', () => {
    const { logins: _logins, sourcePrefix: _sourcePrefix, ...rest } = primaryConfig();
    expect(errorLines({ ...rest, standby: { mode: 'readonly' }, maxTransferSizeBytes: 65536 * 2.5 })).toEqual([
      '<file>: sourcePrefix: missing (allowed: a key prefix of path segments (letters, digits, ".", "_", "-") each ending with "/", e.g. "lusaka/lms/", or null)',
      '<file>: maxTransferSizeBytes: 163840 is not allowed (allowed: a multiple of 65536 from 65536 to 20971520)',
      '<file>: standby.mode: "readonly" is not allowed (allowed: {"mode": "norecovery"} or {"mode": "standby", "undoFile": "<absolute path>"})',
      '<file>: logins: missing (allowed: a list of logins)',
    ]);
    expect(errorLines([])).toEqual([
      '<file>: (top level): [] is not allowed (allowed: an object {"site", "role", "database", "opsDatabase", "backupUrlBase", "bucket", "ownPrefix", "sourcePrefix", "fullBackupStripes", "maxTransferSizeBytes", "standby", "logins"})',
    ]);
  });

  it('checks the rules between fields', () => {
    const [first, second] = primaryConfig().logins;
    expect(
      errorLines({
        ...primaryConfig({ sourcePrefix: 'kitwe/lms/', opsDatabase: 'lms', backupUrlBase: 's3://minio:9000/other-bucket' }),
        logins: [first, { ...second, name: 'loan_service' }, { ...second, sid: first!.sid.toLowerCase() }],
      }),
    ).toEqual([
      '<file>: opsDatabase: "lms" is the shipped database itself (allowed: another name, e.g. "lms_ops")',
      '<file>: backupUrlBase: "s3://minio:9000/other-bucket" names bucket "other-bucket" (allowed: the bucket of the config, "sql-backups")',
      '<file>: sourcePrefix: "kitwe/lms/" is not allowed on a primary (allowed: null)',
      '<file>: logins[1].name: "loan_service" is also the name of logins[0] (allowed: each name once)',
      '<file>: logins[2].sid: "0x1f2e3d4c5b6a79880123456789abcdef" is also the sid of logins[0] (allowed: each sid once)',
    ]);
    expect(errorLines(secondaryConfig({ sourcePrefix: null }))).toEqual([
      '<file>: sourcePrefix: null is not allowed on a secondary (allowed: the primary\'s prefix in the replicated bucket, e.g. "lusaka/lms/")',
    ]);
    expect(errorLines(secondaryConfig({ sourcePrefix: 'kitwe/lms/' }))).toEqual([
      '<file>: sourcePrefix: "kitwe/lms/" is the ownPrefix (allowed: the primary\'s prefix, another than this site\'s)',
    ]);
  });

  it('names a file it cannot read or that is not JSON', () => {
    expect(() => loadLogShippingConfig('/nonexistent/log-shipping.json')).toThrow(
      new ConfigurationError(['/nonexistent/log-shipping.json: cannot read the config file (ENOENT: no such file or directory)']),
    );
    const file = directory.write('bad.json', '{');
    expect(() => loadLogShippingConfig(file)).toThrow(ConfigurationError);
  });
});
