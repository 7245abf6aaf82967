import { App as Cdk8sApp } from 'cdk8s';
import type { Construct } from 'constructs';
import { GatewayRouteChart, type RouteMiddleware } from '../charts-ts/gateway-route-chart';
import { MiddlewareSpecRateLimitPeriod } from '../charts-ts/imports/middleware-traefik.io';
import { domainsText, inAnyDomain, isDnsLabel, isHostName } from './host-names';
import type { GatewayListener, IngressGateway } from './ingress-gateway';
import { PlatformComponent, type KubeObject } from './platform-component';
import { PlatformError, formatValue } from './platform-error';
import type { NetworkPeer } from './service-references';

/** Limits on a public route, per client address. */
export interface PublicRouteLimits {
  /** Largest request body the Gateway passes on, in MiB (larger uploads get 413). */
  readonly maxRequestBodyMiB: number;
  /** Sustained requests per second per client address. */
  readonly ratePerSecond: number;
  /** Requests a client may send at once above the sustained rate. */
  readonly burst: number;
}

/**
 * Who a route is for, and so which Middlewares guard it. Every route gets HSTS.
 *
 * - `RouteExposure.public(limits)`: customers and branches, on the public listener; a body
 *   limit and a per-client rate limit.
 * - `RouteExposure.operations()`: the operations UIs, on their own listeners; only clients in
 *   the Gateway's `operationsNetworks` get through.
 */
export class RouteExposure {
  /** A route customers reach, with limits on body size and request rate. */
  public static public(limits: PublicRouteLimits): RouteExposure {
    return new RouteExposure('public', limits);
  }

  /** A route only the operations networks reach. */
  public static operations(): RouteExposure {
    return new RouteExposure('operations', undefined);
  }

  private constructor(
    public readonly kind: 'public' | 'operations',
    /** Set for public routes only. */
    public readonly limits: PublicRouteLimits | undefined,
  ) {}
}

/** The Service a route sends requests to. */
export interface GatewayRouteBackend {
  /** The Service, in the route's namespace. */
  readonly serviceName: string;
  /** The Service port. */
  readonly servicePort: number;
  /**
   * The pods behind the Service, on the port they serve (the Service's target port): the
   * route lets the Gateway's pods reach exactly these.
   */
  readonly pods: NetworkPeer;
  /**
   * TLS from the Gateway to a backend that serves HTTPS (e.g. Vault): the backend's
   * certificate is checked against the CA bundle (`ca.crt`) in a ConfigMap of the route's
   * namespace and must carry `hostname`.
   * @default - plain HTTP inside the cluster
   */
  readonly tls?: { readonly caConfigMapName: string; readonly hostname: string };
}

export interface GatewayRouteProps {
  /** The site's Gateway. */
  readonly gateway: IngressGateway;
  /** Name of the HTTPRoute; prefixes its Middlewares. */
  readonly name: string;
  /** Namespace of the route and its backend Service; the listener must admit it. */
  readonly namespace: string;
  /** The host name served; an HTTPS listener of the Gateway serves exactly this host. */
  readonly hostname: string;
  readonly backend: GatewayRouteBackend;
  readonly exposure: RouteExposure;
  /**
   * The listener (`sectionName`) to attach to.
   * @default - the HTTPS listener serving `hostname`
   */
  readonly listener?: string;
}

/** HSTS on every route: a year, subdomains included, not submitted to browser preload lists. */
export const HSTS = { stsSeconds: 31_536_000, stsIncludeSubdomains: true, stsPreload: false } as const;

const MIB = 1024 * 1024;

/**
 * A route published through the site's Gateway by the component that owns the backend (the
 * apps layer for the loan-service, the observability and security components for their
 * UIs). It only ever attaches to an HTTPS listener serving its host, its Middlewares follow
 * from its exposure (an operations route without the operations allow-list cannot be made),
 * and it brings the NetworkPolicy that lets the Gateway's pods reach its backend.
 */
