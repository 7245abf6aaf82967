import { Chart } from 'cdk8s';
import { IntOrString, KubeNetworkPolicy, type NetworkPolicyPeer } from 'cdk8s-plus-28/lib/imports/k8s';
import type { Construct } from 'constructs';
import {
  Gateway,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  GatewaySpecListenersTlsMode,
  type GatewaySpecListeners,
} from './imports/gateway-gateway.networking.k8s.io';
import { ServiceMonitor } from './imports/servicemonitor-monitoring.coreos.com';

/** Pods selected by namespace and labels, on one TCP port. */
export interface GatewayPeerSelector {
  /** Namespace of the pods. */
  readonly namespace: string;
  /** Labels that select the pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The TCP port. */
  readonly port: number;
}

/** One listener of the Gateway, as the chart renders it. */
export interface GatewayListenerSpec {
  /** Listener name (the `sectionName` routes give). */
  readonly name: string;
  /** `HTTP` only redirects; routes attach to `HTTPS` listeners. */
  readonly protocol: 'HTTP' | 'HTTPS';
  /** The Traefik entry-point port (Traefik binds a listener to the entry point of the same port). */
  readonly port: number;
  /** @default - every host name */
  readonly hostname?: string;
  /** Secret in the Gateway's namespace holding the listener's certificate (HTTPS only). */
  readonly certificateSecret?: string;
  /** Namespaces whose HTTPRoutes may attach; the Gateway's own namespace alone renders as `Same`. */
  readonly routeNamespaces: readonly string[];
}

export interface IngressGatewayChartProps {
  /** The namespace of the Gateway and the Traefik pods. */
  readonly namespace: string;
  /** Name of the Gateway. */
  readonly gatewayName: string;
  /** The GatewayClass the Traefik release renders. */
  readonly gatewayClassName: string;
  /** Labels every object carries. */
  readonly labels: Readonly<Record<string, string>>;
  /** The Gateway's listeners, in order. */
  readonly listeners: readonly GatewayListenerSpec[];
  /** The labels of the Traefik pods (the chart's selector labels). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Entry-point ports clients reach (through the LoadBalancer Service). */
  readonly clientPorts: readonly number[];
  /** The entry-point port Prometheus scrapes. */
  readonly metricsPort: number;
  /** Who scrapes the metrics port. */
  readonly metricsScraper: GatewayPeerSelector;
  /** Labels the Prometheus operator selects ServiceMonitors by. */
  readonly serviceMonitorLabels: Readonly<Record<string, string>>;
  /** Labels of the chart's metrics Service, which the ServiceMonitor selects. */
  readonly metricsServiceLabels: Readonly<Record<string, string>>;
  /** Where the Kubernetes API server answers: Traefik watches Gateways, routes, Services and Secrets. */
  readonly apiServer: { readonly addressBlocks: readonly string[]; readonly port: number };
}

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * The objects the ingress gateway adds to the Traefik release: the site's Gateway (listeners,
 * TLS certificates, which namespaces may attach routes), the NetworkPolicy of the Traefik
 * pods and the ServiceMonitor of their metrics.
 */
export class IngressGatewayChart extends Chart {
  constructor(scope: Construct, id: string, props: IngressGatewayChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true, labels: { ...props.labels } });

    new Gateway(this, 'gateway', {
      metadata: { name: props.gatewayName },
      spec: {
        gatewayClassName: props.gatewayClassName,
        listeners: props.listeners.map((listener) => gatewayListener(listener, props.namespace)),
      },
    });

    const tcp = (port: number) => ({ protocol: 'TCP', port: IntOrString.fromNumber(port) });
    const peer = (p: GatewayPeerSelector): NetworkPolicyPeer => ({
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: p.namespace } },
      podSelector: { matchLabels: { ...p.podLabels } },
    });
    new KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name: 'traefik' },
      spec: {
        podSelector: { matchLabels: { ...props.podLabels } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          // The entry point of the site: any client may open a connection; the routes decide
          // what it reaches (operations UIs only from the operations networks).
          { ports: props.clientPorts.map(tcp) },
          { from: [peer(props.metricsScraper)], ports: [tcp(props.metricsPort)] },
        ],
        // Egress to each route's backend comes with the route (GatewayRoute), so Traefik
        // reaches exactly the services published through the Gateway.
        egress: [{ to: props.apiServer.addressBlocks.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(props.apiServer.port)] }],
      },
    });

    new ServiceMonitor(this, 'service-monitor', {
      metadata: { name: 'traefik', labels: { ...props.serviceMonitorLabels } },
      spec: {
        selector: { matchLabels: { ...props.metricsServiceLabels } },
        namespaceSelector: { matchNames: [props.namespace] },
        endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s', scrapeTimeout: '10s' }],
      },
    });
  }
}

function gatewayListener(listener: GatewayListenerSpec, gatewayNamespace: string): GatewaySpecListeners {
  const sameNamespace = listener.routeNamespaces.length === 1 && listener.routeNamespaces[0] === gatewayNamespace;
  const namespaces = sameNamespace
    ? { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME }
    : {
        from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR,
        selector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...listener.routeNamespaces] }] },
      };
  return {
    name: listener.name,
    protocol: listener.protocol,
    port: listener.port,
    ...(listener.hostname === undefined ? {} : { hostname: listener.hostname }),
    ...(listener.certificateSecret === undefined
      ? {}
      : { tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ group: '', kind: 'Secret', name: listener.certificateSecret }] } }),
    allowedRoutes: {
      namespaces,
      kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
    },
  };
}
