import { App as Cdk8sApp } from 'cdk8s';
import type { Construct } from 'constructs';
import { IngressGatewayChart, type GatewayListenerSpec } from '../charts-ts/ingress-gateway-chart';
import { cidrContains, dnsNameCovers, domainsText, inAnyDomain, isDnsLabel, isHostName, isIpv4Address, isIpv4Cidr } from './host-names';
import { PlatformComponent, objectKey, type HelmReleaseSpec, type KubeObject } from './platform-component';
import { PlatformError, formatValue } from './platform-error';
import { cpuMillis, memoryMiB } from './quantities';
import type { ApiServerPeer, MetricsScraper, NetworkPeer } from './service-references';
import { PRIORITY_CLASSES, type SiteCluster } from './site-cluster';
import { chartSource, pinnedImage, type PinnedImage } from './versions';
import type { TraefikValues } from './traefik-values';

/** The Gateway every route of a site attaches to. Stable: routes in later layers name it. */
export const GATEWAY_NAME = 'lms-gateway';
/** The GatewayClass the Traefik release renders and the Gateway names. */
export const GATEWAY_CLASS_NAME = 'traefik';
/** The Traefik release; its pods carry `app.kubernetes.io/instance: traefik-<namespace>`. */
export const TRAEFIK_RELEASE = 'traefik';

/**
 * Traefik's entry points. A Gateway listener binds the entry point of the same port, so the
 * listeners name these ports; the LoadBalancer Service maps 80 and 443 to them.
 * @see https://doc.traefik.io/traefik/reference/routing-configuration/kubernetes/gateway-api/
 */
export const ENTRY_POINTS = {
  web: { port: 8000, exposedPort: 80 },
  websecure: { port: 8443, exposedPort: 443 },
  /** Health checks (`/ping`); never exposed. */
  traefik: { port: 8080 },
  /** Prometheus metrics; never exposed. */
  metrics: { port: 9100 },
} as const;

/** A certificate the Gateway serves: a Secret (`tls.crt`, `tls.key`) in the Gateway's namespace. */
export interface GatewayCertificate {
  /** Name of the Secret cert-manager writes the certificate to. */
  readonly secretName: string;
  /** The DNS names the certificate carries; they must cover the listener's host name. */
  readonly dnsNames: readonly string[];
}

/** An operations UI reached through the Gateway from the operations networks only. */
export interface OperationsUi {
  /** First label of its host name: `grafana` is served at `grafana.<siteDnsDomain>`. */
  readonly name: string;
  /** The namespace whose HTTPRoute may serve it, e.g. `lms-observability`. */
  readonly namespace: string;
  /** The certificate for `<name>.<siteDnsDomain>`. */
  readonly certificate: GatewayCertificate;
}

/** A MetalLB address pool, as the site's `network.loadBalancer.addressPools` lists it. */
export interface LoadBalancerAddressPool {
  /** The pool's name (the IPAddressPool MetalLB allocates from). */
  readonly name: string;
  /** IPv4 blocks, e.g. `10.10.240.0/29`. */
  readonly addresses: readonly string[];
}

/** Requests and limits of one Traefik pod, as Kubernetes quantities. */
export interface IngressGatewayResources {
  /** e.g. `250m`. */
  readonly cpuRequest: string;
  /** e.g. `128Mi`. */
  readonly memoryRequest: string;
  /** e.g. `1`. */
  readonly cpuLimit: string;
  /** e.g. `512Mi`; Traefik's GOMEMLIMIT is set to 90 % of it by the chart. */
  readonly memoryLimit: string;
}

/** One listener of the site's Gateway. */
export interface GatewayListener {
  /** Listener name: the `sectionName` an HTTPRoute's parentRef gives. */
  readonly name: string;
  /** `HTTP` (port 80, redirect only) or `HTTPS` (TLS terminated with `certificate`). */
  readonly protocol: 'HTTP' | 'HTTPS';
  /** The Traefik entry-point port it binds (see ENTRY_POINTS). */
  readonly port: number;
  /** The one host name it serves; undefined for the HTTP listener, which only redirects to HTTPS. */
  readonly hostname?: string;
  /** Who its routes are for; undefined for the HTTP listener. */
  readonly exposure?: 'public' | 'operations';
  /** Namespaces whose HTTPRoutes may attach. */
  readonly routeNamespaces: readonly string[];
  /** The certificate it terminates TLS with (HTTPS only). */
  readonly certificate?: GatewayCertificate;
}

