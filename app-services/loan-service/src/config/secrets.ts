import { existsSync, readFileSync } from 'node:fs';
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

function trimTrailingNewline(value: string): string {
  return value.replace(/\r?\n$/, '');
}
