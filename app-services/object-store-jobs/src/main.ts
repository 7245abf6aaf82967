import { parseArguments, type Command } from './cli/arguments';
import { loadHeartbeatConfig, type HeartbeatConfig } from './config/heartbeat-config';
import { loadReconcileConfig, type ReconcileConfig } from './config/reconcile-config';
import { readConnectionSettings, type ConnectionSettings } from './connection/connection-settings';
import { readCredentialsFile } from './connection/credentials-file';
import { createS3Client } from './connection/s3-client';
import { CONFIGURATION_EXIT_CODE, ConfigurationError } from './errors';
import { startHeartbeat } from './heartbeat/run-heartbeat';
import { stdoutLogger } from './heartbeat/logger';
import { reconcileBuckets } from './reconcile/reconcile-buckets';
import { S3BucketStore } from './reconcile/s3-bucket-store';

/**
 * `reconcile-buckets`: exit 0 when every bucket is as configured, 1 when a bucket failed, 2 for
 * bad arguments, config or environment. `replication-heartbeat`: runs until SIGTERM or SIGINT,
 * then exits 0; 2 for bad arguments, config or environment.
 */
export async function main(argv: readonly string[], environment: NodeJS.ProcessEnv): Promise<number> {
  try {
    const command = parseArguments(argv);
    // Every problem with the config file and the environment is reported at once.
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
    const config = collect(() => (command.name === 'reconcile-buckets' ? loadReconcileConfig(command.config) : loadHeartbeatConfig(command.config, command.mode)));
    const settings = collect(() => readConnectionSettings(environment));
    if (problems.length > 0 || config === undefined || settings === undefined) throw new ConfigurationError(problems);
    if (command.name === 'reconcile-buckets') return await runReconcile(config as ReconcileConfig, settings);
    return await runHeartbeatUntilSignal(command, config as HeartbeatConfig, settings);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      for (const line of error.lines) process.stderr.write(`${line}\n`);
      return CONFIGURATION_EXIT_CODE;
    }
    throw error;
  }
}

async function runReconcile(config: ReconcileConfig, settings: ConnectionSettings): Promise<number> {
  const client = createS3Client(settings, readCredentialsFile(settings.credentialsFile));
  try {
    const results = await reconcileBuckets(config, new S3BucketStore(client), (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    });
    return results.some((result) => result.error !== undefined) ? 1 : 0;
  } finally {
    client.destroy();
  }
}

async function runHeartbeatUntilSignal(
  command: Extract<Command, { name: 'replication-heartbeat' }>,
  config: HeartbeatConfig,
  settings: ConnectionSettings,
): Promise<number> {
  const heartbeat = await startHeartbeat({ mode: command.mode, config, settings, host: command.host, port: command.port, log: stdoutLogger });
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  stdoutLogger('info', `${signal} received, stopping`);
  await heartbeat.stop();
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`object-store-jobs: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
