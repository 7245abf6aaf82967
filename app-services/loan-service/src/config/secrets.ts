import { closeSync, existsSync, fstatSync, openSync, readFileSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';

/** The secrets the service reads, by their Vault file name. */
export const SECRET_NAMES = ['mssql-password', 's3-access-key-id', 's3-secret-access-key', 'auth-jwt-secret'] as const;

export type SecretName = (typeof SECRET_NAMES)[number];

/** A secret value and where it came from (for error messages; the value itself is never printed). */
export interface SecretValue {
  readonly value: string;
  /** `file /vault/secrets/auth-jwt-secret` or `environment variable AUTH_JWT_SECRET`. */
  readonly source: string;
}

/** A secret's value as it is now: what the Vault agent last wrote, or the environment variable's. */
export type SecretGetter = () => string;

/** `mssql-password` -> `MSSQL_PASSWORD`. */
export function secretEnvironmentName(name: SecretName): string {
  return name.toUpperCase().replace(/-/g, '_');
}

/**
 * Reads a secret from the file of that name in `secretsDirectory` (written by the Vault
 * agent) if it exists, else from the environment variable of the upper-case name.
 * One trailing newline (`\n` or `\r\n`) is trimmed, as Vault agent templates usually end with one.
 *
 * @returns undefined when neither the file nor the variable is set.
 */
export function readSecret(
  name: SecretName,
  secretsDirectory: string,
  environment: NodeJS.ProcessEnv,
): SecretValue | undefined {
  const filePath = join(secretsDirectory, name);
  if (existsSync(filePath)) {
    return { value: trimTrailingNewline(readFileSync(filePath, 'utf8')), source: `file ${filePath}` };
  }
  const environmentName = secretEnvironmentName(name);
  const fromEnvironment = environment[environmentName];
  if (fromEnvironment === undefined || fromEnvironment === '') return undefined;
  return { value: trimTrailingNewline(fromEnvironment), source: `environment variable ${environmentName}` };
}

/** How long a getter serves its value before it looks at the file again, in milliseconds. */
export const SECRET_RECHECK_MS = 1000;

export interface SecretFilesOptions {
  /**
   * Milliseconds a getter serves its value without looking at the file.
   * @default SECRET_RECHECK_MS
   */
  readonly recheckMs?: number;
  /**
   * The clock the recheck interval is measured with, in milliseconds.
   * @default performance.now
   */
  readonly now?: () => number;
}

export interface SecretGetterOptions {
  /**
   * Whether a value is usable; a rewritten file whose value it refuses makes the getter throw
   * (naming the file, never the value) until a usable one is written.
   * @default - any value but the empty string
   */
  readonly accept?: (value: string) => boolean;
}

/** What identifies one version of a file: the Vault agent renames a new file over the old one. */
interface FileVersion {
  readonly inode: number;
  readonly size: number;
  readonly modifiedMs: number;
  readonly changedMs: number;
}

function versionOf(stats: Stats): FileVersion {
  return { inode: stats.ino, size: stats.size, modifiedMs: stats.mtimeMs, changedMs: stats.ctimeMs };
}

function sameVersion(one: FileVersion, other: FileVersion): boolean {
  return one.inode === other.inode && one.size === other.size && one.modifiedMs === other.modifiedMs && one.changedMs === other.changedMs;
}

/**
 * The service's secrets, read through getters that follow the Vault agent: when a secret
 * changes in Vault, the agent renders the file again (a new file renamed over the old one), so
 * a rotated password or key reaches the running service without a restart.
 *
 * A getter serves its value for `recheckMs`, then stats the file: a new inode, size, or
 * modification or change time means a new version, which it reads (the stat and the read of
 * one open file, so both are of the same version). A file that disappears keeps the last value
 * (the agent replaces files, it never deletes them). A secret that came from an environment
 * variable (local runs, no agent) is fixed for the life of the process.
 */
export class SecretFiles {
  private readonly recheckMs: number;
  private readonly now: () => number;

  constructor(
    /** Where the Vault agent writes the files (`VAULT_SECRETS_DIR`). */
    readonly directory: string,
    private readonly environment: NodeJS.ProcessEnv,
    options: SecretFilesOptions = {},
  ) {
    this.recheckMs = options.recheckMs ?? SECRET_RECHECK_MS;
    this.now = options.now ?? (() => performance.now());
  }

  /** The secret's value and source now (the file first, then the variable), or undefined when neither is set. */
  read(name: SecretName): SecretValue | undefined {
    return readSecret(name, this.directory, this.environment);
  }

  /**
   * A getter of the secret's current value.
   *
   * @throws Error when the secret is not set at all (check with `read` first); the getter
   *   itself throws while the file holds a value `accept` refuses.
   */
  getter(name: SecretName, options: SecretGetterOptions = {}): SecretGetter {
    const accept = options.accept ?? ((value: string) => value !== '');
    const filePath = join(this.directory, name);
    const fileVersion = this.readVersion(filePath);
    if (fileVersion === undefined) {
      const fromEnvironment = this.read(name);
      if (fromEnvironment === undefined) throw new Error(`secret ${name} is not set (neither the file ${filePath} nor ${secretEnvironmentName(name)})`);
      const { value } = fromEnvironment;
      return () => value;
    }
    let current = fileVersion;
    let checkedAt = this.now();
    return () => {
      const now = this.now();
      if (now - checkedAt >= this.recheckMs) {
        checkedAt = now;
        current = this.latest(filePath, current);
      }
      if (!accept(current.value)) {
        throw new Error(`secret ${name}: the file ${filePath} holds a value that is not usable (the value is secret and not shown)`);
      }
      return current.value;
    };
  }

  /** The file's newest version: the one known when the file is unchanged or gone, else the file read again. */
  private latest(filePath: string, known: FileVersion & { readonly value: string }): FileVersion & { readonly value: string } {
    let stats: Stats;
    try {
      stats = statSync(filePath);
    } catch {
      return known;
    }
    if (sameVersion(versionOf(stats), known)) return known;
    return this.readVersion(filePath) ?? known;
  }

  /** One version of the file and its value, or undefined when there is no file. */
  private readVersion(filePath: string): (FileVersion & { readonly value: string }) | undefined {
    let descriptor: number;
    try {
      descriptor = openSync(filePath, 'r');
    } catch {
      return undefined;
    }
    try {
      return { ...versionOf(fstatSync(descriptor)), value: trimTrailingNewline(readFileSync(descriptor, 'utf8')) };
    } finally {
      closeSync(descriptor);
    }
  }
}

function trimTrailingNewline(value: string): string {
  return value.replace(/\r?\n$/, '');
}
