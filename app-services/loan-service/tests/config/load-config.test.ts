import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '../../src/config/configuration-error';
import { loadConfig } from '../../src/config/load-config';
import { SECRET_RECHECK_MS } from '../../src/config/secrets';
import { rewriteLikeVaultAgent } from '../support/vault-files';

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
      metricsPort: 9464,
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
      AUTH_JWT_ISSUER: 'https://id.lms.co.zm/realms/staff',
      AUTH_JWT_AUDIENCE: 'loan-service',
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
    expect(config.auth).toEqual({
      mode: 'jwt', issuer: 'https://id.lms.co.zm/realms/staff', audience: 'loan-service', jwksUrl: undefined, jwtSecret: expect.any(Function),
    });
    expect(config.auth.mode === 'jwt' && config.auth.jwtSecret?.()).toBe('k'.repeat(40));
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

  it('takes METRICS_PORT for the second listener, which must differ from PORT', () => {
    expect(loadConfig({ VAULT_SECRETS_DIR: vault, PORT: '8081', METRICS_PORT: '9100' })).toMatchObject({ port: 8081, metricsPort: 9100 });
    expect(problemsOf({ METRICS_PORT: '8080' })).toEqual(['METRICS_PORT: "8080" is not valid (allowed: a port other than PORT, 8080)']);
    expect(problemsOf({ METRICS_PORT: 'metrics' })).toEqual(['METRICS_PORT: "metrics" is not valid (allowed: an integer from 1 to 65535)']);
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

  it('requires the issuer, the audience and a JWT secret in production, and never prints the secret', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      "AUTH_JWT_ISSUER: is not set (allowed: the identity provider's issuer, e.g. https://id.lms.co.zm/realms/staff; required when AUTH_MODE is jwt)",
      'AUTH_JWT_AUDIENCE: is not set (allowed: the audience tokens are issued for, e.g. loan-service; required when AUTH_MODE is jwt)',
      `AUTH_JWT_SECRET: is not set (allowed: the file ${vault}/auth-jwt-secret or the environment variable AUTH_JWT_SECRET; ` +
        'required when AUTH_MODE is jwt and AUTH_JWKS_URL is not set)',
    ]);
    const problems = problemsOf({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: 'hunter2-short', AUTH_JWT_ISSUER: 'https://id', AUTH_JWT_AUDIENCE: 'loans' });
    expect(problems).toEqual(['AUTH_JWT_SECRET: is 13 characters long (allowed: at least 32 characters; the value is secret and not shown)']);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('follows the JWT secret file the Vault agent rewrites, so a rotated secret applies without restart', async () => {
    writeFileSync(join(vault, 'auth-jwt-secret'), `${'a'.repeat(40)}\n`);
    const config = loadConfig({ VAULT_SECRETS_DIR: vault, AUTH_MODE: 'jwt', AUTH_JWT_ISSUER: 'https://id', AUTH_JWT_AUDIENCE: 'loans' });
    if (config.auth.mode !== 'jwt' || config.auth.jwtSecret === undefined) throw new Error('expected jwt mode with the secret');
    expect(config.auth.jwtSecret()).toBe('a'.repeat(40));
    rewriteLikeVaultAgent(vault, 'auth-jwt-secret', `${'b'.repeat(40)}\n`);
    // The file is looked at again at most once per SECRET_RECHECK_MS.
    await new Promise((resolve) => setTimeout(resolve, SECRET_RECHECK_MS + 50));
    expect(config.auth.jwtSecret()).toBe('b'.repeat(40));
  });

  describe('AUTH_JWKS_URL', () => {
    const jwt = { AUTH_MODE: 'jwt', AUTH_JWT_ISSUER: 'https://id.lms.co.zm/realms/staff', AUTH_JWT_AUDIENCE: 'loan-service' };
    const refusal = (url: string) =>
      `AUTH_JWKS_URL: "${url}" is not valid (allowed: an https:// URL; http:// only to 127.0.0.1, [::1] or localhost and not with NODE_ENV=production)`;

    it('uses the key set instead of the secret, which is then not needed', () => {
      const url = 'https://id.lms.co.zm/realms/staff/protocol/openid-connect/certs';
      expect(loadConfig({ VAULT_SECRETS_DIR: vault, ...jwt, AUTH_JWKS_URL: url, NODE_ENV: 'production' }).auth).toEqual({
        mode: 'jwt', issuer: 'https://id.lms.co.zm/realms/staff', audience: 'loan-service', jwksUrl: url, jwtSecret: undefined,
      });
    });

    it.each(['http://127.0.0.1:8443/certs', 'http://localhost/certs', 'http://[::1]:9000/certs'])('allows %s outside production', (url) => {
      expect(loadConfig({ VAULT_SECRETS_DIR: vault, ...jwt, AUTH_JWKS_URL: url }).auth).toMatchObject({ jwksUrl: url });
    });

    it.each<[string, NodeJS.ProcessEnv]>([
      ['http://id.lms.co.zm/certs', {}],
      ['http://127.0.0.1.nip.io/certs', {}],
      ['http://127.0.0.1:8443/certs', { NODE_ENV: 'production' }],
    ])('refuses %s %j', (url, extra) => {
      expect(problemsOf({ ...jwt, ...extra, AUTH_JWKS_URL: url })).toEqual([refusal(url)]);
    });

    it('refuses what is not a URL', () => {
      expect(problemsOf({ ...jwt, AUTH_JWKS_URL: 'id.lms.co.zm/certs' })).toEqual([
        'AUTH_JWKS_URL: "id.lms.co.zm/certs" is not valid (allowed: an http:// or https:// URL)',
      ]);
    });
  });

  it('formats all problems in one message', () => {
    expect(() => loadConfig({ PORT: '0' })).toThrow(
      new ConfigurationError(['PORT: "0" is not valid (allowed: an integer from 1 to 65535)']),
    );
    expect(new ConfigurationError(['A: bad', 'B: worse']).message).toBe('Invalid configuration:\n  A: bad\n  B: worse');
  });
});
