import { App as Cdk8sApp } from 'cdk8s';
import type { Construct } from 'constructs';
import { LoadBalancerPoolsChart, type AddressPoolSpec, type AnnouncementSpec } from '../charts-ts/load-balancer-pools-chart';
import { addressBlock, blockContains, cidrBlock } from './ipv4';
import { PlatformComponent, objectKey, type HelmReleaseSpec, type KubeObject, type PolicySuppression } from './platform-component';
import { PlatformError, formatValue } from './platform-error';
import { cpuMillis, memoryMiB } from './quantities';
import type { MetricsScraper } from './service-references';
import { PRIORITY_CLASSES, type NamespaceQuota, type SiteCluster } from './site-cluster';
import { chartSource, pinnedImage } from './versions';

/** A pool of LoadBalancer addresses (the site's `network.loadBalancer.addressPools[]`). */
export interface LoadBalancerAddressPool {
  /** Pool name: the IPAddressPool's name. */
  readonly name: string;
  /** CIDR blocks, e.g. `["10.20.240.0/29"]`. */
  readonly addresses: readonly string[];
}

/** A data-centre router the speakers peer with. */
export interface BgpRouter {
  /** The router's IPv4 address; the speakers dial it on TCP 179. */
  readonly address: string;
  /** The router's autonomous system number. */
  readonly asn: number;
}

/** How the site announces LoadBalancer addresses (the site's `network.loadBalancer`). */
export type LoadBalancerAnnouncement =
  | { readonly mode: 'l2'; readonly addressPools: readonly LoadBalancerAddressPool[] }
  | { readonly mode: 'bgp'; readonly localAsn: number; readonly peers: readonly BgpRouter[]; readonly addressPools: readonly LoadBalancerAddressPool[] };

/** The parts of a site's `network` MetalLB needs; the environment's site network is one. */
export interface LoadBalancerNetwork {
  /** The address ranges the data centre assigns to the site: its nodes talk from inside them. */
  readonly ranges: readonly string[];
  readonly loadBalancer: LoadBalancerAnnouncement;
  /** The address the site's Gateway takes, from one of the pools. */
  readonly gatewayAddress: string;
}

/** Requests and limits of one container (Kubernetes quantities). */
export interface ContainerResources {
  /** CPU request, e.g. `"50m"`. */
  readonly cpuRequest: string;
  /** Memory request, e.g. `"64Mi"`. */
  readonly memoryRequest: string;
  /** CPU limit, at least the request. */
  readonly cpuLimit: string;
  /** Memory limit, at least the request. */
  readonly memoryLimit: string;
}

/** What the release's pods may use at the site. */
export interface LoadBalancerSizing {
  /** Nodes of the site: one speaker runs on each. */
  readonly nodeCount: number;
  /** ResourceQuota of the release's namespace (`node-agents`): the release's pods must fit in it. */
  readonly namespaceQuota: NamespaceQuota;
  /**
   * The controller's container.
   * @default DEFAULT_CONTROLLER_RESOURCES
   */
  readonly controller?: ContainerResources;
  /**
   * Each speaker's container.
   * @default DEFAULT_SPEAKER_RESOURCES
   */
  readonly speaker?: ContainerResources;
}

/** Where the site's Kubernetes API server answers (the same shape the other traffic components take). */
export interface ApiServerAddresses {
  /** Address blocks of the API server's endpoints (the control-plane nodes); its admission webhook calls come from there too. */
  readonly addressBlocks: readonly string[];
  /** The port the API server listens on at those addresses, e.g. 6443. */
  readonly port: number;
}

