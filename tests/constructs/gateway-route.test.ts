import { GatewayRoute, HSTS, RouteExposure, type GatewayRouteProps } from '../../constructs/gateway-route';
import type { IngressGateway } from '../../constructs/ingress-gateway';
import { PlatformError } from '../../constructs/platform-error';
import { testScope } from '../support/fixtures';
import { ingressGatewayFixture } from '../support/gateway-fixtures';
import { validateCustomResource, validateKubeObject } from '../support/kube-schema';

const LIMITS = { maxRequestBodyMiB: 10, ratePerSecond: 20, burst: 50 };
const TRAEFIK_PODS = { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': 'traefik-lms-platform' };
const ROUTE_WHERE = 'GatewayRoute test-lusaka-observability/grafana-route';

/** An example operations UI behind the Gateway: Grafana's Service on 80, its pods on 3000. */
function grafanaRouteProps(gateway: IngressGateway): GatewayRouteProps {
  return {
    gateway,
    name: 'grafana',
    namespace: 'lms-observability',
    hostname: 'grafana.test.lusaka.lms.co.zm',
    backend: { serviceName: 'grafana', servicePort: 80, pods: { namespace: 'lms-observability', podLabels: { 'app.kubernetes.io/name': 'grafana' }, port: 3000 } },
    exposure: RouteExposure.operations(),
  };
}

/** An example public application in lms-apps. */
function publicRouteProps(gateway: IngressGateway): GatewayRouteProps {
  return {
    gateway,
    name: 'portal',
    namespace: 'lms-apps',
    hostname: 'loans.lms.co.zm',
    backend: { serviceName: 'portal', servicePort: 8080, pods: { namespace: 'lms-apps', podLabels: { 'app.kubernetes.io/name': 'portal' }, port: 8080 } },
    exposure: RouteExposure.public(LIMITS),
  };
}

function grafanaRoute(overrides: Partial<GatewayRouteProps> = {}): GatewayRoute {
  return new GatewayRoute(testScope('test-lusaka-observability'), 'grafana-route', { ...grafanaRouteProps(ingressGatewayFixture()), ...overrides });
}

function publicRoute(overrides: Partial<GatewayRouteProps> = {}): GatewayRoute {
  return new GatewayRoute(testScope('test-lusaka-apps'), 'portal-route', { ...publicRouteProps(ingressGatewayFixture()), ...overrides });
}

const objectNamed = (route: GatewayRoute, kind: string, name: string) => route.objects.find((o) => o.kind === kind && o.metadata.name === name) as any;
const filtersOf = (route: GatewayRoute) => objectNamed(route, 'HTTPRoute', route.routeName).spec.rules[0].filters;
const extensionRef = (name: string) => ({ type: 'ExtensionRef', extensionRef: { group: 'traefik.io', kind: 'Middleware', name } });

describe('GatewayRoute', () => {
  test('an operations route attaches to its UI\'s HTTPS listener, every path to the backend Service', () => {
    const route = grafanaRoute();
    expect(route.listener.name).toBe('https-operations-grafana');
    const httpRoute = objectNamed(route, 'HTTPRoute', 'grafana');
    expect(httpRoute.metadata.namespace).toBe('lms-observability');
    expect(httpRoute.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'lms-platform', name: 'lms-gateway', sectionName: 'https-operations-grafana' }]);
    expect(httpRoute.spec.hostnames).toEqual(['grafana.test.lusaka.lms.co.zm']);
    expect(httpRoute.spec.rules).toHaveLength(1);
    expect(httpRoute.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/' } }]);
    expect(httpRoute.spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'grafana', port: 80 }]);
  });

  test('an operations route admits the operations networks only, then sets HSTS', () => {
    const route = grafanaRoute();
    expect(route.middlewares).toEqual(['grafana-operations-only', 'grafana-hsts']);
    expect(filtersOf(route)).toEqual([extensionRef('grafana-operations-only'), extensionRef('grafana-hsts')]);
    const allowList = objectNamed(route, 'Middleware', 'grafana-operations-only');
    expect(allowList.metadata.namespace).toBe('lms-observability');
    // No ipStrategy: the client's own address, never a forwarded header the client writes.
    expect(allowList.spec).toEqual({ ipAllowList: { sourceRange: ['10.50.0.0/24', '10.51.0.0/24'] } });
    expect(objectNamed(route, 'Middleware', 'grafana-hsts').spec).toEqual({ headers: { stsSeconds: 31536000, stsIncludeSubdomains: true, stsPreload: false } });
  });

  test('a public route is rate limited per client and body limited, then sets HSTS', () => {
    const route = publicRoute();
    expect(route.listener.name).toBe('https');
    expect(route.middlewares).toEqual(['portal-rate-limit', 'portal-body-limit', 'portal-hsts']);
    expect(filtersOf(route)).toEqual([extensionRef('portal-rate-limit'), extensionRef('portal-body-limit'), extensionRef('portal-hsts')]);
    expect(objectNamed(route, 'Middleware', 'portal-rate-limit').spec).toEqual({ rateLimit: { average: 20, period: '1s', burst: 50 } });
    expect(objectNamed(route, 'Middleware', 'portal-body-limit').spec).toEqual({ buffering: { maxRequestBodyBytes: 10 * 1024 * 1024 } });
    expect(objectNamed(route, 'Middleware', 'portal-hsts').spec).toEqual({ headers: HSTS });
    expect(route.objects.some((object) => object.metadata.name === 'portal-operations-only')).toBe(false);
  });

  test('the route lets the Gateway\'s pods reach exactly its backend pods, on their port', () => {
    const policy = objectNamed(grafanaRoute(), 'NetworkPolicy', 'traefik-to-lms-observability-grafana');
    expect(policy.metadata.namespace).toBe('lms-platform');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: TRAEFIK_PODS },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lms-observability' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'grafana' } } }],
          ports: [{ protocol: 'TCP', port: 3000 }],
        },
      ],
    });
    validateKubeObject(policy);
  });

  test('a backend that serves HTTPS gets a BackendTLSPolicy checking its certificate', () => {
    const gateway = ingressGatewayFixture();
    const route = new GatewayRoute(testScope('test-lusaka-security'), 'vault-route', {
      gateway,
      name: 'vault',
      namespace: 'lms-security',
      hostname: 'vault.test.lusaka.lms.co.zm',
      backend: {
        serviceName: 'vault',
        servicePort: 8200,
        pods: { namespace: 'lms-security', podLabels: { 'app.kubernetes.io/name': 'vault' }, port: 8200 },
        tls: { caConfigMapName: 'vault-ca', hostname: 'vault.lms-security.svc' },
      },
      exposure: RouteExposure.operations(),
    });
    const policy = objectNamed(route, 'BackendTLSPolicy', 'vault');
    expect(policy.metadata.namespace).toBe('lms-security');
    expect(policy.spec).toEqual({
      targetRefs: [{ group: '', kind: 'Service', name: 'vault' }],
      validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'vault-ca' }], hostname: 'vault.lms-security.svc' },
    });
    validateCustomResource(policy);
    expect(grafanaRoute().objects.filter((object) => object.kind === 'BackendTLSPolicy')).toEqual([]);
  });

  test('a listener may be named; it must serve the host', () => {
    expect(grafanaRoute({ listener: 'https-operations-grafana' }).listener.name).toBe('https-operations-grafana');
  });

  test('every custom resource matches its vendored CRD', () => {
    for (const route of [grafanaRoute(), publicRoute()]) {
      for (const object of route.objects.filter((o) => o.kind !== 'NetworkPolicy')) validateCustomResource(object);
    }
    expect(publicRoute().objects.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual([
      'Middleware/portal-rate-limit',
      'Middleware/portal-body-limit',
      'Middleware/portal-hsts',
      'HTTPRoute/portal',
      'NetworkPolicy/traefik-to-lms-apps-portal',
    ]);
  });

  describe('routes without TLS, outside the approved domains or past their listener are refused', () => {
    const fails = (overrides: Partial<GatewayRouteProps>, message: string) => expect(() => grafanaRoute(overrides)).toThrow(new PlatformError(`${ROUTE_WHERE}: ${message}`));
    const httpsListeners =
      'https (loans.lms.co.zm), https-operations-grafana (grafana.test.lusaka.lms.co.zm), https-operations-kibana (kibana.test.lusaka.lms.co.zm), https-operations-vault (vault.test.lusaka.lms.co.zm)';

    test('a plain HTTP listener, an unknown listener, a listener for another host', () => {
      fails(
        { listener: 'http' },
        `listener: "http" is a plain HTTP listener of Gateway lms-platform/lms-gateway, which only redirects to HTTPS (allowed: an HTTPS listener: ${httpsListeners}; every route is served over TLS)`,
      );
      fails({ listener: 'grafana' }, `listener: "grafana" is not a listener of Gateway lms-platform/lms-gateway (allowed: ${httpsListeners})`);
      fails({ listener: 'https-operations-kibana' }, 'hostname: "grafana.test.lusaka.lms.co.zm" is not served by listener "https-operations-kibana" of Gateway lms-platform/lms-gateway (allowed: "kibana.test.lusaka.lms.co.zm")');
    });

    test('a host no HTTPS listener serves', () => {
      fails(
        { hostname: 'prometheus.test.lusaka.lms.co.zm' },
        'hostname: "prometheus.test.lusaka.lms.co.zm" is served by no HTTPS listener of Gateway lms-platform/lms-gateway, so the route would have no TLS (allowed: "loans.lms.co.zm", "grafana.test.lusaka.lms.co.zm", "kibana.test.lusaka.lms.co.zm", "vault.test.lusaka.lms.co.zm")',
      );
    });

    test('a host outside the approved in-country domains', () => {
      fails({ hostname: 'grafana.example.com' }, 'hostname: "grafana.example.com" is not in an approved in-country domain (allowed: host names in *.lms.co.zm)');
      fails({ hostname: 'grafana' }, 'hostname: "grafana" is not allowed (allowed: a host name of lower-case DNS labels, e.g. "loans.lms.co.zm")');
    });

    test('an exposure the listener does not serve: no operations UI without the allow-list', () => {
      fails(
        { exposure: RouteExposure.public(LIMITS) },
        'exposure: "public" does not match listener "https-operations-grafana" of Gateway lms-platform/lms-gateway, which serves operations routes (allowed: RouteExposure.operations())',
      );
      expect(() => publicRoute({ exposure: RouteExposure.operations() })).toThrow(
        new PlatformError(
          'GatewayRoute test-lusaka-apps/portal-route: exposure: "operations" does not match listener "https" of Gateway lms-platform/lms-gateway, which serves public routes (allowed: RouteExposure.public())',
        ),
      );
    });

    test('a namespace the listener does not admit', () => {
      fails(
        { namespace: 'lms-data', backend: { ...grafanaRouteProps(ingressGatewayFixture()).backend, pods: { namespace: 'lms-data', podLabels: { app: 'x' }, port: 3000 } } },
        'namespace: "lms-data" may not attach routes to listener "https-operations-grafana" of Gateway lms-platform/lms-gateway (allowed: lms-observability)',
      );
    });
  });

  describe('bad props are rejected, naming the prop, the value and what is allowed', () => {
    const backend = grafanaRouteProps(ingressGatewayFixture()).backend;
    const fails = (overrides: Partial<GatewayRouteProps>, message: string) => expect(() => grafanaRoute(overrides)).toThrow(new PlatformError(`${ROUTE_WHERE}: ${message}`));

    test('names', () => {
      fails({ name: 'Grafana' }, 'name: "Grafana" is not allowed (allowed: a DNS label, e.g. "loan-service")');
      fails({ namespace: 'LMS' }, 'namespace: "LMS" is not allowed (allowed: a namespace name, e.g. "lms-apps")');
    });

    test('the backend', () => {
      fails({ backend: { ...backend, serviceName: 'grafana.svc' } }, 'backend.serviceName: "grafana.svc" is not allowed (allowed: a Service name (a DNS label))');
      fails({ backend: { ...backend, servicePort: 0 } }, 'backend.servicePort: 0 is not allowed (allowed: a TCP port, 1-65535)');
      fails(
        { backend: { ...backend, pods: { ...backend.pods, namespace: 'lms-apps' } } },
        'backend.pods.namespace: "lms-apps" is not allowed (allowed: the route\'s namespace "lms-observability": the Service and its pods live beside the route)',
      );
      fails({ backend: { ...backend, pods: { ...backend.pods, podLabels: {} } } }, 'backend.pods.podLabels: {} is not allowed (allowed: the labels that select the backend pods (at least one))');
      fails({ backend: { ...backend, pods: { ...backend.pods, port: 70000 } } }, 'backend.pods.port: 70000 is not allowed (allowed: a TCP port, 1-65535)');
      fails({ backend: { ...backend, tls: { caConfigMapName: 'Vault CA', hostname: 'vault.lms-security.svc' } } }, 'backend.tls.caConfigMapName: "Vault CA" is not allowed (allowed: a ConfigMap name (a DNS label))');
      fails({ backend: { ...backend, tls: { caConfigMapName: 'vault-ca', hostname: 'vault' } } }, 'backend.tls.hostname: "vault" is not allowed (allowed: the host name in the backend\'s certificate, e.g. "vault.lms-security.svc")');
    });

    test('public limits', () => {
      const publicFails = (limits: Partial<typeof LIMITS>, message: string) =>
        expect(() => publicRoute({ exposure: RouteExposure.public({ ...LIMITS, ...limits }) })).toThrow(new PlatformError(`GatewayRoute test-lusaka-apps/portal-route: ${message}`));
      publicFails({ maxRequestBodyMiB: 0 }, 'exposure.limits.maxRequestBodyMiB: 0 is not allowed (allowed: a whole number, at least 1)');
      publicFails({ ratePerSecond: 2.5 }, 'exposure.limits.ratePerSecond: 2.5 is not allowed (allowed: a whole number, at least 1)');
      publicFails({ burst: -1 }, 'exposure.limits.burst: -1 is not allowed (allowed: a whole number, at least 1)');
    });
  });
});
