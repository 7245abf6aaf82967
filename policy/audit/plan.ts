import { loadAll } from 'js-yaml';
import { PlatformError, formatValue } from '../../constructs/platform-error';
import { field, isRecord, objectRef } from '../objects';
import type { KubeObject, ObjectRef } from '../types';

/**
 * The synthesized plan as the audit reads it: what `npm run synth` wrote into cdktf.out/
 * (Terraform JSON per stack, the charts a stack carries, the failover runbooks), parsed
 * into the few shapes the audit rules need. Nothing here reads files: the audit entry
 * (stacks/audit.ts) hands over the files' text.
 */

/** The two sites, in the order reports list them. */
export const PLAN_SITES = ['lusaka', 'kitwe'] as const;

/** One Kubernetes object a stack applies (`kubernetes_manifest`) or carries in a local chart. */
export interface PlanObject {
  readonly object: KubeObject;
  readonly ref: ObjectRef;
  /** Where in the stack's folder it is written, e.g. `cdk.tf.json` or `charts/crds-metallb/objects/001-....yaml`. */
  readonly file: string;
}

/** One `helm_release`, its values parsed. */
export interface PlanRelease {
  readonly ref: ObjectRef;
  readonly name: string;
  readonly namespace: string;
  /** Chart name, or `./charts/<name>` for a chart the stack carries. */
  readonly chart: string;
  /** `undefined` for a chart the stack carries. */
  readonly repository?: string;
  readonly version?: string;
  /** Every values document merged in order (later keys win), as Helm merges them. */
  readonly values: Readonly<Record<string, unknown>>;
}

/** A Vault policy's path rules. */
export interface PlanVaultPolicy {
  readonly ref: ObjectRef;
  readonly name: string;
  readonly paths: readonly { readonly path: string; readonly capabilities: readonly string[] }[];
}

/** A Vault Kubernetes auth role: which service accounts log in and the policies they get. */
export interface PlanVaultRole {
  readonly ref: ObjectRef;
  readonly name: string;
  readonly serviceAccounts: readonly string[];
  readonly namespaces: readonly string[];
  /** Policy names (references to `vault_policy` resources resolved to their names). */
  readonly policies: readonly string[];
}

