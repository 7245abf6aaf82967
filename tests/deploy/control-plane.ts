import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { KubeClient, waitFor } from './kube-client';
import { createServiceAccountKeys, issueServingCertificate, type TestAuthority } from './pki';
import { ManagedProcess } from './processes';

/** A node of one of the site's node pools, registered as a kwok-managed fake node. */
export interface FakeNode {
  readonly name: string;
  readonly pool: string;
  readonly cpuCores: number;
  readonly memoryGiB: number;
}

/** The binaries a site runs. */
export interface ControlPlaneTools {
  readonly etcd: string;
  /** Folder with kube-apiserver, kube-controller-manager and kube-scheduler. */
  readonly kubeBinDir: string;
  readonly kwok: string;
  /** Folder of kwok Stage files (node, pod and volume lifecycles). */
  readonly kwokStages: string;
}

export interface SiteControlPlaneProps {
  /** `lusaka` */
  readonly site: string;
  /** Loopback address the site listens on, e.g. `127.0.0.2`. */
  readonly ip: string;
  /** Names the API server's certificate is valid for, besides the address. */
  readonly dnsNames: readonly string[];
  readonly nodes: readonly FakeNode[];
  readonly authority: TestAuthority;
  readonly tools: ControlPlaneTools;
  /** Working folder: keys, kubeconfigs and logs. */
  readonly directory: string;
  /** etcd's data folder (memory-backed where possible: the data is thrown away). */
  readonly etcdDirectory: string;
}

/** Ports of one site; every site listens on its own address, so they can repeat. */
const PORTS = { etcdClient: 2379, etcdPeer: 2380, apiServer: 6443, controllerManager: 10257, scheduler: 10259, kwok: 10247 } as const;

/**
 * Admission plugins the simulated API servers run without: webhooks would be called in pods
 * kwok only pretends to run. Real sites keep them (and the rendered webhook configurations
 * keep failurePolicy Fail).
 */
export const SIMULATED_SITE_DISABLED_ADMISSION_PLUGINS = ['ValidatingAdmissionWebhook', 'MutatingAdmissionWebhook'] as const;

/** Service-account issuer of every test site (what a kubeadm cluster uses). */
const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** The label every fake node carries with its node pool's name. */
export const NODE_POOL_LABEL = 'lms.co.zm/node-pool';

/**
 * One site's control plane on a loopback address: etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler and kwok (which plays the kubelets of the site's
 * node pools, so pods schedule, run and become Ready). An admin bearer token authenticates
 * the harness and every component.
 */
export class SiteControlPlane {
  /** `https://127.0.0.2:6443` */
  public readonly server: string;
  public readonly token: string;
  public readonly client: KubeClient;
  /** A kubeconfig with one context (`admin`) for this site. */
  public readonly kubeconfigFile: string;
  /** Seconds from the first process start to every node Ready. */
  public startSeconds = 0;
  private readonly processes: ManagedProcess[] = [];

  private constructor(private readonly props: SiteControlPlaneProps) {
    this.server = `https://${props.ip}:${PORTS.apiServer}`;
    this.token = crypto.randomBytes(24).toString('hex');
    this.client = new KubeClient(this.server, this.token, props.authority.certPem);
    this.kubeconfigFile = path.join(props.directory, 'admin.kubeconfig');
  }

  public get site(): string {
    return this.props.site;
  }

  public get ip(): string {
    return this.props.ip;
  }

  /** Starts every component and waits until the API server is ready and every node is Ready. */
  public static async start(props: SiteControlPlaneProps): Promise<SiteControlPlane> {
    fs.mkdirSync(props.directory, { recursive: true });
    const site = new SiteControlPlane(props);
    const started = Date.now();
    try {
      await site.startAll();
    } catch (error) {
      await site.stop();
      throw error;
    }
    site.startSeconds = (Date.now() - started) / 1000;
    return site;
  }

  /** Resident memory of the site's processes, MiB. */
  public residentMiB(): number {
    return this.processes.reduce((sum, server) => sum + server.residentMiB(), 0);
  }

  /** The command line a running component (`kube-apiserver`) was started with, read from /proc. */
  public commandLine(component: string): string[] {
    const server = this.processes.find((candidate) => candidate.name === `${this.props.site} ${component}`);
    if (!server) throw new Error(`${this.props.site}: no component ${component} (started: ${this.processes.map((p) => p.name).join(', ')})`);
    return server.commandLine();
  }

