import { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import { TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { serviceHost } from '../constructs/service-references';
import { VAULT_API_PORT, type VaultCluster } from '../constructs/vault-cluster';
import type { VaultConsumer } from '../constructs/vault-secret';
import type { StateBackend } from '../environments/schema';
import { vaultConfigStackName } from './layers/order';
import { configureStateBackend } from './state-backend';
import { VaultAudit, VaultConfiguration } from './vault-configuration';

/** Where the API server answers Vault's TokenReviews from inside the cluster. */
export const IN_CLUSTER_KUBERNETES_HOST = 'https://kubernetes.default.svc';

export interface VaultConfigStackProps {
  readonly environmentName: string;
  readonly siteName: string;
  /** The site's state backend: the stack's state lives beside its layers'. */
  readonly state: StateBackend;
  /** The site's Vault, from its security layer. */
  readonly vault: VaultCluster;
  /** Every workload of the site that reads secrets, from every layer's components. */
  readonly consumers: readonly VaultConsumer[];
}

/**
 * `<environment>-<site>-vault-config`: the site's Vault configured as code (KV v2, Kubernetes
 * auth, a policy and a role per consumer, the audit device), applied with the hashicorp/vault
 * provider once Vault is initialised and unsealed.
 *
 * The provider reaches the active server through a port-forward by default
 * (`kubectl -n <security namespace> port-forward svc/vault-active 8200:8200`), verifies it
 * under the Service's name with the site CA in VAULT_CACERT, and authenticates with
 * VAULT_TOKEN: neither the token nor any secret value is in the synthesized JSON or the
 * state. `TF_VAR_vault_address` points it elsewhere.
 */
export class VaultConfigStack extends TerraformStack {
  public readonly siteName: string;
  public readonly address: TerraformVariable;
  public readonly provider: VaultProvider;
  public readonly configuration: VaultConfiguration;

  constructor(scope: Construct, props: VaultConfigStackProps) {
    super(scope, vaultConfigStackName(props.environmentName, props.siteName));
    this.siteName = props.siteName;
    configureStateBackend(this, this.node.id, props.state);
    const activeService = serviceHost('vault-active', props.vault.namespace);
    this.address = new TerraformVariable(this, 'vault_address', {
      type: 'string',
      default: `https://127.0.0.1:${VAULT_API_PORT}`,
      description: `Address of the ${props.siteName} Vault's active server; by default through \`kubectl -n ${props.vault.namespace} port-forward svc/vault-active ${VAULT_API_PORT}:${VAULT_API_PORT}\``,
    });
    this.provider = new VaultProvider(this, 'vault', {
      alias: props.siteName,
      address: this.address.stringValue,
      // The certificate names the Service, not 127.0.0.1.
      tlsServerName: activeService,
    });
    this.configuration = new VaultConfiguration(this, 'configuration', {
      provider: this.provider,
      environment: props.environmentName,
      consumers: props.consumers,
      kubernetesHost: IN_CLUSTER_KUBERNETES_HOST,
      audit: VaultAudit.file(props.vault.auditLogPath),
    });
  }
}
