import { z } from 'zod';
import { ConfigurationError } from './configuration-error';
import { SecretFiles, type SecretGetter, type SecretName, secretEnvironmentName } from './secrets';
import type { AuthConfig, DatabaseConfig, DocumentStoreConfig, ServiceConfig } from './service-config';
import { LOG_LEVELS } from './service-config';
import {
  booleanSetting,
  enumSetting,
  integerSetting,
  optionalStringSetting,
  stringSetting,
  urlSetting,
} from './setting-schemas';

/** Shortest HS256 secret accepted: 256 bits, as RFC 7518 section 3.2 requires. */
export const MINIMUM_JWT_SECRET_LENGTH = 32;

/**
 * The HS256 secret as the Vault agent last wrote it, for the authenticator: a rotated
 * `auth-jwt-secret` takes effect without a restart; a rewritten one shorter than
 * MINIMUM_JWT_SECRET_LENGTH makes the getter throw rather than sign with a weak key.
 */
export function authJwtSecretGetter(secrets: SecretFiles): SecretGetter {
  return secrets.getter('auth-jwt-secret', { accept: (value) => value.length >= MINIMUM_JWT_SECRET_LENGTH });
}

/** Every environment variable the service reads (secrets excluded), keyed by its exact name. */
const environmentSchema = z.object({
  PORT: integerSetting(8080, 1, 65535),
  METRICS_PORT: integerSetting(9464, 1, 65535),
  HOST: stringSetting('0.0.0.0', 'an IP address or host name'),
  LOG_LEVEL: enumSetting(LOG_LEVELS, 'info'),
  NODE_ENV: z.string().optional(),
  DATABASE_CLIENT: enumSetting(['sqlite', 'mssql'] as const, 'sqlite'),
  SQLITE_FILENAME: stringSetting('./data/loan-service.sqlite', 'a file path or :memory:'),
  MSSQL_HOST: optionalStringSetting('a host name'),
  MSSQL_PORT: integerSetting(1433, 1, 65535),
  MSSQL_DATABASE: optionalStringSetting('a database name'),
  MSSQL_USER: optionalStringSetting('a login name'),
  MSSQL_ENCRYPT: booleanSetting(true),
  DB_POOL_MAX: integerSetting(10, 1, 100),
  DOCUMENT_STORE: enumSetting(['filesystem', 's3'] as const, 'filesystem'),
  DOCUMENTS_DIR: stringSetting('./data/documents', 'a directory path'),
  S3_ENDPOINT: urlSetting(),
  S3_REGION: stringSetting('us-east-1', 'a region name such as us-east-1'),
  S3_BUCKET: optionalStringSetting('a bucket name'),
  S3_FORCE_PATH_STYLE: booleanSetting(true),
  MAX_DOCUMENT_BYTES: integerSetting(10 * 1024 * 1024, 1, 100 * 1024 * 1024),
  VAULT_SECRETS_DIR: stringSetting('/vault/secrets', 'a directory path'),
  AUTH_MODE: enumSetting(['jwt', 'header'] as const, undefined),
  AUTH_JWT_ISSUER: optionalStringSetting('the identity provider\'s issuer, e.g. https://id.lms.co.zm/realms/staff'),
  AUTH_JWT_AUDIENCE: optionalStringSetting('the audience tokens are issued for, e.g. loan-service'),
  AUTH_JWKS_URL: urlSetting(),
  SHUTDOWN_DELAY_MS: integerSetting(0, 0, 60000),
});

type Environment = z.output<typeof environmentSchema>;

/**
 * Reads and validates the configuration from environment variables and Vault secret files.
 *
 * @throws ConfigurationError listing every invalid or missing setting; secret values are never included.
 */
export function loadConfig(environment: NodeJS.ProcessEnv): ServiceConfig {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    throw new ConfigurationError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const settings = parsed.data;
  const problems: string[] = [];
  const secrets = new SecretFiles(settings.VAULT_SECRETS_DIR, environment);
  const secret = (name: SecretName): string | undefined => secrets.read(name)?.value;
  const required = <T>(name: string, value: T | undefined, allowed: string, reason: string): T | undefined => {
    if (value === undefined) problems.push(`${name}: is not set (allowed: ${allowed}; required when ${reason})`);
    return value;
  };
  const requiredSecret = (name: SecretName, reason: string): SecretGetter => {
    const value = secret(name);
    if (value === undefined || value === '') {
      problems.push(
        `${secretEnvironmentName(name)}: is not set (allowed: the file ${settings.VAULT_SECRETS_DIR}/${name} ` +
          `or the environment variable ${secretEnvironmentName(name)}; required when ${reason})`,
      );
      // Never called: the configuration is refused below.
      return () => '';
    }
    return secrets.getter(name);
  };

  if (settings.METRICS_PORT === settings.PORT) {
    problems.push(`METRICS_PORT: "${settings.METRICS_PORT}" is not valid (allowed: a port other than PORT, ${settings.PORT})`);
  }
  const database = resolveDatabase(settings, required, requiredSecret);
  const documents = resolveDocuments(settings, required, requiredSecret);
  const auth = resolveAuth(settings, secrets, problems, required, requiredSecret);
  if (problems.length > 0) throw new ConfigurationError(problems);

  return {
    port: settings.PORT,
    metricsPort: settings.METRICS_PORT,
    host: settings.HOST,
    logLevel: settings.LOG_LEVEL ?? 'info',
    nodeEnvironment: settings.NODE_ENV,
    database,
    documents,
    auth,
    shutdownDelayMs: settings.SHUTDOWN_DELAY_MS,
    vaultSecretsDir: settings.VAULT_SECRETS_DIR,
  };
}