  /** Stops every component (the site is lost: nothing answers on its address any more). */
  public async stop(): Promise<void> {
    for (const server of [...this.processes].reverse()) await server.stop();
  }

  private spawn(name: string, command: string, args: readonly string[]): ManagedProcess {
    const server = new ManagedProcess(`${this.props.site} ${name}`, command, args, path.join(this.props.directory, `${name}.log`));
    this.processes.push(server);
    return server;
  }

  /** Fails with the process's log when it exits while the site is starting. */
  private async guard<T>(what: string, wait: Promise<T>): Promise<T> {
    const exited = this.processes.map((server) =>
      server.exited.then((code) => {
        throw new Error(`${server.name} exited (code ${code}) while waiting for ${what}; last log lines of ${server.logFile}:\n${server.logTail()}`);
      }),
    );
    // The losers of the race reject when the site stops later: nobody waits for them then.
    for (const watcher of exited) watcher.catch(() => undefined);
    return Promise.race([wait, ...exited]);
  }

  private async startAll(): Promise<void> {
    const { ip, directory, tools, authority } = this.props;
    const pki = path.join(directory, 'pki');
    const serving = issueServingCertificate(authority, pki, 'kube-apiserver', [...this.props.dnsNames, 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'localhost'], [ip, '10.96.0.1']);
    const serviceAccount = createServiceAccountKeys(pki);
    const tokenFile = path.join(pki, 'tokens.csv');
    fs.writeFileSync(tokenFile, `${this.token},lms-admin,lms-admin,"system:masters"\n`, { mode: 0o600 });
    fs.writeFileSync(this.kubeconfigFile, kubeconfig([{ name: 'admin', server: this.server }], authority.certPem, this.token), { mode: 0o600 });
    const kube = (name: string) => path.join(tools.kubeBinDir, name);

    this.spawn('etcd', tools.etcd, [
      `--name=${this.props.site}`,
      `--data-dir=${this.props.etcdDirectory}`,
      `--listen-client-urls=http://${ip}:${PORTS.etcdClient}`,
      `--advertise-client-urls=http://${ip}:${PORTS.etcdClient}`,
      `--listen-peer-urls=http://${ip}:${PORTS.etcdPeer}`,
      `--initial-advertise-peer-urls=http://${ip}:${PORTS.etcdPeer}`,
      `--initial-cluster=${this.props.site}=http://${ip}:${PORTS.etcdPeer}`,
      '--logger=zap',
      '--log-level=warn',
    ]);

    this.spawn('kube-apiserver', kube('kube-apiserver'), [
      `--etcd-servers=http://${ip}:${PORTS.etcdClient}`,
      `--bind-address=${ip}`,
      `--advertise-address=${ip}`,
      `--secure-port=${PORTS.apiServer}`,
      `--tls-cert-file=${serving.certFile}`,
      `--tls-private-key-file=${serving.keyFile}`,
      `--client-ca-file=${authority.certFile}`,
      `--token-auth-file=${tokenFile}`,
      `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
      `--service-account-key-file=${serviceAccount.publicKeyFile}`,
      `--service-account-signing-key-file=${serviceAccount.privateKeyFile}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      '--authorization-mode=Node,RBAC',
      // Simulated sites only: the charts' admission webhooks (cert-manager, MetalLB) run in
      // kwok pods that serve nothing, and their failurePolicy Fail would refuse every
      // Issuer, Certificate or IPAddressPool write. Every other default plugin stays on.
      `--disable-admission-plugins=${SIMULATED_SITE_DISABLED_ADMISSION_PLUGINS.join(',')}`,
      // The `kubernetes` Service would point at a loopback address, which Endpoints reject.
      '--endpoint-reconciler-type=none',
      `--cert-dir=${pki}`,
      '--profiling=false',
      '--v=1',
    ]);
    await this.guard('the API server to be ready', waitFor(`${this.server}/readyz`, 120000, async () => ((await this.client.request('GET', '/readyz')).status === 200 ? true : undefined)));

    const componentArgs = (port: number) => [
      `--kubeconfig=${this.kubeconfigFile}`,
      `--authentication-kubeconfig=${this.kubeconfigFile}`,
      `--authorization-kubeconfig=${this.kubeconfigFile}`,
      `--bind-address=${ip}`,
      `--secure-port=${port}`,
      `--cert-dir=${pki}`,
      '--leader-elect=false',
      '--profiling=false',
    ];
    this.spawn('kube-controller-manager', kube('kube-controller-manager'), [
      ...componentArgs(PORTS.controllerManager),
      `--service-account-private-key-file=${serviceAccount.privateKeyFile}`,
      `--root-ca-file=${authority.certFile}`,
      '--use-service-account-credentials=false',
      // No cloud, no node IPAM: fake nodes carry no pod CIDR.
      '--controllers=*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller,-route',
      '--concurrent-deployment-syncs=5',
      '--horizontal-pod-autoscaler-sync-period=5s',
    ]);
    this.spawn('kube-scheduler', kube('kube-scheduler'), componentArgs(PORTS.scheduler));

    const stages = fs
      .readdirSync(tools.kwokStages)
      .filter((file) => file.endsWith('.yaml'))
      .sort()
      .map((file) => fs.readFileSync(path.join(tools.kwokStages, file), 'utf8').trimEnd());
    if (stages.length === 0) throw new Error(`no kwok stages (*.yaml) in ${tools.kwokStages}`);
    const kwokConfig = path.join(directory, 'kwok-stages.yaml');
    fs.writeFileSync(kwokConfig, `${stages.join('\n---\n')}\n`);
    this.spawn('kwok', tools.kwok, [
      `--kubeconfig=${this.kubeconfigFile}`,
      `--config=${kwokConfig}`,
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      `--node-ip=${ip}`,
      `--server-address=${ip}:${PORTS.kwok}`,
      '--node-lease-duration-seconds=40',
      '--v=WARN',
    ]);

    for (const node of this.props.nodes) await this.client.create('/api/v1/nodes', fakeNode(node));
    const wanted = this.props.nodes.map((node) => node.name).sort();
    await this.guard(
      `nodes ${wanted.join(', ')} to be Ready`,
      waitFor(`${this.props.site}: nodes Ready`, 120000, async () => {
        const nodes = await this.client.get<{ items: any[] }>('/api/v1/nodes');
        const ready = nodes.items
          .filter((node) => node.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'))
          .map((node) => node.metadata.name)
          .sort();
        return wanted.every((name) => ready.includes(name)) ? true : undefined;
      }),
    );
    // Service accounts need the `default` one in each namespace the controllers make.
    await this.guard('the default service account', waitFor(`${this.props.site}: default service account`, 60000, async () => ((await this.client.request('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200 ? true : undefined)));
  }
}

/** A kwok-managed Node sized like its pool's nodes. */
function fakeNode(node: FakeNode): unknown {
  const resources = { cpu: String(node.cpuCores), memory: `${node.memoryGiB}Gi`, pods: '110', 'ephemeral-storage': '100Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: {
        'kubernetes.io/hostname': node.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        [NODE_POOL_LABEL]: node.pool,
        type: 'kwok',
      },
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
    },
    status: { capacity: resources, allocatable: resources },
  };
}

/** A kubeconfig with one context per entry, all authenticating with `token`. */
export function kubeconfig(contexts: ReadonlyArray<{ readonly name: string; readonly server: string }>, caPem: string, token: string): string {
  const ca = Buffer.from(caPem).toString('base64');
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: contexts.map(({ name, server }) => ({ name, cluster: { server, 'certificate-authority-data': ca } })),
      users: contexts.map(({ name }) => ({ name, user: { token } })),
      contexts: contexts.map(({ name }) => ({ name, context: { cluster: name, user: name } })),
      'current-context': contexts[0]?.name ?? '',
    },
    null,
    2,
  );
}

/** A kubeconfig whose contexts each carry their own site's token. */
export function multiSiteKubeconfig(contexts: ReadonlyArray<{ readonly name: string; readonly site: SiteControlPlane }>, caPem: string): string {
  const ca = Buffer.from(caPem).toString('base64');
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: contexts.map(({ name, site }) => ({ name, cluster: { server: site.server, 'certificate-authority-data': ca } })),
      users: contexts.map(({ name, site }) => ({ name, user: { token: site.token } })),
      contexts: contexts.map(({ name }) => ({ name, context: { cluster: name, user: name } })),
      'current-context': contexts[0]?.name ?? '',
    },
    null,
    2,
  );
}
