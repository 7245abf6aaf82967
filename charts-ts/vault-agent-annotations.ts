/**
 * Vault Agent Injector annotations, shared by every chart whose pods get secrets from Vault.
 * @see https://developer.hashicorp.com/vault/docs/platform/k8s/injector/annotations
 */

/** Where the Vault agent writes secrets; workloads read them from there. */
export const VAULT_SECRETS_DIR = '/vault/secrets';
/** The projected service-account token volume only the Vault agent mounts. */
export const VAULT_TOKEN_VOLUME = 'vault-token';

/** Where the injector mounts the `tlsSecret` Secret's `ca.crt` in the agent containers. */
export const VAULT_AGENT_TLS_CA_FILE = '/vault/tls/ca.crt';

/** One file the Vault agent renders into `/vault/secrets/<file>` from a KV v2 secret. */
export interface VaultSecretFile {
  /** File name the workload reads, e.g. `mssql-password`. */
  readonly file: string;
  /** KV v2 path, e.g. `kv/data/production/loan-service`. */
  readonly path: string;
  /** Key inside the secret's data: the file holds its bare value. */
  readonly key: string;
}

/** A file rendered from a KV v2 secret with a template of its own (e.g. several keys in one file). */
export interface VaultTemplateFile {
  /** File name the workload reads, e.g. `object-store.env`. */
  readonly file: string;
  /** KV v2 path, e.g. `kv/data/production/vault-snapshot`. */
  readonly path: string;
  /** The agent template (consul-template syntax) that renders the file. */
  readonly template: string;
}

/** How a pod's Vault agent logs in and what it renders. */
export interface VaultAgentInjection {
  /** The Vault API address, `https://...`. */
  readonly address: string;
  /** The Kubernetes-auth role the agent logs in as. */
  readonly role: string;
  /** Files holding one key's bare value each. */
  readonly secrets: readonly VaultSecretFile[];
  /**
   * Files rendered with their own template.
   * @default - none
   */
  readonly templates?: readonly VaultTemplateFile[];
  /**
   * Only the init agent runs, no sidecar: for Jobs, whose pods must end.
   * @default false
   */
  readonly prePopulateOnly?: boolean;
  /**
   * The agent also writes its Vault token to `/vault/secrets/token`, for a container that
   * calls the Vault API itself.
   * @default false
   */
  readonly injectToken?: boolean;
  /**
   * The CA certificate file the agent verifies Vault's TLS with, a path in the agent container.
   * @default - the agent image's system roots
   */
  readonly caCertFile?: string;
  /**
   * A Secret of the pod's namespace the injector mounts at `/vault/tls` in the agent
   * containers only, e.g. one holding the CA as `ca.crt` (then `caCertFile: '/vault/tls/ca.crt'`).
   * @default - none
   */
  readonly tlsSecret?: string;
  /**
   * A container (or init container) whose volume mounts the agent containers get too, e.g.
   * to read `caCertFile` from the volume it mounts.
   * @default - none
   */
  readonly copyVolumeMountsFrom?: string;
}

/**
 * The injector annotations of a pod: the agent starts first (so secrets exist before the
 * workload does), authenticates with the pod's service account through the projected token
 * volume (VAULT_TOKEN_VOLUME) that only its containers mount, and renders each secret as a
 * file in VAULT_SECRETS_DIR.
 */
export function vaultAgentAnnotations(vault: VaultAgentInjection): Record<string, string> {
  const annotations: Record<string, string> = {
    'vault.hashicorp.com/agent-inject': 'true',
    'vault.hashicorp.com/agent-init-first': 'true',
    'vault.hashicorp.com/role': vault.role,
    'vault.hashicorp.com/service': vault.address,
    'vault.hashicorp.com/secret-volume-path': VAULT_SECRETS_DIR,
    'vault.hashicorp.com/agent-service-account-token-volume-name': VAULT_TOKEN_VOLUME,
  };
  if (vault.prePopulateOnly) annotations['vault.hashicorp.com/agent-pre-populate-only'] = 'true';
  if (vault.injectToken) annotations['vault.hashicorp.com/agent-inject-token'] = 'true';
  if (vault.tlsSecret !== undefined) annotations['vault.hashicorp.com/tls-secret'] = vault.tlsSecret;
  if (vault.caCertFile !== undefined) annotations['vault.hashicorp.com/ca-cert'] = vault.caCertFile;
  if (vault.copyVolumeMountsFrom !== undefined) annotations['vault.hashicorp.com/agent-copy-volume-mounts'] = vault.copyVolumeMountsFrom;
  for (const secret of vault.secrets) {
    annotations[`vault.hashicorp.com/agent-inject-secret-${secret.file}`] = secret.path;
    annotations[`vault.hashicorp.com/agent-inject-template-${secret.file}`] = `{{- with secret "${secret.path}" -}}{{ .Data.data.${secret.key} }}{{- end -}}`;
  }
  for (const file of vault.templates ?? []) {
    annotations[`vault.hashicorp.com/agent-inject-secret-${file.file}`] = file.path;
    annotations[`vault.hashicorp.com/agent-inject-template-${file.file}`] = file.template;
  }
  return annotations;
}