export interface IngressGatewayProps {
  /** The site's cluster baseline: namespaces, labels and PriorityClasses come from it. */
  readonly cluster: SiteCluster;
  /** The site's in-country registry mirror. */
  readonly registry: string;
  /** The site's in-country chart repository (`chartRepository` of the site). */
  readonly chartRepository: string;
  /**
   * The chart version to install: the environment's pin (`charts.traefik` in
   * `environments/pins/<env>.json`), one of `SUPPORTED_CHART_VERSIONS.traefik`.
   * @default - `VERSIONS.charts.traefik.version`
   */
  readonly chartVersion?: string;
  /** Traefik pods; at least 2 keep the site reachable through a node drain. */
  readonly replicas: number;
  /**
   * Requests and limits of one Traefik pod.
   * @default { cpuRequest: '250m', memoryRequest: '128Mi', cpuLimit: '1', memoryLimit: '512Mi' }
   */
  readonly resources?: IngressGatewayResources;
  /** The address the Gateway's LoadBalancer Service takes (the site's `network.gatewayAddress`). */
  readonly gatewayAddress: string;
  /** The site's MetalLB address pools; the one holding `gatewayAddress` is named on the Service. */
  readonly addressPools: readonly LoadBalancerAddressPool[];
  /** DNS domains every host name must lie in (the data-sovereignty list, e.g. `lms.co.zm`). */
  readonly approvedDomains: readonly string[];
  /** The host name customers and branches use for the loan-service, e.g. `loans.lms.co.zm`. */
  readonly publicHost: string;
  /** The certificate for `publicHost`. */
  readonly publicCertificate: GatewayCertificate;
  /**
   * Namespaces whose routes may attach to the public listener.
   * @default - the site's apps namespace only
   */
  readonly publicRouteNamespaces?: readonly string[];
  /** The site's DNS domain; operations UIs are served at `<ui>.<siteDnsDomain>`. */
  readonly siteDnsDomain: string;
  /** The operations UIs (Grafana, Kibana, the Vault UI), each with its own listener and certificate. */
  readonly operationsUis: readonly OperationsUi[];
  /** Source blocks of the operations network: the only clients operations routes admit. */
  readonly operationsNetworks: readonly string[];
  /** Where the API server answers (Traefik watches the Gateway API and Services). */
  readonly apiServer: ApiServerPeer;
  /** The Prometheus that scrapes Traefik's metrics. */
  readonly metrics: MetricsScraper;
}

const DEFAULT_RESOURCES: IngressGatewayResources = { cpuRequest: '250m', memoryRequest: '128Mi', cpuLimit: '1', memoryLimit: '512Mi' };

/**
 * The entry of one site: Traefik, installed from the pinned chart as the site's Gateway API
 * implementation, behind a MetalLB LoadBalancer address, and the site's one Gateway
 * (`lms-gateway`). Clients keep their source address (`externalTrafficPolicy: Local`), so the
 * rate limits and the operations allow-list see who is calling. Port 80 only redirects to 443;
 * every route is HTTPS. Components publish routes with `GatewayRoute`.
 */
