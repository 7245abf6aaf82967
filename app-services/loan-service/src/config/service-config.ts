import type { SecretGetter } from './secrets';

/** The validated, resolved configuration of the service. Built once by `loadConfig`; secrets are getters that follow the Vault agent's files. */
export interface ServiceConfig {
  /** TCP port of the API and the health probes (`PORT`). */
  readonly port: number;
  /** TCP port of the second listener, serving only /metrics and /openapi.json (`METRICS_PORT`). */
  readonly metricsPort: number;
  /** Address both listeners bind (`HOST`). */
  readonly host: string;
  /** pino log level (`LOG_LEVEL`). */
  readonly logLevel: LogLevel;
  /** `NODE_ENV`, used only to choose the default authentication mode. */
  readonly nodeEnvironment: string | undefined;
  readonly database: DatabaseConfig;
  readonly documents: DocumentStoreConfig;
  readonly auth: AuthConfig;
  /** Milliseconds between SIGTERM and closing the listener, while /readyz answers 503 (`SHUTDOWN_DELAY_MS`). */
  readonly shutdownDelayMs: number;
  /** Directory the Vault agent writes secret files to (`VAULT_SECRETS_DIR`). */
  readonly vaultSecretsDir: string;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type DatabaseConfig = SqliteDatabaseConfig | MssqlDatabaseConfig;

export interface SqliteDatabaseConfig {
  readonly client: 'sqlite';
  /** File path (`SQLITE_FILENAME`); `:memory:` keeps the database in memory. */
  readonly filename: string;
  readonly poolMax: number;
}

export interface MssqlDatabaseConfig {
  readonly client: 'mssql';
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** The `mssql-password` secret as it is now: each new connection logs in with it. */
  readonly password: SecretGetter;
  readonly encrypt: boolean;
  readonly poolMax: number;
}

export type DocumentStoreConfig = FilesystemDocumentStoreConfig | S3DocumentStoreConfig;

export interface FilesystemDocumentStoreConfig {
  readonly store: 'filesystem';
  /** Directory documents are written under (`DOCUMENTS_DIR`). */
  readonly directory: string;
  readonly maxDocumentBytes: number;
}

export interface S3DocumentStoreConfig {
  readonly store: 's3';
  /** e.g. `https://minio.lms.svc:9000`; undefined uses the AWS default endpoint for the region. */
  readonly endpoint: string | undefined;
  readonly region: string;
  readonly bucket: string;
  readonly forcePathStyle: boolean;
  /** The `s3-access-key-id` secret as it is now: each request is signed with it. */
  readonly accessKeyId: SecretGetter;
  /** The `s3-secret-access-key` secret as it is now. */
  readonly secretAccessKey: SecretGetter;
  readonly maxDocumentBytes: number;
}

export type AuthConfig = JwtAuthConfig | HeaderAuthConfig;

/** Identity from `x-authenticated-*` headers set by a trusted ingress. */
export interface HeaderAuthConfig {
  readonly mode: 'header';
}

/** Identity from a bearer JWT that must carry `exp`, this `iss` and this `aud`. */
export interface JwtAuthConfig {
  readonly mode: 'jwt';
  /** The required `iss` claim (`AUTH_JWT_ISSUER`). */
  readonly issuer: string;
  /** The required `aud` claim (`AUTH_JWT_AUDIENCE`). */
  readonly audience: string;
  /** The identity provider's JSON Web Key Set (`AUTH_JWKS_URL`); undefined uses the HS256 secret. */
  readonly jwksUrl: string | undefined;
  /**
   * Reads the HS256 `auth-jwt-secret` when `jwksUrl` is undefined (else undefined). Called for
   * every token, so a secret the Vault agent rewrites applies without a restart.
   */
  readonly jwtSecret: (() => string) | undefined;
}
