import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

export const PACKAGE_ROOT = resolve(__dirname, '..', '..');
/** The built entry point, as the container runs it (global setup builds it). */
export const MAIN = join(PACKAGE_ROOT, 'dist', 'main.js');

/** The environment the image sets, plus what a test adds. Nothing else leaks in from the test run. */
export function programEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { NODE_ENV: 'production', ...extra };
}

export interface ProgramRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/main.js <args>` to its end. */
export function runProgram(args: readonly string[], environment: Record<string, string>): Promise<ProgramRun> {
  const started = startProgram(args, environment);
  return started.exited.then(({ code }) => ({ code, stdout: started.stdout(), stderr: started.stderr() }));
}

export interface StartedProgram {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout line (parsed as JSON) that `match` accepts. */
  waitForLogLine(match: (entry: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startProgram(args: readonly string[], environment: Record<string, string>): StartedProgram {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: PACKAGE_ROOT, env: programEnvironment(environment), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    for (const listener of listeners) listener();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.on('exit', (code, signal) => resolveExit({ code, signal })),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForLogLine(match, timeoutMs = 10_000) {
      return new Promise((resolveLine, reject) => {
        const check = () => {
          for (const line of stdout.split('\n')) {
            if (!line.startsWith('{')) continue;
            const entry = JSON.parse(line) as Record<string, unknown>;
            if (match(entry)) {
              cleanup();
              resolveLine(entry);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching log line within ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}
