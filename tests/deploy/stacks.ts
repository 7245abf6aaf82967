import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { fromTerraformLiteral } from '../../stacks/terraform-literal';
import { PROJECT_ROOT } from '../support/tools';

/** A rendered Kubernetes object as a stack applies it. */
export interface AppliedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** How a stack's providers reach its site: its API server, or (a vault-config stack) its Vault. */
export type StackAccess =
  | { readonly kind: 'api-endpoint'; readonly host: string }
  | { readonly kind: 'kubeconfig-context'; readonly context: string }
  | { readonly kind: 'vault'; readonly addressVariable: string; readonly defaultAddress: string };

/** A policy a vault-config stack writes. */
export interface SynthesizedVaultPolicy {
  readonly name: string;
  readonly policy: string;
}

/** Where a stack keeps its Terraform state. */
export type StackBackend =
  | { readonly kind: 's3'; readonly endpoint: string; readonly bucket: string; readonly key: string; readonly region: string }
  | { readonly kind: 'local'; readonly path: string };

/** A `helm_release` of a stack, as the deploy tier installs and checks it. */
export interface SynthesizedRelease {
  /** Release name (`cert-manager`). */
  readonly name: string;
  /** Namespace the release is installed in (the provider's default, `default`, when unset). */
  readonly namespace: string;
  /** Chart name in the repository (`cert-manager`). */
  readonly chart: string;
  /** Chart version, exactly as pinned (`v1.19.6`). */
  readonly version: string;
  /**
   * URL of the Helm repository the chart comes from (`https://charts.lusaka.lms.co.zm`);
   * undefined for a chart the stack's folder carries (`localChart`).
   */
  readonly repository?: string;
  /** Absolute folder of a chart the stack carries (`chart: "./charts/crds-cert-manager"`). */
  readonly localChart?: string;
  /** Values documents (YAML), in the order Helm merges them. */
  readonly values: readonly string[];
}

/** One synthesized stack, as the deploy tier applies it: everything read from cdktf.out/. */
export interface SynthesizedStack {
  readonly name: string;
  readonly dependencies: readonly string[];
  /** Absolute working directory of Terraform for this stack. */
  readonly directory: string;
  /** The site its providers talk to (their alias). */
  readonly site: string;
  readonly access: StackAccess;
  readonly backend: StackBackend;
  /** The objects of its `kubernetes_manifest` resources, as applied. */
  readonly objects: readonly AppliedObject[];
  /** Kinds whose apply waits for a rollout. */
  readonly rolloutKinds: ReadonlySet<string>;
  /** Its `helm_release` resources, in resource-name order. */
  readonly releases: readonly SynthesizedRelease[];
  /** Its `vault_policy` resources (a vault-config stack), in name order. */
  readonly vaultPolicies: readonly SynthesizedVaultPolicy[];
  /** Its Kubernetes-auth roles (a vault-config stack), in name order. */
  readonly vaultRoles: readonly string[];
}

export interface SynthesizeOptions {
  /** Output folder (the `cdktf.out` of the run); its parent must be writable. */
  readonly outdir: string;
  /** LMS_ENVIRONMENTS for the synth. */
  readonly environments: readonly string[];
  /** LMS_ENVIRONMENTS_DIR for the synth. @default - the project's environments/ */
  readonly environmentsDir?: string;
}

/**
 * Synthesizes the selected environments with the project's own entry point
 * (`node --import tsx stacks/main.ts`) and reads back every stack, in apply order
 * (dependencies first, as cdktf deploy orders them).
 */
export function synthesize(options: SynthesizeOptions): SynthesizedStack[] {
  fs.mkdirSync(path.dirname(options.outdir), { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: options.outdir, LMS_ENVIRONMENTS: options.environments.join(',') };
  if (options.environmentsDir) env.LMS_ENVIRONMENTS_DIR = options.environmentsDir;
  else delete env.LMS_ENVIRONMENTS_DIR;
  try {
    execFileSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'stacks/main.ts')], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failure = error as { stderr?: Buffer; message: string };
    throw new Error(`synth of ${options.environments.join(',')} failed: ${failure.stderr?.toString().trim() || failure.message}`);
  }
  return readStacks(options.outdir);
}

