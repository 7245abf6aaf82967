import { CROSS_SITE_PURPOSE_ANNOTATION, type CrossSiteEndpoint } from '../../constructs/cross-site-egress';
import { Duration } from '../../constructs/duration';
import type { KubeObject } from '../../constructs/platform-component';
import { PlatformError } from '../../constructs/platform-error';
import { SiteProbe, type SiteProbeProps } from '../../constructs/site-probe';
import type { CertificateIssuers } from '../../constructs/tls-certificate';
import { selectorMatches } from '../../policy/objects';
import { issuersFixture } from '../support/certificates';
import { siteClusterFixture, testScope } from '../support/fixtures';
import { validateKubeObject } from '../support/kube-schema';

const KITWE_ENDPOINTS: CrossSiteEndpoint[] = [
  { name: 'log-shipping', address: '10.21.0.16/29', ports: [1433], purpose: 'SQL Server log shipping' },
  { name: 'object-storage', address: '10.20.240.8/32', ports: [9000], purpose: 'MinIO bucket replication' },
];
const PROMETHEUS = { 'app.kubernetes.io/name': 'prometheus' };
const props = (overrides: Partial<SiteProbeProps> = {}): SiteProbeProps => ({
  cluster: siteClusterFixture(),
  environmentName: 'production',
  siteDnsDomain: 'prod.lusaka.lms.co.zm',
  issuers: issuersFixture(),
  metrics: { peer: { namespace: 'lms-observability', podLabels: PROMETHEUS, port: 9090 }, serviceMonitorLabels: { 'lms.co.zm/scrape': 'true' } },
  remoteStore: { siteName: 'kitwe', replicationUrl: 'https://minio.prod.kitwe.lms.co.zm:9000' },
  remoteEndpoints: KITWE_ENDPOINTS,
  ...overrides,
});
const probe = (overrides: Partial<SiteProbeProps> = {}) => new SiteProbe(testScope('test-lusaka-apps'), 'site-probe', props(overrides));
const WHERE = 'SiteProbe test-lusaka-apps/site-probe';
const objectOf = (component: SiteProbe, kind: string) => component.objects.find((object) => object.kind === kind) as any;
const internalOnly = (): CertificateIssuers => {
  const issuers = issuersFixture();
  return { ...issuers, public: issuers.internal };
};

