import { PutObjectCommand } from '@aws-sdk/client-s3';
import { JobFailure } from '../../src/errors';
import { GapFailure, runRestore } from '../../src/restore/run-restore';
import {
  cachedHeadersQuery,
  databaseStateQuery,
  insertHeaderStatement,
  insertRestoredFileStatement,
  lastLogBackupLsnQuery,
  lastRestoredBackupQuery,
} from '../../src/tsql/queries';
import { readBackupHeaderBatch, recoverStatement, restoreStatement } from '../../src/tsql/restore-statements';
import { secondaryConfig } from '../support/configs';
import { FakeSqlSession } from '../support/fake-sql-session';
import { recordedOutput } from '../support/output';
import { startS3TestServer, type S3TestServer } from '../support/s3-test-server';

const URL_BASE = 's3://minio.lms-data.svc.cluster.local:9000/sql-backups/';
const url = (key: string) => `${URL_BASE}${key}`;
const LSN = 37_000_000_000_000_000_000n;
const lsn = (offset: number) => (LSN + BigInt(offset)).toString();

const FULL = ['lusaka/lms/20260105T000000Z-full-1of2.bak', 'lusaka/lms/20260105T000000Z-full-2of2.bak'];
const LOG1 = 'lusaka/lms/20260105T001500Z-log.trn';
const LOG2 = 'lusaka/lms/20260105T003000Z-log.trn';
const LOG3 = 'lusaka/lms/20260105T004500Z-log.trn';
const HALF_FULL = 'lusaka/lms/20260105T010000Z-full-1of2.bak';

function header(type: number, first: number, last: number, finished: string, extra: Record<string, unknown> = {}) {
  return {
    backup_type: type,
    database_name: 'lms',
    first_lsn: lsn(first),
    last_lsn: lsn(last),
    checkpoint_lsn: lsn(type === 1 ? first + 10 : first),
    database_backup_lsn: lsn(100),
    differential_base_lsn: null,
    backup_finish_ms: String(Date.parse(finished)),
    ...extra,
  };
}

/** The headers SQL Server would read from each set. */
function scriptHeaders(session: FakeSqlSession): FakeSqlSession {
  return session
    .on(readBackupHeaderBatch(FULL.map(url)), [header(1, 90, 120, '2026-01-05T00:05:00Z')])
    .on(readBackupHeaderBatch([url(LOG1)]), [header(2, 50, 200, '2026-01-05T00:15:00Z')])
    .on(readBackupHeaderBatch([url(LOG2)]), [header(2, 200, 300, '2026-01-05T00:30:00Z')])
    .on(readBackupHeaderBatch([url(LOG3)]), [header(2, 300, 400, '2026-01-05T00:45:00Z')]);
}

