import { Duration } from './duration';
import { PlatformError, formatValue } from './platform-error';

/**
 * What a workload may do with a KV v2 secret. `read` is what a Vault agent needs to render
 * it; the others are for the rare workload that writes its own secrets.
 */
export type VaultSecretCapability = 'create' | 'read' | 'update' | 'delete';

/** Every capability, in the order policies list them. */
export const VAULT_SECRET_CAPABILITIES: readonly VaultSecretCapability[] = ['create', 'delete', 'read', 'update'];

/** The KV v2 mount every platform secret lives in. */
export const DEFAULT_KV_MOUNT = 'kv';

const NAME = /^[a-z][a-z0-9-]{0,62}$/;
const SEGMENT = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export interface VaultSecretProps {
  /** The environment the secret belongs to (`production`): its path must start with `<environment>/`. */
  readonly environment: string;
  /**
   * Path inside the mount: `<environment>/<workload>` or `<environment>/<workload>/<name>`,
   * each segment lower-case letters, digits, `-` and `_`. No wildcard, no `..`.
   */
  readonly path: string;
  /**
   * The KV v2 mount.
   * @default 'kv' - the mount VaultConfiguration creates
   */
  readonly mount?: string;
  /**
   * What the consumer may do with the secret.
   * @default ['read']
   */
  readonly capabilities?: readonly VaultSecretCapability[];
}

/**
 * One KV v2 secret a workload declares it uses. Its value never passes through Terraform:
 * an operator writes it into Vault (or Vault generates it); the platform only grants access.
 */
export class VaultSecret {
  /** `VaultSecret.kv('production', 'loan-service')`: a read-only secret at `kv/production/loan-service`. */
  public static kv(environment: string, path: string, capabilities?: readonly VaultSecretCapability[]): VaultSecret {
    return new VaultSecret({ environment, path: `${environment}/${path}`, capabilities });
  }

  public readonly environment: string;
  public readonly mount: string;
  public readonly path: string;
  /** Declared capabilities, sorted, without repeats. */
  public readonly capabilities: readonly VaultSecretCapability[];

  constructor(props: VaultSecretProps) {
    const where = `VaultSecret ${formatPathForWhere(props)}`;
    if (!NAME.test(props.environment)) {
      throw PlatformError.invalidProp(where, 'environment', props.environment, 'a lower-case name starting with a letter, e.g. "production"');
    }
    this.environment = props.environment;
    this.mount = props.mount ?? DEFAULT_KV_MOUNT;
    if (!NAME.test(this.mount)) {
      throw PlatformError.invalidProp(where, 'mount', props.mount, 'a lower-case name starting with a letter, e.g. "kv"');
    }
    this.path = props.path;
    if (/[*+]/.test(props.path)) {
      throw PlatformError.invalidProp(where, 'path', props.path, 'an exact path without the wildcards "*" and "+": a policy grants only the secrets a workload names');
    }
    const segments = props.path.split('/');
    if (segments.length < 2 || segments.length > 3 || !segments.every((segment) => SEGMENT.test(segment))) {
      throw PlatformError.invalidProp(
        where,
        'path',
        props.path,
        '"<environment>/<workload>" or "<environment>/<workload>/<name>", each part lower-case letters, digits, "-" and "_"',
      );
    }
    if (segments[0] !== this.environment) {
      throw PlatformError.invalidProp(where, 'path', props.path, `a path under "${this.environment}/", the prefix of environment "${this.environment}"`);
    }
    const capabilities = props.capabilities ?? ['read'];
    const unknown = capabilities.find((capability) => !VAULT_SECRET_CAPABILITIES.includes(capability));
    if (capabilities.length === 0 || unknown !== undefined) {
      throw PlatformError.invalidProp(where, 'capabilities', unknown ?? props.capabilities, `one or more of ${VAULT_SECRET_CAPABILITIES.map((c) => `"${c}"`).join(', ')}`);
    }
    this.capabilities = VAULT_SECRET_CAPABILITIES.filter((capability) => capabilities.includes(capability));
  }

  /** `kv/data/production/loan-service`: what the Vault agent reads, and what `LoanServiceVault.kvPath` names. */
  public get dataPath(): string {
    return `${this.mount}/data/${this.path}`;
  }

  /** `kv/metadata/production/loan-service`: the secret's versions and settings. */
  public get metadataPath(): string {
    return `${this.mount}/metadata/${this.path}`;
  }

  /** `kv/production/loan-service`: how operators name it (`bao kv get kv/production/loan-service`). */
  public toString(): string {
    return `${this.mount}/${this.path}`;
  }
}