export interface LoadBalancerPoolsProps {
  /** The site's cluster baseline: namespaces and labels come from it. */
  readonly cluster: SiteCluster;
  /** The site's network: address pools, how they are announced, the Gateway's address. */
  readonly network: LoadBalancerNetwork;
  /** The site's in-country registry mirror. */
  readonly registry: string;
  /** The site's in-country chart repository, e.g. `https://charts.lusaka.lms.co.zm`. */
  readonly chartRepository: string;
  /**
   * The chart version to install: the environment's pin (`charts.metallb` in
   * `environments/pins/<env>.json`), one of `SUPPORTED_CHART_VERSIONS.metallb`.
   * @default - `VERSIONS.charts.metallb.version`
   */
  readonly chartVersion?: string;
  /** Node count, the namespace quota and the containers' requests and limits. */
  readonly sizing: LoadBalancerSizing;
  /** The Prometheus that scrapes the controller's and speakers' metrics port. */
  readonly metrics: MetricsScraper;
  /**
   * The API server the controller and speakers watch.
   * @default - the site's `network.ranges` on port 6443 (the control plane's nodes are inside the site's ranges)
   */
  readonly apiServer?: ApiServerAddresses;
  /**
   * Pools MetalLB may hand to a LoadBalancer Service that names no address.
   * @default [] - none: every Service states its address (`serviceAnnotations`), so no Service is exposed on an address nobody chose
   */
  readonly autoAssignPools?: readonly string[];
}

/** The controller's container, unless `sizing.controller` says otherwise. */
export const DEFAULT_CONTROLLER_RESOURCES: ContainerResources = { cpuRequest: '50m', memoryRequest: '64Mi', cpuLimit: '200m', memoryLimit: '128Mi' };
/** Each speaker's container, unless `sizing.speaker` says otherwise (more memory: it caches every Service, EndpointSlice and Node). */
export const DEFAULT_SPEAKER_RESOURCES: ContainerResources = { cpuRequest: '50m', memoryRequest: '64Mi', cpuLimit: '200m', memoryLimit: '256Mi' };

/** The Helm release name; the chart names its objects `metallb-controller`, `metallb-speaker`, ... after it. */
export const METALLB_RELEASE = 'metallb';
/** The chart's fixed ports: metrics (HTTPS), the admission webhook, the speakers' memberlist. */
export const METALLB_PORTS = { metrics: 9120, webhook: 9443, memberlist: 7946 } as const;
/** The Service the API server calls for MetalLB's admission webhooks and the BGPPeer conversion webhook. */
export const METALLB_WEBHOOK_SERVICE = 'metallb-webhook-service';
/** MetalLB annotation that asks for one exact address. */
export const LOAD_BALANCER_IPS_ANNOTATION = 'metallb.io/loadBalancerIPs';
/** MetalLB annotation that names the pool the address comes from. */
export const ADDRESS_POOL_ANNOTATION = 'metallb.io/address-pool';

/** The controller image's user (`nobody`), as the chart sets it. */
const CONTROLLER_USER = 65534;
const DEFAULT_API_SERVER_PORT = 6443;
const SELECTOR = { 'app.kubernetes.io/name': 'metallb', 'app.kubernetes.io/instance': METALLB_RELEASE } as const;

/**
 * MetalLB at one site: the pinned chart in native BGP/L2 mode, every image from the site's
 * registry by digest, one IPAddressPool per address pool (none handing out addresses unasked
 * unless listed in `autoAssignPools`), an L2Advertisement (l2) or a BGPPeer per router and a
 * BGPAdvertisement (bgp), and NetworkPolicies for the controller and the speakers.
 *
 * Native mode, not FRR: the chart's default (the frr-k8s subchart) adds an FRR DaemonSet with
 * NET_ADMIN and SYS_ADMIN and two more images, for features (BFD, VRFs, route learning,
 * communities beyond the basics) no site network uses; the native speaker dials each router
 * on TCP 179 and needs only NET_RAW.
 *
 * Everything lives in the `node-agents` namespace, whose Pod Security level (`privileged`)
 * admits the speaker's host network and NET_RAW. The speaker runs as root, an exception listed
 * in the release's `policySuppressions`; the controller meets the restricted level.
 * @see https://metallb.io/installation/#installation-with-helm
 */
export class LoadBalancerPools extends PlatformComponent {
  public readonly namespace: string;
  public readonly mode: 'l2' | 'bgp';
  /** The IPAddressPools, with whether each hands out addresses unasked. */
  public readonly pools: readonly AddressPoolSpec[];
  public readonly gatewayAddress: string;
  /** Annotations the Gateway's LoadBalancer Service carries to take `gatewayAddress`. */
  public readonly gatewayServiceAnnotations: Readonly<Record<string, string>>;
  /** The webhook Service (name, namespace): the BGPPeer CRD's conversion webhook must name it. */
  public readonly webhookService: { readonly name: string; readonly namespace: string };
  public readonly apiServer: ApiServerAddresses;
  /** Effective requests and limits of the controller and each speaker. */
  public readonly controllerResources: ContainerResources;
  public readonly speakerResources: ContainerResources;
  /** Pod labels of the controller and the speakers, as the chart renders them. */
  public readonly controllerLabels: Readonly<Record<string, string>>;
  public readonly speakerLabels: Readonly<Record<string, string>>;
  public readonly objects: readonly KubeObject[];
  public override readonly helmReleases: readonly HelmReleaseSpec[];