/** Reads cdktf.out/manifest.json and every stack's cdk.tf.json, in apply order. */
export function readStacks(outdir: string): SynthesizedStack[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { name: string; dependencies: string[]; workingDirectory: string; synthesizedStackPath: string }>;
  };
  const stacks = Object.values(manifest.stacks).map((entry): SynthesizedStack => {
    const file = path.join(outdir, entry.synthesizedStackPath);
    const config = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (config.provider?.vault) return vaultStack(entry, config, file, outdir);
    const providers: any[] = config.provider?.kubernetes ?? [];
    if (providers.length !== 1) throw new Error(`${file}: provider.kubernetes: ${providers.length} providers (the deploy tier expects exactly one per stack)`);
    const [provider] = providers;
    const access: StackAccess = provider.host
      ? { kind: 'api-endpoint', host: provider.host }
      : provider.config_context
        ? { kind: 'kubeconfig-context', context: provider.config_context }
        : (() => {
            throw new Error(`${file}: provider.kubernetes[0]: neither host nor config_context is set`);
          })();
    const releases = releasesOf(config, provider.alias, file);
    const manifests = Object.values((config.resource?.kubernetes_manifest ?? {}) as Record<string, { manifest: AppliedObject; wait?: { rollout?: boolean } }>);
    return {
      name: entry.name,
      dependencies: entry.dependencies,
      directory: path.join(outdir, entry.workingDirectory),
      site: provider.alias,
      access,
      backend: backendOf(config.terraform?.backend, file),
      // As Terraform passes them on: the synthesized JSON escapes `${` and `%{` in every string.
      objects: manifests.map((resource) => fromTerraformLiteral(resource.manifest)),
      rolloutKinds: new Set(manifests.filter((resource) => resource.wait?.rollout).map((resource) => resource.manifest.kind)),
      releases,
      vaultPolicies: [],
      vaultRoles: [],
    };
  });
  return applyOrder(stacks);
}

/**
 * A site's vault-config stack: one vault provider, aliased by the site, whose address is a
 * Terraform variable (the deploy tier points it at the site's Vault), and no Kubernetes
 * provider at all.
 */
