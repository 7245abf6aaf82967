import { loadHeartbeatConfig, type HeartbeatMode } from '../../src/config/heartbeat-config';
import { ConfigurationError } from '../../src/errors';
import { temporaryDirectory, type TemporaryDirectory } from '../support/files';

describe('loadHeartbeatConfig', () => {
  let directory: TemporaryDirectory;
  beforeEach(() => {
    directory = temporaryDirectory();
  });
  afterEach(() => directory.remove());

  function errorLines(content: object, mode: HeartbeatMode): string[] {
    const file = directory.write('heartbeat.json', content);
    try {
      loadHeartbeatConfig(file, mode);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      return (error as ConfigurationError).lines.map((line) => line.replace(file, '<file>'));
    }
    throw new Error('loadHeartbeatConfig accepted the config');
  }

  it('reads a reader config and defaults the interval to 60 seconds', () => {
    const file = directory.write('heartbeat.json', { site: 'kitwe', sourceSite: 'lusaka', replicatedBuckets: ['documents', 'exports'] });
    expect(loadHeartbeatConfig(file, 'reader')).toEqual({ site: 'kitwe', sourceSite: 'lusaka', replicatedBuckets: ['documents', 'exports'], intervalSeconds: 60 });
  });

  it('reads a writer config without sourceSite', () => {
    const file = directory.write('heartbeat.json', { site: 'lusaka', replicatedBuckets: ['documents'], intervalSeconds: 30 });
    expect(loadHeartbeatConfig(file, 'writer')).toEqual({ site: 'lusaka', replicatedBuckets: ['documents'], intervalSeconds: 30 });
  });

  it('names every problem with its field path, value and what is allowed', () => {
    expect(errorLines({ site: 'Lusaka', sourceSite: 'ndola', replicatedBuckets: ['documents', 'Bad_Name', 'documents'], intervalSeconds: 0, extra: 1 }, 'writer')).toEqual([
      '<file>: site: "Lusaka" is not allowed (allowed: lusaka, kitwe)',
      '<file>: sourceSite: "ndola" is not allowed (allowed: lusaka, kitwe)',
      '<file>: replicatedBuckets[1]: "Bad_Name" is not allowed (allowed: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, no "..", not an IP address, no xn-- or sthree- prefix, no -s3alias or --ol-s3 suffix)',
      '<file>: intervalSeconds: 0 is not allowed (allowed: a whole number of seconds from 1 to 3600)',
      '<file>: extra: unknown field (known fields: site, sourceSite, replicatedBuckets, intervalSeconds)',
    ]);
    expect(errorLines({ site: 'lusaka', replicatedBuckets: [], intervalSeconds: 3601 }, 'writer')).toEqual([
      '<file>: replicatedBuckets: [] is not allowed (allowed: a list of at least one bucket name)',
      '<file>: intervalSeconds: 3601 is not allowed (allowed: a whole number of seconds from 1 to 3600)',
    ]);
    expect(errorLines({ site: 'lusaka', replicatedBuckets: ['documents', 'documents'] }, 'writer')).toEqual([
      '<file>: replicatedBuckets[1]: "documents" is listed twice (allowed: each bucket once)',
    ]);
  });

  it('needs the other site as sourceSite for a reader', () => {
    expect(errorLines({ site: 'kitwe', replicatedBuckets: ['documents'] }, 'reader')).toEqual([
      '<file>: sourceSite: missing (required with --mode reader; allowed: lusaka, kitwe)',
    ]);
    expect(errorLines({ site: 'kitwe', sourceSite: 'kitwe', replicatedBuckets: ['documents'] }, 'reader')).toEqual([
      '<file>: sourceSite: "kitwe" is the reading site itself (allowed: lusaka, the site whose writer puts the heartbeats)',
    ]);
  });
});