  private readonly where: string;

  constructor(scope: Construct, id: string, props: LoadBalancerPoolsProps) {
    super(scope, id);
    this.where = `LoadBalancerPools ${this.node.path}`;
    const where = this.where;
    this.namespace = props.cluster.namespaces['node-agents'];
    if (!/^https:\/\//.test(props.chartRepository)) {
      throw PlatformError.invalidProp(where, 'chartRepository', props.chartRepository, "an https:// URL of the site's in-country chart repository");
    }
    const announcement = props.network.loadBalancer;
    if (announcement.mode !== 'l2' && announcement.mode !== 'bgp') {
      throw PlatformError.invalidProp(where, 'network.loadBalancer.mode', (announcement as { mode: unknown }).mode, 'l2, bgp');
    }
    this.mode = announcement.mode;

    this.pools = resolvePools(where, announcement.addressPools, props.autoAssignPools ?? []);
    this.gatewayAddress = props.network.gatewayAddress;
    this.gatewayServiceAnnotations = this.serviceAnnotations(this.gatewayAddress, 'network.gatewayAddress');
    this.apiServer = resolveApiServer(where, props.apiServer ?? { addressBlocks: props.network.ranges, port: DEFAULT_API_SERVER_PORT }, props.apiServer === undefined ? 'network.ranges' : 'apiServer.addressBlocks');
    const nodeAddresses = props.network.ranges.map((cidr, index) => checkedCidr(where, `network.ranges[${index}]`, cidr));
    const routers = announcement.mode === 'bgp' ? resolveRouters(where, announcement.localAsn, announcement.peers) : [];
    const announcementSpec: AnnouncementSpec = announcement.mode === 'bgp' ? { mode: 'bgp', localAsn: announcement.localAsn, routers } : { mode: 'l2' };

    this.controllerResources = props.sizing.controller ?? DEFAULT_CONTROLLER_RESOURCES;
    this.speakerResources = props.sizing.speaker ?? DEFAULT_SPEAKER_RESOURCES;
    checkQuota(where, props.sizing, parsedResources(where, 'sizing.controller', this.controllerResources), parsedResources(where, 'sizing.speaker', this.speakerResources));

    this.webhookService = { name: METALLB_WEBHOOK_SERVICE, namespace: this.namespace };
    this.controllerLabels = { ...SELECTOR, 'app.kubernetes.io/component': 'controller' };
    this.speakerLabels = { ...SELECTOR, 'app.kubernetes.io/component': 'speaker' };

    const chart = new LoadBalancerPoolsChart(new Cdk8sApp(), 'load-balancer-pools', {
      namespace: this.namespace,
      pools: this.pools,
      announcement: announcementSpec,
      advertisementName: 'lms-address-pools',
      controllerLabels: this.controllerLabels,
      speakerLabels: this.speakerLabels,
      controllerPolicyName: `${METALLB_RELEASE}-controller`,
      speakerPolicyName: `${METALLB_RELEASE}-speaker`,
      apiServer: this.apiServer,
      webhookPort: METALLB_PORTS.webhook,
      metricsPort: METALLB_PORTS.metrics,
      memberlistPort: METALLB_PORTS.memberlist,
      nodeAddresses,
      metricsScraper: props.metrics.peer,
      labels: props.cluster.labels,
    });
    this.objects = chart.toJson() as KubeObject[];

    // The NetworkPolicies go first: under the namespace's default deny the controller could
    // not reach the API server, never become ready, and the release would roll back. The
    // pools and advertisements go after, through the running controller's webhook.
    const policies = this.objects.filter((object) => object.kind === 'NetworkPolicy').map(objectKey);
    this.helmReleases = [
      {
        name: METALLB_RELEASE,
        namespace: this.namespace,
        chart: chartSource(props.chartRepository, 'metallb', props.chartVersion),
        values: this.chartValues(props),
        after: policies,
        policySuppressions: this.releaseSuppressions(),
      },
    ];
  }