describe('restore against s3rver with a fake SQL Server', () => {
  let server: S3TestServer;
  beforeEach(async () => {
    server = await startS3TestServer(['sql-backups']);
    // Arrival order is not LSN order: the newest log is put first.
    for (const key of [LOG2, LOG1, ...FULL, HALF_FULL, 'lusaka/lms/README.txt', 'kitwe/lms/20260105T000000Z-log.trn']) {
      await server.client.send(new PutObjectCommand({ Bucket: 'sql-backups', Key: key, Body: 'backup' }));
    }
  });
  afterEach(() => server.close());

  it('seeds an empty standby: lists, reads and caches headers over every stripe, restores by LSN and records each file', async () => {
    const session = scriptHeaders(new FakeSqlSession());
    const output = recordedOutput();
    const outcome = await runRestore(session, server.client, secondaryConfig(), { recover: false, reseed: false }, output);
    expect(outcome).toEqual({ restored: 3, recoveryPoint: new Date('2026-01-05T00:30:00Z'), recovered: false });
    const restores = session.texts().filter((text) => text.startsWith('RESTORE '));
    expect(restores).toEqual([
      restoreStatement('lms', 'full', FULL.map(url), { mode: 'norecovery' }, false),
      restoreStatement('lms', 'log', [url(LOG1)], { mode: 'norecovery' }, false),
      restoreStatement('lms', 'log', [url(LOG2)], { mode: 'norecovery' }, false),
    ]);
    const cachedHeaders = session.statements.filter((statement) => statement.text === insertHeaderStatement('lms_ops'));
    expect(cachedHeaders.map((statement) => statement.parameters['first_key'])).toEqual([FULL[0], LOG1, LOG2]);
    expect(cachedHeaders[0]?.parameters).toEqual({
      first_key: FULL[0],
      keys: JSON.stringify(FULL),
      database_name: 'lms',
      backup_type: 1,
      first_lsn: lsn(90),
      last_lsn: lsn(120),
      checkpoint_lsn: lsn(100),
      database_backup_lsn: lsn(100),
      differential_base_lsn: null,
      backup_finish_date: new Date('2026-01-05T00:05:00Z'),
    });
    const restored = session.statements.filter((statement) => statement.text === insertRestoredFileStatement('lms_ops'));
    expect(restored.map((statement) => [statement.parameters['first_key'], statement.parameters['last_lsn']])).toEqual([
      [FULL[0], lsn(120)],
      [LOG1, lsn(200)],
      [LOG2, lsn(300)],
    ]);
    expect(output.reports.map((report) => [report['restored'], report['key']])).toEqual([
      ['full', FULL[0]],
      ['log', LOG1],
      ['log', LOG2],
    ]);
    expect(output.logs.map((entry) => [entry.message, entry.fields])).toEqual([
      ['striped backup set is incomplete (stripes still replicating or lost); skipped for now', { set: 'lusaka/lms/20260105T010000Z-full', present: [HALF_FULL], stripes: 2 }],
      ['object is not a backup of this program; ignored', { key: 'lusaka/lms/README.txt' }],
    ]);
    expect(server.requests.filter((request) => request.startsWith('GET /sql-backups'))).toHaveLength(1);
  });

  it('reads no header it has cached, and continues a restoring copy from its last LSN', async () => {
    await server.client.send(new PutObjectCommand({ Bucket: 'sql-backups', Key: LOG3, Body: 'backup' }));
    const cached = (key: string, row: ReturnType<typeof header>) => ({ first_key: key, keys: JSON.stringify([key]), ...row });
    const session = scriptHeaders(new FakeSqlSession())
      .on(databaseStateQuery('lms'), [{ state_desc: 'RESTORING', is_in_standby: false, recovery_model_desc: 'FULL' }])
      .on(lastRestoredBackupQuery('lms'), [{ last_lsn: lsn(300), backup_finish_ms: String(Date.parse('2026-01-05T00:30:00Z')), type: 'L', base_checkpoint_lsn: lsn(100) }])
      .on(cachedHeadersQuery('lms_ops'), [
        cached(FULL[0] as string, header(1, 90, 120, '2026-01-05T00:05:00Z')),
        cached(LOG1, header(2, 50, 200, '2026-01-05T00:15:00Z')),
        cached(LOG2, header(2, 200, 300, '2026-01-05T00:30:00Z')),
      ]);
    const outcome = await runRestore(session, server.client, secondaryConfig({ standby: { mode: 'standby', undoFile: '/var/opt/mssql/data/lms.tuf' } }), { recover: false, reseed: false }, recordedOutput());
    expect(outcome.restored).toBe(1);
    expect(session.texts().filter((text) => text.startsWith('SET NOCOUNT ON;\nCREATE TABLE #header'))).toEqual([readBackupHeaderBatch([url(LOG3)])]);
    expect(session.texts().filter((text) => text.startsWith('RESTORE '))).toEqual([
      `RESTORE LOG [lms] FROM URL = N'${url(LOG3)}' WITH STANDBY = N'/var/opt/mssql/data/lms.tuf', CHECKSUM;`,
    ]);
  });

  it('refuses an online (recovered) database without --reseed, and reseeds it with REPLACE', async () => {
    const online = () => scriptHeaders(new FakeSqlSession()).on(databaseStateQuery('lms'), [{ state_desc: 'ONLINE', is_in_standby: false, recovery_model_desc: 'FULL' }]);
    const refused = online();
    await expect(runRestore(refused, server.client, secondaryConfig(), { recover: false, reseed: false }, recordedOutput())).rejects.toThrow(
      new JobFailure('database "lms" at kitwe is online (recovered): a standby must be reseeded; run restore --reseed'),
    );
    expect(refused.texts()).toEqual([databaseStateQuery('lms')]);
    const reseeded = online();
    await runRestore(reseeded, server.client, secondaryConfig(), { recover: false, reseed: true }, recordedOutput());
    expect(reseeded.texts().filter((text) => text.startsWith('RESTORE ')).slice(0, 2)).toEqual([
      `RESTORE DATABASE [lms] FROM URL = N'${url(FULL[0] as string)}', URL = N'${url(FULL[1] as string)}' WITH NORECOVERY, CHECKSUM, REPLACE;`,
      `RESTORE LOG [lms] FROM URL = N'${url(LOG1)}' WITH NORECOVERY, CHECKSUM;`,
    ]);
  });

  it('with --recover, catches up then recovers and gives the recovery point', async () => {
    const session = scriptHeaders(new FakeSqlSession());
    const output = recordedOutput();
    const outcome = await runRestore(session, server.client, secondaryConfig(), { recover: true, reseed: false }, output);
    expect(outcome.recovered).toBe(true);
    expect(session.texts().filter((text) => text.startsWith('RESTORE ')).at(-1)).toBe(recoverStatement('lms'));
    expect(output.reports.at(-1)).toEqual({ recovered: 'lms', recoveryPoint: '2026-01-05T00:30:00.000Z' });
  });

  it('stops at a gap and fails; with --recover recovers what is restored and says the recovery point plainly', async () => {
    await server.client.send(new PutObjectCommand({ Bucket: 'sql-backups', Key: LOG3, Body: 'backup' }));
    const gapped = () => scriptHeaders(new FakeSqlSession()).on(readBackupHeaderBatch([url(LOG2)]), new Error('Cannot open backup device: the object is not complete'));
    const waiting = gapped();
    const output = recordedOutput();
    const failure = runRestore(waiting, server.client, secondaryConfig(), { recover: false, reseed: false }, output);
    await expect(failure).rejects.toThrow(
      new GapFailure(
        `log backups of "lms" are missing after LSN ${lsn(200)} (the next present begins at LSN ${lsn(300)}): restored up to 2026-01-05T00:15:00.000Z; later backups wait for the missing ones`,
        { fromLsn: LSN + 200n, nextAvailableLsn: LSN + 300n, newerFullAvailable: false },
      ),
    );
    expect(waiting.texts()).not.toContain(recoverStatement('lms'));
    expect(output.logs.map((entry) => entry.message)).toContain('cannot read the backup header; the set is left out of this run');

    const recovering = gapped();
    const recoveredOutput = recordedOutput();
    await expect(runRestore(recovering, server.client, secondaryConfig(), { recover: true, reseed: false }, recoveredOutput)).rejects.toThrow(
      `log backups of "lms" are missing after LSN ${lsn(200)} (the next present begins at LSN ${lsn(300)}): recovered at 2026-01-05T00:15:00.000Z; later changes are not in this database`,
    );
    expect(recovering.texts().filter((text) => text.startsWith('RESTORE ')).at(-1)).toBe(recoverStatement('lms'));
    expect(recoveredOutput.reports.at(-1)).toEqual({ recovered: 'lms', recoveryPoint: '2026-01-05T00:15:00.000Z', missingAfterLsn: lsn(200) });
  });

  it('skips a backup of another database and continues a tail-logged former primary from its last log backup', async () => {
    const session = scriptHeaders(new FakeSqlSession())
      .on(readBackupHeaderBatch([url(LOG1)]), [header(2, 50, 200, '2026-01-05T00:15:00Z', { database_name: 'lms_archive' })])
      .on(databaseStateQuery('lms'), [{ state_desc: 'RESTORING', is_in_standby: false, recovery_model_desc: 'FULL' }])
      .on(lastLogBackupLsnQuery('lms'), [{ last_log_backup_lsn: lsn(250) }]);
    const output = recordedOutput();
    await runRestore(session, server.client, secondaryConfig(), { recover: false, reseed: false }, output);
    expect(session.texts().filter((text) => text.startsWith('RESTORE '))).toEqual([restoreStatement('lms', 'log', [url(LOG2)], { mode: 'norecovery' }, false)]);
    expect(output.logs.map((entry) => [entry.message, entry.fields])).toContainEqual(['backup skipped: a backup of database "lms_archive", not "lms"', { key: LOG1 }]);
  });
});
