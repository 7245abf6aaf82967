import { startExporter, type RunningExporter } from '../../src/exporter/run-exporter';
import { lastBackupsQuery, lastJobRunsQuery, lastRestoredBackupQuery, lastRestoreRunQuery } from '../../src/tsql/queries';
import { primaryConfig, secondaryConfig } from '../support/configs';
import { FakeSqlSession } from '../support/fake-sql-session';
import { httpGet, samples } from '../support/http-get';

describe('exporter', () => {
  let exporter: RunningExporter | undefined;
  const logs: string[] = [];
  afterEach(async () => {
    await exporter?.stop();
    exporter = undefined;
    logs.length = 0;
  });

  async function start(config = primaryConfig(), connect: () => Promise<FakeSqlSession>, collectionTimeoutMs?: number): Promise<RunningExporter> {
    exporter = await startExporter({
      config,
      connect,
      host: '127.0.0.1',
      port: 0,
      log: (_level, message) => logs.push(message),
      ...(collectionTimeoutMs === undefined ? {} : { collectionTimeoutMs }),
    });
    return exporter;
  }

  async function scrape(running: RunningExporter): Promise<string> {
    const answer = await httpGet(`http://127.0.0.1:${running.port}/metrics`);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    return answer.body;
  }

  const jobRuns = [
    { job: 'backup-log', outcome: 'success', last_finished_seconds: '1767600000' },
    { job: 'backup-full', outcome: 'failure', last_finished_seconds: '1767590000' },
  ];

  it('serves the primary\'s last backup per kind and the job runs, queried on each scrape', async () => {
    const session = new FakeSqlSession()
      .on(lastBackupsQuery('lms'), [
        { type: 'D', last_finish_seconds: '1767571200' },
        { type: 'I', last_finish_seconds: '1767585600' },
        { type: 'L', last_finish_seconds: '1767600000' },
      ])
      .on(lastJobRunsQuery('lms_ops'), jobRuns);
    const running = await start(primaryConfig(), async () => session);
    const text = await scrape(running);
    expect(samples(text, 'lms_sql_up')).toEqual(['lms_sql_up 1']);
    expect(samples(text, 'lms_sql_last_backup_timestamp_seconds')).toEqual([
      'lms_sql_last_backup_timestamp_seconds{database="lms",kind="full"} 1767571200',
      'lms_sql_last_backup_timestamp_seconds{database="lms",kind="differential"} 1767585600',
      'lms_sql_last_backup_timestamp_seconds{database="lms",kind="log"} 1767600000',
    ]);
    expect(samples(text, 'lms_sql_job_last_run_timestamp_seconds')).toEqual([
      'lms_sql_job_last_run_timestamp_seconds{job="backup-log",outcome="success"} 1767600000',
      'lms_sql_job_last_run_timestamp_seconds{job="backup-full",outcome="failure"} 1767590000',
    ]);
    expect(samples(text, 'lms_sql_restored_backup_finish_timestamp_seconds')).toEqual([]);
    expect(samples(text, 'lms_sql_restore_gap')).toEqual([]);
    await scrape(running);
    expect(session.texts()).toEqual([lastBackupsQuery('lms'), lastJobRunsQuery('lms_ops'), lastBackupsQuery('lms'), lastJobRunsQuery('lms_ops')]);
  });

  it('serves the secondary\'s recovery point and whether the last restore stopped at a gap', async () => {
    const session = new FakeSqlSession()
      .on(lastRestoredBackupQuery('lms'), [{ last_lsn: '37000000000000000300', backup_finish_ms: '1767601800500', type: 'L', base_checkpoint_lsn: null }])
      .on(lastRestoreRunQuery('lms_ops'), [{ stopped_at_gap: true }])
      .on(lastJobRunsQuery('lms_ops'), [{ job: 'restore', outcome: 'failure', last_finished_seconds: '1767601900' }]);
    const text = await scrape(await start(secondaryConfig(), async () => session));
    expect(samples(text, 'lms_sql_up')).toEqual(['lms_sql_up 1']);
    expect(samples(text, 'lms_sql_restored_backup_finish_timestamp_seconds')).toEqual([
      'lms_sql_restored_backup_finish_timestamp_seconds{database="lms",source_site="lusaka"} 1767601800.5',
    ]);
    expect(samples(text, 'lms_sql_restore_gap')).toEqual(['lms_sql_restore_gap{database="lms"} 1']);
    expect(samples(text, 'lms_sql_last_backup_timestamp_seconds')).toEqual([]);
  });

  it('answers lms_sql_up 0 and no stale series when SQL Server fails, then reconnects', async () => {
    let connections = 0;
    let failing = false;
    const session = new FakeSqlSession().on(lastJobRunsQuery('lms_ops'), () => {
      if (failing) throw new Error('Connection lost - read ECONNRESET');
      return jobRuns;
    });
    const running = await start(primaryConfig(), async () => {
      connections += 1;
      return session;
    });
    expect(samples(await scrape(running), 'lms_sql_job_last_run_timestamp_seconds')).toHaveLength(2);
    failing = true;
    const failed = await scrape(running);
    expect(samples(failed, 'lms_sql_up')).toEqual(['lms_sql_up 0']);
    expect(samples(failed, 'lms_sql_job_last_run_timestamp_seconds')).toEqual([]);
    expect(session.closed).toBe(true);
    expect(logs).toContain('metrics collection failed');
    failing = false;
    expect(samples(await scrape(running), 'lms_sql_up')).toEqual(['lms_sql_up 1']);
    expect(connections).toBe(2);
  });

  it('answers lms_sql_up 0 when a collection outlasts the timeout, and serves /healthz without SQL Server', async () => {
    const running = await start(primaryConfig(), () => new Promise<FakeSqlSession>(() => undefined), 200);
    expect(await httpGet(`http://127.0.0.1:${running.port}/healthz`)).toEqual({ status: 200, contentType: 'application/json', body: '{"status":"ok"}\n' });
    expect(samples(await scrape(running), 'lms_sql_up')).toEqual(['lms_sql_up 0']);
    expect(logs).toContain('metrics collection timed out');
    expect((await httpGet(`http://127.0.0.1:${running.port}/other`)).status).toBe(404);
  });
});
