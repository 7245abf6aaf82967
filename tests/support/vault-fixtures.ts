import { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import { LocalBackend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { VaultConsumer, VaultSecret } from '../../constructs/vault-secret';
import { VaultConfiguration, type VaultConfigurationProps } from '../../stacks/vault-configuration';

/** The loan-service: one KV secret holding `mssql_password`, `s3_*` and `auth_jwt_secret`. */
export function loanServiceConsumer(environment: string): VaultConsumer {
  return new VaultConsumer({ serviceAccount: 'loan-service', namespace: 'lms-apps', secrets: [VaultSecret.kv(environment, 'loan-service')] });
}

/** A second workload, so a test can show one consumer's token cannot read the other's secrets. */
export function reportsConsumer(environment: string): VaultConsumer {
  return new VaultConsumer({
    serviceAccount: 'report-builder',
    namespace: 'lms-reports',
    role: 'reports',
    secrets: [VaultSecret.kv(environment, 'reports/smtp'), VaultSecret.kv(environment, 'reports/exports', ['create', 'read', 'update'])],
  });
}

/**
 * A stack as a site's `vault-config` layer would hold it: the Vault provider (address only;
 * the token is VAULT_TOKEN at apply time) and the configuration for the two consumers.
 */
export class VaultConfigurationTestStack extends TerraformStack {
  public readonly configuration: VaultConfiguration;

  constructor(scope: Construct, id: string, props: { address: string; environment: string; statePath?: string } & Partial<VaultConfigurationProps>) {
    super(scope, id);
    if (props.statePath) new LocalBackend(this, { path: props.statePath });
    const provider = new VaultProvider(this, 'vault', { address: props.address });
    this.configuration = new VaultConfiguration(this, 'vault-config', {
      provider,
      environment: props.environment,
      consumers: props.consumers ?? [loanServiceConsumer(props.environment), reportsConsumer(props.environment)],
      kubernetesHost: props.kubernetesHost ?? 'https://kubernetes.default.svc',
      ...(props.audit ? { audit: props.audit } : {}),
      ...(props.operatorTasks ? { operatorTasks: props.operatorTasks } : {}),
    });
  }
}
