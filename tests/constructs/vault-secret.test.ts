import { Duration } from '../../constructs/duration';
import { PlatformError } from '../../constructs/platform-error';
import { VaultConsumer, VaultSecret, VaultSystemPath, type VaultSystemCapability } from '../../constructs/vault-secret';

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
    [{ serviceAccount: 'loan-service', namespace: 'lms-apps', secrets: [] }, 'VaultConsumer lms-apps/loan-service: secrets: [] is not allowed (allowed: at least one VaultSecret, or one or more systemPaths: a workload that reads no secret and calls no system path needs no Vault role)'],
    [
      { serviceAccount: 'loan-service', namespace: 'lms-apps', secrets: [], systemPaths: [] },
      'VaultConsumer lms-apps/loan-service: secrets: [] is not allowed (allowed: at least one VaultSecret, or one or more systemPaths: a workload that reads no secret and calls no system path needs no Vault role)',
    ],
    [
      { serviceAccount: 'vault-snapshot', namespace: 'lms-security', systemPaths: [VaultSystemPath.of('sys/storage/raft/snapshot', ['read']), VaultSystemPath.of('sys/storage/raft/snapshot', ['sudo'])] },
      'VaultConsumer lms-security/vault-snapshot: systemPaths: "sys/storage/raft/snapshot" is not allowed (allowed: each path once: merge its capabilities into one VaultSystemPath)',
    ],
    [
      { serviceAccount: 'vault-snapshot', namespace: 'lms-security', systemPaths: [VaultSystemPath.of('kv/data/staging/loan-service', ['read'])] },
      'VaultConsumer lms-security/vault-snapshot: systemPaths: "kv/data/staging/loan-service" is not allowed (allowed: a path outside the KV mount "kv" (declare KV secrets as VaultSecret, so they stay under the environment\'s prefix))',
    ],
    [
      { serviceAccount: 'vault-snapshot', namespace: 'lms-security', secrets: [new VaultSecret({ environment: 'dev', path: 'dev/vault-snapshot', mount: 'secrets' })], systemPaths: [VaultSystemPath.of('secrets/data/x', ['read'])] },
      'VaultConsumer lms-security/vault-snapshot: systemPaths: "secrets/data/x" is not allowed (allowed: a path outside the KV mount "secrets" (declare KV secrets as VaultSecret, so they stay under the environment\'s prefix))',
    ],
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

  test('a consumer of system paths only: no KV secret, no environment, paths sorted', () => {
    const consumer = new VaultConsumer({
      serviceAccount: 'vault-snapshot',
      namespace: 'lms-security',
      secrets: [],
      systemPaths: [VaultSystemPath.of('sys/storage/raft/snapshot', ['read']), VaultSystemPath.of('sys/health', ['read'])],
    });
    expect({ secrets: consumer.secrets, environment: consumer.environment, systemPaths: consumer.systemPaths.map(String) }).toEqual({
      secrets: [],
      environment: undefined,
      systemPaths: ['sys/health', 'sys/storage/raft/snapshot'],
    });
  });
});

describe('VaultSystemPath', () => {
  test('capabilities sorted in policy order, without repeats', () => {
    const systemPath = VaultSystemPath.of('sys/storage/raft/snapshot-force', ['update', 'sudo', 'update', 'read', 'list', 'delete', 'create']);
    expect({ path: systemPath.path, capabilities: systemPath.capabilities, text: systemPath.toString() }).toEqual({
      path: 'sys/storage/raft/snapshot-force',
      capabilities: ['create', 'delete', 'list', 'read', 'sudo', 'update'],
      text: 'sys/storage/raft/snapshot-force',
    });
  });

  const SHAPE = 'a Vault API path of two or more parts separated by "/", each lower-case letters, digits, "-" and "_", without leading "/" or "v1/", e.g. "sys/storage/raft/snapshot"';
  test.each([
    ['sys/storage/raft/*', ['read'], 'VaultSystemPath "sys/storage/raft/*": path: "sys/storage/raft/*" is not allowed (allowed: an exact path without the wildcards "*" and "+": a policy grants only the paths a workload names)'],
    ['sys/+/snapshot', ['read'], 'VaultSystemPath "sys/+/snapshot": path: "sys/+/snapshot" is not allowed (allowed: an exact path without the wildcards "*" and "+": a policy grants only the paths a workload names)'],
    ['/sys/health', ['read'], `VaultSystemPath "/sys/health": path: "/sys/health" is not allowed (allowed: ${SHAPE})`],
    ['sys/health/', ['read'], `VaultSystemPath "sys/health/": path: "sys/health/" is not allowed (allowed: ${SHAPE})`],
    ['sys', ['read'], `VaultSystemPath "sys": path: "sys" is not allowed (allowed: ${SHAPE})`],
    ['sys/../kv/data', ['read'], `VaultSystemPath "sys/../kv/data": path: "sys/../kv/data" is not allowed (allowed: ${SHAPE})`],
    ['Sys/Health', ['read'], `VaultSystemPath "Sys/Health": path: "Sys/Health" is not allowed (allowed: ${SHAPE})`],
    ['v1/sys/health', ['read'], 'VaultSystemPath "v1/sys/health": path: "v1/sys/health" is not allowed (allowed: the path as a policy names it, without the API prefix "v1/": "sys/health")'],
    ['sys/health', [], 'VaultSystemPath "sys/health": capabilities: [] is not allowed (allowed: one or more of "create", "delete", "list", "read", "sudo", "update")'],
    ['sys/health', ['deny'], 'VaultSystemPath "sys/health": capabilities: "deny" is not allowed (allowed: one or more of "create", "delete", "list", "read", "sudo", "update")'],
  ])('%s %j is rejected', (path, capabilities, message) => {
    expect(() => VaultSystemPath.of(path, capabilities as VaultSystemCapability[])).toThrow(new PlatformError(message));
  });
});