  /**
   * Annotations a LoadBalancer Service carries to take `address` from the pool holding it:
   * MetalLB assigns exactly that address, also from a pool that hands out nothing unasked.
   * @throws PlatformError when no pool holds the address
   */
  public serviceAnnotations(address: string, prop = 'address'): Readonly<Record<string, string>> {
    const block = addressBlock(address);
    const pool = block && this.pools.find((candidate) => candidate.addresses.some((cidr) => blockContains(cidrBlock(cidr)!, block)));
    if (!pool) {
      const pools = this.pools.flatMap((candidate) => candidate.addresses.map((cidr) => `${cidr} (${candidate.name})`)).join(', ');
      throw new PlatformError(`${this.where}: ${prop}: ${formatValue(address)} is in no address pool (allowed: an address inside ${pools})`);
    }
    return { [ADDRESS_POOL_ANNOTATION]: pool.name, [LOAD_BALANCER_IPS_ANNOTATION]: address };
  }

  private chartValues(props: LoadBalancerPoolsProps): Record<string, unknown> {
    const image = (name: 'metallbController' | 'metallbSpeaker') => {
      const pinned = pinnedImage(props.registry, name);
      // The chart writes `repository:tag`; the digest rides in the tag so the kubelet pulls by digest.
      return { repository: `${pinned.registry}/${pinned.repository}`, tag: `${pinned.tag}@${pinned.digest}`, pullPolicy: 'IfNotPresent' };
    };
    const resources = (container: ContainerResources) => ({
      requests: { cpu: container.cpuRequest, memory: container.memoryRequest },
      limits: { cpu: container.cpuLimit, memory: container.memoryLimit },
    });
    // Site labels on the pods; the chart writes its own `app.kubernetes.io/managed-by`.
    const { 'app.kubernetes.io/managed-by': _managedBy, ...labels } = props.cluster.labels;
    return {
      loadBalancerClass: '',
      // The base layer applies the vendored CRDs; the chart's crds subchart would template them again.
      crds: { enabled: false, validationFailurePolicy: 'Fail' },
      frrk8s: { enabled: false, external: false },
      networkpolicies: { enabled: false },
      rbac: { create: true },
      // The chart's ServiceMonitors, labelled for the site's Prometheus: the controller and the
      // speakers serve `/metrics` over HTTPS on 9120 and admit only a caller whose token may
      // `get /metrics` (TokenReview and SubjectAccessReview), so each monitor sends Prometheus's
      // own service-account token. Their certificates are the ones MetalLB generates at start,
      // signed by nobody Prometheus could trust, so the scrape skips verifying them (the token,
      // not the certificate, is what guards the endpoint; a speaker answers on its node's address).
      prometheus: {
        metricsPort: METALLB_PORTS.metrics,
        scrapeAnnotations: false,
        rbacPrometheus: false,
        podMonitor: { enabled: false },
        serviceMonitor: {
          enabled: true,
          speaker: { additionalLabels: { ...props.metrics.serviceMonitorLabels }, tlsConfig: { insecureSkipVerify: true } },
          controller: { additionalLabels: { ...props.metrics.serviceMonitorLabels }, tlsConfig: { insecureSkipVerify: true } },
        },
        prometheusRule: { enabled: false },
      },
      controller: {
        enabled: true,
        logLevel: 'info',
        webhookMode: 'enabled',
        image: image('metallbController'),
        securityContext: { runAsNonRoot: true, runAsUser: CONTROLLER_USER, runAsGroup: CONTROLLER_USER, fsGroup: CONTROLLER_USER, seccompProfile: { type: 'RuntimeDefault' } },
        resources: resources(this.controllerResources),
        priorityClassName: PRIORITY_CLASSES.platform.name,
        labels,
      },
      speaker: {
        enabled: true,
        logLevel: 'info',
        image: image('metallbSpeaker'),
        // Root, stated rather than left to the image: see the release's policySuppressions.
        securityContext: { runAsNonRoot: false, runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } },
        resources: resources(this.speakerResources),
        // Like kube-proxy: the node's share of the site's addresses moves away when its speaker is
        // evicted or preempted, so it is never the one to go.
        priorityClassName: 'system-node-critical',
        memberlist: { enabled: true, mlBindPort: METALLB_PORTS.memberlist },
        frr: { enabled: false },
        labels,
      },
    };
  }

  private releaseSuppressions(): PolicySuppression[] {
    return [
      {
        ruleId: 'LMS-K8S-001',
        object: `DaemonSet/${this.namespace}/${METALLB_RELEASE}-speaker`,
        reason:
          'The MetalLB speaker answers ARP for the site\'s LoadBalancer addresses (and starts its layer-2 responder on every interface in BGP mode too) through raw sockets, which need CAP_NET_RAW in its effective set; Kubernetes grants an added capability to the effective set only to UID 0 (it sets no ambient capabilities), so the speaker runs as root. It keeps every other control: all capabilities dropped but NET_RAW, no privilege escalation, read-only root filesystem, RuntimeDefault seccomp, and the node-agents namespace kept apart for host-level agents.',
      },
    ];
  }
}