export class IngressGateway extends PlatformComponent {
  public readonly namespace: string;
  public readonly gatewayName = GATEWAY_NAME;
  public readonly gatewayClassName = GATEWAY_CLASS_NAME;
  public readonly image: PinnedImage;
  public readonly replicas: number;
  public readonly resources: IngressGatewayResources;
  public readonly gatewayAddress: string;
  /** The MetalLB pool holding `gatewayAddress`. */
  public readonly addressPool: string;
  public readonly approvedDomains: readonly string[];
  public readonly publicHost: string;
  public readonly operationsNetworks: readonly string[];
  /** Every listener of the Gateway, in order: `http`, `https`, then one per operations UI. */
  public readonly listeners: readonly GatewayListener[];
  /** Namespaces any route may come from. */
  public readonly routeNamespaces: readonly string[];
  /** Labels every object of the site carries. */
  public readonly labels: Readonly<Record<string, string>>;
  /**
   * The Traefik pods, on their HTTPS entry point: what a backend's NetworkPolicy admits
   * (e.g. the loan-service's `callers`).
   */
  public readonly peer: NetworkPeer;
  public override readonly helmReleases: readonly HelmReleaseSpec[];
  public readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: IngressGatewayProps) {
    super(scope, id);
    const where = `IngressGateway ${this.node.path}`;
    const namespaces = props.cluster.namespaces;
    this.namespace = namespaces.platform;
    this.labels = props.cluster.labels;
    this.image = pinnedImage(props.registry, 'traefik');

    if (!Number.isInteger(props.replicas) || props.replicas < 1) {
      throw PlatformError.invalidProp(where, 'replicas', props.replicas, 'a whole number, at least 1');
    }
    this.replicas = props.replicas;
    this.resources = props.resources ?? DEFAULT_RESOURCES;
    const cpu = { request: cpuMillis(this.resources.cpuRequest, `${where}: resources.cpuRequest`), limit: cpuMillis(this.resources.cpuLimit, `${where}: resources.cpuLimit`) };
    const memory = { request: memoryMiB(this.resources.memoryRequest, `${where}: resources.memoryRequest`), limit: memoryMiB(this.resources.memoryLimit, `${where}: resources.memoryLimit`) };
    if (cpu.request > cpu.limit) throw PlatformError.invalidProp(where, 'resources.cpuRequest', this.resources.cpuRequest, `at most cpuLimit ${formatValue(this.resources.cpuLimit)}`);
    if (memory.request > memory.limit) throw PlatformError.invalidProp(where, 'resources.memoryRequest', this.resources.memoryRequest, `at most memoryLimit ${formatValue(this.resources.memoryLimit)}`);

    if (!isIpv4Address(props.gatewayAddress)) throw PlatformError.invalidProp(where, 'gatewayAddress', props.gatewayAddress, 'an IPv4 address, e.g. "10.10.240.1"');
    this.gatewayAddress = props.gatewayAddress;
    for (const [index, pool] of props.addressPools.entries()) {
      for (const cidr of pool.addresses) {
        if (!isIpv4Cidr(cidr)) throw PlatformError.invalidProp(where, `addressPools[${index}].addresses`, cidr, 'IPv4 blocks with their host bits zero, e.g. "10.10.240.0/29"');
      }
    }
    const pool = props.addressPools.find((candidate) => candidate.addresses.some((cidr) => cidrContains(cidr, props.gatewayAddress)));
    if (!pool) {
      const blocks = props.addressPools.flatMap((candidate) => candidate.addresses.map((cidr) => `${candidate.name} ${cidr}`));
      throw new PlatformError(`${where}: gatewayAddress: ${formatValue(props.gatewayAddress)} is in no address pool (allowed: an address inside ${blocks.join(', ') || 'an address pool'})`);
    }
    this.addressPool = pool.name;

    if (props.approvedDomains.length === 0) throw PlatformError.invalidProp(where, 'approvedDomains', props.approvedDomains, 'at least one in-country DNS domain');
    this.approvedDomains = props.approvedDomains;
    const inCountry = (prop: string, host: string) => {
      if (!isHostName(host)) throw PlatformError.invalidProp(where, prop, host, 'a host name of lower-case DNS labels, e.g. "loans.lms.co.zm"');
      if (!inAnyDomain(host, this.approvedDomains)) {
        throw new PlatformError(`${where}: ${prop}: ${formatValue(host)} is not in an approved in-country domain (allowed: host names in ${domainsText(this.approvedDomains)})`);
      }
    };
    inCountry('publicHost', props.publicHost);
    inCountry('siteDnsDomain', props.siteDnsDomain);
    this.publicHost = props.publicHost;

    if (props.operationsNetworks.length === 0) throw PlatformError.invalidProp(where, 'operationsNetworks', props.operationsNetworks, 'at least one IPv4 block of the operations network');
    for (const cidr of props.operationsNetworks) {
      if (!isIpv4Cidr(cidr)) throw PlatformError.invalidProp(where, 'operationsNetworks', cidr, 'IPv4 blocks with their host bits zero, e.g. "10.50.0.0/24"');
    }
    this.operationsNetworks = props.operationsNetworks;
    if (props.apiServer.addressBlocks.length === 0) throw PlatformError.invalidProp(where, 'apiServer.addressBlocks', props.apiServer.addressBlocks, 'at least one IPv4 block');
    for (const cidr of props.apiServer.addressBlocks) {
      if (!isIpv4Cidr(cidr)) throw PlatformError.invalidProp(where, 'apiServer.addressBlocks', cidr, 'IPv4 blocks with their host bits zero, e.g. "10.10.0.10/32"');
    }
    if (!Number.isInteger(props.apiServer.port) || props.apiServer.port < 1 || props.apiServer.port > 65535) {
      throw PlatformError.invalidProp(where, 'apiServer.port', props.apiServer.port, 'a TCP port, 1-65535');
    }

    const siteNamespaces = Object.values(namespaces);
    const routeNamespace = (prop: string, namespace: string) => {
      if (namespace === this.namespace || !siteNamespaces.includes(namespace)) {
        throw PlatformError.invalidProp(where, prop, namespace, `a namespace of the site other than ${this.namespace}: ${siteNamespaces.filter((name) => name !== this.namespace).join(', ')}`);
      }
    };
    const publicRouteNamespaces = props.publicRouteNamespaces ?? [namespaces.apps];
    if (publicRouteNamespaces.length === 0) throw PlatformError.invalidProp(where, 'publicRouteNamespaces', publicRouteNamespaces, 'at least one namespace');
    publicRouteNamespaces.forEach((namespace) => routeNamespace('publicRouteNamespaces', namespace));

    const certificate = (prop: string, value: GatewayCertificate, host: string): GatewayCertificate => {
      if (typeof value.secretName !== 'string' || value.secretName.length > 253 || !value.secretName.split('.').every(isDnsLabel)) {
        throw PlatformError.invalidProp(where, `${prop}.secretName`, value.secretName, 'a Secret name: lower-case DNS labels joined by "."');
      }
      if (!value.dnsNames.some((dnsName) => dnsNameCovers(dnsName, host))) {
        throw new PlatformError(`${where}: ${prop}.dnsNames: ${formatValue(value.dnsNames)} do not cover the listener's host ${formatValue(host)} (allowed: DNS names including ${formatValue(host)} or ${formatValue(`*.${host.slice(host.indexOf('.') + 1)}`)})`);
      }
      return value;
    };

    const listeners: GatewayListener[] = [
      { name: 'http', protocol: 'HTTP', port: ENTRY_POINTS.web.port, routeNamespaces: [this.namespace] },
      {
        name: 'https',
        protocol: 'HTTPS',
        port: ENTRY_POINTS.websecure.port,
        hostname: this.publicHost,
        exposure: 'public',
        routeNamespaces: [...publicRouteNamespaces],
        certificate: certificate('publicCertificate', props.publicCertificate, this.publicHost),
      },
    ];
    props.operationsUis.forEach((ui, index) => {
      const prop = `operationsUis[${index}]`;
      if (!isDnsLabel(ui.name)) throw PlatformError.invalidProp(where, `${prop}.name`, ui.name, 'a DNS label, e.g. "grafana"');
      const hostname = `${ui.name}.${props.siteDnsDomain}`;
      const clash = listeners.find((listener) => listener.hostname === hostname);
      if (clash) {
        throw new PlatformError(`${where}: ${prop}.name: ${formatValue(ui.name)} gives host ${formatValue(hostname)}, already served by listener ${formatValue(clash.name)} (allowed: one listener per host name)`);
      }
      routeNamespace(`${prop}.namespace`, ui.namespace);
      listeners.push({
        name: `https-operations-${ui.name}`,
        protocol: 'HTTPS',
        port: ENTRY_POINTS.websecure.port,
        hostname,
        exposure: 'operations',
        routeNamespaces: [ui.namespace],
        certificate: certificate(`${prop}.certificate`, ui.certificate, hostname),
      });
    });
    this.listeners = listeners;
    this.routeNamespaces = [...new Set(listeners.filter((listener) => listener.protocol === 'HTTPS').flatMap((listener) => listener.routeNamespaces))].sort();

    const selectorLabels = { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': `${TRAEFIK_RELEASE}-${this.namespace}` };
    this.peer = { namespace: this.namespace, podLabels: selectorLabels, port: ENTRY_POINTS.websecure.port };

    const chart = new IngressGatewayChart(new Cdk8sApp(), 'ingress-gateway', {
      namespace: this.namespace,
      gatewayName: this.gatewayName,
      gatewayClassName: this.gatewayClassName,
      labels: this.labels,
      listeners: listeners.map((listener): GatewayListenerSpec => ({
        name: listener.name,
        protocol: listener.protocol,
        port: listener.port,
        hostname: listener.hostname,
        certificateSecret: listener.certificate?.secretName,
        routeNamespaces: listener.routeNamespaces,
      })),
      podLabels: selectorLabels,
      clientPorts: [ENTRY_POINTS.web.port, ENTRY_POINTS.websecure.port],
      metricsPort: ENTRY_POINTS.metrics.port,
      metricsScraper: props.metrics.peer,
      serviceMonitorLabels: props.metrics.serviceMonitorLabels,
      metricsServiceLabels: { ...selectorLabels, 'app.kubernetes.io/component': 'metrics' },
      apiServer: props.apiServer,
    });
    this.objects = chart.toJson() as KubeObject[];
    const networkPolicy = this.objects.find((object) => object.kind === 'NetworkPolicy')!;

    this.helmReleases = [
      {
        name: TRAEFIK_RELEASE,
        namespace: this.namespace,
        chart: chartSource(props.chartRepository, 'traefik', props.chartVersion),
        values: this.traefikValues(selectorLabels),
        // Traefik's pods start under their own NetworkPolicy, so they can watch the API server.
        after: [objectKey(networkPolicy)],
      },
    ];
  }

  /** The chart values: everything the platform decides, typed; the chart's defaults for the rest. */
  private traefikValues(selectorLabels: Readonly<Record<string, string>>): TraefikValues {
    // Helm sets app.kubernetes.io/managed-by itself: a second key would break the chart's YAML.
    const { ['app.kubernetes.io/managed-by']: _managedBy, ...commonLabels } = this.labels;
    const gatewayNamespaces = [this.namespace, ...this.routeNamespaces];
    return {
      image: {
        registry: this.image.registry,
        repository: this.image.repository,
        // `<version>@<digest>`: the kubelet pulls by digest; the chart reads the version from the tag.
        tag: `${this.image.tag}@${this.image.digest}`,
        pullPolicy: 'IfNotPresent',
      },
      commonLabels,
      deployment: { kind: 'Deployment', replicas: this.replicas },
      podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
      priorityClassName: PRIORITY_CLASSES.platform.name,
      resources: {
        requests: { cpu: this.resources.cpuRequest, memory: this.resources.memoryRequest },
        limits: { cpu: this.resources.cpuLimit, memory: this.resources.memoryLimit },
      },
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { ...selectorLabels } } }],
      // The site's one Gateway is an object of this component; the chart renders only the class.
      gateway: { enabled: false },
      gatewayClass: { enabled: true, name: this.gatewayClassName },
      ingressClass: { enabled: false },
      providers: {
        kubernetesGateway: { enabled: true, namespaces: gatewayNamespaces },
        // For the Middlewares routes reference (ExtensionRef filters, same namespace only). A
        // cluster-wide default TLSOption or TLSStore counts only in the platform namespace, so no
        // route namespace can weaken the TLS of every host.
        kubernetesCRD: { enabled: true, allowCrossNamespace: false, namespaces: gatewayNamespaces, defaultTLSResourcesNamespace: this.namespace },
        kubernetesIngress: { enabled: false },
      },
      core: { strictTLSOptions: true },
      api: { dashboard: false },
      global: { checkNewVersion: false, sendAnonymousUsage: false },
      ports: {
        web: {
          port: ENTRY_POINTS.web.port,
          exposedPort: ENTRY_POINTS.web.exposedPort,
          http: { redirections: { entryPoint: { to: 'websecure', scheme: 'https', permanent: true } } },
        },
        websecure: { port: ENTRY_POINTS.websecure.port, exposedPort: ENTRY_POINTS.websecure.exposedPort, http: { tls: { enabled: true } } },
        traefik: { port: ENTRY_POINTS.traefik.port, expose: { default: false } },
        metrics: { port: ENTRY_POINTS.metrics.port, expose: { default: false } },
      },
      service: {
        enabled: true,
        annotations: { 'metallb.io/loadBalancerIPs': this.gatewayAddress, 'metallb.io/address-pool': this.addressPool },
        spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local' },
      },
      log: { format: 'json', level: 'INFO' },
      accessLog: {
        enabled: true,
        format: 'json',
        fields: {
          defaultMode: 'keep',
          // No header is logged but the client's User-Agent: never Authorization or cookies.
          headers: { defaultMode: 'drop', names: { 'User-Agent': 'keep' } },
          // Query strings may carry customer data; the path is kept without them.
          queryParameters: { defaultMode: 'drop' },
        },
      },
      metrics: { prometheus: { entryPoint: 'metrics', service: { enabled: true } } },
    };
  }
}