/** A stack's Terraform backend. */
export interface PlanBackend {
  readonly ref: ObjectRef;
  /** `s3`, `local`, ... */
  readonly type: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** A provider configuration: its type, alias and the endpoint it talks to. */
export interface PlanProvider {
  readonly ref: ObjectRef;
  readonly type: string;
  readonly endpoint: unknown;
}

/** One synthesized stack: `<environment>-<site>-<layer>`. */
export interface StackPlan {
  readonly name: string;
  readonly environment: string;
  readonly site: string;
  readonly layer: string;
  readonly backend?: PlanBackend;
  readonly providers: readonly PlanProvider[];
  readonly objects: readonly PlanObject[];
  readonly releases: readonly PlanRelease[];
  readonly vaultPolicies: readonly PlanVaultPolicy[];
  readonly vaultRoles: readonly PlanVaultRole[];
  /** Every resource type with its count, e.g. `{ kubernetes_manifest: 59 }`. */
  readonly resourceTypes: Readonly<Record<string, number>>;
  /** The whole parsed Terraform JSON, for rules that scan every value (secrets, hosts). */
  readonly terraform: Readonly<Record<string, unknown>>;
}

/** Every stack of one environment, sorted by name, and its failover runbook. */
export interface EnvironmentPlan {
  readonly name: string;
  readonly stacks: readonly StackPlan[];
  /** `runbooks/<environment>-failover.md`, when the synth wrote one. */
  readonly runbook?: string;
}

/** A synthesized file: its path relative to the output folder (with `/`), and its text. */
export interface PlanFile {
  readonly path: string;
  readonly text: string;
}

const STACK_FILE = /^stacks\/([^/]+)\/cdk\.tf\.json$/;
const CHART_OBJECT_FILE = /^stacks\/([^/]+)\/(charts\/[^/]+\/objects\/[^/]+\.ya?ml)$/;
const RUNBOOK_FILE = /^runbooks\/(.+)-failover\.md$/;

/**
 * Parses a synth output folder's files into one plan per environment, sorted by name.
 *
 * @throws PlatformError naming the file when one cannot be read: invalid JSON or YAML, a
 *   stack name that is not `<environment>-<lusaka|kitwe>-<layer>`, or no stack at all.
 */
export function parsePlan(files: readonly PlanFile[]): EnvironmentPlan[] {
  const chartObjects = new Map<string, PlanObject[]>();
  for (const file of files) {
    const match = CHART_OBJECT_FILE.exec(file.path);
    if (!match) continue;
    const stack = match[1]!;
    const documents = parseYamlDocuments(file);
    const list = chartObjects.get(stack) ?? [];
    for (const document of documents) {
      if (!isRecord(document)) continue;
      const object = document as unknown as KubeObject;
      list.push({ object, ref: { ...objectRef(object), stack }, file: match[2]! });
    }
    chartObjects.set(stack, list);
  }
  const stacks = files
    .filter((file) => STACK_FILE.test(file.path))
    .map((file) => parseStack(STACK_FILE.exec(file.path)![1]!, file, chartObjects.get(STACK_FILE.exec(file.path)![1]!) ?? []));
  if (stacks.length === 0) throw new PlatformError('synthesized plan: no stacks/<stack>/cdk.tf.json found (allowed: the output folder of `npm run synth`; run `npm run synth` first)');
  const runbooks = new Map(files.flatMap((file) => (RUNBOOK_FILE.test(file.path) ? [[RUNBOOK_FILE.exec(file.path)![1]!, file.text] as const] : [])));
  const names = [...new Set(stacks.map((stack) => stack.environment))].sort();
  return names.map((name) => {
    const runbook = runbooks.get(name);
    return { name, stacks: stacks.filter((stack) => stack.environment === name).sort((a, b) => compare(a.name, b.name)), ...(runbook === undefined ? {} : { runbook }) };
  });
}

function parseStack(name: string, file: PlanFile, chartObjects: readonly PlanObject[]): StackPlan {
  const nameMatch = new RegExp(`^(.+)-(${PLAN_SITES.join('|')})-([a-z0-9-]+)$`).exec(name);
  if (!nameMatch) throw new PlatformError(`${file.path}: stack name ${formatValue(name)} is not <environment>-<site>-<layer> (allowed sites: ${PLAN_SITES.join(', ')})`);
  let terraform: unknown;
  try {
    terraform = JSON.parse(file.text);
  } catch (error) {
    throw new PlatformError(`${file.path}: not valid JSON (${(error as Error).message}) (allowed: Terraform JSON as \`npm run synth\` writes it)`);
  }
  if (!isRecord(terraform)) throw new PlatformError(`${file.path}: ${formatValue(terraform)} is not a Terraform JSON object (allowed: Terraform JSON as \`npm run synth\` writes it)`);
  const resources = isRecord(terraform.resource) ? terraform.resource : {};
  const resourcesOf = (type: string) => (isRecord(resources[type]) ? Object.entries(resources[type] as Record<string, unknown>).sort(([a], [b]) => compare(a, b)) : []);

  const objects: PlanObject[] = resourcesOf('kubernetes_manifest').map(([, resource]) => {
    const object = (field(resource, 'manifest') ?? {}) as KubeObject;
    return { object, ref: { ...objectRef(object), stack: name }, file: 'cdk.tf.json' };
  });
  objects.push(...chartObjects);

  const releases: PlanRelease[] = resourcesOf('helm_release').map(([, resource]) => {
    const releaseName = String(field(resource, 'name'));
    const namespace = String(field(resource, 'namespace') ?? 'default');
    const documents = field(resource, 'values');
    const values: Record<string, unknown> = {};
    for (const [index, text] of (Array.isArray(documents) ? documents : []).entries()) {
      const parsed = typeof text === 'string' ? parseYamlDocuments({ path: `${file.path}: helm_release ${releaseName} values[${index}]`, text })[0] : text;
      if (isRecord(parsed)) Object.assign(values, parsed);
    }
    const repository = field(resource, 'repository');
    const version = field(resource, 'version');
    return {
      ref: { kind: 'HelmRelease', namespace, name: releaseName, stack: name },
      name: releaseName,
      namespace,
      chart: String(field(resource, 'chart')),
      ...(typeof repository === 'string' ? { repository } : {}),
      ...(typeof version === 'string' ? { version } : {}),
      values,
    };
  });

  const policyNames = new Map<string, string>();
  const vaultPolicies: PlanVaultPolicy[] = resourcesOf('vault_policy').map(([id, resource]) => {
    const policyName = String(field(resource, 'name'));
    policyNames.set(id, policyName);
    return { ref: { kind: 'VaultPolicy', namespace: '', name: policyName, stack: name }, name: policyName, paths: vaultPolicyPaths(String(field(resource, 'policy') ?? '')) };
  });
  const strings = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
  const vaultRoles: PlanVaultRole[] = resourcesOf('vault_kubernetes_auth_backend_role').map(([, resource]) => {
    const roleName = String(field(resource, 'role_name'));
    const policies = strings(field(resource, 'token_policies')).map((policy) => {
      const reference = /^\$\{vault_policy\.([^.]+)\.name\}$/.exec(policy);
      return reference ? (policyNames.get(reference[1]!) ?? policy) : policy;
    });
    return { ref: { kind: 'VaultRole', namespace: '', name: roleName, stack: name }, name: roleName, serviceAccounts: strings(field(resource, 'bound_service_account_names')), namespaces: strings(field(resource, 'bound_service_account_namespaces')), policies };
  });

  const backendBlock = field(terraform.terraform, 'backend');
  const backendType = isRecord(backendBlock) ? Object.keys(backendBlock)[0] : undefined;
  const backend: PlanBackend | undefined =
    backendType === undefined ? undefined : { ref: { kind: 'TerraformBackend', namespace: '', name: backendType, stack: name }, type: backendType, config: (field(backendBlock, backendType) ?? {}) as Record<string, unknown> };

  const providers: PlanProvider[] = [];
  for (const [type, configs] of Object.entries(isRecord(terraform.provider) ? terraform.provider : {}).sort(([a], [b]) => compare(a, b))) {
    for (const config of Array.isArray(configs) ? configs : [configs]) {
      const alias = String(field(config, 'alias') ?? 'default');
      const endpoint = field(config, 'host') ?? field(field(config, 'kubernetes'), 'host') ?? field(config, 'address') ?? field(config, 'endpoint');
      providers.push({ ref: { kind: 'TerraformProvider', namespace: '', name: `${type}.${alias}`, stack: name }, type, endpoint });
    }
  }

  const resourceTypes = Object.fromEntries(Object.keys(resources).sort(compare).map((type) => [type, resourcesOf(type).length]));
  return { name, environment: nameMatch[1]!, site: nameMatch[2]!, layer: nameMatch[3]!, ...(backend ? { backend } : {}), providers, objects, releases, vaultPolicies, vaultRoles, resourceTypes, terraform };
}

/** `path "kv/data/x" { capabilities = ["read"] }` blocks of a Vault policy's HCL. */
export function vaultPolicyPaths(hcl: string): { path: string; capabilities: string[] }[] {
  return [...hcl.matchAll(/path\s+"([^"]*)"\s*\{([^}]*)\}/g)].map((match) => ({
    path: match[1]!,
    capabilities: [...(/capabilities\s*=\s*\[([^\]]*)\]/.exec(match[2]!)?.[1] ?? '').matchAll(/"([^"]*)"/g)].map((capability) => capability[1]!),
  }));
}

