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

/** Spawns the built server with exactly `environment` (plus PATH) and does not wait for it. */
export function spawnServer(environment: Record<string, string>, port: number): ServerProcess {
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: SERVICE_ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, baseUrl: `http://127.0.0.1:${port}`, stdout, stderr, exited };
}

/** Spawns the server and waits until it logs that it is listening (or exits, which fails). */
export async function startServer(environment: Record<string, string>): Promise<ServerProcess> {
  const server = spawnServer(environment, await freePort());
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
