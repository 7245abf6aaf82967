import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadEnvironments } from '../../environments/load';
import { SITE_NAMES } from '../../environments/schema';
import { randomUUID } from 'crypto';
import { OpenBaoServer } from '../support/openbao';
import { PROJECT_ROOT, TOOLS_DIR, findTool } from '../support/tools';
import { ChartRepositoryServer, planChartRepositories, type ChartRepository } from './chart-repository';
import { SiteControlPlane, multiSiteKubeconfig, type ControlPlaneTools, type FakeNode } from './control-plane';
import { LoadBalancerSimulator } from './load-balancers';
import { VolumeProvisioner } from './volumes';
import { installHostsFile } from './namespace';
import { createAuthority, issueServingCertificate, type TestAuthority } from './pki';
import { StateServer, resolveS3rver } from './state-server';
import { siteOfHost, synthesize, type SynthesizedStack } from './stacks';
import { TerraformRunner, describeResult, type SiteCredentials, type TerraformResult } from './terraform';

/** Every tool the deploy tier runs. */
export interface DeployTools extends ControlPlaneTools {
  readonly terraform: string;
  readonly terraformProviderMirror: string;
  /** Writes the chart repositories' index.yaml (`helm repo index`). */
  readonly helm: string;
  /** Folder of the pinned chart packages the chart repositories serve. */
  readonly chartDir: string;
  /** The OpenBao server each site's vault-config stack configures. */
  readonly bao: string;
}

/** Where prepare-tools.sh puts kwok's stage files (LMS_KWOK_STAGES overrides). */
function kwokStagesDir(): string {
  return path.resolve(process.env.LMS_KWOK_STAGES ?? path.join(TOOLS_DIR, 'kwok/stages'));
}

/** The deploy tier's tools, or every one that is missing with how to get it. */
export function findDeployTools(): { readonly tools: DeployTools; readonly missing: readonly [] } | { readonly tools?: undefined; readonly missing: readonly string[] } {
  const names = ['terraform', 'terraformProviderMirror', 'kubeBinDir', 'kwok', 'etcd', 'helm', 'chartDir', 'bao'] as const;
  const found: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of names) {
    const lookup = findTool(name);
    if (lookup.found) found[name] = lookup.path;
    else missing.push(lookup.missing);
  }
  if (found.kubeBinDir) {
    for (const binary of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
      if (!fs.existsSync(path.join(found.kubeBinDir, binary))) missing.push(`kubeBinDir: ${found.kubeBinDir} has no ${binary} (run \`bash tests/tools/prepare-tools.sh\`)`);
    }
  }
  const stages = kwokStagesDir();
  if (!fs.existsSync(stages) || !fs.readdirSync(stages).some((file) => file.endsWith('.yaml'))) {
    missing.push(`kwok stages: no *.yaml in ${stages} (set LMS_KWOK_STAGES, or run \`bash tests/tools/prepare-tools.sh\`, which copies them from the kwok module source)`);
  }
  const s3rver = resolveS3rver();
  if (!s3rver.found) missing.push(s3rver.missing);
  if (missing.length > 0) return { missing };
  return {
    tools: {
      terraform: found.terraform,
      terraformProviderMirror: found.terraformProviderMirror,
      kubeBinDir: found.kubeBinDir,
      kwok: found.kwok,
      etcd: found.etcd,
      kwokStages: stages,
      helm: found.helm,
      chartDir: found.chartDir,
      bao: found.bao,
    },
    missing: [],
  };
}

/** Port of each site's Vault on its loopback address (plain HTTP: the OpenBao dev server). */
export const VAULT_PORT = 8200;

/** Loopback address of each site: lusaka 127.0.0.2, kitwe 127.0.0.3, in SITE_NAMES order. */
export const SITE_ADDRESSES: Readonly<Record<string, string>> = Object.fromEntries(SITE_NAMES.map((site, index) => [site, `127.0.0.${index + 2}`]));

/**
 * Loopback address of each site's chart repository: lusaka 127.0.0.12, kitwe 127.0.0.13 (its
 * own, since the state server already holds port 443 of the site's address).
 */