function formatPathForWhere(props: VaultSecretProps): string {
  return `${props.mount ?? DEFAULT_KV_MOUNT}/${props.path}`;
}

/**
 * What a workload may do on a Vault API path outside the KV mount: Vault's policy
 * capabilities, without `deny` (a policy generated from declarations only grants) and
 * `patch` (no platform workload needs it).
 * @see https://developer.hashicorp.com/vault/docs/concepts/policies#capabilities
 */
export type VaultSystemCapability = 'create' | 'read' | 'update' | 'delete' | 'list' | 'sudo';

/** Every system-path capability, in the order policies list them. */
export const VAULT_SYSTEM_CAPABILITIES: readonly VaultSystemCapability[] = ['create', 'delete', 'list', 'read', 'sudo', 'update'];

/** A capability of any rule of a generated policy. */
export type VaultPolicyCapability = VaultSecretCapability | VaultSystemCapability;

const API_SEGMENT = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export interface VaultSystemPathProps {
  /**
   * The exact Vault API path, as a policy names it (no leading `/v1/`, no leading or trailing
   * `/`): `sys/storage/raft/snapshot`. Segments of lower-case letters, digits, `-` and `_`;
   * no wildcard `*` or `+`.
   */
  readonly path: string;
  /** What the workload may do there: one or more of `create`, `read`, `update`, `delete`, `list`, `sudo`. */
  readonly capabilities: readonly VaultSystemCapability[];
}

/**
 * One Vault API path outside the KV mount a workload declares it calls, e.g. the Raft
 * snapshot endpoint a backup job reads: `VaultSystemPath.of('sys/storage/raft/snapshot', ['read'])`.
 * Its policy block grants exactly this path and these capabilities.
 */
export class VaultSystemPath {
  /** `VaultSystemPath.of('sys/storage/raft/snapshot', ['read'])`. */
  public static of(path: string, capabilities: readonly VaultSystemCapability[]): VaultSystemPath {
    return new VaultSystemPath({ path, capabilities });
  }

  public readonly path: string;
  /** Declared capabilities, sorted, without repeats. */
  public readonly capabilities: readonly VaultSystemCapability[];

  constructor(props: VaultSystemPathProps) {
    const where = `VaultSystemPath ${formatValue(props.path)}`;
    if (typeof props.path !== 'string' || /[*+]/.test(props.path)) {
      throw PlatformError.invalidProp(where, 'path', props.path, 'an exact path without the wildcards "*" and "+": a policy grants only the paths a workload names');
    }
    const segments = props.path.split('/');
    if (segments.length < 2 || !segments.every((segment) => API_SEGMENT.test(segment))) {
      throw PlatformError.invalidProp(
        where,
        'path',
        props.path,
        'a Vault API path of two or more parts separated by "/", each lower-case letters, digits, "-" and "_", without leading "/" or "v1/", e.g. "sys/storage/raft/snapshot"',
      );
    }
    if (segments[0] === 'v1') {
      throw PlatformError.invalidProp(where, 'path', props.path, `the path as a policy names it, without the API prefix "v1/": "${segments.slice(1).join('/')}"`);
    }
    this.path = props.path;
    const capabilities = Array.isArray(props.capabilities) ? props.capabilities : [];
    const unknown = capabilities.find((capability) => !VAULT_SYSTEM_CAPABILITIES.includes(capability));
    if (capabilities.length === 0 || unknown !== undefined) {
      throw PlatformError.invalidProp(where, 'capabilities', unknown ?? props.capabilities, `one or more of ${VAULT_SYSTEM_CAPABILITIES.map((c) => `"${c}"`).join(', ')}`);
    }
    this.capabilities = VAULT_SYSTEM_CAPABILITIES.filter((capability) => capabilities.includes(capability));
  }

  public toString(): string {
    return this.path;
  }
}

export interface VaultConsumerProps {
  /** The Kubernetes service account the workload's pods run as (`loan-service`). */
  readonly serviceAccount: string;
  /** The namespace of that service account (`lms-apps`). */
  readonly namespace: string;
  /**
   * The KV secrets the workload reads (or writes), all of one environment. May be empty only
   * when `systemPaths` is not.
   */
  readonly secrets: readonly VaultSecret[];
  /**
   * Vault API paths outside the KV mount the workload calls, e.g. `sys/storage/raft/snapshot`.
   * @default - none
   */
  readonly systemPaths?: readonly VaultSystemPath[];
  /**
   * Name of the Kubernetes-auth role and of its policy: what the pod's Vault agent logs in as
   * (`vault.hashicorp.com/role`).
   * @default - the service account's name
   */
  readonly role?: string;
  /**
   * Lifetime of a token the role issues; the Vault agent renews it before it ends.
   * @default Duration.hours(1)
   */
  readonly tokenTtl?: Duration;
  /**
   * Longest a token lives with renewals; then the agent logs in again with a fresh
   * service-account token.
   * @default Duration.hours(4)
   */
  readonly tokenMaxTtl?: Duration;
}

