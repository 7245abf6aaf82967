import { KvSecretV2 } from '@cdktf/provider-vault/lib/kv-secret-v2';
import { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import { Testing, TerraformStack } from 'cdktf';
import { PlatformError } from '../../constructs/platform-error';
import { VaultConsumer, VaultSecret } from '../../constructs/vault-secret';
import { VaultAudit, VaultConfiguration } from '../../stacks/vault-configuration';
import { VaultConfigurationTestStack, loanServiceConsumer } from '../support/vault-fixtures';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

function synth(props: Partial<ConstructorParameters<typeof VaultConfigurationTestStack>[2]> = {}): { json: string; resource: Resources; provider: unknown } {
  const stack = new VaultConfigurationTestStack(Testing.app(), 'dev-lusaka-vault-config', { address: 'https://vault.lms-security.svc.cluster.local:8200', environment: 'dev', ...props });
  const json = Testing.synth(stack);
  const parsed = JSON.parse(json) as { resource: Resources; provider: unknown };
  return { json, resource: parsed.resource, provider: parsed.provider };
}

/** Resources that would carry a secret value into the JSON and the state. */
function valueWriters(resource: Resources): string[] {
  const writers = ['vault_kv_secret', 'vault_kv_secret_v2', 'vault_generic_secret', 'vault_generic_endpoint'];
  return Object.entries(resource).flatMap(([type, byName]) =>
    Object.entries(byName)
      .filter(([, body]) => writers.includes(type) || 'data_json' in body)
      .map(([name]) => `${type}.${name}`),
  );
}

describe('VaultConfiguration', () => {
  const { json, resource, provider } = synth();
  const one = <T = Record<string, unknown>>(type: string): T[] => Object.values(resource[type] ?? {}) as T[];

  test('the provider has the address only: the token is VAULT_TOKEN at deploy time', () => {
    expect(provider).toEqual({ vault: [{ address: 'https://vault.lms-security.svc.cluster.local:8200' }] });
    expect(json).not.toMatch(/"token"|VAULT_TOKEN|root/);
  });

  test('a KV v2 mount, the Kubernetes auth method with the API server address only, and a stdout audit device', () => {
    expect(one('vault_mount')).toMatchObject([{ path: 'kv', type: 'kv-v2' }]);
    expect(one('vault_auth_backend')).toMatchObject([{ path: 'kubernetes', type: 'kubernetes' }]);
    const [config] = one('vault_kubernetes_auth_backend_config');
    expect(Object.keys(config).sort()).toEqual(['backend', 'kubernetes_host', 'provider']);
    expect(config.kubernetes_host).toBe('https://kubernetes.default.svc');
    expect(one('vault_audit')).toEqual([{ provider: 'vault', type: 'file', path: 'file', options: { file_path: 'stdout' } }]);
  });

  test('a policy and a role per consumer, the role naming the policy resource', () => {
    expect(one<{ name: string }>('vault_policy').map((policy) => policy.name)).toEqual(['loan-service', 'reports']);
    expect(one('vault_kubernetes_auth_backend_role')).toEqual([
      expect.objectContaining({
        role_name: 'loan-service',
        bound_service_account_names: ['loan-service'],
        bound_service_account_namespaces: ['lms-apps'],
        token_policies: ['${vault_policy.vault-config_policy-loan-service_79A76DA4.name}'],
        token_ttl: 3600,
        token_max_ttl: 14400,
      }),
      expect.objectContaining({ role_name: 'reports', bound_service_account_names: ['report-builder'], bound_service_account_namespaces: ['lms-reports'] }),
    ]);
  });

  test('the audit device comes first: mount, auth method and policies depend on it', () => {
    const dependsOn = ['vault_mount', 'vault_auth_backend', 'vault_policy'].flatMap((type) => one<{ depends_on?: string[] }>(type).map((body) => body.depends_on));
    expect(dependsOn).toEqual(Array(4).fill(['vault_audit.vault-config_audit-file_A598420A']));
  });

  test('no resource writes a secret value; the check sees one that would', () => {
    expect(valueWriters(resource)).toEqual([]);
    const stack = new TerraformStack(Testing.app(), 'leaky');
    const vault = new VaultProvider(stack, 'vault', { address: 'https://vault.example' });
    new KvSecretV2(stack, 'password', { provider: vault, mount: 'kv', name: 'dev/loan-service', dataJson: '{"mssql_password":"x"}' });
    expect(valueWriters((JSON.parse(Testing.synth(stack)) as { resource: Resources }).resource)).toEqual(['vault_kv_secret_v2.password']);
  });

  test('the output is the same whatever order consumers are given in', () => {
    const reports = new VaultConsumer({
      serviceAccount: 'report-builder',
      namespace: 'lms-reports',
      role: 'reports',
      secrets: [VaultSecret.kv('dev', 'reports/exports', ['read', 'update', 'create']), VaultSecret.kv('dev', 'reports/smtp')],
    });
    const reversed = synth({ consumers: [reports, loanServiceConsumer('dev')] });
    expect(reversed.json).toBe(json);
  });

  test('with the audit device declared in the server configuration, Terraform creates none and nothing waits for it', () => {
    const declared = synth({ audit: VaultAudit.declaredInServerConfig() });
    expect(declared.resource.vault_audit).toBeUndefined();
    expect(Object.values(declared.resource.vault_mount)[0]).not.toHaveProperty('depends_on');
  });

  test.each([
    [{ kubernetesHost: 'http://kubernetes.default.svc' }, 'kubernetesHost: "http://kubernetes.default.svc" is not allowed (allowed: an https:// URL without a path, e.g. "https://kubernetes.default.svc")'],
    [{ kvMount: 'secret/' }, 'kvMount: "secret/" is not allowed (allowed: lower-case letters, digits and "-", starting with a letter)'],
    [{ kubernetesAuthPath: 'k8s/lusaka' }, 'kubernetesAuthPath: "k8s/lusaka" is not allowed (allowed: lower-case letters, digits and "-", starting with a letter)'],
    [
      { consumers: [new VaultConsumer({ serviceAccount: 'x', namespace: 'lms-apps', secrets: [new VaultSecret({ environment: 'dev', path: 'dev/x', mount: 'secret' })] })] },
      'consumers (x).secrets: "secret/dev/x" is not allowed (allowed: secrets in the KV v2 mount "kv")',
    ],
  ])('%j is rejected', (props, message) => {
    const stack = new TerraformStack(Testing.app(), 'dev-lusaka-vault-config');
    const vault = new VaultProvider(stack, 'vault', { address: 'https://vault.example' });
    expect(
      () => new VaultConfiguration(stack, 'vault-config', { provider: vault, environment: 'dev', consumers: [loanServiceConsumer('dev')], kubernetesHost: 'https://kubernetes.default.svc', ...props }),
    ).toThrow(new PlatformError(`VaultConfiguration dev-lusaka-vault-config/vault-config: ${message}`));
  });

  test('an audit file path that is neither stdout nor absolute is rejected', () => {
    expect(VaultAudit.file('/vault/audit/audit.log').filePath).toBe('/vault/audit/audit.log');
    expect(() => VaultAudit.file('audit.log')).toThrow(
      new PlatformError('VaultAudit.file: filePath: "audit.log" is not allowed (allowed: "stdout" or an absolute file path, e.g. "/vault/audit/audit.log")'),
    );
  });
});

describe('VaultConfiguration: operator tasks', () => {
  const task = { name: 'failover-dns', purpose: "the failover's DNS update", secrets: [VaultSecret.kv('dev', 'dns-failover')] };

  test('a policy of exactly the task\'s secrets, and no role for it', () => {
    const { resource } = synth({ operatorTasks: [task] });
    const policies = Object.values(resource.vault_policy) as Array<{ name: string; policy: string }>;
    expect(policies.find((policy) => policy.name === 'failover-dns')?.policy).toBe(
      [
        '# Vault policy "failover-dns": operators, for the failover\'s DNS update. Generated by the platform; edits are overwritten.',
        '',
        'path "kv/data/dev/dns-failover" {',
        '  capabilities = ["read"]',
        '}',
        '',
        'path "kv/metadata/dev/dns-failover" {',
        '  capabilities = ["read"]',
        '}',
        '',
      ].join('\n'),
    );
    expect(Object.values(resource.vault_kubernetes_auth_backend_role).map((role) => role.role_name)).not.toContain('failover-dns');
  });

  test('a task named like a consumer role, or reading another environment\'s secrets, is refused', () => {
    expect(() => synth({ operatorTasks: [{ ...task, name: 'loan-service' }] })).toThrow(
      new PlatformError('VaultConfiguration dev-lusaka-vault-config/vault-config: operatorTasks (loan-service).name: "loan-service" is not allowed (allowed: a name no consumer role and no other task has)'),
    );
    expect(() => synth({ operatorTasks: [{ ...task, secrets: [VaultSecret.kv('production', 'dns-failover')] }] })).toThrow(
      new PlatformError('VaultOperatorTask failover-dns: secrets: "kv/production/dns-failover" is not allowed (allowed: secrets of environment "dev" (paths under "dev/"))'),
    );
  });
});
