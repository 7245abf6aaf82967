import type { SqlSession } from '../sql/sql-session';
import { insertJobRunStatement } from '../tsql/queries';

/** The `job` values in ops job_run, and so in lms_sql_job_last_run_timestamp_seconds{job}. */
export type JobName = 'setup' | 'backup-full' | 'backup-differential' | 'backup-log' | 'backup-tail-log' | 'restore';

export interface JobRun {
  readonly job: JobName;
  readonly startedAt: Date;
  readonly outcome: 'success' | 'failure';
  readonly stoppedAtGap?: boolean;
  readonly detail: string;
}

/** Records one run in ops `job_run` (finished_at is the server's time). */
export async function recordJobRun(session: SqlSession, opsDatabase: string, run: JobRun): Promise<void> {
  await session.execute(insertJobRunStatement(opsDatabase), {
    job: run.job,
    started_at: run.startedAt,
    outcome: run.outcome,
    stopped_at_gap: run.stoppedAtGap ?? false,
    detail: run.detail,
  });
}