function checkedCidr(where: string, prop: string, cidr: string): string {
  if (!cidrBlock(cidr)) throw new PlatformError(`${where}: ${prop}: ${formatValue(cidr)} is not an IPv4 CIDR block (allowed: e.g. "10.20.240.0/29", host bits zero)`);
  return cidr;
}

function resolvePools(where: string, pools: readonly LoadBalancerAddressPool[], autoAssign: readonly string[]): AddressPoolSpec[] {
  if (pools.length === 0) throw PlatformError.invalidProp(where, 'network.loadBalancer.addressPools', pools, 'at least one pool');
  pools.forEach((pool, index) => {
    if (pools.slice(0, index).some((earlier) => earlier.name === pool.name)) {
      throw new PlatformError(`${where}: network.loadBalancer.addressPools[${index}].name: ${formatValue(pool.name)} names two pools (allowed: each pool name once)`);
    }
    if (pool.addresses.length === 0) throw PlatformError.invalidProp(where, `network.loadBalancer.addressPools[${index}].addresses`, pool.addresses, 'at least one CIDR block');
    pool.addresses.forEach((cidr, addressIndex) => checkedCidr(where, `network.loadBalancer.addressPools[${index}].addresses[${addressIndex}]`, cidr));
  });
  autoAssign.forEach((name, index) => {
    if (!pools.some((pool) => pool.name === name)) {
      throw PlatformError.invalidProp(where, `autoAssignPools[${index}]`, name, `names of address pools: ${pools.map((pool) => pool.name).join(', ')}`);
    }
  });
  return pools.map((pool) => ({ name: pool.name, addresses: [...pool.addresses], autoAssign: autoAssign.includes(pool.name) }));
}

function resolveApiServer(where: string, apiServer: ApiServerAddresses, blocksProp: string): ApiServerAddresses {
  if (apiServer.addressBlocks.length === 0) throw PlatformError.invalidProp(where, blocksProp, apiServer.addressBlocks, 'at least one CIDR block');
  const addressBlocks = apiServer.addressBlocks.map((cidr, index) => checkedCidr(where, `${blocksProp}[${index}]`, cidr));
  if (!Number.isInteger(apiServer.port) || apiServer.port < 1 || apiServer.port > 65535) throw PlatformError.invalidProp(where, 'apiServer.port', apiServer.port, 'a TCP port, 1-65535');
  return { addressBlocks, port: apiServer.port };
}

function resolveRouters(where: string, localAsn: number, peers: readonly BgpRouter[]) {
  const validAsn = (asn: number) => Number.isInteger(asn) && asn >= 1 && asn <= 4294967294;
  if (!validAsn(localAsn)) throw PlatformError.invalidProp(where, 'network.loadBalancer.localAsn', localAsn, 'an AS number, 1-4294967294');
  if (peers.length === 0) throw PlatformError.invalidProp(where, 'network.loadBalancer.peers', peers, 'at least one router');
  return peers.map((peer, index) => {
    if (!addressBlock(peer.address)) throw PlatformError.invalidProp(where, `network.loadBalancer.peers[${index}].address`, peer.address, 'an IPv4 address, e.g. "10.20.0.1"');
    if (!validAsn(peer.asn)) throw PlatformError.invalidProp(where, `network.loadBalancer.peers[${index}].asn`, peer.asn, 'an AS number, 1-4294967294');
    if (peers.slice(0, index).some((earlier) => earlier.address === peer.address)) {
      throw new PlatformError(`${where}: network.loadBalancer.peers[${index}].address: ${formatValue(peer.address)} names two routers (allowed: each router once)`);
    }
    return { name: `router-${peer.address.replace(/\./g, '-')}`, address: peer.address, asn: peer.asn };
  });
}

