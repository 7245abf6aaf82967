import { mkdtempSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECRET_RECHECK_MS, SecretFiles, readSecret, secretEnvironmentName } from '../../src/config/secrets';
import { rewriteLikeVaultAgent } from '../support/vault-files';

describe('readSecret', () => {
  let vault: string;
  beforeEach(() => {
    vault = mkdtempSync(join(tmpdir(), 'vault-'));
  });
  afterEach(() => {
    rmSync(vault, { recursive: true, force: true });
  });

  it('prefers the Vault file and trims one trailing newline', () => {
    writeFileSync(join(vault, 'auth-jwt-secret'), 'line-one\nline-two\n\n');
    expect(readSecret('auth-jwt-secret', vault, { AUTH_JWT_SECRET: 'env' })).toEqual({
      value: 'line-one\nline-two\n',
      source: `file ${join(vault, 'auth-jwt-secret')}`,
    });
  });

  it('falls back to the upper-case environment variable', () => {
    expect(readSecret('s3-secret-access-key', vault, { S3_SECRET_ACCESS_KEY: 'abc\n' })).toEqual({
      value: 'abc',
      source: 'environment variable S3_SECRET_ACCESS_KEY',
    });
    expect(readSecret('mssql-password', vault, {})).toBeUndefined();
  });

  it('maps file names to variable names', () => {
    expect(secretEnvironmentName('s3-access-key-id')).toBe('S3_ACCESS_KEY_ID');
  });
});

describe('SecretFiles getters follow the files the Vault agent rewrites', () => {
  let vault: string;
  let clock: number;
  const secretsAt = (directory: string, environment: NodeJS.ProcessEnv = {}) => new SecretFiles(directory, environment, { now: () => clock });
  beforeEach(() => {
    vault = mkdtempSync(join(tmpdir(), 'vault-'));
    clock = 0;
  });
  afterEach(() => {
    rmSync(vault, { recursive: true, force: true });
  });

  it('serves a rotated value once the recheck interval has passed, without a restart', () => {
    rewriteLikeVaultAgent(vault, 'mssql-password', 'first-password\n');
    const password = secretsAt(vault).getter('mssql-password');
    expect(password()).toBe('first-password');
    rewriteLikeVaultAgent(vault, 'mssql-password', 'second-password\n');
    // Within the interval the getter does not touch the file.
    clock += SECRET_RECHECK_MS - 1;
    expect(password()).toBe('first-password');
    clock += 1;
    expect(password()).toBe('second-password');
    rewriteLikeVaultAgent(vault, 'mssql-password', 'third-password\n');
    clock += SECRET_RECHECK_MS;
    expect(password()).toBe('third-password');
  });

  it('tells apart a replacement of the same size written within the same millisecond (a new inode)', () => {
    rewriteLikeVaultAgent(vault, 's3-secret-access-key', 'aaaaaaaa');
    const before = statSync(join(vault, 's3-secret-access-key'));
    const key = secretsAt(vault).getter('s3-secret-access-key');
    expect(key()).toBe('aaaaaaaa');
    rewriteLikeVaultAgent(vault, 's3-secret-access-key', 'bbbbbbbb');
    const after = statSync(join(vault, 's3-secret-access-key'));
    expect([after.size, after.ino === before.ino]).toEqual([before.size, false]);
    clock += SECRET_RECHECK_MS;
    expect(key()).toBe('bbbbbbbb');
  });

  it('also sees a file rewritten in place', () => {
    writeFileSync(join(vault, 's3-access-key-id'), 'loan-service');
    const id = secretsAt(vault).getter('s3-access-key-id');
    writeFileSync(join(vault, 's3-access-key-id'), 'loan-service-2');
    clock += SECRET_RECHECK_MS;
    expect(id()).toBe('loan-service-2');
  });

  it('keeps the last value while the file is gone: the agent replaces files, it never deletes them', () => {
    rewriteLikeVaultAgent(vault, 'mssql-password', 'kept');
    const password = secretsAt(vault).getter('mssql-password');
    unlinkSync(join(vault, 'mssql-password'));
    clock += SECRET_RECHECK_MS;
    expect(password()).toBe('kept');
    rewriteLikeVaultAgent(vault, 'mssql-password', 'back');
    clock += SECRET_RECHECK_MS;
    expect(password()).toBe('back');
  });

  it('refuses a rewritten value it cannot use, naming the file but never the value, until a usable one arrives', () => {
    rewriteLikeVaultAgent(vault, 'auth-jwt-secret', 'k'.repeat(40));
    const secret = secretsAt(vault).getter('auth-jwt-secret', { accept: (value) => value.length >= 32 });
    rewriteLikeVaultAgent(vault, 'auth-jwt-secret', 'short-and-weak');
    clock += SECRET_RECHECK_MS;
    expect(() => secret()).toThrow(
      new Error(`secret auth-jwt-secret: the file ${join(vault, 'auth-jwt-secret')} holds a value that is not usable (the value is secret and not shown)`),
    );
    rewriteLikeVaultAgent(vault, 'mssql-password', '');
    const password = secretsAt(vault).getter('mssql-password');
    expect(() => password()).toThrow(/^secret mssql-password: the file .* holds a value that is not usable/);
    rewriteLikeVaultAgent(vault, 'auth-jwt-secret', 'n'.repeat(40));
    clock += SECRET_RECHECK_MS;
    expect(secret()).toBe('n'.repeat(40));
  });

  it('a secret from an environment variable (no agent) is fixed; one set nowhere has no getter', () => {
    const secrets = secretsAt(vault, { MSSQL_PASSWORD: 'from-environment\n' });
    const password = secrets.getter('mssql-password');
    writeFileSync(join(vault, 'mssql-password'), 'a file written later');
    clock += SECRET_RECHECK_MS;
    expect(password()).toBe('from-environment');
    expect(() => secrets.getter('s3-access-key-id')).toThrow(
      new Error(`secret s3-access-key-id is not set (neither the file ${join(vault, 's3-access-key-id')} nor S3_ACCESS_KEY_ID)`),
    );
  });

  it('with the real clock, a rotation is served within the recheck interval', async () => {
    rewriteLikeVaultAgent(vault, 'mssql-password', 'before');
    const password = new SecretFiles(vault, {}).getter('mssql-password');
    expect(password()).toBe('before');
    rewriteLikeVaultAgent(vault, 'mssql-password', 'after');
    await new Promise((resolve) => setTimeout(resolve, SECRET_RECHECK_MS + 50));
    expect(password()).toBe('after');
  });
});