function vaultStack(entry: { name: string; dependencies: string[]; workingDirectory: string }, config: Record<string, any>, file: string, outdir: string): SynthesizedStack {
  const providers: any[] = config.provider.vault;
  if (providers.length !== 1 || config.provider.kubernetes || config.provider.helm) {
    throw new Error(`${file}: provider: ${JSON.stringify(Object.keys(config.provider))} with ${providers.length} vault provider(s) (the deploy tier expects a vault-config stack to have exactly one vault provider and no other)`);
  }
  const [provider] = providers;
  const variable = /^\$\{var\.([a-z_]+)\}$/.exec(provider.address ?? '')?.[1];
  if (!variable || typeof config.variable?.[variable]?.default !== 'string') {
    throw new Error(`${file}: provider.vault[0].address: ${JSON.stringify(provider.address ?? null)} (the deploy tier expects a variable with a default, e.g. "\${var.vault_address}")`);
  }
  const policies = Object.values((config.resource?.vault_policy ?? {}) as Record<string, { name: string; policy: string }>)
    .map(({ name, policy }) => ({ name, policy }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    name: entry.name,
    dependencies: entry.dependencies,
    directory: path.join(outdir, entry.workingDirectory),
    site: provider.alias,
    access: { kind: 'vault', addressVariable: variable, defaultAddress: config.variable[variable].default },
    backend: backendOf(config.terraform?.backend, file),
    objects: [],
    rolloutKinds: new Set(),
    releases: [],
    vaultPolicies: policies,
    vaultRoles: Object.values((config.resource?.vault_kubernetes_auth_backend_role ?? {}) as Record<string, { role_name: string }>)
      .map((role) => role.role_name)
      .sort(),
  };
}

/**
 * The stack's `helm_release` resources. Each must name its chart by name, version and
 * repository (the site's own chart repository serves it) and use the stack's one helm
 * provider, whose alias is the kubernetes provider's.
 */
function releasesOf(config: Record<string, any>, alias: string, file: string): SynthesizedRelease[] {
  const resources = Object.entries((config.resource?.helm_release ?? {}) as Record<string, Record<string, unknown>>).sort(([a], [b]) => a.localeCompare(b));
  if (resources.length === 0) return [];
  const helmProviders: any[] = config.provider?.helm ?? [];
  if (helmProviders.length !== 1 || helmProviders[0].alias !== alias) {
    throw new Error(`${file}: provider.helm: ${JSON.stringify(helmProviders.map((provider) => provider.alias ?? null))} (the deploy tier expects exactly one helm provider per stack, with the kubernetes provider's alias ${JSON.stringify(alias)})`);
  }
  return resources.map(([key, resource]) => {
    const where = `${file}: resource.helm_release.${key}`;
    const text = (field: string): string => {
      const value = resource[field];
      if (typeof value !== 'string' || value === '') throw new Error(`${where}.${field}: ${JSON.stringify(value ?? null)} (the deploy tier needs a non-empty string)`);
      return value;
    };
    if (resource.provider !== `helm.${alias}`) throw new Error(`${where}.provider: ${JSON.stringify(resource.provider ?? null)} (allowed: "helm.${alias}", the stack's helm provider)`);
    const values = resource.values ?? [];
    if (!Array.isArray(values) || values.some((value) => typeof value !== 'string')) throw new Error(`${where}.values: ${JSON.stringify(values)} (allowed: a list of YAML strings)`);
    const base = { name: text('name'), namespace: resource.namespace === undefined ? 'default' : text('namespace'), values: values.map((value: string) => fromTerraformLiteral(value)) };
    const chart = text('chart');
    if (chart.startsWith('./')) {
      // A chart the stack carries: its name and version are the ones its Chart.yaml states.
      if (resource.repository !== undefined || resource.version !== undefined) throw new Error(`${where}: a local chart (${chart}) with a repository or version (allowed: neither; Chart.yaml states the version)`);
      const localChart = path.join(path.dirname(file), chart);
      const metadataFile = path.join(localChart, 'Chart.yaml');
      if (!fs.existsSync(metadataFile)) throw new Error(`${where}.chart: ${JSON.stringify(chart)}: no ${metadataFile} (the synth writes a local chart into the stack's folder)`);
      const metadata = yaml.load(fs.readFileSync(metadataFile, 'utf8')) as { name?: unknown; version?: unknown };
      if (typeof metadata.name !== 'string' || typeof metadata.version !== 'string') throw new Error(`${metadataFile}: name and version must be strings`);
      return { ...base, chart: metadata.name, version: metadata.version, localChart };
    }
    return { ...base, chart, version: text('version'), repository: text('repository') };
  });
}

function backendOf(backend: Record<string, any> | undefined, file: string): StackBackend {
  if (backend?.s3) {
    const s3 = backend.s3;
    const endpoint = s3.endpoints?.s3 ?? s3.endpoint;
    if (!endpoint) throw new Error(`${file}: terraform.backend.s3: no endpoints.s3 (the deploy tier serves state only from the site's own S3 server)`);
    return { kind: 's3', endpoint, bucket: s3.bucket, key: s3.key, region: s3.region };
  }
  if (backend?.local) return { kind: 'local', path: backend.local.path };
  throw new Error(`${file}: terraform.backend: ${JSON.stringify(Object.keys(backend ?? {}))} (allowed: s3 or local)`);
}

/** Dependencies before dependants; ties in name order, so runs are repeatable. */
export function applyOrder<T extends { readonly name: string; readonly dependencies: readonly string[] }>(stacks: readonly T[]): T[] {
  const byName = new Map(stacks.map((stack) => [stack.name, stack]));
  const ordered: T[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const visit = (stack: T) => {
    if (placed.has(stack.name)) return;
    if (visiting.has(stack.name)) throw new Error(`stack dependency cycle through ${stack.name}`);
    visiting.add(stack.name);
    for (const dependency of [...stack.dependencies].sort()) {
      const found = byName.get(dependency);
      if (!found) throw new Error(`stack ${stack.name} depends on ${dependency}, which was not synthesized`);
      visit(found);
    }
    visiting.delete(stack.name);
    placed.add(stack.name);
    ordered.push(stack);
  };
  for (const stack of [...stacks].sort((a, b) => a.name.localeCompare(b.name))) visit(stack);
  return ordered;
}

/** The site a host name belongs to: the one whose name is a label of it (`state.prod.kitwe.lms.co.zm` -> kitwe). */
export function siteOfHost(host: string, sites: readonly string[]): string {
  const labels = host.split('.');
  const matching = sites.filter((site) => labels.includes(site));
  if (matching.length !== 1) {
    throw new Error(`cannot tell which site serves ${JSON.stringify(host)} (allowed: a host name with exactly one of ${sites.join(', ')} as a label)`);
  }
  return matching[0];
}

/** The stacks of each site, each list in apply order; sites in name order. */
export function stacksBySite<T extends { readonly site: string }>(stacks: readonly T[]): T[][] {
  const bySite = new Map<string, T[]>();
  for (const stack of stacks) bySite.set(stack.site, [...(bySite.get(stack.site) ?? []), stack]);
  return [...bySite.keys()].sort().map((site) => bySite.get(site)!);
}