/** A container's figures in millicores and MiB. */
interface ParsedResources {
  readonly cpuRequest: number;
  readonly cpuLimit: number;
  readonly memoryRequest: number;
  readonly memoryLimit: number;
}

function parsedResources(where: string, prop: string, resources: ContainerResources): ParsedResources {
  const parsed = {
    cpuRequest: cpuMillis(resources.cpuRequest, `${where}: ${prop}.cpuRequest`),
    cpuLimit: cpuMillis(resources.cpuLimit, `${where}: ${prop}.cpuLimit`),
    memoryRequest: memoryMiB(resources.memoryRequest, `${where}: ${prop}.memoryRequest`),
    memoryLimit: memoryMiB(resources.memoryLimit, `${where}: ${prop}.memoryLimit`),
  };
  for (const [request, limit] of [['cpuRequest', 'cpuLimit'], ['memoryRequest', 'memoryLimit']] as const) {
    if (parsed[request] > parsed[limit]) {
      throw new PlatformError(
        `${where}: ${prop}.${request}: ${formatValue(resources[request])} is above ${limit} ${formatValue(resources[limit])} (allowed: at most the limit; Kubernetes rejects a container whose request exceeds its limit)`,
      );
    }
  }
  return parsed;
}

/**
 * The release's pods must fit the namespace quota: a speaker per node and the controller,
 * plus the controller's surge pod while it rolls out. Otherwise the quota refuses pods and the
 * release never becomes ready.
 */
function checkQuota(where: string, sizing: LoadBalancerSizing, controller: ParsedResources, speaker: ParsedResources): void {
  const nodes = sizing.nodeCount;
  if (!Number.isInteger(nodes) || nodes < 1) throw PlatformError.invalidProp(where, 'sizing.nodeCount', nodes, 'a whole number above 0');
  const controllers = 2;
  const quota = sizing.namespaceQuota;
  const speakers = `${nodes} speaker${nodes === 1 ? '' : 's'}`;
  const checks = [
    { field: 'requestsCpu', figure: 'cpuRequest', unit: 'm', parse: cpuMillis, what: 'CPU requests' },
    { field: 'limitsCpu', figure: 'cpuLimit', unit: 'm', parse: cpuMillis, what: 'CPU limits' },
    { field: 'requestsMemory', figure: 'memoryRequest', unit: 'Mi', parse: memoryMiB, what: 'memory requests' },
    { field: 'limitsMemory', figure: 'memoryLimit', unit: 'Mi', parse: memoryMiB, what: 'memory limits' },
  ] as const;
  for (const check of checks) {
    const have = check.parse(quota[check.field], `${where}: sizing.namespaceQuota.${check.field}`);
    const needed = nodes * speaker[check.figure] + controllers * controller[check.figure];
    if (have < needed) {
      throw new PlatformError(
        `${where}: sizing.namespaceQuota.${check.field}: ${formatValue(quota[check.field])} is below the ${needed}${check.unit} of ${check.what} of the MetalLB pods (${speakers} x ${speaker[check.figure]}${check.unit} and ${controllers} controllers x ${controller[check.figure]}${check.unit}, one of them the rolling-update surge) (allowed: at least ${needed}${check.unit}, or the quota refuses pods and the release never becomes ready)`,
      );
    }
  }
  const pods = nodes + controllers;
  if (quota.pods < pods) {
    throw new PlatformError(
      `${where}: sizing.namespaceQuota.pods: ${quota.pods} is below the ${pods} MetalLB pods (${speakers} and ${controllers} controllers, one of them the rolling-update surge) (allowed: at least ${pods}, or the quota refuses pods and the release never becomes ready)`,
    );
  }
}
