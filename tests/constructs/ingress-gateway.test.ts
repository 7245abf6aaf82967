import { ENTRY_POINTS, IngressGateway } from '../../constructs/ingress-gateway';
import { PlatformError } from '../../constructs/platform-error';
import { VERSIONS } from '../../constructs/versions';
import { renderValues } from '../../stacks/helm-releases';
import { siteClusterFixture } from '../support/fixtures';
import { ingressGatewayFixture, ingressGatewayFixtureProps } from '../support/gateway-fixtures';
import { validateCustomResource, validateKubeObject } from '../support/kube-schema';

const objectOfKind = (gateway: IngressGateway, kind: string) => gateway.objects.find((o) => o.kind === kind) as any;
const valuesOf = (gateway: IngressGateway) => gateway.helmReleases[0].values as any;
const TRAEFIK_PODS = { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': 'traefik-lms-platform' };
const SITE_LABELS = { 'app.kubernetes.io/part-of': 'lms-platform', 'app.kubernetes.io/managed-by': 'cdktf', 'lms.co.zm/environment': 'test', 'lms.co.zm/site': 'lusaka' };
const HTTP_ROUTES = [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }];
const fromNamespaces = (...values: string[]) => ({ from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values }] } });

describe('IngressGateway', () => {
  test('installs the pinned Traefik chart from the site repository into lms-platform, its NetworkPolicy first', () => {
    const gateway = ingressGatewayFixture();
    expect(gateway.helmReleases).toHaveLength(1);
    const release = gateway.helmReleases[0];
    expect(release).toMatchObject({ name: 'traefik', namespace: 'lms-platform', after: ['NetworkPolicy/lms-platform/traefik'] });
    expect(release.chart).toEqual({ repository: 'https://charts.lusaka.lms.co.zm', name: 'traefik', version: '41.3.0' });
    expect(release.chart.version).toBe(VERSIONS.charts.traefik.version);
    expect(gateway.namespace).toBe('lms-platform');
  });

  test('the image comes from the site registry, pinned by digest', () => {
    const gateway = ingressGatewayFixture({ registry: 'registry.lms.co.zm' });
    expect(valuesOf(gateway).image).toEqual({
      registry: 'registry.lms.co.zm',
      repository: 'traefik/traefik',
      tag: `v3.7.11@${VERSIONS.images.traefik.digest}`,
      pullPolicy: 'IfNotPresent',
    });
    expect(gateway.image.reference).toBe(`registry.lms.co.zm/traefik/traefik:v3.7.11@${VERSIONS.images.traefik.digest}`);
  });

  test('Traefik is the Gateway API implementation: Gateway provider on, Ingress off, no chart Gateway, the CRD provider only for Middlewares', () => {
    const values = valuesOf(ingressGatewayFixture());
    expect(values.providers).toEqual({
      kubernetesGateway: { enabled: true, namespaces: ['lms-platform', 'lms-apps', 'lms-observability', 'lms-security'] },
      kubernetesCRD: { enabled: true, allowCrossNamespace: false, namespaces: ['lms-platform', 'lms-apps', 'lms-observability', 'lms-security'], defaultTLSResourcesNamespace: 'lms-platform' },
      kubernetesIngress: { enabled: false },
    });
    expect(values.gateway).toEqual({ enabled: false });
    expect(values.gatewayClass).toEqual({ enabled: true, name: 'traefik' });
    expect(values.ingressClass).toEqual({ enabled: false });
    expect(values.api).toEqual({ dashboard: false });
    expect(values.core).toEqual({ strictTLSOptions: true });
    expect(values.global).toEqual({ checkNewVersion: false, sendAnonymousUsage: false });
  });

  test('the LoadBalancer Service takes the gateway address from the pool holding it and keeps client addresses', () => {
    const gateway = ingressGatewayFixture({ gatewayAddress: '10.10.240.9' });
    expect(gateway.addressPool).toBe('replication');
    expect(valuesOf(gateway).service).toEqual({
      enabled: true,
      annotations: { 'metallb.io/loadBalancerIPs': '10.10.240.9', 'metallb.io/address-pool': 'replication' },
      spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local' },
    });
    expect(ingressGatewayFixture().addressPool).toBe('public');
  });

  test('port 80 only redirects to 443; the health and metrics entry points stay inside', () => {
    const ports = valuesOf(ingressGatewayFixture()).ports;
    expect(ports).toEqual({
      web: { port: 8000, exposedPort: 80, http: { redirections: { entryPoint: { to: 'websecure', scheme: 'https', permanent: true } } } },
      websecure: { port: 8443, exposedPort: 443, http: { tls: { enabled: true } } },
      traefik: { port: 8080, expose: { default: false } },
      metrics: { port: 9100, expose: { default: false } },
    });
  });

  test('replicas, disruption budget, resources, priority and spread across nodes', () => {
    const values = valuesOf(ingressGatewayFixture({ replicas: 3, resources: { cpuRequest: '500m', memoryRequest: '256Mi', cpuLimit: '2', memoryLimit: '1Gi' } }));
    expect(values.deployment).toEqual({ kind: 'Deployment', replicas: 3 });
    expect(values.podDisruptionBudget).toEqual({ enabled: true, maxUnavailable: 1 });
    expect(values.resources).toEqual({ requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '2', memory: '1Gi' } });
    expect(values.priorityClassName).toBe('lms-platform');
    expect(values.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: TRAEFIK_PODS } },
    ]);
    expect(ingressGatewayFixture().resources).toEqual({ cpuRequest: '250m', memoryRequest: '128Mi', cpuLimit: '1', memoryLimit: '512Mi' });
  });

  test('logs and access logs are JSON; no header but User-Agent, no query string; Prometheus metrics on', () => {
    const values = valuesOf(ingressGatewayFixture());
    expect(values.log).toEqual({ format: 'json', level: 'INFO' });
    expect(values.accessLog).toEqual({
      enabled: true,
      format: 'json',
      fields: { defaultMode: 'keep', headers: { defaultMode: 'drop', names: { 'User-Agent': 'keep' } }, queryParameters: { defaultMode: 'drop' } },
    });
    expect(values.metrics).toEqual({ prometheus: { entryPoint: 'metrics', service: { enabled: true } } });
    // Helm writes app.kubernetes.io/managed-by itself.
    expect(values.commonLabels).toEqual({ 'app.kubernetes.io/part-of': 'lms-platform', 'lms.co.zm/environment': 'test', 'lms.co.zm/site': 'lusaka' });
  });

  test('the Gateway: an HTTP listener that only redirects, the public HTTPS listener, one HTTPS listener per operations UI', () => {
    const gatewayObject = objectOfKind(ingressGatewayFixture(), 'Gateway');
    expect(gatewayObject.metadata).toEqual({ name: 'lms-gateway', namespace: 'lms-platform', labels: SITE_LABELS });
    expect(gatewayObject.spec.gatewayClassName).toBe('traefik');
    const tls = (name: string) => ({ mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name }] });
    expect(gatewayObject.spec.listeners).toEqual([
      { name: 'http', protocol: 'HTTP', port: 8000, allowedRoutes: { namespaces: { from: 'Same' }, kinds: HTTP_ROUTES } },
      { name: 'https', protocol: 'HTTPS', port: 8443, hostname: 'loans.lms.co.zm', tls: tls('public-tls'), allowedRoutes: { namespaces: fromNamespaces('lms-apps'), kinds: HTTP_ROUTES } },
      {
        name: 'https-operations-grafana',
        protocol: 'HTTPS',
        port: 8443,
        hostname: 'grafana.test.lusaka.lms.co.zm',
        tls: tls('grafana-tls'),
        allowedRoutes: { namespaces: fromNamespaces('lms-observability'), kinds: HTTP_ROUTES },
      },
      {
        name: 'https-operations-kibana',
        protocol: 'HTTPS',
        port: 8443,
        hostname: 'kibana.test.lusaka.lms.co.zm',
        tls: tls('kibana-tls'),
        allowedRoutes: { namespaces: fromNamespaces('lms-observability'), kinds: HTTP_ROUTES },
      },
      {
        name: 'https-operations-vault',
        protocol: 'HTTPS',
        port: 8443,
        hostname: 'vault.test.lusaka.lms.co.zm',
        tls: tls('vault-tls'),
        allowedRoutes: { namespaces: fromNamespaces('lms-security'), kinds: HTTP_ROUTES },
      },
    ]);
    // Traefik binds a listener to the entry point of the same port.
    expect(gatewayObject.spec.listeners.map((listener: { port: number }) => listener.port)).toEqual([ENTRY_POINTS.web.port, ...Array(4).fill(ENTRY_POINTS.websecure.port)]);
  });

  test('the listeners as other components read them', () => {
    const gateway = ingressGatewayFixture({ publicRouteNamespaces: ['lms-apps', 'lms-data'] });
    expect(gateway.listeners.map(({ name, protocol, hostname, exposure, routeNamespaces }) => ({ name, protocol, hostname, exposure, routeNamespaces }))).toEqual([
      { name: 'http', protocol: 'HTTP', hostname: undefined, exposure: undefined, routeNamespaces: ['lms-platform'] },
      { name: 'https', protocol: 'HTTPS', hostname: 'loans.lms.co.zm', exposure: 'public', routeNamespaces: ['lms-apps', 'lms-data'] },
      { name: 'https-operations-grafana', protocol: 'HTTPS', hostname: 'grafana.test.lusaka.lms.co.zm', exposure: 'operations', routeNamespaces: ['lms-observability'] },
      { name: 'https-operations-kibana', protocol: 'HTTPS', hostname: 'kibana.test.lusaka.lms.co.zm', exposure: 'operations', routeNamespaces: ['lms-observability'] },
      { name: 'https-operations-vault', protocol: 'HTTPS', hostname: 'vault.test.lusaka.lms.co.zm', exposure: 'operations', routeNamespaces: ['lms-security'] },
    ]);
    expect(gateway.routeNamespaces).toEqual(['lms-apps', 'lms-data', 'lms-observability', 'lms-security']);
    expect(objectOfKind(gateway, 'Gateway').spec.listeners[1].allowedRoutes.namespaces).toEqual(fromNamespaces('lms-apps', 'lms-data'));
  });

  test('the Traefik pods: any client on 8000/8443, Prometheus on 9100, out only to the API server', () => {
    const policy = objectOfKind(ingressGatewayFixture(), 'NetworkPolicy');
    expect(policy.metadata).toEqual({ name: 'traefik', namespace: 'lms-platform', labels: SITE_LABELS });
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: TRAEFIK_PODS },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { ports: [{ protocol: 'TCP', port: 8000 }, { protocol: 'TCP', port: 8443 }] },
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lms-observability' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
          ports: [{ protocol: 'TCP', port: 9100 }],
        },
      ],
      egress: [{ to: [{ ipBlock: { cidr: '10.10.0.10/32' } }], ports: [{ protocol: 'TCP', port: 6443 }] }],
    });
    validateKubeObject(policy);
  });

  test('the peer a backend admits is the Traefik pods on their HTTPS entry point', () => {
    expect(ingressGatewayFixture().peer).toEqual({ namespace: 'lms-platform', podLabels: TRAEFIK_PODS, port: 8443 });
  });

  test('a ServiceMonitor scrapes the chart\'s metrics Service', () => {
    const monitor = objectOfKind(ingressGatewayFixture(), 'ServiceMonitor');
    expect(monitor.metadata.labels).toEqual({ ...SITE_LABELS, 'lms.co.zm/scrape': 'true' });
    expect(monitor.spec).toEqual({
      selector: { matchLabels: { ...TRAEFIK_PODS, 'app.kubernetes.io/component': 'metrics' } },
      namespaceSelector: { matchNames: ['lms-platform'] },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s', scrapeTimeout: '10s' }],
    });
  });

  test('every custom resource matches its vendored CRD', () => {
    const gateway = ingressGatewayFixture();
    expect(gateway.objects.map((object) => object.kind)).toEqual(['Gateway', 'NetworkPolicy', 'ServiceMonitor']);
    validateCustomResource(objectOfKind(gateway, 'Gateway'));
    validateCustomResource(objectOfKind(gateway, 'ServiceMonitor'));
  });

  test('the CRD check can fail: a listener without a port is rejected', () => {
    const gatewayObject = objectOfKind(ingressGatewayFixture(), 'Gateway');
    const broken = { ...gatewayObject, spec: { ...gatewayObject.spec, listeners: [{ name: 'http', protocol: 'HTTP' }] } };
    expect(() => validateCustomResource(broken)).toThrow(/Gateway lms-platform\/lms-gateway: \/spec\/listeners\/0 must have required property 'port'/);
  });

  test('the same props give the same objects and values, byte for byte', () => {
    const one = ingressGatewayFixture();
    const other = ingressGatewayFixture();
    expect(JSON.stringify(other.objects)).toBe(JSON.stringify(one.objects));
    expect(renderValues(other.helmReleases[0].values)).toBe(renderValues(one.helmReleases[0].values));
  });

  describe('bad props are rejected, naming the prop, the value and what is allowed', () => {
    const where = 'IngressGateway test-lusaka-traffic/ingress-gateway';
    const props = ingressGatewayFixtureProps(siteClusterFixture());
    const fails = (overrides: Parameters<typeof ingressGatewayFixture>[0], message: string) => expect(() => ingressGatewayFixture(overrides)).toThrow(new PlatformError(`${where}: ${message}`));

    test('replicas and resources', () => {
      fails({ replicas: 0 }, 'replicas: 0 is not allowed (allowed: a whole number, at least 1)');
      fails({ replicas: 1.5 }, 'replicas: 1.5 is not allowed (allowed: a whole number, at least 1)');
      fails(
        { resources: { cpuRequest: 'lots', memoryRequest: '128Mi', cpuLimit: '1', memoryLimit: '512Mi' } },
        'resources.cpuRequest: "lots" is not a CPU quantity (allowed: cores such as "2" or "0.5", or millicores such as "500m")',
      );
      fails({ resources: { cpuRequest: '2', memoryRequest: '128Mi', cpuLimit: '1', memoryLimit: '512Mi' } }, 'resources.cpuRequest: "2" is not allowed (allowed: at most cpuLimit "1")');
      fails({ resources: { cpuRequest: '1', memoryRequest: '1Gi', cpuLimit: '1', memoryLimit: '512Mi' } }, 'resources.memoryRequest: "1Gi" is not allowed (allowed: at most memoryLimit "512Mi")');
    });

    test('the load-balancer address', () => {
      fails({ gatewayAddress: '10.10.240' }, 'gatewayAddress: "10.10.240" is not allowed (allowed: an IPv4 address, e.g. "10.10.240.1")');
      fails({ gatewayAddress: '10.10.241.1' }, 'gatewayAddress: "10.10.241.1" is in no address pool (allowed: an address inside public 10.10.240.0/29, replication 10.10.240.8/29)');
      fails({ addressPools: [{ name: 'public', addresses: ['10.10.240.1/29'] }] }, 'addressPools[0].addresses: "10.10.240.1/29" is not allowed (allowed: IPv4 blocks with their host bits zero, e.g. "10.10.240.0/29")');
    });

    test('host names stay in the approved in-country domains', () => {
      fails({ approvedDomains: [] }, 'approvedDomains: [] is not allowed (allowed: at least one in-country DNS domain)');
      fails({ publicHost: 'loans.example.com' }, 'publicHost: "loans.example.com" is not in an approved in-country domain (allowed: host names in *.lms.co.zm)');
      fails({ publicHost: 'Loans.lms.co.zm' }, 'publicHost: "Loans.lms.co.zm" is not allowed (allowed: a host name of lower-case DNS labels, e.g. "loans.lms.co.zm")');
      fails({ siteDnsDomain: 'lusaka.example.org' }, 'siteDnsDomain: "lusaka.example.org" is not in an approved in-country domain (allowed: host names in *.lms.co.zm)');
    });

    test('certificates must cover their listener\'s host', () => {
      fails(
        { publicCertificate: { secretName: 'public-tls', dnsNames: ['www.lms.co.zm'] } },
        'publicCertificate.dnsNames: ["www.lms.co.zm"] do not cover the listener\'s host "loans.lms.co.zm" (allowed: DNS names including "loans.lms.co.zm" or "*.lms.co.zm")',
      );
      fails({ publicCertificate: { secretName: 'Public_TLS', dnsNames: ['loans.lms.co.zm'] } }, 'publicCertificate.secretName: "Public_TLS" is not allowed (allowed: a Secret name: lower-case DNS labels joined by ".")');
      // A wildcard covers one label only.
      fails(
        { operationsUis: [{ ...props.operationsUis[0], certificate: { secretName: 'grafana-tls', dnsNames: ['*.lusaka.lms.co.zm'] } }] },
        'operationsUis[0].certificate.dnsNames: ["*.lusaka.lms.co.zm"] do not cover the listener\'s host "grafana.test.lusaka.lms.co.zm" (allowed: DNS names including "grafana.test.lusaka.lms.co.zm" or "*.test.lusaka.lms.co.zm")',
      );
    });

    test('operations UIs and route namespaces', () => {
      fails({ operationsUis: [{ ...props.operationsUis[0], name: 'Grafana' }] }, 'operationsUis[0].name: "Grafana" is not allowed (allowed: a DNS label, e.g. "grafana")');
      fails(
        { operationsUis: [props.operationsUis[0], props.operationsUis[0]] },
        'operationsUis[1].name: "grafana" gives host "grafana.test.lusaka.lms.co.zm", already served by listener "https-operations-grafana" (allowed: one listener per host name)',
      );
      fails(
        { operationsUis: [{ ...props.operationsUis[0], namespace: 'lms-platform' }] },
        'operationsUis[0].namespace: "lms-platform" is not allowed (allowed: a namespace of the site other than lms-platform: lms-data, lms-security, lms-observability, lms-node-agents, lms-apps)',
      );
      fails(
        { publicRouteNamespaces: ['default'] },
        'publicRouteNamespaces: "default" is not allowed (allowed: a namespace of the site other than lms-platform: lms-data, lms-security, lms-observability, lms-node-agents, lms-apps)',
      );
      fails({ publicRouteNamespaces: [] }, 'publicRouteNamespaces: [] is not allowed (allowed: at least one namespace)');
    });

    test('networks the gateway admits and reaches', () => {
      fails({ operationsNetworks: [] }, 'operationsNetworks: [] is not allowed (allowed: at least one IPv4 block of the operations network)');
      fails({ operationsNetworks: ['10.50.0.1/24'] }, 'operationsNetworks: "10.50.0.1/24" is not allowed (allowed: IPv4 blocks with their host bits zero, e.g. "10.50.0.0/24")');
      fails({ apiServer: { addressBlocks: [], port: 6443 } }, 'apiServer.addressBlocks: [] is not allowed (allowed: at least one IPv4 block)');
      fails({ apiServer: { addressBlocks: ['api.lms.co.zm'], port: 6443 } }, 'apiServer.addressBlocks: "api.lms.co.zm" is not allowed (allowed: IPv4 blocks with their host bits zero, e.g. "10.10.0.10/32")');
      fails({ apiServer: { addressBlocks: ['10.10.0.10/32'], port: 0 } }, 'apiServer.port: 0 is not allowed (allowed: a TCP port, 1-65535)');
    });
  });
});
