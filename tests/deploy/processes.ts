import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';

/**
 * A server process of the test control plane, its output in a log file. Stopping it sends
 * SIGTERM, then SIGKILL after `graceMs`; every process this module starts is stopped when
 * the test process exits, so none outlives the run.
 */
export class ManagedProcess {
  private static readonly running = new Set<ManagedProcess>();
  public readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private exitCode: number | null | undefined;

  constructor(
    /** Short name for messages: `lusaka kube-apiserver`. */
    public readonly name: string,
    command: string,
    args: readonly string[],
    public readonly logFile: string,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const log = fs.openSync(logFile, 'a');
    this.child = spawn(command, args, { stdio: ['ignore', log, log], env });
    fs.closeSync(log);
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? null : 0);
        ManagedProcess.running.delete(this);
        resolve(this.exitCode);
      });
      this.child.on('error', (error) => {
        fs.appendFileSync(logFile, `\nspawn failed: ${error.message}\n`);
        this.exitCode = -1;
        ManagedProcess.running.delete(this);
        resolve(-1);
      });
    });
    ManagedProcess.running.add(this);
  }

  public get pid(): number | undefined {
    return this.child.pid;
  }

  public get hasExited(): boolean {
    return this.exitCode !== undefined;
  }

  /** The last `lines` lines of its log, for failure messages. */
  public logTail(lines = 30): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** The command line the running process was started with (from /proc), empty once it has exited. */
  public commandLine(): string[] {
    if (this.hasExited || this.pid === undefined) return [];
    try {
      return fs.readFileSync(`/proc/${this.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      return [];
    }
  }

  /** Resident memory in MiB (from /proc), 0 once it has exited. */
  public residentMiB(): number {
    if (this.hasExited || this.pid === undefined) return 0;
    try {
      const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
      return match ? Number(match[1]) / 1024 : 0;
    } catch {
      return 0;
    }
  }

  public async stop(graceMs = 10000): Promise<void> {
    if (this.hasExited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kills every process still running (on exit of the test process). */
  public static killAll(): void {
    for (const server of ManagedProcess.running) server.child.kill('SIGKILL');
  }
}

process.on('exit', () => ManagedProcess.killAll());