export const CHART_REPOSITORY_ADDRESSES: Readonly<Record<string, string>> = Object.fromEntries(SITE_NAMES.map((site, index) => [site, `127.0.0.${index + 12}`]));

/** Progress lines on stderr (jest buffers console output until a test ends). */
export function progress(message: string): void {
  process.stderr.write(`[deploy ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

export interface DeployHarnessProps {
  /** Label of the run's temporary folder. */
  readonly label: string;
  /** The one environment applied. */
  readonly environment: string;
  /** LMS_ENVIRONMENTS_DIR for the first synth. @default - the project's environments/ */
  readonly environmentsDir?: string;
}

/**
 * Both sites of one environment on this machine, inside the test namespaces: a control plane,
 * a chart repository and (where some stack keeps state there) an S3 state server per site,
 * the environment's real host names resolving to them, its stacks synthesized from the
 * project, and terraform set up to apply them.
 */
export class DeployHarness {
  public readonly sites = new Map<string, SiteControlPlane>();
  public readonly stateServers = new Map<string, StateServer>();
  public readonly chartServers = new Map<string, ChartRepositoryServer>();
  /** Per site, what gives LoadBalancer Services their addresses (MetalLB's controller is a kwok pod). */
  public readonly loadBalancers = new Map<string, LoadBalancerSimulator>();
  /**
   * Per site, the Vault its vault-config stack configures: an OpenBao dev server on the
   * site's address, where the operator's port-forward to the active server would be.
   */
  public readonly vaults = new Map<string, OpenBaoServer>();
  /** Per site, what gives PersistentVolumeClaims their volumes (a simulated site has no storage). */
  public readonly volumes = new Map<string, VolumeProvisioner>();
  public stacks: SynthesizedStack[] = [];
  private readonly hosts = new Map<string, string>();
  private readonly initialised = new Set<string>();
  private terraform!: TerraformRunner;
  /** etcd data of both sites: in memory (/dev/shm) where there is one, thrown away at the end. */
  private readonly etcdDirectory = fs.mkdtempSync(fs.existsSync('/dev/shm') ? '/dev/shm/lms-deploy-etcd-' : path.join(os.tmpdir(), 'lms-deploy-etcd-'));
  private kubeconfigFile = '';

  private constructor(
    private readonly props: DeployHarnessProps,
    public readonly directory: string,
    public readonly authority: TestAuthority,
    private readonly tools: DeployTools,
  ) {}

  public static async start(props: DeployHarnessProps): Promise<DeployHarness> {
    const lookup = findDeployTools();
    if (!lookup.tools) throw new Error(`the deploy tier needs: ${lookup.missing.join('; ')}`);
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), `lms-deploy-${props.label}-`));
    progress(`${props.label}: working folder ${directory}`);
    const harness = new DeployHarness(props, directory, createAuthority(path.join(directory, 'ca')), lookup.tools);
    try {
      await harness.startAll();
    } catch (error) {
      await harness.stop();
      throw error;
    }
    return harness;
  }

  private async startAll(): Promise<void> {
    const { environment } = this.props;
    this.stacks = this.synthesize(this.props.environmentsDir);
    // Before anything starts: a release whose chart package is missing stops the run here.
    const repositories = planChartRepositories(this.stacks, this.tools.chartDir, SITE_NAMES);
    this.mapHosts(this.stacks);
    installHostsFile(this.hosts);

    const loaded = loadEnvironments(this.props.environmentsDir ?? path.join(PROJECT_ROOT, 'environments'), { only: [environment] });
    const sites = loaded[0].sites;
    await Promise.all(
      SITE_NAMES.map(async (site) => {
        const nodes: FakeNode[] = sites[site].nodePools.flatMap((pool) =>
          Array.from({ length: pool.nodeCount }, (_, index) => ({ name: `${pool.name}-${index + 1}`, pool: pool.name, cpuCores: pool.cpuCores, memoryGiB: pool.memoryGiB })),
        );
        const controlPlane = await SiteControlPlane.start({
          site,
          ip: SITE_ADDRESSES[site],
          dnsNames: this.namesAt(SITE_ADDRESSES[site]),
          nodes,
          authority: this.authority,
          tools: this.tools,
          directory: path.join(this.directory, site),
          etcdDirectory: path.join(this.etcdDirectory, site),
        });
        this.sites.set(site, controlPlane);
        const loadBalancers = new LoadBalancerSimulator(controlPlane.client);
        loadBalancers.start();
        this.loadBalancers.set(site, loadBalancers);
        const volumes = new VolumeProvisioner(controlPlane.client);
        volumes.start();
        this.volumes.set(site, volumes);
        if (this.stacks.some((stack) => stack.site === site && stack.access.kind === 'vault')) {
          const vault = await OpenBaoServer.start({
            bao: this.tools.bao,
            directory: path.join(this.directory, site, 'vault'),
            ip: SITE_ADDRESSES[site],
            port: VAULT_PORT,
            rootToken: randomUUID(),
            serviceAccountCaPem: this.authority.certPem,
          });
          this.vaults.set(site, vault);
          progress(`${environment} ${site}: Vault (OpenBao dev server) at ${vault.url}`);
        }
        progress(`${environment} ${site}: control plane ready on ${controlPlane.server} in ${controlPlane.startSeconds.toFixed(1)} s, ${nodes.length} nodes, ${controlPlane.residentMiB().toFixed(0)} MiB resident`);
      }),
    );

    // State servers: one per site that holds some stack's S3 state, with every bucket found.
    const bucketsBySite = new Map<string, Set<string>>();
    for (const stack of this.stacks) {
      if (stack.backend.kind !== 's3') continue;
      const url = new URL(stack.backend.endpoint);
      if (url.protocol !== 'https:' || (url.port !== '' && url.port !== '443')) {
        throw new Error(`${stack.name}: terraform.backend.s3.endpoints.s3 ${JSON.stringify(stack.backend.endpoint)}: the test state servers listen on https port 443`);
      }
      const site = siteOfHost(url.hostname, SITE_NAMES);
      const buckets = bucketsBySite.get(site) ?? new Set<string>();
      buckets.add(stack.backend.bucket);
      bucketsBySite.set(site, buckets);
    }
    for (const [site, buckets] of bucketsBySite) {
      const certificate = issueServingCertificate(this.authority, path.join(this.directory, site, 'pki'), 'state', this.namesAt(SITE_ADDRESSES[site]), [SITE_ADDRESSES[site]]);
      const server = await StateServer.start({ ip: SITE_ADDRESSES[site], certificate, directory: path.join(this.directory, site, 'state'), buckets: [...buckets].sort() });
      this.stateServers.set(site, server);
      progress(`${environment} ${site}: state server ${server.url} with bucket(s) ${[...buckets].join(', ')}`);
    }

    // A chart repository per site, serving the packages its hosts' releases name (none yet is fine).
    for (const site of SITE_NAMES) {
      const ip = CHART_REPOSITORY_ADDRESSES[site];
      const certificate = issueServingCertificate(this.authority, path.join(this.directory, site, 'pki'), 'charts', this.namesAt(ip), [ip]);
      const server = await ChartRepositoryServer.start({ site, ip, certificate, directory: path.join(this.directory, site, 'charts'), helm: this.tools.helm }, repositories.get(site) ?? []);
      this.chartServers.set(site, server);
      progress(`${environment} ${site}: chart repository ${server.url} for ${describeRepositories(repositories.get(site))}`);
    }

    this.kubeconfigFile = path.join(this.directory, 'kubeconfig');
    this.writeKubeconfig();
    this.terraform = new TerraformRunner({
      terraform: this.tools.terraform,
      providerMirror: this.tools.terraformProviderMirror,
      pluginCacheDir: path.join(TOOLS_DIR, 'terraform-plugin-cache'),
      directory: path.join(this.directory, 'terraform'),
      caBundle: this.authority.certFile,
    });
  }

  /** Synthesizes the environment again (e.g. from an edited copy of environments/), into the same folder. */
  public resynthesize(environmentsDir?: string): SynthesizedStack[] {
    const stacks = this.synthesize(environmentsDir);
    const repositories = planChartRepositories(stacks, this.tools.chartDir, SITE_NAMES);
    const known = new Map(this.hosts);
    this.mapHosts(stacks);
    const added = [...this.hosts.keys()].filter((host) => !known.has(host));
    if (added.length > 0) throw new Error(`the new synth names hosts the sites' certificates do not cover: ${added.join(', ')}`);
    // Sites still up serve what the new synth's releases name.
    for (const [site, server] of this.chartServers) server.publish(repositories.get(site) ?? []);
    this.stacks = stacks;
    this.initialised.clear();
    this.writeKubeconfig();
    return stacks;
  }

  private synthesize(environmentsDir?: string): SynthesizedStack[] {
    const started = Date.now();
    const stacks = synthesize({ outdir: path.join(this.directory, 'synth', 'cdktf.out'), environments: [this.props.environment], environmentsDir });
    progress(`${this.props.environment}: synthesized ${stacks.length} stacks in ${((Date.now() - started) / 1000).toFixed(1)} s: ${stacks.map((s) => s.name).join(', ')}`);
    return stacks;
  }

  /**
   * Adds every host the stacks name to the hosts map: API and state hosts to their site's
   * address, chart repository hosts to their site's chart repository address.
   */
  private mapHosts(stacks: readonly SynthesizedStack[]): void {
    const add = (host: string, site: string, addresses: Readonly<Record<string, string>>, where: string) => {
      const ip = addresses[site];
      if (!ip) throw new Error(`${where}: site ${JSON.stringify(site)} is not one of ${SITE_NAMES.join(', ')}`);
      const existing = this.hosts.get(host);
      if (existing && existing !== ip) throw new Error(`${where}: ${host} is named for two addresses (${existing} and ${ip})`);
      this.hosts.set(host, ip);
    };
    for (const stack of stacks) {
      if (stack.access.kind === 'api-endpoint') add(new URL(stack.access.host).hostname, stack.site, SITE_ADDRESSES, `${stack.name} provider`);
      if (stack.backend.kind === 's3') {
        const host = new URL(stack.backend.endpoint).hostname;
        add(host, siteOfHost(host, SITE_NAMES), SITE_ADDRESSES, `${stack.name} backend`);
      }
      for (const release of stack.releases) {
        if (release.repository === undefined) continue;
        const host = new URL(release.repository).hostname;
        add(host, siteOfHost(host, SITE_NAMES), CHART_REPOSITORY_ADDRESSES, `${stack.name} helm_release ${release.name}`);
      }
    }
  }

  /** The host names mapped to an address, in name order (the SANs of the server there). */
  private namesAt(ip: string): string[] {
    return [...this.hosts]
      .filter(([, address]) => address === ip)
      .map(([host]) => host)
      .sort();
  }

  /** One context per kubeconfig-context the stacks name, pointing at the stack's site. */
  private writeKubeconfig(): void {
    const contexts = new Map<string, SiteControlPlane>();
    for (const stack of this.stacks) {
      const site = this.sites.get(stack.site);
      if (stack.access.kind === 'kubeconfig-context' && site) contexts.set(stack.access.context, site);
    }
    if (!this.kubeconfigFile) return;
    fs.writeFileSync(this.kubeconfigFile, multiSiteKubeconfig([...contexts].map(([name, site]) => ({ name, site })), this.authority.certPem), { mode: 0o600 });
  }

  public chartServer(site: string): ChartRepositoryServer {
    const server = this.chartServers.get(site);
    if (!server) throw new Error(`no chart repository running for site ${site}`);
    return server;
  }

  public site(name: string): SiteControlPlane {
    const site = this.sites.get(name);
    if (!site) throw new Error(`no site ${name}`);
    return site;
  }

  public stack(name: string): SynthesizedStack {
    const stack = this.stacks.find((candidate) => candidate.name === name);
    if (!stack) throw new Error(`no stack ${name} (synthesized: ${this.stacks.map((s) => s.name).join(', ')})`);
    return stack;
  }

  private credentials(stack: SynthesizedStack): SiteCredentials {
    const site = this.sites.get(stack.site);
    const vault = this.vaults.get(stack.site);
    return {
      token: site?.token ?? '',
      caPem: this.authority.certPem,
      kubeconfigFile: this.kubeconfigFile,
      ...(vault ? { vault: { address: vault.url, token: vault.rootToken } } : {}),
    };
  }

  /** `terraform init` once per stack and synth; a failed init is returned as the result. */
  private async ensureInit(stack: SynthesizedStack): Promise<TerraformResult | undefined> {
    if (this.initialised.has(stack.directory)) return undefined;
    const result = await this.terraform.init(stack, this.credentials(stack));
    if (result.exitCode !== 0) return result;
    this.initialised.add(stack.directory);
    return undefined;
  }

  private async run(stack: SynthesizedStack, verb: 'apply' | 'plan' | 'destroy'): Promise<TerraformResult> {
    const failedInit = await this.ensureInit(stack);
    if (failedInit) return failedInit;
    const result = await this.terraform[verb](stack, this.credentials(stack));
    progress(`${stack.name}: ${result.command} -> exit ${result.exitCode} in ${result.seconds.toFixed(1)} s`);
    return result;
  }

  /**
   * `terraform init` of every stack, one at a time (the shared provider cache is not safe
   * for concurrent inits), so the sites' stacks can then run at the same time.
   */
  public async initAll(): Promise<void> {
    for (const stack of this.stacks) {
      const failed = await this.ensureInit(stack);
      if (failed) throw new Error(describeResult(stack, failed));
    }
  }

  public apply(stack: SynthesizedStack): Promise<TerraformResult> {
    return this.run(stack, 'apply');
  }

  public plan(stack: SynthesizedStack): Promise<TerraformResult> {
    return this.run(stack, 'plan');
  }

  public destroy(stack: SynthesizedStack): Promise<TerraformResult> {
    return this.run(stack, 'destroy');
  }

  /** The site is lost: its control plane, state server and chart repository stop answering. */
  public async loseSite(name: string): Promise<void> {
    await this.loadBalancers.get(name)?.stop();
    this.loadBalancers.delete(name);
    await this.volumes.get(name)?.stop();
    this.volumes.delete(name);
    await this.vaults.get(name)?.stop();
    this.vaults.delete(name);
    await this.site(name).stop();
    await this.stateServers.get(name)?.stop();
    this.stateServers.delete(name);
    await this.chartServers.get(name)?.stop();
    this.chartServers.delete(name);
    progress(`${this.props.environment} ${name}: site lost (control plane, state server, chart repository and Vault stopped)`);
  }

  /** Stops every server; removes the working folder unless LMS_DEPLOY_KEEP=1. */
  public async stop(): Promise<void> {
    for (const server of this.stateServers.values()) await server.stop().catch(() => undefined);
    for (const server of this.chartServers.values()) await server.stop().catch(() => undefined);
    for (const loadBalancers of this.loadBalancers.values()) await loadBalancers.stop();
    for (const volumes of this.volumes.values()) await volumes.stop();
    for (const vault of this.vaults.values()) await vault.stop();
    await Promise.all([...this.sites.values()].map((site) => site.stop()));
    fs.rmSync(this.etcdDirectory, { recursive: true, force: true });
    if (process.env.LMS_DEPLOY_KEEP === '1') progress(`${this.props.label}: kept ${this.directory}`);
    else fs.rmSync(this.directory, { recursive: true, force: true });
  }
}

/** `cert-manager v1.19.6, metallb 0.16.1 at https://charts.lusaka.lms.co.zm`, for progress lines. */
function describeRepositories(repositories: readonly ChartRepository[] | undefined): string {
  if (!repositories || repositories.length === 0) return 'no release';
  return repositories.map((repository) => `${repository.packages.map((item) => `${item.chart} ${item.version}`).join(', ')} at ${repository.url}`).join('; ');
}

export { describeResult };