export class GatewayRoute extends PlatformComponent {
  public readonly routeName: string;
  public readonly namespace: string;
  public readonly hostname: string;
  public readonly exposure: RouteExposure;
  /** The HTTPS listener the route attaches to. */
  public readonly listener: GatewayListener;
  /** Names of the Middlewares applied, in order. */
  public readonly middlewares: readonly string[];
  public readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: GatewayRouteProps) {
    super(scope, id);
    const where = `GatewayRoute ${this.node.path}`;
    const gateway = props.gateway;
    const gatewayText = `Gateway ${gateway.namespace}/${gateway.gatewayName}`;
    if (!isDnsLabel(props.name)) throw PlatformError.invalidProp(where, 'name', props.name, 'a DNS label, e.g. "loan-service"');
    if (!isDnsLabel(props.namespace)) throw PlatformError.invalidProp(where, 'namespace', props.namespace, 'a namespace name, e.g. "lms-apps"');
    this.routeName = props.name;
    this.namespace = props.namespace;

    if (!isHostName(props.hostname)) throw PlatformError.invalidProp(where, 'hostname', props.hostname, 'a host name of lower-case DNS labels, e.g. "loans.lms.co.zm"');
    if (!inAnyDomain(props.hostname, gateway.approvedDomains)) {
      throw new PlatformError(`${where}: hostname: ${formatValue(props.hostname)} is not in an approved in-country domain (allowed: host names in ${domainsText(gateway.approvedDomains)})`);
    }
    this.hostname = props.hostname;

    const https = gateway.listeners.filter((listener) => listener.protocol === 'HTTPS');
    const httpsText = https.map((listener) => `${listener.name} (${listener.hostname})`).join(', ');
    let listener: GatewayListener | undefined;
    if (props.listener !== undefined) {
      listener = gateway.listeners.find((candidate) => candidate.name === props.listener);
      if (!listener) throw new PlatformError(`${where}: listener: ${formatValue(props.listener)} is not a listener of ${gatewayText} (allowed: ${httpsText})`);
      if (listener.protocol !== 'HTTPS') {
        throw new PlatformError(`${where}: listener: ${formatValue(props.listener)} is a plain ${listener.protocol} listener of ${gatewayText}, which only redirects to HTTPS (allowed: an HTTPS listener: ${httpsText}; every route is served over TLS)`);
      }
      if (listener.hostname !== props.hostname) {
        throw new PlatformError(`${where}: hostname: ${formatValue(props.hostname)} is not served by listener ${formatValue(listener.name)} of ${gatewayText} (allowed: ${formatValue(listener.hostname)})`);
      }
    } else {
      listener = https.find((candidate) => candidate.hostname === props.hostname);
      if (!listener) {
        throw new PlatformError(`${where}: hostname: ${formatValue(props.hostname)} is served by no HTTPS listener of ${gatewayText}, so the route would have no TLS (allowed: ${https.map((candidate) => formatValue(candidate.hostname)).join(', ')})`);
      }
    }
    if (listener.exposure !== props.exposure.kind) {
      throw new PlatformError(`${where}: exposure: ${formatValue(props.exposure.kind)} does not match listener ${formatValue(listener.name)} of ${gatewayText}, which serves ${listener.exposure} routes (allowed: RouteExposure.${listener.exposure}())`);
    }
    if (!listener.routeNamespaces.includes(props.namespace)) {
      throw new PlatformError(`${where}: namespace: ${formatValue(props.namespace)} may not attach routes to listener ${formatValue(listener.name)} of ${gatewayText} (allowed: ${listener.routeNamespaces.join(', ')})`);
    }
    this.listener = listener;
    this.exposure = props.exposure;

    const backend = props.backend;
    if (!isDnsLabel(backend.serviceName)) throw PlatformError.invalidProp(where, 'backend.serviceName', backend.serviceName, 'a Service name (a DNS label)');
    if (!isPort(backend.servicePort)) throw PlatformError.invalidProp(where, 'backend.servicePort', backend.servicePort, 'a TCP port, 1-65535');
    if (backend.pods.namespace !== props.namespace) {
      throw PlatformError.invalidProp(where, 'backend.pods.namespace', backend.pods.namespace, `the route's namespace ${formatValue(props.namespace)}: the Service and its pods live beside the route`);
    }
    if (Object.keys(backend.pods.podLabels).length === 0) throw PlatformError.invalidProp(where, 'backend.pods.podLabels', backend.pods.podLabels, 'the labels that select the backend pods (at least one)');
    if (!isPort(backend.pods.port)) throw PlatformError.invalidProp(where, 'backend.pods.port', backend.pods.port, 'a TCP port, 1-65535');
    if (backend.tls) {
      if (!isDnsLabel(backend.tls.caConfigMapName)) throw PlatformError.invalidProp(where, 'backend.tls.caConfigMapName', backend.tls.caConfigMapName, 'a ConfigMap name (a DNS label)');
      if (!isHostName(backend.tls.hostname)) throw PlatformError.invalidProp(where, 'backend.tls.hostname', backend.tls.hostname, 'the host name in the backend\'s certificate, e.g. "vault.lms-security.svc"');
    }

    const middlewares: RouteMiddleware[] = [];
    if (props.exposure.kind === 'operations') {
      // The client's own address (kept by externalTrafficPolicy: Local), never X-Forwarded-For,
      // which a client can write.
      middlewares.push({ name: `${props.name}-operations-only`, spec: { ipAllowList: { sourceRange: [...gateway.operationsNetworks] } } });
    } else {
      const limits = props.exposure.limits!;
      for (const field of ['maxRequestBodyMiB', 'ratePerSecond', 'burst'] as const) {
        if (!Number.isInteger(limits[field]) || limits[field] < 1) throw PlatformError.invalidProp(where, `exposure.limits.${field}`, limits[field], 'a whole number, at least 1');
      }
      // Per Traefik pod: with several replicas a client spread over them gets up to that many times the rate.
      middlewares.push({ name: `${props.name}-rate-limit`, spec: { rateLimit: { average: limits.ratePerSecond, period: MiddlewareSpecRateLimitPeriod.fromString('1s'), burst: limits.burst } } });
      middlewares.push({ name: `${props.name}-body-limit`, spec: { buffering: { maxRequestBodyBytes: limits.maxRequestBodyMiB * MIB } } });
    }
    middlewares.push({ name: `${props.name}-hsts`, spec: { headers: { ...HSTS } } });
    this.middlewares = middlewares.map((middleware) => middleware.name);

    const chart = new GatewayRouteChart(new Cdk8sApp(), 'gateway-route', {
      namespace: props.namespace,
      name: props.name,
      labels: gateway.labels,
      parent: { gatewayName: gateway.gatewayName, gatewayNamespace: gateway.namespace, sectionName: listener.name },
      hostname: props.hostname,
      backend: { serviceName: backend.serviceName, servicePort: backend.servicePort },
      middlewares,
      backendTls: backend.tls,
      gatewayPods: { namespace: gateway.peer.namespace, podLabels: gateway.peer.podLabels },
      backendPods: backend.pods,
    });
    this.objects = chart.toJson() as KubeObject[];
  }
}

function isPort(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535;
}
