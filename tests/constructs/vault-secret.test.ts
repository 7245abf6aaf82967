import { Duration } from '../../constructs/duration';
import { PlatformError } from '../../constructs/platform-error';
import { VaultConsumer, VaultSecret } from '../../constructs/vault-secret';

describe('VaultSecret', () => {
  test('VaultSecret.kv: read-only, in the kv mount, under the environment', () => {
    const secret = VaultSecret.kv('production', 'loan-service');
    expect({ mount: secret.mount, path: secret.path, capabilities: secret.capabilities, environment: secret.environment }).toEqual({
      mount: 'kv',
      path: 'production/loan-service',
      capabilities: ['read'],
      environment: 'production',
    });
    expect([secret.dataPath, secret.metadataPath, secret.toString()]).toEqual([
      'kv/data/production/loan-service',
      'kv/metadata/production/loan-service',
      'kv/production/loan-service',
    ]);
  });

  test('capabilities are sorted and repeats dropped', () => {
    expect(new VaultSecret({ environment: 'dev', path: 'dev/reports/api_key', capabilities: ['update', 'read', 'read', 'create'] }).capabilities).toEqual([
      'create',
      'read',
      'update',
    ]);
  });

  test.each([
    ['dev/loan-service/*', 'an exact path without the wildcards "*" and "+": a policy grants only the secrets a workload names'],
    ['dev/+/mssql', 'an exact path without the wildcards "*" and "+": a policy grants only the secrets a workload names'],
    ['dev/../production/loan-service', '"<environment>/<workload>" or "<environment>/<workload>/<name>", each part lower-case letters, digits, "-" and "_"'],
    ['dev', '"<environment>/<workload>" or "<environment>/<workload>/<name>", each part lower-case letters, digits, "-" and "_"'],
    ['dev/loan-service/', '"<environment>/<workload>" or "<environment>/<workload>/<name>", each part lower-case letters, digits, "-" and "_"'],
    ['dev/Loan Service', '"<environment>/<workload>" or "<environment>/<workload>/<name>", each part lower-case letters, digits, "-" and "_"'],
    ['dev/a/b/c', '"<environment>/<workload>" or "<environment>/<workload>/<name>", each part lower-case letters, digits, "-" and "_"'],
    ['production/loan-service', 'a path under "dev/", the prefix of environment "dev"'],
    ['development/loan-service', 'a path under "dev/", the prefix of environment "dev"'],
  ])('path %j is rejected with what, where, value and what is allowed', (path, allowed) => {
    expect(() => new VaultSecret({ environment: 'dev', path })).toThrow(new PlatformError(`VaultSecret kv/${path}: path: ${JSON.stringify(path)} is not allowed (allowed: ${allowed})`));
  });

  test('an unknown capability, an empty list, a bad mount or environment are rejected', () => {
    expect(() => new VaultSecret({ environment: 'dev', path: 'dev/x', capabilities: ['sudo' as never] })).toThrow(
      new PlatformError('VaultSecret kv/dev/x: capabilities: "sudo" is not allowed (allowed: one or more of "create", "delete", "read", "update")'),
    );
    expect(() => new VaultSecret({ environment: 'dev', path: 'dev/x', capabilities: [] })).toThrow(
      new PlatformError('VaultSecret kv/dev/x: capabilities: [] is not allowed (allowed: one or more of "create", "delete", "read", "update")'),
    );
    expect(() => new VaultSecret({ environment: 'dev', path: 'dev/x', mount: 'secret/' })).toThrow(
      new PlatformError('VaultSecret secret//dev/x: mount: "secret/" is not allowed (allowed: a lower-case name starting with a letter, e.g. "kv")'),
    );
    expect(() => new VaultSecret({ environment: 'Dev', path: 'Dev/x' })).toThrow(
      new PlatformError('VaultSecret kv/Dev/x: environment: "Dev" is not allowed (allowed: a lower-case name starting with a letter, e.g. "production")'),
    );
  });
});

describe('VaultConsumer', () => {
  test('defaults: role is the service account, tokens live 1h, renewed up to 4h; secrets sorted', () => {
    const consumer = new VaultConsumer({
      serviceAccount: 'loan-service',
      namespace: 'lms-apps',
      secrets: [VaultSecret.kv('dev', 'loan-service/smtp'), VaultSecret.kv('dev', 'loan-service')],
    });
    expect({
      role: consumer.role,
      ttl: consumer.tokenTtl.totalSeconds,
      max: consumer.tokenMaxTtl.totalSeconds,
      secrets: consumer.secrets.map(String),
      environment: consumer.environment,
    }).toEqual({ role: 'loan-service', ttl: 3600, max: 14400, secrets: ['kv/dev/loan-service', 'kv/dev/loan-service/smtp'], environment: 'dev' });
  });

  test.each([
    [{ serviceAccount: 'Loan', namespace: 'lms-apps' }, 'VaultConsumer lms-apps/Loan: serviceAccount: "Loan" is not allowed (allowed: a Kubernetes service account name: lower-case letters, digits and "-", starting with a letter)'],
    [{ serviceAccount: 'loan-service', namespace: 'lms_apps' }, 'VaultConsumer lms_apps/loan-service: namespace: "lms_apps" is not allowed (allowed: a Kubernetes namespace name: lower-case letters, digits and "-", starting with a letter)'],
    [{ serviceAccount: 'loan-service', namespace: 'lms-apps', role: 'Loan' }, 'VaultConsumer lms-apps/loan-service: role: "Loan" is not allowed (allowed: lower-case letters, digits and "-", starting with a letter)'],
    [{ serviceAccount: 'loan-service', namespace: 'lms-apps', secrets: [] }, 'VaultConsumer lms-apps/loan-service: secrets: [] is not allowed (allowed: at least one VaultSecret: a workload that reads no secret needs no Vault role)'],
    [
      { serviceAccount: 'loan-service', namespace: 'lms-apps', secrets: [VaultSecret.kv('dev', 'loan-service'), VaultSecret.kv('dev', 'loan-service', ['update'])] },
      'VaultConsumer lms-apps/loan-service: secrets: "kv/dev/loan-service" is not allowed (allowed: each secret once: merge its capabilities into one VaultSecret)',
    ],
    [
      { serviceAccount: 'loan-service', namespace: 'lms-apps', secrets: [VaultSecret.kv('dev', 'loan-service'), VaultSecret.kv('staging', 'loan-service')] },
      'VaultConsumer lms-apps/loan-service: secrets: ["dev","staging"] is not allowed (allowed: secrets of one environment: a site\'s Vault holds its own environment\'s secrets only)',
    ],
    [
      { serviceAccount: 'loan-service', namespace: 'lms-apps', tokenTtl: Duration.hours(8) },
      'VaultConsumer lms-apps/loan-service: tokenTtl: "8h" is not allowed (allowed: at most tokenMaxTtl (4h))',
    ],
  ])('%j is rejected', (props, message) => {
    expect(() => new VaultConsumer({ secrets: [VaultSecret.kv('dev', 'loan-service')], ...props })).toThrow(new PlatformError(message));
  });
});
