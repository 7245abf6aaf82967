import { PlatformError } from './platform-error';
import { compare, type VaultConsumer, type VaultSecret, type VaultPolicyCapability } from './vault-secret';

/** One `path` block of a policy. */
export interface VaultPolicyRule {
  readonly path: string;
  /** Sorted. */
  readonly capabilities: readonly VaultPolicyCapability[];
}

/** A least-privilege policy for one consumer. */
export interface VaultPolicyDocument {
  /** Policy name: the consumer's role. */
  readonly name: string;
  /** Its rules, sorted by path: exactly the declared secrets' `data/` and `metadata/` paths and the declared system paths. */
  readonly rules: readonly VaultPolicyRule[];
  /** The policy as Vault stores it (HCL), byte-identical for the same consumer. */
  readonly hcl: string;
}

/**
 * A Kubernetes-auth role: which service account may log in, and the token it gets.
 * @see https://openbao.org/api-docs/auth/kubernetes/#create-role
 */
export interface KubernetesAuthRoleSpec {
  readonly name: string;
  readonly boundServiceAccountNames: readonly string[];
  readonly boundServiceAccountNamespaces: readonly string[];
  /** The consumer's policy only (plus Vault's `default`, which lets the agent renew and look up its own token). */
  readonly policies: readonly string[];
  readonly tokenTtlSeconds: number;
  readonly tokenMaxTtlSeconds: number;
}

/** What one consumer gets in Vault. */
export interface VaultAccess {
  readonly consumer: VaultConsumer;
  readonly policy: VaultPolicyDocument;
  readonly role: KubernetesAuthRoleSpec;
}

/**
 * The policy and Kubernetes-auth role of each consumer, sorted by role. A consumer's data
 * path carries exactly its declared capabilities; its metadata path is `read` only (the
 * agent sees versions; deleting all versions stays an operator's act); each declared system
 * path carries exactly its declared capabilities.
 *
 * @param environment the environment whose site's Vault this configures: every secret must be its own
 */
export function vaultAccess(environment: string, consumers: readonly VaultConsumer[]): VaultAccess[] {
  const roles = new Map<string, VaultConsumer>();
  for (const consumer of consumers) {
    const where = `VaultConsumer ${consumer.namespace}/${consumer.serviceAccount}`;
    if (consumer.environment !== undefined && consumer.environment !== environment) {
      const outside = consumer.secrets.find((secret) => secret.environment !== environment);
      throw PlatformError.invalidProp(where, 'secrets', outside?.toString(), `secrets of environment "${environment}" (paths under "${environment}/")`);
    }
    const other = roles.get(consumer.role);
    if (other) {
      throw PlatformError.invalidProp(where, 'role', consumer.role, `a role no other consumer has (${other.namespace}/${other.serviceAccount} has it)`);
    }
    roles.set(consumer.role, consumer);
  }
  return [...roles.values()]
    .sort((a, b) => compare(a.role, b.role))
    .map((consumer) => {
      const policy = policyFor(consumer);
      return {
        consumer,
        policy,
        role: {
          name: consumer.role,
          boundServiceAccountNames: [consumer.serviceAccount],
          boundServiceAccountNamespaces: [consumer.namespace],
          policies: [policy.name],
          tokenTtlSeconds: consumer.tokenTtl.totalSeconds,
          tokenMaxTtlSeconds: consumer.tokenMaxTtl.totalSeconds,
        },
      };
    });
}

/** The least-privilege policy of one consumer. */
export function policyFor(consumer: VaultConsumer): VaultPolicyDocument {
  return policyDocument(
    consumer.role,
    `service account ${consumer.namespace}/${consumer.serviceAccount}`,
    kvRules(consumer.secrets).concat(consumer.systemPaths.map((systemPath) => ({ path: systemPath.path, capabilities: systemPath.capabilities }))),
  );
}

/**
 * A task operators do by hand with secrets of the site's Vault (the failover runbook's DNS
 * update, say): a policy of exactly those secrets, which a Vault administrator attaches to a
 * short-lived token for the task (`vault token create -policy=<name> -ttl=1h`). No role: no
 * workload logs in with it.
 */
export interface VaultOperatorTask {
  /** Policy name: lower-case letters, digits and "-", starting with a letter. */
  readonly name: string;
  /** What the task is, for the policy's header: `the failover's DNS update`. */
  readonly purpose: string;
  /** The secrets it reads, all of the site's environment. */
  readonly secrets: readonly VaultSecret[];
}

/** The policy of one operator task: its secrets' data paths and their metadata, read-only unless declared. */
export function operatorPolicy(environment: string, task: VaultOperatorTask): VaultPolicyDocument {
  const where = `VaultOperatorTask ${task.name}`;
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(task.name)) {
    throw PlatformError.invalidProp(where, 'name', task.name, 'lower-case letters, digits and "-", starting with a letter');
  }
  if (task.secrets.length === 0) throw PlatformError.invalidProp(where, 'secrets', task.secrets, 'at least one VaultSecret');
  const outside = task.secrets.find((secret) => secret.environment !== environment);
  if (outside) throw PlatformError.invalidProp(where, 'secrets', outside.toString(), `secrets of environment "${environment}" (paths under "${environment}/")`);
  return policyDocument(task.name, `operators, for ${task.purpose}`, kvRules(task.secrets));
}

function kvRules(secrets: readonly VaultSecret[]): VaultPolicyRule[] {
  return secrets.flatMap((secret): VaultPolicyRule[] => [
    { path: secret.dataPath, capabilities: secret.capabilities },
    { path: secret.metadataPath, capabilities: ['read'] },
  ]);
}

function policyDocument(name: string, holder: string, rules: readonly VaultPolicyRule[]): VaultPolicyDocument {
  const sorted = [...rules].sort((a, b) => compare(a.path, b.path));
  const header = `# Vault policy "${name}": ${holder}. Generated by the platform; edits are overwritten.\n`;
  const blocks = sorted.map((rule) => `path ${JSON.stringify(rule.path)} {\n  capabilities = [${rule.capabilities.map((c) => JSON.stringify(c)).join(', ')}]\n}\n`);
  return { name, rules: sorted, hcl: header + '\n' + blocks.join('\n') };
}
