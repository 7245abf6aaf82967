import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSecret, secretEnvironmentName } from '../../src/config/secrets';

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