describe('SiteProbe', () => {
  const component = probe();

  test('a selectorless Service and its Endpoints name the other site\'s object-storage endpoint, in the observability namespace', () => {
    expect(component.objects.map((object: KubeObject) => `${object.kind}/${object.metadata.namespace}/${object.metadata.name}`)).toEqual([
      'Certificate/lms-observability/peer-site-probe-trust',
      'Service/lms-observability/peer-site-kitwe',
      'Endpoints/lms-observability/peer-site-kitwe',
      'ServiceMonitor/lms-observability/peer-site-kitwe',
      'NetworkPolicy/lms-observability/cross-site-egress-peer-site-kitwe',
    ]);
    const service = objectOf(component, 'Service');
    expect(service.spec).toEqual({ type: 'ClusterIP', ports: [{ name: 'https', protocol: 'TCP', port: 9000, targetPort: 9000 }] });
    expect(service.metadata.labels).toMatchObject({ 'lms.co.zm/peer-site-probe': 'kitwe' });
    expect(objectOf(component, 'Endpoints').subsets).toEqual([{ addresses: [{ ip: '10.20.240.8' }], ports: [{ name: 'https', protocol: 'TCP', port: 9000 }] }]);
    expect(component.targetUrl).toBe('https://10.20.240.8:9000/minio/health/cluster');
    // Built-in kinds against the Kubernetes schemas; the custom resources are checked against the vendored CRDs by the platform tests.
    for (const object of component.objects.filter((candidate) => ['Service', 'Endpoints', 'NetworkPolicy'].includes(candidate.kind))) validateKubeObject(object);
  });

  test('the ServiceMonitor scrapes MinIO\'s cluster health check over TLS every 30s, selected by the site\'s Prometheus, every sample labelled with both sites', () => {
    const monitor = objectOf(component, 'ServiceMonitor');
    expect(monitor.metadata.labels).toMatchObject({ 'lms.co.zm/scrape': 'true' });
    expect(selectorMatches(monitor.spec.selector, objectOf(component, 'Service').metadata.labels)).toBe(true);
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['lms-observability'] });
    expect(monitor.spec.endpoints).toEqual([
      {
        port: 'https',
        scheme: 'https',
        path: '/minio/health/cluster',
        interval: '30s',
        scrapeTimeout: '10s',
        tlsConfig: { serverName: 'minio.prod.kitwe.lms.co.zm', ca: { secret: { name: 'peer-site-probe-trust', key: 'ca.crt' } } },
        relabelings: [
          { action: 'replace', targetLabel: 'peer_site', replacement: 'kitwe' },
          { action: 'replace', targetLabel: 'site', replacement: 'lusaka' },
        ],
      },
    ]);
    expect(component.alertInputs).toEqual({
      peerSite: 'kitwe',
      up: { series: 'up{job="peer-site-kitwe",peer_site="kitwe"}' },
      instance: '10.20.240.8:9000',
      failoverCommand: 'npm run dr -- --env production --promote lusaka',
    });
  });

  test('with the bank\'s CA as public issuer, the other site is verified against it: a certificate of this site from that issuer carries it', () => {
    expect(component.trust).toEqual({ secretName: 'peer-site-probe-trust', source: 'public-issuer' });
    const certificate = objectOf(component, 'Certificate');
    expect(certificate.spec).toMatchObject({ secretName: 'peer-site-probe-trust', dnsNames: ['peer-site-probe-trust.prod.lusaka.lms.co.zm'], usages: ['digital signature', 'client auth'] });
    expect(certificate.spec.issuerRef.name).toBe('lms-test-public');
    expect(component.trustCertificate!.metrics.labels).toEqual({ name: 'peer-site-probe-trust', namespace: 'lms-observability' });
  });

  test('with the internal CA as public issuer (each site its own root), the other site\'s root CA comes from the Secret operators place', () => {
    const internal = probe({ issuers: internalOnly() });
    expect(internal.trust).toEqual({ secretName: 'object-store-peer-site-ca', source: 'peer-site-ca' });
    expect(internal.trustCertificate).toBeUndefined();
    expect(internal.objects.map((object) => object.kind)).toEqual(['Service', 'Endpoints', 'ServiceMonitor', 'NetworkPolicy']);
    expect(objectOf(internal, 'ServiceMonitor').spec.endpoints[0].tlsConfig).toEqual({ serverName: 'minio.prod.kitwe.lms.co.zm', ca: { secret: { name: 'object-store-peer-site-ca', key: 'ca.crt' } } });
  });

  test('only Prometheus\' pods may leave the site, to the probed address and port only, with the purpose written on the policy', () => {
    const policy = objectOf(component, 'NetworkPolicy');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: PROMETHEUS },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.20.240.8/32' } }], ports: [{ protocol: 'TCP', port: 9000 }] }],
    });
    expect(policy.metadata.annotations).toEqual({
      [CROSS_SITE_PURPOSE_ANNOTATION]: 'To kitwe: object-storage 10.20.240.8/32 TCP 9000: Prometheus probes /minio/health/cluster (SiteDown pages when kitwe stops answering)',
    });
  });

  test('the interval can be set', () => {
    expect(objectOf(probe({ interval: Duration.seconds(15) }), 'ServiceMonitor').spec.endpoints[0].interval).toBe('15s');
  });

  test.each([
    [{ remoteStore: { siteName: 'lusaka', replicationUrl: 'https://minio.prod.lusaka.lms.co.zm:9000' } }, `${WHERE}: remoteStore.siteName: "lusaka" is not allowed (allowed: the environment's other site (a DNS label), not this site "lusaka")`],
    [{ environmentName: 'Production' }, `${WHERE}: environmentName: "Production" is not allowed (allowed: a lower-case environment name, e.g. "production")`],
    [
      { metrics: { peer: { namespace: 'lms-platform', podLabels: PROMETHEUS, port: 9090 }, serviceMonitorLabels: {} } },
      `${WHERE}: metrics.peer.namespace: "lms-platform" is not allowed (allowed: the observability namespace "lms-observability", where the probe's objects are)`,
    ],
    [
      { remoteStore: { siteName: 'kitwe', replicationUrl: 'http://minio.prod.kitwe.lms.co.zm:9000' } },
      `${WHERE}: remoteStore.replicationUrl: "http://minio.prod.kitwe.lms.co.zm:9000" is not allowed (allowed: an https:// URL with a host and a port, e.g. "https://minio.prod.kitwe.lms.co.zm:9000")`,
    ],
    [{ remoteEndpoints: [KITWE_ENDPOINTS[0]] }, `${WHERE}: remoteEndpoints: ["log-shipping"] is not allowed (allowed: a cross-site endpoint named "object-storage" at kitwe (its MinIO))`],
    [
      { remoteEndpoints: [{ ...KITWE_ENDPOINTS[1], address: '10.20.240.8/29' }] },
      `${WHERE}: remoteEndpoints object-storage: address: "10.20.240.8/29" is not allowed (allowed: one address as a /32 block, e.g. "10.20.240.8/32", which the probe's Endpoints name)`,
    ],
    [{ remoteEndpoints: [{ ...KITWE_ENDPOINTS[1], ports: [443] }] }, `${WHERE}: remoteEndpoints object-storage: ports: [443] is not allowed (allowed: ports that include 9000, the port of https://minio.prod.kitwe.lms.co.zm:9000)`],
    [{ interval: Duration.minutes(5) }, `${WHERE}: interval: "5m" is not allowed (allowed: a Duration from "10s" to "1m", so a few failed probes fit in the alert's 5 minutes)`],
  ])('refuses %j', (override, message) => {
    expect(() => probe(override as Partial<SiteProbeProps>)).toThrow(new PlatformError(message));
  });
});
