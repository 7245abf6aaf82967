import { readFileSync } from 'node:fs';
import { ConfigurationError, describeFileError } from '../errors';

/** How to reach the site's SQL Server, from the environment. The password is read from its file. */
export interface SqlSettings {
  /** `MSSQL_HOST`: also the name the server's certificate must carry. */
  readonly host: string;
  /** `MSSQL_PORT`, 1433 by default. */
  readonly port: number;
  /** `MSSQL_USER`: the login the jobs connect as. */
  readonly user: string;
  /** The content of `MSSQL_PASSWORD_FILE`, trailing newline trimmed. Never printed. */
  readonly password: string;
  /** The PEM of `MSSQL_CA_FILE`: the CA that signs SQL Server's certificate. */
  readonly caCertificates: string;
}

export const DEFAULT_MSSQL_PORT = 1433;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/** Reads the MSSQL_* settings; every problem is one line of the {@link ConfigurationError}. */
export function readSqlSettings(environment: NodeJS.ProcessEnv): SqlSettings {
  const problems: string[] = [];
  const host = environment['MSSQL_HOST'];
  if (host === undefined || host === '') problems.push('MSSQL_HOST: missing (allowed: the DNS name of the site\'s SQL Server, as its certificate names it)');

  const portText = environment['MSSQL_PORT'] ?? String(DEFAULT_MSSQL_PORT);
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
  if (!(port >= 1 && port <= 65535)) problems.push(`MSSQL_PORT: "${portText}" is not allowed (allowed: a port from 1 to 65535; default ${DEFAULT_MSSQL_PORT})`);

  const user = environment['MSSQL_USER'];
  if (user === undefined || user === '') problems.push('MSSQL_USER: missing (allowed: the SQL login the jobs connect as)');

  let password: string | undefined;
  const passwordFile = environment['MSSQL_PASSWORD_FILE'];
  if (passwordFile === undefined || passwordFile === '') {
    problems.push('MSSQL_PASSWORD_FILE: missing (allowed: the path of the file that holds the password of MSSQL_USER)');
  } else {
    try {
      password = readSecretFile(passwordFile);
      if (password === '') problems.push(`MSSQL_PASSWORD_FILE: "${passwordFile}" is empty (allowed: a file holding the password)`);
    } catch (error) {
      problems.push(`MSSQL_PASSWORD_FILE: cannot read "${passwordFile}" (${describeFileError(error)})`);
    }
  }

  let caCertificates: string | undefined;
  const caFile = environment['MSSQL_CA_FILE'];
  if (caFile === undefined || caFile === '') {
    problems.push('MSSQL_CA_FILE: missing (allowed: the path of the PEM file of the CA that signs SQL Server\'s certificate)');
  } else {
    try {
      caCertificates = readFileSync(caFile, 'utf8');
      if (!PEM_CERTIFICATE.test(caCertificates)) {
        problems.push(`MSSQL_CA_FILE: "${caFile}" holds no PEM certificate (allowed: a file with -----BEGIN CERTIFICATE----- blocks)`);
      }
    } catch (error) {
      problems.push(`MSSQL_CA_FILE: cannot read "${caFile}" (${describeFileError(error)})`);
    }
  }

  if (problems.length > 0) throw new ConfigurationError(problems);
  return { host: host as string, port, user: user as string, password: password as string, caCertificates: caCertificates as string };
}

/** A file holding one secret: its content without the trailing newline (`\n` or `\r\n`). */
export function readSecretFile(file: string): string {
  return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
}
