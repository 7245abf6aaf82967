import { loadReconcileConfig } from '../../src/config/reconcile-config';
import { ConfigurationError } from '../../src/errors';
import { temporaryDirectory, type TemporaryDirectory } from '../support/files';

const DOCUMENTS = { name: 'documents', versioning: true, objectLock: { mode: 'GOVERNANCE', days: 35 }, lifecycle: { noncurrentVersionExpirationDays: 35 } };

describe('loadReconcileConfig', () => {
  let directory: TemporaryDirectory;
  beforeEach(() => {
    directory = temporaryDirectory();
  });
  afterEach(() => directory.remove());

  function errorLines(content: string | object): string[] {
    const file = directory.write('buckets.json', content);
    try {
      loadReconcileConfig(file);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      return (error as ConfigurationError).lines.map((line) => line.replace(file, '<file>'));
    }
    throw new Error('loadReconcileConfig accepted the config');
  }

  it('reads a valid config, objectLock and lifecycle defaulting to null', () => {
    const file = directory.write('buckets.json', { site: 'lusaka', buckets: [DOCUMENTS, { name: 'exports.2026', versioning: false }] });
    expect(loadReconcileConfig(file)).toEqual({
      site: 'lusaka',
      buckets: [DOCUMENTS, { name: 'exports.2026', versioning: false, objectLock: null, lifecycle: null }],
    });
  });

  it('names a file it cannot read', () => {
    expect(() => loadReconcileConfig('/nonexistent/buckets.json')).toThrow(
      new ConfigurationError(['/nonexistent/buckets.json: cannot read the config file (ENOENT: no such file or directory)']),
    );
  });

  it('names a file that is not JSON', () => {
    expect(errorLines('{ "site": "lusaka", }')).toEqual([`<file>: not valid JSON (Expected double-quoted property name in JSON at position 20 (line 1 column 21))`]);
  });

  it('names every problem with its field path, value and what is allowed', () => {
    expect(
      errorLines({
        site: 'ndola',
        buckets: [
          { name: 'Documents', versioning: 'yes', objectLock: { mode: 'governance', days: 0 } },
          { name: 'ok-bucket', versioning: true, objectLock: { mode: 'COMPLIANCE', days: 1.5, extra: 1 }, lifecycle: { noncurrentVersionExpirationDays: -1 } },
          { versioning: true, objectlock: null },
          'exports',
        ],
        extra: true,
      }),
    ).toEqual([
      '<file>: site: "ndola" is not allowed (allowed: lusaka, kitwe)',
      '<file>: buckets[0].name: "Documents" is not allowed (allowed: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, no "..", not an IP address, no xn-- or sthree- prefix, no -s3alias or --ol-s3 suffix)',
      '<file>: buckets[0].versioning: "yes" is not allowed (allowed: true or false)',
      '<file>: buckets[0].objectLock.mode: "governance" is not allowed (allowed: GOVERNANCE, COMPLIANCE)',
      '<file>: buckets[0].objectLock.days: 0 is not allowed (allowed: a whole number of days from 1 to 36500)',
      '<file>: buckets[1].objectLock.days: 1.5 is not allowed (allowed: a whole number of days from 1 to 36500)',
      '<file>: buckets[1].objectLock.extra: unknown field (known fields: mode, days)',
      '<file>: buckets[1].lifecycle.noncurrentVersionExpirationDays: -1 is not allowed (allowed: a whole number of days from 1 to 36500)',
      '<file>: buckets[2].name: missing (allowed: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, no "..", not an IP address, no xn-- or sthree- prefix, no -s3alias or --ol-s3 suffix)',
      '<file>: buckets[2].objectlock: unknown field (known fields: name, versioning, objectLock, lifecycle)',
      '<file>: buckets[3]: "exports" is not allowed (allowed: an object {"name", "versioning", "objectLock", "lifecycle"})',
      '<file>: extra: unknown field (known fields: site, buckets)',
    ]);
  });

  it.each([
    ['1.2.3.4', 'an IP address'],
    ['my..bucket', 'two dots in a row'],
    ['xn--bucket', 'the xn-- prefix'],
    ['sthree-bucket', 'the sthree- prefix'],
    ['bucket-s3alias', 'the -s3alias suffix'],
    ['bucket--ol-s3', 'the --ol-s3 suffix'],
    ['ab', 'two characters'],
    ['a'.repeat(64), '64 characters'],
    ['-bucket', 'a leading hyphen'],
    ['bucket.', 'a trailing dot'],
    ['buck_et', 'an underscore'],
  ])('refuses the bucket name %s (%s)', (name) => {
    expect(errorLines({ site: 'kitwe', buckets: [{ name, versioning: false }] })[0]).toMatch(/^<file>: buckets\[0\]\.name: ".*" is not allowed \(allowed: 3-63 /);
  });

  it('accepts names at the length bounds', () => {
    const file = directory.write('buckets.json', { site: 'kitwe', buckets: [{ name: 'abc', versioning: false }, { name: 'a'.repeat(63), versioning: false }] });
    expect(loadReconcileConfig(file).buckets.map((bucket) => bucket.name.length)).toEqual([3, 63]);
  });

  it('needs versioning for object lock and for noncurrent-version expiration', () => {
    expect(
      errorLines({
        site: 'lusaka',
        buckets: [{ name: 'documents', versioning: false, objectLock: { mode: 'GOVERNANCE', days: 35 }, lifecycle: { noncurrentVersionExpirationDays: 35 } }],
      }),
    ).toEqual([
      '<file>: buckets[0].objectLock: {"mode":"GOVERNANCE","days":35} needs "versioning": true (object lock protects object versions; allowed with "versioning": false: null)',
      '<file>: buckets[0].lifecycle.noncurrentVersionExpirationDays: 35 needs "versioning": true (an unversioned bucket has no noncurrent versions)',
    ]);
  });

  it('refuses abortIncompleteMultipartUploadDays, which MinIO cannot store, and a lifecycle without a rule', () => {
    expect(
      errorLines({
        site: 'lusaka',
        buckets: [
          { name: 'documents', versioning: true, lifecycle: { abortIncompleteMultipartUploadDays: 1, noncurrentVersionExpirationDays: 35 } },
          { name: 'exports', versioning: true, lifecycle: {} },
        ],
      }),
    ).toEqual([
      '<file>: buckets[0].lifecycle.abortIncompleteMultipartUploadDays: 1 is not supported by MinIO (its lifecycle rules have no AbortIncompleteMultipartUpload action; it removes incomplete multipart uploads itself after the server setting api stale_uploads_expiry, 24h by default): remove the field',
      '<file>: buckets[1].lifecycle: {} sets no rule (allowed: null, or {"noncurrentVersionExpirationDays": 1-36500})',
    ]);
  });

  it('refuses an empty bucket list and a bucket listed twice', () => {
    expect(errorLines({ site: 'lusaka', buckets: [] })).toEqual(['<file>: buckets: [] is not allowed (allowed: a list of at least one bucket)']);
    expect(errorLines({ site: 'lusaka', buckets: [DOCUMENTS, { name: 'exports', versioning: false }, DOCUMENTS] })).toEqual([
      '<file>: buckets[2].name: "documents" is listed twice (allowed: each bucket once)',
    ]);
  });

  it('names the top level when the file holds no object', () => {
    expect(errorLines('[]')).toEqual(['<file>: (top level): [] is not allowed (allowed: an object {"site", "buckets"})']);
  });
});