/** A workload that reads secrets from Vault: who it is in Kubernetes and what it may read. */
export class VaultConsumer {
  public readonly serviceAccount: string;
  public readonly namespace: string;
  public readonly role: string;
  /** Declared secrets, sorted by path. */
  public readonly secrets: readonly VaultSecret[];
  /** Declared system paths, sorted by path. */
  public readonly systemPaths: readonly VaultSystemPath[];
  public readonly tokenTtl: Duration;
  public readonly tokenMaxTtl: Duration;

  constructor(props: VaultConsumerProps) {
    const where = `VaultConsumer ${props.namespace}/${props.serviceAccount}`;
    if (!NAME.test(props.serviceAccount)) {
      throw PlatformError.invalidProp(where, 'serviceAccount', props.serviceAccount, 'a Kubernetes service account name: lower-case letters, digits and "-", starting with a letter');
    }
    if (!NAME.test(props.namespace)) {
      throw PlatformError.invalidProp(where, 'namespace', props.namespace, 'a Kubernetes namespace name: lower-case letters, digits and "-", starting with a letter');
    }
    this.serviceAccount = props.serviceAccount;
    this.namespace = props.namespace;
    this.role = props.role ?? props.serviceAccount;
    if (!NAME.test(this.role)) {
      throw PlatformError.invalidProp(where, 'role', props.role, 'lower-case letters, digits and "-", starting with a letter');
    }
    const systemPaths = props.systemPaths ?? [];
    if (props.secrets.length === 0 && systemPaths.length === 0) {
      throw PlatformError.invalidProp(
        where,
        'secrets',
        props.secrets,
        'at least one VaultSecret, or one or more systemPaths: a workload that reads no secret and calls no system path needs no Vault role',
      );
    }
    const seen = new Set<string>();
    for (const secret of props.secrets) {
      if (seen.has(secret.toString())) {
        throw PlatformError.invalidProp(where, 'secrets', secret.toString(), 'each secret once: merge its capabilities into one VaultSecret');
      }
      seen.add(secret.toString());
    }
    const environments = [...new Set(props.secrets.map((secret) => secret.environment))].sort();
    if (environments.length > 1) {
      throw PlatformError.invalidProp(where, 'secrets', environments, 'secrets of one environment: a site\'s Vault holds its own environment\'s secrets only');
    }
    this.secrets = [...props.secrets].sort((a, b) => compare(a.toString(), b.toString()));
    const paths = new Set<string>();
    for (const systemPath of systemPaths) {
      if (paths.has(systemPath.path)) {
        throw PlatformError.invalidProp(where, 'systemPaths', systemPath.path, 'each path once: merge its capabilities into one VaultSystemPath');
      }
      paths.add(systemPath.path);
      const mounts = [...new Set([DEFAULT_KV_MOUNT, ...props.secrets.map((secret) => secret.mount)])];
      const mount = mounts.find((name) => systemPath.path.split('/')[0] === name);
      if (mount !== undefined) {
        throw PlatformError.invalidProp(where, 'systemPaths', systemPath.path, `a path outside the KV mount "${mount}" (declare KV secrets as VaultSecret, so they stay under the environment's prefix)`);
      }
    }
    this.systemPaths = [...systemPaths].sort((a, b) => compare(a.path, b.path));
    this.tokenTtl = props.tokenTtl ?? Duration.hours(1);
    this.tokenMaxTtl = props.tokenMaxTtl ?? Duration.hours(4);
    if (this.tokenTtl.isLongerThan(this.tokenMaxTtl)) {
      throw PlatformError.invalidProp(where, 'tokenTtl', this.tokenTtl.toString(), `at most tokenMaxTtl (${this.tokenMaxTtl.toString()})`);
    }
  }

  /** The environment of its secrets; undefined for a consumer of system paths only. */
  public get environment(): string | undefined {
    return this.secrets[0]?.environment;
  }
}

/** Code-point order, the same on every machine and locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