function parseYamlDocuments(file: PlanFile): unknown[] {
  try {
    return loadAll(file.text).filter((document) => document !== null && document !== undefined);
  } catch (error) {
    throw new PlatformError(`${file.path}: not valid YAML (${(error as Error).message.split('\n')[0]}) (allowed: YAML as \`npm run synth\` writes it)`);
  }
}

/** Code-point order: the same on every machine and locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every Kubernetes object of an environment, stack by stack. */
export function objectsOf(plan: EnvironmentPlan): PlanObject[] {
  return plan.stacks.flatMap((stack) => stack.objects);
}

/** Every Helm release of an environment. */
export function releasesOf(plan: EnvironmentPlan): PlanRelease[] {
  return plan.stacks.flatMap((stack) => stack.releases);
}

/**
 * The site that backs SQL Server up (an unsuspended `sql-server-backup-log` CronJob):
 * the primary. `undefined` when no site or both do.
 */
export function primarySiteOf(plan: EnvironmentPlan): string | undefined {
  const sites = new Set(
    objectsOf(plan)
      .filter(({ object }) => object.kind === 'CronJob' && object.metadata.name === 'sql-server-backup-log' && field(object.spec, 'suspend') !== true)
      .map(({ ref }) => siteOfStack(plan, ref.stack)),
  );
  return sites.size === 1 ? [...sites][0] : undefined;
}

export function siteOfStack(plan: EnvironmentPlan, stackName: string | undefined): string | undefined {
  return plan.stacks.find((stack) => stack.name === stackName)?.site;
}

/** Every string inside a value with the path to it (`a.b[2].c`), depth first in key order. */
export function* stringsIn(value: unknown, path = ''): Generator<{ path: string; text: string }> {
  if (typeof value === 'string') yield { path, text: value };
  else if (Array.isArray(value)) for (const [index, entry] of value.entries()) yield* stringsIn(entry, `${path}[${index}]`);
  else if (isRecord(value)) for (const key of Object.keys(value).sort(compare)) yield* stringsIn(value[key], path ? `${path}.${key}` : key);
}
