import { Chart } from 'cdk8s';
import { IntOrString, KubeNetworkPolicy } from 'cdk8s-plus-28/lib/imports/k8s';
import type { Construct } from 'constructs';
import { BackendTlsPolicy } from './imports/backendtlspolicy-gateway.networking.k8s.io';
import { HttpRoute, HttpRouteSpecRulesFiltersType, HttpRouteSpecRulesMatchesPathType } from './imports/httproute-gateway.networking.k8s.io';
import { Middleware, type MiddlewareSpec } from './imports/middleware-traefik.io';

/** Pods selected by namespace and labels, on one TCP port. */
export interface RoutePeerSelector {
  /** Namespace of the pods. */
  readonly namespace: string;
  /** Labels that select the pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The TCP port. */
  readonly port: number;
}

/** A Traefik Middleware the route applies, in the order given. */
export interface RouteMiddleware {
  /** Name of the Middleware, in the route's namespace. */
  readonly name: string;
  /** What it does (one Traefik middleware). */
  readonly spec: MiddlewareSpec;
}

export interface GatewayRouteChartProps {
  /** The route's namespace: the HTTPRoute, its Middlewares and the backend Service live there. */
  readonly namespace: string;
  /** Name of the HTTPRoute. */
  readonly name: string;
  /** Labels every object carries. */
  readonly labels: Readonly<Record<string, string>>;
  /** The Gateway listener the route attaches to. */
  readonly parent: { readonly gatewayName: string; readonly gatewayNamespace: string; readonly sectionName: string };
  /** The host name the route serves. */
  readonly hostname: string;
  /** The Service requests go to, in the route's namespace. */
  readonly backend: { readonly serviceName: string; readonly servicePort: number };
  /** Applied as ExtensionRef filters, in this order. */
  readonly middlewares: readonly RouteMiddleware[];
  /** TLS from the Gateway to the backend, verified against a CA bundle in a ConfigMap. */
  readonly backendTls?: { readonly caConfigMapName: string; readonly hostname: string };
  /** The gateway's pods, which the route lets reach the backend pods. */
  readonly gatewayPods: { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>> };
  /** The pods behind the backend Service, on the port they serve. */
  readonly backendPods: RoutePeerSelector;
}

/**
 * One route published through the site's Gateway: the Traefik Middlewares it applies, the
 * HTTPRoute (every path of one host to one Service), a BackendTLSPolicy where the backend
 * speaks TLS, and the NetworkPolicy that lets the Gateway's pods reach the backend pods.
 */
export class GatewayRouteChart extends Chart {
  constructor(scope: Construct, id: string, props: GatewayRouteChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true, labels: { ...props.labels } });

    for (const middleware of props.middlewares) {
      new Middleware(this, `middleware-${middleware.name}`, { metadata: { name: middleware.name }, spec: middleware.spec });
    }

    new HttpRoute(this, 'route', {
      metadata: { name: props.name },
      spec: {
        parentRefs: [
          { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: props.parent.gatewayNamespace, name: props.parent.gatewayName, sectionName: props.parent.sectionName },
        ],
        hostnames: [props.hostname],
        rules: [
          {
            matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: '/' } }],
            filters: props.middlewares.map((middleware) => ({
              type: HttpRouteSpecRulesFiltersType.EXTENSION_REF,
              extensionRef: { group: 'traefik.io', kind: 'Middleware', name: middleware.name },
            })),
            backendRefs: [{ group: '', kind: 'Service', name: props.backend.serviceName, port: props.backend.servicePort }],
          },
        ],
      },
    });

    if (props.backendTls) {
      new BackendTlsPolicy(this, 'backend-tls', {
        metadata: { name: props.name },
        spec: {
          targetRefs: [{ group: '', kind: 'Service', name: props.backend.serviceName }],
          validation: {
            caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: props.backendTls.caConfigMapName }],
            hostname: props.backendTls.hostname,
          },
        },
      });
    }

    // Added to the gateway pods' own policy (NetworkPolicies add up): exactly this backend, on its port.
    new KubeNetworkPolicy(this, 'gateway-egress', {
      metadata: { name: `traefik-to-${props.namespace}-${props.name}`, namespace: props.gatewayPods.namespace },
      spec: {
        podSelector: { matchLabels: { ...props.gatewayPods.podLabels } },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': props.backendPods.namespace } },
                podSelector: { matchLabels: { ...props.backendPods.podLabels } },
              },
            ],
            ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(props.backendPods.port) }],
          },
        ],
      },
    });
  }
}
