import { backupKeys, backupTime, backupUrl, longestBackupUrl, MAX_BACKUP_URL_LENGTH, parseBackupKey } from '../../src/backup/backup-naming';
import { primaryConfig } from '../support/configs';

const START = new Date('2026-01-05T08:00:09.876Z');

describe('backup naming', () => {
  it('names by the job start in UTC, to the second', () => {
    expect(backupTime(START)).toBe('20260105T080009Z');
  });

  it('stripes only full backups, with their extensions', () => {
    const config = primaryConfig();
    expect(backupKeys(config, 'full', START)).toEqual(['lusaka/lms/20260105T080009Z-full-1of2.bak', 'lusaka/lms/20260105T080009Z-full-2of2.bak']);
    expect(backupKeys({ ...config, fullBackupStripes: 1 }, 'full', START)).toEqual(['lusaka/lms/20260105T080009Z-full.bak']);
    expect(backupKeys(config, 'differential', START)).toEqual(['lusaka/lms/20260105T080009Z-differential.dif']);
    expect(backupKeys(config, 'log', START)).toEqual(['lusaka/lms/20260105T080009Z-log.trn']);
    expect(backupKeys(config, 'tail-log', START)).toEqual(['lusaka/lms/20260105T080009Z-tail-log.trn']);
    expect(backupUrl(config, 'lusaka/lms/20260105T080009Z-log.trn')).toBe('s3://minio.lms-data.svc.cluster.local:9000/sql-backups/lusaka/lms/20260105T080009Z-log.trn');
  });

  it('gives the longest URL a config can produce, for the synth-time check against 259 characters', () => {
    expect(MAX_BACKUP_URL_LENGTH).toBe(259);
    expect(longestBackupUrl(primaryConfig())).toBe('s3://minio.lms-data.svc.cluster.local:9000/sql-backups/lusaka/lms/20991231T235959Z-differential.dif');
    // "-full-64of64.bak" is one character shorter than "-differential.dif".
    expect(longestBackupUrl(primaryConfig({ fullBackupStripes: 64 }))).toBe(
      's3://minio.lms-data.svc.cluster.local:9000/sql-backups/lusaka/lms/20991231T235959Z-differential.dif',
    );
    expect(longestBackupUrl(primaryConfig({ ownPrefix: `${'p'.repeat(200)}/` })).length).toBe(
      's3://minio.lms-data.svc.cluster.local:9000/sql-backups/'.length + 201 + '20991231T235959Z-differential.dif'.length,
    );
  });

  it('parses the names it writes and nothing else', () => {
    expect(parseBackupKey('lusaka/lms/', 'lusaka/lms/20260105T080009Z-full-2of3.bak')).toEqual({
      setName: 'lusaka/lms/20260105T080009Z-full',
      kind: 'full',
      stripe: 2,
      stripes: 3,
    });
    expect(parseBackupKey('lusaka/lms/', 'lusaka/lms/20260105T080009Z-tail-log.trn')).toEqual({
      setName: 'lusaka/lms/20260105T080009Z-tail-log',
      kind: 'tail-log',
      stripe: 1,
      stripes: 1,
    });
    for (const key of [
      'kitwe/lms/20260105T080009Z-log.trn',
      'lusaka/lms/20260105T080009Z-log.bak',
      'lusaka/lms/20260105T080009Z-log-1of2.trn',
      'lusaka/lms/20260105T080009Z-full-3of2.bak',
      'lusaka/lms/notes.txt',
      'lusaka/lms/sub/20260105T080009Z-log.trn',
    ]) {
      expect([key, parseBackupKey('lusaka/lms/', key)]).toEqual([key, undefined]);
    }
  });
});
