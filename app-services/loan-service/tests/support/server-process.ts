import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Root of the service (where package.json and dist/ are). */
export const SERVICE_ROOT = join(__dirname, '..', '..');
/** The artifact the container runs. */
export const SERVER_ENTRY = join(SERVICE_ROOT, 'dist', 'server.js');

/** A `node dist/server.js` child process. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly baseUrl: string;
  /** The second listener (/metrics, /openapi.json). */
  readonly metricsBaseUrl: string;
  readonly stdout: string[];
  readonly stderr: string[];
  /** Resolves with the exit code (null when killed by a signal) once the process ends. */
  readonly exited: Promise<number | null>;
}

/** A port free on 127.0.0.1 at the time of the call. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Spawns the built server with exactly `environment` (plus PATH, and HOST, PORT and METRICS_PORT
 * on free loopback ports unless given) and does not wait for it.
 */
export async function spawnServer(environment: Record<string, string>): Promise<ServerProcess> {
  const port = Number(environment.PORT ?? (await freePort()));
  const metricsPort = Number(environment.METRICS_PORT ?? (await freePort()));
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: SERVICE_ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), METRICS_PORT: String(metricsPort), ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, baseUrl: `http://127.0.0.1:${port}`, metricsBaseUrl: `http://127.0.0.1:${metricsPort}`, stdout, stderr, exited };
}

/** Spawns the server and waits until it logs that it is listening (or exits, which fails). */
export async function startServer(environment: Record<string, string>): Promise<ServerProcess> {
  const server = await spawnServer(environment);
  await new Promise<void>((resolve, reject) => {
    const onData = (): void => {
      if (server.stdout.join('').includes('"msg":"loan-service listening"')) {
        server.child.stdout?.off('data', onData);
        resolve();
      }
    };
    server.child.stdout?.on('data', onData);
    void server.exited.then((code) => reject(new Error(`server exited with ${code} before listening: ${server.stderr.join('')}`)));
  });
  return server;
}

/** Every line the process wrote to stdout, parsed: throws if one is not a JSON object. */
export function jsonLines(server: ServerProcess): Array<Record<string, unknown>> {
  return server.stdout
    .join('')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
}