type RequireSetting = <T>(name: string, value: T | undefined, allowed: string, reason: string) => T | undefined;
/** The getter of a secret that must be set (else a problem is recorded). */
type RequireSecret = (name: SecretName, reason: string) => SecretGetter;

function resolveDatabase(settings: Environment, required: RequireSetting, requiredSecret: RequireSecret): DatabaseConfig {
  if (settings.DATABASE_CLIENT !== 'mssql') {
    return { client: 'sqlite', filename: settings.SQLITE_FILENAME, poolMax: settings.DB_POOL_MAX };
  }
  const reason = 'DATABASE_CLIENT is mssql';
  return {
    client: 'mssql',
    host: required('MSSQL_HOST', settings.MSSQL_HOST, 'a host name', reason) ?? '',
    port: settings.MSSQL_PORT,
    database: required('MSSQL_DATABASE', settings.MSSQL_DATABASE, 'a database name', reason) ?? '',
    user: required('MSSQL_USER', settings.MSSQL_USER, 'a login name', reason) ?? '',
    password: requiredSecret('mssql-password', reason),
    encrypt: settings.MSSQL_ENCRYPT,
    poolMax: settings.DB_POOL_MAX,
  };
}

function resolveDocuments(
  settings: Environment,
  required: RequireSetting,
  requiredSecret: RequireSecret,
): DocumentStoreConfig {
  if (settings.DOCUMENT_STORE !== 's3') {
    return { store: 'filesystem', directory: settings.DOCUMENTS_DIR, maxDocumentBytes: settings.MAX_DOCUMENT_BYTES };
  }
  const reason = 'DOCUMENT_STORE is s3';
  return {
    store: 's3',
    endpoint: settings.S3_ENDPOINT,
    region: settings.S3_REGION,
    bucket: required('S3_BUCKET', settings.S3_BUCKET, 'a bucket name', reason) ?? '',
    forcePathStyle: settings.S3_FORCE_PATH_STYLE,
    accessKeyId: requiredSecret('s3-access-key-id', reason),
    secretAccessKey: requiredSecret('s3-secret-access-key', reason),
    maxDocumentBytes: settings.MAX_DOCUMENT_BYTES,
  };
}

/** Host names an http:// key set URL may name (outside production): the node itself. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * `AUTH_MODE` defaults to `jwt` when `NODE_ENV` is `production` and to `header` otherwise, so a
 * bare local `npm start` works while a production pod never trusts identity headers by accident.
 *
 * In `jwt` mode tokens must name `AUTH_JWT_ISSUER` and `AUTH_JWT_AUDIENCE`. With `AUTH_JWKS_URL`
 * they are verified against the identity provider's keys, which must be fetched over https (a
 * key set fetched in clear text could be swapped in transit); http:// is allowed only to the
 * node's own loopback address and never with NODE_ENV=production, for local identity providers
 * and tests. Without it the HS256 `auth-jwt-secret` is used, read again for every token.
 */
function resolveAuth(
  settings: Environment,
  secrets: SecretFiles,
  problems: string[],
  required: RequireSetting,
  requiredSecret: RequireSecret,
): AuthConfig {
  const mode = settings.AUTH_MODE ?? (settings.NODE_ENV === 'production' ? 'jwt' : 'header');
  if (mode === 'header') return { mode: 'header' };
  const reason = 'AUTH_MODE is jwt';
  const issuer = required('AUTH_JWT_ISSUER', settings.AUTH_JWT_ISSUER, "the identity provider's issuer, e.g. https://id.lms.co.zm/realms/staff", reason) ?? '';
  const audience = required('AUTH_JWT_AUDIENCE', settings.AUTH_JWT_AUDIENCE, 'the audience tokens are issued for, e.g. loan-service', reason) ?? '';
  const jwksUrl = settings.AUTH_JWKS_URL;
  if (jwksUrl !== undefined) {
    const url = new URL(jwksUrl);
    const loopbackOutsideProduction = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) && settings.NODE_ENV !== 'production';
    if (url.protocol !== 'https:' && !loopbackOutsideProduction) {
      problems.push(
        `AUTH_JWKS_URL: "${jwksUrl}" is not valid (allowed: an https:// URL; http:// only to 127.0.0.1, [::1] or localhost ` +
          'and not with NODE_ENV=production)',
      );
    }
    return { mode: 'jwt', issuer, audience, jwksUrl, jwtSecret: undefined };
  }
  const jwtSecret = requiredSecret('auth-jwt-secret', `${reason} and AUTH_JWKS_URL is not set`)();
  if (jwtSecret !== '' && jwtSecret.length < MINIMUM_JWT_SECRET_LENGTH) {
    problems.push(
      `AUTH_JWT_SECRET: is ${jwtSecret.length} characters long (allowed: at least ${MINIMUM_JWT_SECRET_LENGTH} ` +
        'characters; the value is secret and not shown)',
    );
  }
  // Read through the Vault agent's file on each token: a rotated secret applies without a restart.
  // (Unset, the configuration is refused: the getter is never called.)
  return { mode: 'jwt', issuer, audience, jwksUrl: undefined, jwtSecret: jwtSecret === '' ? () => '' : authJwtSecretGetter(secrets) };
}
