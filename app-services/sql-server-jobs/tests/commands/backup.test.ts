import { PutObjectCommand } from '@aws-sdk/client-s3';
import { runBackup } from '../../src/backup/run-backup';
import { JobFailure } from '../../src/errors';
import { backupDatabaseStatement, backupLogStatement, backupTailLogStatement } from '../../src/tsql/backup-statements';
import { lastLogBackupLsnQuery } from '../../src/tsql/queries';
import { primaryConfig, secondaryConfig } from '../support/configs';
import { FakeSqlSession } from '../support/fake-sql-session';
import { recordedOutput } from '../support/output';
import { startS3TestServer, type S3TestServer } from '../support/s3-test-server';

const BASE = 's3://minio.lms-data.svc.cluster.local:9000/sql-backups/lusaka/lms/20260105T080000Z';

describe('backup against s3rver with a fake SQL Server', () => {
  let server: S3TestServer;
  beforeAll(async () => {
    server = await startS3TestServer(['sql-backups']);
  });
  afterAll(() => server.close());

  it('takes a log backup when the log chain has a full backup', async () => {
    const session = new FakeSqlSession().on(lastLogBackupLsnQuery('lms'), [{ last_log_backup_lsn: '37000000012300001' }]);
    const output = recordedOutput();
    await runBackup(session, server.client, primaryConfig(), 'log', output);
    expect(session.texts()).toEqual([lastLogBackupLsnQuery('lms'), backupLogStatement('lms', [`${BASE}-log.trn`], 20971520)]);
    expect(output.reports).toEqual([{ backup: 'log', url: `${BASE}-log.trn`, seconds: 0 }]);
  });

  it('takes a striped full backup first when there is none in the log chain yet, and says so', async () => {
    const session = new FakeSqlSession().on(lastLogBackupLsnQuery('lms'), [{ last_log_backup_lsn: null }]);
    const output = recordedOutput(Date.parse('2026-01-05T08:00:00.000Z'));
    await runBackup(session, server.client, primaryConfig(), 'differential', output);
    expect(session.texts().slice(0, 2)).toEqual([
      lastLogBackupLsnQuery('lms'),
      backupDatabaseStatement('lms', [`${BASE}-full-1of2.bak`, `${BASE}-full-2of2.bak`], 20971520),
    ]);
    expect(session.texts()[2]).toBe(`BACKUP DATABASE [lms] TO URL = N'${BASE}-differential.dif' WITH DIFFERENTIAL, COMPRESSION, CHECKSUM, FORMAT, MAXTRANSFERSIZE = 20971520;`);
    expect(output.logs.map((entry) => entry.message)).toEqual(['no full backup in the log chain of "lms" yet: taking a full backup before the differential backup']);
    expect(output.reports.map((report) => report['backup'])).toEqual(['full', 'differential']);
    expect(output.reports[0]).toEqual({ backup: 'full', url: `${BASE}-full-1of2.bak`, urls: [`${BASE}-full-1of2.bak`, `${BASE}-full-2of2.bak`], seconds: 0 });
  });

  it('takes a tail-log backup without looking at the chain', async () => {
    const session = new FakeSqlSession();
    await runBackup(session, server.client, primaryConfig(), 'tail-log', recordedOutput());
    expect(session.texts()).toEqual([backupTailLogStatement('lms', [`${BASE}-tail-log.trn`], 20971520)]);
  });

  it('refuses a name that exists already (two runs in the same second), checked with HeadObject', async () => {
    await server.client.send(new PutObjectCommand({ Bucket: 'sql-backups', Key: 'lusaka/lms/20260105T080000Z-tail-log.trn', Body: 'x' }));
    const session = new FakeSqlSession();
    server.requests.length = 0;
    await expect(runBackup(session, server.client, primaryConfig(), 'tail-log', recordedOutput())).rejects.toThrow(
      new JobFailure('backup object "lusaka/lms/20260105T080000Z-tail-log.trn" already exists in bucket "sql-backups": another backup started in the same second; nothing was written'),
    );
    expect(server.requests).toEqual(['HEAD /sql-backups/lusaka/lms/20260105T080000Z-tail-log.trn']);
    expect(session.texts()).toEqual([]);
  });

  it('refuses a URL over 259 characters', async () => {
    const config = primaryConfig({ ownPrefix: `${'p'.repeat(180)}/` });
    const url = `s3://minio.lms-data.svc.cluster.local:9000/sql-backups/${'p'.repeat(180)}/20260105T080000Z-tail-log.trn`;
    await expect(runBackup(new FakeSqlSession(), server.client, config, 'tail-log', recordedOutput())).rejects.toThrow(
      new JobFailure(`backup URL "${url}" has ${url.length} characters (allowed: at most 259, SQL Server's limit): shorten backupUrlBase or ownPrefix`),
    );
  });

  it('refuses to run on a secondary, and on a primary without the database', async () => {
    await expect(runBackup(new FakeSqlSession(), server.client, secondaryConfig(), 'log', recordedOutput())).rejects.toThrow(
      new JobFailure('backup runs only at the primary site: kitwe is a secondary (role "secondary" in the config); its database is a restoring copy'),
    );
    await expect(runBackup(new FakeSqlSession(), server.client, primaryConfig(), 'log', recordedOutput())).rejects.toThrow(
      new JobFailure('database "lms" does not exist at lusaka: run setup first'),
    );
  });
});
