import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '../../src/config/configuration-error';
import { loadConfig } from '../../src/config/load-config';

describe('loadConfig', () => {
  let vault: string;
  beforeEach(() => {
    vault = mkdtempSync(join(tmpdir(), 'vault-'));
  });
  afterEach(() => {
    rmSync(vault, { recursive: true, force: true });
  });

  /** The problems a configuration is rejected with. */
  const problemsOf = (environment: NodeJS.ProcessEnv): readonly string[] => {
    try {
      loadConfig({ VAULT_SECRETS_DIR: vault, ...environment });
    } catch (error) {
      if (error instanceof ConfigurationError) return error.problems;
      throw error;
    }
    throw new Error('configuration was accepted');
  };

  it('has embedded defaults for a bare local run', () => {
    expect(loadConfig({ VAULT_SECRETS_DIR: vault })).toEqual({
      port: 8080,
      host: '0.0.0.0',
      logLevel: 'info',
      nodeEnvironment: undefined,
      database: { client: 'sqlite', filename: './data/loan-service.sqlite', poolMax: 10 },
      documents: { store: 'filesystem', directory: './data/documents', maxDocumentBytes: 10_485_760 },
      auth: { mode: 'header' },
      shutdownDelayMs: 0,
      vaultSecretsDir: vault,
    });
  });

  it('defaults VAULT_SECRETS_DIR to /vault/secrets', () => {
    expect(loadConfig({}).vaultSecretsDir).toBe('/vault/secrets');
  });

  it('builds the platform configuration, reading secrets from Vault files before the environment', () => {
    writeFileSync(join(vault, 'mssql-password'), 'from-vault-file\n');
    writeFileSync(join(vault, 's3-access-key-id'), 'loan-service');
    writeFileSync(join(vault, 's3-secret-access-key'), 's3-secret\r\n');
    writeFileSync(join(vault, 'auth-jwt-secret'), `${'k'.repeat(40)}\n`);
    const config = loadConfig({
      VAULT_SECRETS_DIR: vault,
      NODE_ENV: 'production',
      PORT: '9090',
      DATABASE_CLIENT: 'mssql',
      MSSQL_HOST: 'sql-primary.lusaka.lms.internal',
      MSSQL_DATABASE: 'loans',
      MSSQL_USER: 'loan_service',
      MSSQL_PASSWORD: 'from-environment',
      MSSQL_ENCRYPT: 'false',
      DB_POOL_MAX: '25',
      DOCUMENT_STORE: 's3',
      S3_ENDPOINT: 'https://minio.lusaka.lms.internal:9000',
      S3_BUCKET: 'loan-documents',
      SHUTDOWN_DELAY_MS: '5000',
    });
    // Secrets are getters that follow the files (tests/config/secrets.test.ts).
    expect(config.database).toEqual({
      client: 'mssql', host: 'sql-primary.lusaka.lms.internal', port: 1433, database: 'loans', user: 'loan_service',
      password: expect.any(Function), encrypt: false, poolMax: 25,
    });
    expect(config.database.client === 'mssql' && config.database.password()).toBe('from-vault-file');
    expect(config.documents).toEqual({
      store: 's3', endpoint: 'https://minio.lusaka.lms.internal:9000', region: 'us-east-1', bucket: 'loan-documents',
      forcePathStyle: true, accessKeyId: expect.any(Function), secretAccessKey: expect.any(Function), maxDocumentBytes: 10_485_760,
    });
    expect(config.documents.store === 's3' && [config.documents.accessKeyId(), config.documents.secretAccessKey()]).toEqual(['loan-service', 's3-secret']);
    expect(config.auth).toEqual({ mode: 'jwt', jwtSecret: 'k'.repeat(40) });
    expect(config.port).toBe(9090);
    expect(config.shutdownDelayMs).toBe(5000);
  });

  it('names each bad setting, its value and what is allowed', () => {
    expect(problemsOf({ PORT: '80a', DATABASE_CLIENT: 'postgres', MSSQL_ENCRYPT: 'yes', LOG_LEVEL: 'verbose', S3_ENDPOINT: 'minio:9000' })).toEqual([
      'PORT: "80a" is not valid (allowed: an integer from 1 to 65535)',
      'LOG_LEVEL: "verbose" is not allowed (allowed: fatal, error, warn, info, debug, trace, silent)',
      'DATABASE_CLIENT: "postgres" is not allowed (allowed: sqlite, mssql)',
      'MSSQL_ENCRYPT: "yes" is not valid (allowed: true, false)',
      'S3_ENDPOINT: "minio:9000" is not valid (allowed: an http:// or https:// URL)',
    ]);
    expect(problemsOf({ MAX_DOCUMENT_BYTES: '0', DB_POOL_MAX: '1000', HOST: ' ' })).toEqual([
      'HOST: " " is not valid (allowed: an IP address or host name)',
      'DB_POOL_MAX: "1000" is not valid (allowed: an integer from 1 to 100)',
      'MAX_DOCUMENT_BYTES: "0" is not valid (allowed: an integer from 1 to 104857600)',
    ]);
  });

  it('lists every setting a SQL Server and S3 deployment is missing', () => {
    expect(problemsOf({ DATABASE_CLIENT: 'mssql', DOCUMENT_STORE: 's3', AUTH_MODE: 'header' })).toEqual([
      'MSSQL_HOST: is not set (allowed: a host name; required when DATABASE_CLIENT is mssql)',
      'MSSQL_DATABASE: is not set (allowed: a database name; required when DATABASE_CLIENT is mssql)',
      'MSSQL_USER: is not set (allowed: a login name; required when DATABASE_CLIENT is mssql)',
      `MSSQL_PASSWORD: is not set (allowed: the file ${vault}/mssql-password or the environment variable MSSQL_PASSWORD; required when DATABASE_CLIENT is mssql)`,
      'S3_BUCKET: is not set (allowed: a bucket name; required when DOCUMENT_STORE is s3)',
      `S3_ACCESS_KEY_ID: is not set (allowed: the file ${vault}/s3-access-key-id or the environment variable S3_ACCESS_KEY_ID; required when DOCUMENT_STORE is s3)`,
      `S3_SECRET_ACCESS_KEY: is not set (allowed: the file ${vault}/s3-secret-access-key or the environment variable S3_SECRET_ACCESS_KEY; required when DOCUMENT_STORE is s3)`,
    ]);
  });

  it('requires a JWT secret in production and never prints it', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      `AUTH_JWT_SECRET: is not set (allowed: the file ${vault}/auth-jwt-secret or the environment variable AUTH_JWT_SECRET; required when AUTH_MODE is jwt)`,
    ]);
    const problems = problemsOf({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: 'hunter2-short' });
    expect(problems).toEqual(['AUTH_JWT_SECRET: is 13 characters long (allowed: at least 32 characters; the value is secret and not shown)']);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('formats all problems in one message', () => {
    expect(() => loadConfig({ PORT: '0' })).toThrow(
      new ConfigurationError(['PORT: "0" is not valid (allowed: an integer from 1 to 65535)']),
    );
    expect(new ConfigurationError(['A: bad', 'B: worse']).message).toBe('Invalid configuration:\n  A: bad\n  B: worse');
  });
});
