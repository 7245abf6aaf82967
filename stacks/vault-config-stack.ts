import { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import { TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { serviceHost } from '../constructs/service-references';
import { VAULT_API_PORT, type VaultCluster } from '../constructs/vault-cluster';
import type { VaultOperatorTask } from '../constructs/vault-access';
import { VaultSecret, type VaultConsumer } from '../constructs/vault-secret';
import type { Environment, StateBackend } from '../environments/schema';
import { vaultConfigStackName } from './layers/order';
import { DNS_FAILOVER_POLICY } from './runbook';
import { configureStateBackend } from './state-backend';
import { siteKey } from './state-bootstrap';
import { VaultAudit, VaultConfiguration } from './vault-configuration';

/**
 * What operators read from Vault by hand in the environment's failover runbook: the TSIG key
 * of the DNS update (`traffic.dnsFailover.tsigKeyVaultPath`), under policy `failover-dns`.
 */
export function operatorTasksOf(environment: Environment): VaultOperatorTask[] {
  const keyPath = environment.traffic.dnsFailover.tsigKeyVaultPath;
  if (keyPath === undefined) return [];
  const [mount, ...path] = keyPath.split('/');
  return [{ name: DNS_FAILOVER_POLICY, purpose: "the failover's DNS update (its TSIG key)", secrets: [new VaultSecret({ environment: environment.name, mount, path: path.join('/') })] }];
}

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
  /**
   * Operators' tasks with the site's secrets (see `operatorTasksOf`).
   * @default - none
   */
  readonly operatorTasks?: readonly VaultOperatorTask[];
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
    configureStateBackend(this, this.node.id, props.state, siteKey(props.environmentName, props.siteName));
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
      operatorTasks: props.operatorTasks,
      kubernetesHost: IN_CLUSTER_KUBERNETES_HOST,
      audit: VaultAudit.file(props.vault.auditLogPath),
    });
  }
}
