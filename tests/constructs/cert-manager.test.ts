import { CertManager, DEFAULT_CERT_MANAGER_RESOURCES, type CertManagerProps } from '../../constructs/cert-manager';
import { Duration } from '../../constructs/duration';
import { PlatformComponent } from '../../constructs/platform-component';
import { PlatformError } from '../../constructs/platform-error';
import { VERSIONS } from '../../constructs/versions';
import { DATA_SOVEREIGNTY } from '../../environments/schema';
import { renderValues } from '../../stacks/helm-releases';
import { certManagerFixture, certManagerFixtureProps } from '../support/certificates';
import { ENVIRONMENTS } from '../support/environments';
import { siteClusterFixture, testScope } from '../support/fixtures';
import { validateCustomResource, validateKubeObject } from '../support/kube-schema';

const WHERE = 'CertManager test-lusaka-traffic/cert-manager';

/** Builds a CertManager with `overrides` over the fixture props, typed loosely so a test can pass what the types forbid. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const build = (overrides: Record<string, any>) => certManagerFixture(overrides as Partial<CertManagerProps>);
const object = (manager: CertManager, kind: string, name: string) => manager.objects.find((o) => o.kind === kind && o.metadata.name === name) as any;
const values = (manager: CertManager) => manager.helmReleases[0]!.values as any;

describe('CertManager', () => {
  test('is a platform component installing the pinned chart from the site repository into lms-platform, after its NetworkPolicies', () => {
    const manager = certManagerFixture();
    expect(PlatformComponent.isPlatformComponent(manager)).toBe(true);
    expect(manager.namespace).toBe('lms-platform');
    expect(manager.podSecurityLevel).toBe('restricted');
    expect(manager.helmReleases).toHaveLength(1);
    const release = manager.helmReleases[0]!;
    expect(release.name).toBe('cert-manager');
    expect(release.namespace).toBe('lms-platform');
    expect(release.chart).toEqual({ repository: 'https://charts.lusaka.lms.co.zm', name: 'cert-manager', version: VERSIONS.charts.certManager.version });
    expect(release.after).toEqual(['NetworkPolicy/lms-platform/cert-manager-controller', 'NetworkPolicy/lms-platform/cert-manager-webhook', 'NetworkPolicy/lms-platform/cert-manager-cainjector']);
    expect(release.timeoutSeconds).toBeUndefined();
  });

  test('every image comes from the site registry by digest, the ACME solver included', () => {
    const manager = certManagerFixture();
    const v = values(manager);
    const expected = (name: keyof typeof VERSIONS.images) => ({ registry: 'registry.lms.co.zm', repository: VERSIONS.images[name].repository, digest: VERSIONS.images[name].digest, pullPolicy: 'IfNotPresent' });
    expect(v.image).toEqual(expected('certManagerController'));
    expect(v.webhook.image).toEqual(expected('certManagerWebhook'));
    expect(v.cainjector.image).toEqual(expected('certManagerCainjector'));
    expect(v.acmesolver.image).toEqual(expected('certManagerAcmeSolver'));
    expect(manager.images.acmesolver).toBe(`registry.lms.co.zm/jetstack/cert-manager-acmesolver:v1.19.6@${VERSIONS.images.certManagerAcmeSolver.digest}`);
  });

  test('no CRDs, no startupapicheck, metrics without a ServiceMonitor, leases in its own namespace, the platform PriorityClass', () => {
    const v = values(certManagerFixture());
    expect(v.crds).toEqual({ enabled: false });
    expect(v.installCRDs).toBe(false);
    expect(v.startupapicheck).toEqual({ enabled: false });
    expect(v.prometheus).toEqual({ enabled: true, servicemonitor: { enabled: false }, podmonitor: { enabled: false } });
    expect(v.webhook.networkPolicy).toEqual({ enabled: false });
    expect(v.global).toEqual({
      priorityClassName: 'lms-platform',
      commonLabels: { 'app.kubernetes.io/part-of': 'lms-platform', 'lms.co.zm/environment': 'test', 'lms.co.zm/site': 'lusaka' },
      leaderElection: { namespace: 'lms-platform' },
    });
  });

  test('two controllers and two webhooks by default, each pair with a budget and spread over nodes; one cainjector', () => {
    const manager = certManagerFixture();
    const v = values(manager);
    expect(manager.replicas).toEqual({ controller: 2, webhook: 2, cainjector: 1 });
    expect([v.replicaCount, v.webhook.replicaCount, v.cainjector.replicaCount]).toEqual([2, 2, 1]);
    expect(v.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    expect(v.webhook.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    expect(v.cainjector.podDisruptionBudget).toEqual({ enabled: false });
    expect(v.webhook.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'webhook', 'app.kubernetes.io/instance': 'cert-manager', 'app.kubernetes.io/component': 'webhook' } },
      },
    ]);
    expect(v.cainjector.topologySpreadConstraints).toEqual([]);
  });

  test('replicas and resources from props', () => {
    const manager = build({ replicas: { controller: 1, cainjector: 2 }, resources: { webhook: { cpuRequest: '100m', memoryRequest: '96Mi', cpuLimit: '1', memoryLimit: '256Mi' } } });
    const v = values(manager);
    expect(manager.replicas).toEqual({ controller: 1, webhook: 2, cainjector: 2 });
    expect(v.podDisruptionBudget).toEqual({ enabled: false });
    expect(v.cainjector.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    expect(v.webhook.resources).toEqual({ requests: { cpu: '100m', memory: '96Mi' }, limits: { cpu: '1', memory: '256Mi' } });
    expect(v.resources).toEqual({ requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    expect(v.cainjector.resources).toEqual({ requests: { cpu: '20m', memory: '128Mi' }, limits: { cpu: '250m', memory: '512Mi' } });
    expect(manager.resources.controller).toEqual(DEFAULT_CERT_MANAGER_RESOURCES.controller);
  });

  test('values render byte-identically for the same props, keys sorted', () => {
    const first = renderValues(certManagerFixture().helmReleases[0]!.values);
    const second = renderValues(certManagerFixture({}, testScope('other-scope')).helmReleases[0]!.values);
    expect(second).toBe(first);
    const topLevelKeys = first.split('\n').filter((line) => /^[a-zA-Z]/.test(line)).map((line) => line.split(':')[0]);
    expect(topLevelKeys).toEqual(['acmesolver', 'cainjector', 'crds', 'global', 'image', 'installCRDs', 'podDisruptionBudget', 'prometheus', 'replicaCount', 'resources', 'startupapicheck', 'topologySpreadConstraints', 'webhook']);
  });

  test('NetworkPolicies: the API server reaches the webhook on 10250, Prometheus each pod on 9402, each pod the API server', () => {
    const manager = certManagerFixture();
    const apiServer = [{ ipBlock: { cidr: '10.10.0.0/24' } }];
    const prometheus = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lms-observability' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }];
    const dns = {
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    };
    const webhook = object(manager, 'NetworkPolicy', 'cert-manager-webhook');
    expect(webhook.metadata.namespace).toBe('lms-platform');
    expect(webhook.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'webhook', 'app.kubernetes.io/instance': 'cert-manager', 'app.kubernetes.io/component': 'webhook' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: apiServer, ports: [{ protocol: 'TCP', port: 10250 }] },
        { from: prometheus, ports: [{ protocol: 'TCP', port: 9402 }] },
      ],
      egress: [{ to: apiServer, ports: [{ protocol: 'TCP', port: 6443 }] }, dns],
    });
    for (const name of ['controller', 'cainjector']) {
      const policy = object(manager, 'NetworkPolicy', `cert-manager-${name}`);
      expect(policy.spec.podSelector.matchLabels).toEqual(manager.podLabels[name as 'controller' | 'cainjector']);
      expect(policy.spec.ingress).toEqual([{ from: prometheus, ports: [{ protocol: 'TCP', port: 9402 }] }]);
      expect(policy.spec.egress).toEqual([{ to: apiServer, ports: [{ protocol: 'TCP', port: 6443 }] }, dns]);
    }
    expect(manager.podLabels.controller).toEqual({ 'app.kubernetes.io/name': 'cert-manager', 'app.kubernetes.io/instance': 'cert-manager', 'app.kubernetes.io/component': 'controller' });
  });

  test('the issuer chain: a namespaced self-signed Issuer signs the root; the CA ClusterIssuer signs with the root key', () => {
    const manager = certManagerFixture();
    expect(manager.objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      'NetworkPolicy/lms-platform/cert-manager-controller',
      'NetworkPolicy/lms-platform/cert-manager-webhook',
      'NetworkPolicy/lms-platform/cert-manager-cainjector',
      'PodMonitor/lms-platform/cert-manager',
      'Issuer/lms-platform/lms-test-root-bootstrap',
      'Certificate/lms-platform/lms-test-root-ca',
      'ClusterIssuer//lms-test-ca',
      'ClusterIssuer//lms-test-public',
    ]);
    expect(object(manager, 'Issuer', 'lms-test-root-bootstrap').spec).toEqual({ selfSigned: {} });
    expect(object(manager, 'Certificate', 'lms-test-root-ca').spec).toEqual({
      isCA: true,
      commonName: 'LMS test internal root CA (lusaka)',
      subject: { organizations: ['Limelight Moneylink Services'], countries: ['ZM'] },
      secretName: 'lms-test-root-ca',
      duration: '87600h',
      renewBefore: '2160h',
      privateKey: { algorithm: 'RSA', size: 4096, rotationPolicy: 'Never' },
      usages: ['cert sign', 'crl sign', 'digital signature'],
      issuerRef: { name: 'lms-test-root-bootstrap', kind: 'Issuer', group: 'cert-manager.io' },
      revisionHistoryLimit: 3,
    });
    expect(object(manager, 'ClusterIssuer', 'lms-test-ca').spec).toEqual({ ca: { secretName: 'lms-test-root-ca' } });
    expect(object(manager, 'ClusterIssuer', 'lms-test-ca').metadata.namespace).toBeUndefined();
    expect(manager.root).toEqual({
      name: 'lms-test-root-ca',
      namespace: 'lms-platform',
      secretName: 'lms-test-root-ca',
      commonName: 'LMS test internal root CA (lusaka)',
      duration: Duration.days(3650),
      renewBefore: Duration.days(90),
      metrics: {
        labels: { name: 'lms-test-root-ca', namespace: 'lms-platform' },
        expirySeries: 'certmanager_certificate_expiration_timestamp_seconds{name="lms-test-root-ca",namespace="lms-platform"}',
        readySeries: 'certmanager_certificate_ready_status{name="lms-test-root-ca",namespace="lms-platform",condition="True"}',
        renewBeforeSeconds: 90 * 86400,
      },
    });
    for (const rendered of manager.objects) {
      if (rendered.kind === 'NetworkPolicy') validateKubeObject(rendered);
      else validateCustomResource(rendered);
    }
  });

  test('issuers: internal is the root-backed CA; public is the bank CA for external-ca', () => {
    const issuers = certManagerFixture().issuers;
    const lifetime = { validity: Duration.days(90), renewBefore: Duration.days(30) };
    expect(issuers.internal).toEqual({
      name: 'lms-test-ca',
      kind: 'ClusterIssuer',
      group: 'cert-manager.io',
      trustAnchor: { description: 'the test internal root CA of site lusaka', secret: { namespace: 'lms-platform', name: 'lms-test-root-ca', key: 'ca.crt' } },
      lifetime,
    });
    expect(issuers.public).toEqual({
      name: 'lms-test-public',
      kind: 'ClusterIssuer',
      group: 'cert-manager.io',
      trustAnchor: {
        description: "the bank's CA whose key pair the bank's PKI officers place in Secret lms-platform/bank-issuing-ca",
        secret: { namespace: 'lms-platform', name: 'bank-issuing-ca', key: 'ca.crt' },
      },
      lifetime,
    });
    expect(issuers.approvedDomains).toEqual(['lms.co.zm']);
  });

  test('for internal-ca the internal issuer also signs the public certificate, and no public ClusterIssuer is rendered', () => {
    const manager = build({ publicCertificate: { issuer: 'internal-ca' } });
    expect(manager.issuers.public).toBe(manager.issuers.internal);
    expect(manager.objects.filter((o) => o.kind === 'ClusterIssuer').map((o) => o.metadata.name)).toEqual(['lms-test-ca']);
  });

  test.each(ENVIRONMENTS.map((env) => [env.name, env] as const))('%s: both sites get cert-manager from their environment settings', (_name, env) => {
    for (const [siteName, site] of Object.entries(env.sites)) {
      const cluster = siteClusterFixture({ environmentName: env.name, siteName }, testScope(`${env.name}-${siteName}-base`));
      const manager = new CertManager(testScope(`${env.name}-${siteName}-traffic`), 'cert-manager', {
        ...certManagerFixtureProps(cluster),
        environmentName: env.name,
        registry: site.registry,
        chartRepository: site.chartRepository,
        certificates: env.traffic.certificates,
        publicCertificate: env.traffic.publicCertificate,
        approvedDomains: DATA_SOVEREIGNTY.approvedDomains,
        apiServer: { addressBlocks: site.network.ranges, port: 6443 },
      });
      expect(manager.issuers.internal.name).toBe(`lms-${env.name}-ca`);
      expect(manager.root.commonName).toBe(`LMS ${env.name} internal root CA (${siteName})`);
      expect(manager.issuers.public.name).toBe(env.traffic.publicCertificate.issuer === 'external-ca' ? `lms-${env.name}-public` : `lms-${env.name}-ca`);
    }
  });
});

describe('CertManager errors', () => {
  const bad: readonly (readonly [string, Record<string, unknown>, string])[] = [
    ['environmentName', { environmentName: 'Production' }, `${WHERE}: environmentName: "Production" is not allowed (allowed: a DNS label, e.g. "production": it names the issuers)`],
    ['chartRepository', { chartRepository: 'http://charts.lusaka.lms.co.zm' }, `${WHERE}: chartRepository: "http://charts.lusaka.lms.co.zm" is not allowed (allowed: an https:// URL of the site's in-country chart repository)`],
    [
      'validity below an hour',
      { certificates: { rootValidity: Duration.days(3650), validity: Duration.minutes(30), renewBefore: Duration.minutes(10) } },
      `${WHERE}: certificates.validity: "30m" is not allowed (allowed: at least "1h", cert-manager's shortest certificate lifetime)`,
    ],
    [
      'renewBefore below five minutes',
      { certificates: { rootValidity: Duration.days(3650), validity: Duration.days(90), renewBefore: Duration.minutes(4) } },
      `${WHERE}: certificates.renewBefore: "4m" is not allowed (allowed: at least "5m", cert-manager's shortest renewal window)`,
    ],
    [
      'renewBefore not shorter than validity',
      { certificates: { rootValidity: Duration.days(3650), validity: Duration.days(30), renewBefore: Duration.days(30) } },
      `${WHERE}: certificates.renewBefore: "30d" is not shorter than validity "30d" (allowed: a renewal window shorter than the lifetime, or the certificate is renewed forever)`,
    ],
    [
      'root not outliving its certificates',
      { certificates: { rootValidity: Duration.days(90), validity: Duration.days(90), renewBefore: Duration.days(30) } },
      `${WHERE}: certificates.rootValidity: "90d" is not longer than validity "90d" (allowed: a root that outlives the certificates it signs; it renews \`validity\` before expiry)`,
    ],
    ['approvedDomains empty', { approvedDomains: [] }, `${WHERE}: approvedDomains: [] is not allowed (allowed: one or more DNS domains, e.g. ["lms.co.zm"])`],
    ['approvedDomains entry', { approvedDomains: ['lms.co.zm', 'localhost'] }, `${WHERE}: approvedDomains[1]: "localhost" is not allowed (allowed: a DNS domain of two or more labels, e.g. "lms.co.zm")`],
    ['apiServer blocks empty', { apiServer: { addressBlocks: [], port: 6443 } }, `${WHERE}: apiServer.addressBlocks: [] is not allowed (allowed: one or more IPv4 CIDR blocks holding the API server's endpoints)`],
    [
      'apiServer block with host bits',
      { apiServer: { addressBlocks: ['10.10.0.1/24'], port: 6443 } },
      `${WHERE}: apiServer.addressBlocks[0]: "10.10.0.1/24" is not allowed (allowed: an IPv4 CIDR block with its host bits zero, e.g. "10.10.0.0/16")`,
    ],
    ['apiServer port', { apiServer: { addressBlocks: ['10.10.0.0/24'], port: 0 } }, `${WHERE}: apiServer.port: 0 is not allowed (allowed: a TCP port, 1-65535)`],
    ['public issuer kind', { publicCertificate: { issuer: 'acme' } }, `${WHERE}: publicCertificate.issuer: "acme" is not allowed (allowed: "internal-ca", "external-ca")`],
    [
      'bank CA Secret name',
      { publicCertificate: { issuer: 'external-ca', caSecretName: 'Bank_CA' } },
      `${WHERE}: publicCertificate.caSecretName: "Bank_CA" is not allowed (allowed: a DNS label: the name of the Secret the bank's PKI officers place in namespace "lms-platform")`,
    ],
    ['replicas workload', { replicas: { solver: 1 } }, `${WHERE}: replicas: "solver" is not allowed (allowed: workloads controller, webhook, cainjector)`],
    ['replicas zero', { replicas: { webhook: 0 } }, `${WHERE}: replicas.webhook: 0 is not allowed (allowed: a whole number, 1 or more)`],
    ['replicas fraction', { replicas: { controller: 1.5 } }, `${WHERE}: replicas.controller: 1.5 is not allowed (allowed: a whole number, 1 or more)`],
    ['resources workload', { resources: { startupapicheck: DEFAULT_CERT_MANAGER_RESOURCES.webhook } }, `${WHERE}: resources: "startupapicheck" is not allowed (allowed: workloads controller, webhook, cainjector)`],
    [
      'resources quantity',
      { resources: { webhook: { ...DEFAULT_CERT_MANAGER_RESOURCES.webhook, cpuLimit: '1 core' } } },
      `${WHERE}: resources.webhook.cpuLimit: "1 core" is not a CPU quantity (allowed: cores such as "2" or "0.5", or millicores such as "500m")`,
    ],
    [
      'cpu request above limit',
      { resources: { controller: { ...DEFAULT_CERT_MANAGER_RESOURCES.controller, cpuRequest: '2' } } },
      `${WHERE}: resources.controller.cpuRequest: "2" is above cpuLimit "500m" (allowed: a request no larger than its limit)`,
    ],
    [
      'memory request above limit',
      { resources: { cainjector: { ...DEFAULT_CERT_MANAGER_RESOURCES.cainjector, memoryRequest: '1Gi' } } },
      `${WHERE}: resources.cainjector.memoryRequest: "1Gi" is above memoryLimit "512Mi" (allowed: a request no larger than its limit)`,
    ],
  ];

  test.each(bad)('%s', (_title, overrides, message) => {
    expect(() => build(overrides)).toThrow(new PlatformError(message));
  });
});
