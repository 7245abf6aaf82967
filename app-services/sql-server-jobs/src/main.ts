import type { S3Client } from '@aws-sdk/client-s3';
import { parseArguments, type Command } from './cli/arguments';
import { runBackup } from './backup/run-backup';
import { loadLogShippingConfig, type LogShippingConfig } from './config/log-shipping-config';
import { readCredentialsFile, type S3Credentials } from './connection/credentials-file';
import { createS3Client } from './connection/s3-client';
import { readConnectionSettings, type ConnectionSettings } from './connection/s3-settings';
import { readSecretFile, readSqlSettings, type SqlSettings } from './connection/sql-settings';
import { CONFIGURATION_EXIT_CODE, ConfigurationError, describeFileError, FAILURE_EXIT_CODE, JobFailure } from './errors';
import { startExporter } from './exporter/run-exporter';
import { stdoutLogger, stdoutReporter, type Output } from './log';
import { recordJobRun, type JobName } from './ops/job-run';
import { GapFailure, runRestore } from './restore/run-restore';
import { runSetup } from './setup/run-setup';
import type { SqlSession } from './sql/sql-session';
import { TediousSession } from './sql/tedious-session';

/** How the program reaches SQL Server; the tests put a fake session here. */
export type SqlConnector = (settings: SqlSettings) => Promise<SqlSession>;

const OUTPUT: Output = { log: stdoutLogger, report: stdoutReporter, now: Date.now };

/**
 * Exit 0: done. 1: the work failed (one JSON line on stderr; recorded in ops job_run when SQL
 * Server is reachable). 2: bad arguments, config or environment (every problem, one per line).
 */
export async function main(argv: readonly string[], environment: NodeJS.ProcessEnv, connect: SqlConnector = TediousSession.connect): Promise<number> {
  let command: Command;
  let inputs: Inputs;
  try {
    command = parseArguments(argv);
    inputs = readInputs(command, environment);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    for (const line of error.lines) process.stderr.write(`${line}\n`);
    return CONFIGURATION_EXIT_CODE;
  }
  if (command.name === 'exporter') {
    const exporter = await startExporter({ config: inputs.config, connect: () => connect(inputs.sql), host: command.host, port: command.port, log: stdoutLogger });
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    stdoutLogger('info', `${signal} received, stopping`);
    await exporter.stop();
    return 0;
  }
  return runJob(command, inputs, connect);
}

interface Inputs {
  readonly config: LogShippingConfig;
  readonly sql: SqlSettings;
  readonly s3?: ConnectionSettings;
  readonly credentials?: S3Credentials;
  readonly passwords: ReadonlyMap<string, string>;
}

/** Reads the config, environment and files a command needs, collecting every problem. */
function readInputs(command: Command, environment: NodeJS.ProcessEnv): Inputs {
  const problems: string[] = [];
  const collect = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      problems.push(...error.lines);
      return undefined;
    }
  };
  const config = collect(() => loadLogShippingConfig(command.config));
  const sql = collect(() => readSqlSettings(environment));
  const needsS3 = command.name !== 'exporter';
  const s3 = needsS3 ? collect(() => readConnectionSettings(environment)) : undefined;
  // setup puts the keys into the SQL Server credential; backup and restore sign S3 requests with them.
  const credentials = needsS3 && s3 !== undefined ? collect(() => readCredentialsFile(s3.credentialsFile)) : undefined;
  const passwords = new Map<string, string>();
  if (command.name === 'setup' && config !== undefined) {
    config.logins.forEach((login, index) => {
      try {
        const password = readSecretFile(login.passwordFile);
        if (password === '') problems.push(`${command.config}: logins[${index}].passwordFile: "${login.passwordFile}" is empty (allowed: a file holding the password of login "${login.name}")`);
        passwords.set(login.name, password);
      } catch (error) {
        problems.push(`${command.config}: logins[${index}].passwordFile: cannot read "${login.passwordFile}" (${describeFileError(error)})`);
      }
    });
  }
  if (problems.length > 0 || config === undefined || sql === undefined) throw new ConfigurationError(problems);
  return { config, sql, passwords, ...(s3 === undefined ? {} : { s3 }), ...(credentials === undefined ? {} : { credentials }) };
}

function jobName(command: Exclude<Command, { name: 'exporter' }>): JobName {
  return command.name === 'backup' ? `backup-${command.kind}` : command.name;
}

async function runJob(command: Exclude<Command, { name: 'exporter' }>, inputs: Inputs, connect: SqlConnector): Promise<number> {
  const startedAt = new Date(OUTPUT.now());
  const job = jobName(command);
  let session: SqlSession | undefined;
  let s3: S3Client | undefined;
  let outcome: { ok: true; detail: string } | { ok: false; message: string; gap: boolean };
  try {
    session = await connect(inputs.sql);
    s3 = createS3Client(inputs.s3 as ConnectionSettings, inputs.credentials as S3Credentials);
    if (command.name === 'setup') {
      await runSetup(session, { config: inputs.config, credentials: inputs.credentials as S3Credentials, passwords: inputs.passwords }, OUTPUT);
      outcome = { ok: true, detail: 'setup done' };
    } else if (command.name === 'backup') {
      const taken = await runBackup(session, s3, inputs.config, command.kind, OUTPUT);
      outcome = { ok: true, detail: JSON.stringify(taken.map(({ backup, url }) => ({ backup, url }))) };
    } else {
      const result = await runRestore(session, s3, inputs.config, { recover: command.recover, reseed: command.reseed }, OUTPUT);
      outcome = { ok: true, detail: JSON.stringify({ restored: result.restored, recoveryPoint: result.recoveryPoint?.toISOString() ?? null, recovered: result.recovered }) };
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    outcome = { ok: false, message, gap: error instanceof GapFailure };
    if (!(error instanceof JobFailure)) stdoutLogger('error', `${job} failed`, { error: message });
  }
  if (session !== undefined) {
    try {
      await recordJobRun(session, inputs.config.opsDatabase, {
        job,
        startedAt,
        outcome: outcome.ok ? 'success' : 'failure',
        stoppedAtGap: !outcome.ok && outcome.gap,
        detail: outcome.ok ? outcome.detail : outcome.message,
      });
    } catch (error) {
      stdoutLogger('warn', 'cannot record the run in the ops database', { job, error: (error as Error).message });
    }
    await session.close().catch(() => undefined);
  }
  s3?.destroy();
  if (outcome.ok) return 0;
  process.stderr.write(`${JSON.stringify({ level: 'error', time: new Date(OUTPUT.now()).toISOString(), job, msg: outcome.message })}\n`);
  return FAILURE_EXIT_CODE;
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${JSON.stringify({ level: 'error', msg: `sql-server-jobs: unexpected error: ${error instanceof Error ? error.message : String(error)}` })}\n`);
      process.exitCode = 1;
    },
  );
}
