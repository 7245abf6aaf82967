import { Duration } from '../../constructs/duration';
import { PlatformError } from '../../constructs/platform-error';
import { certManagerDuration, requestCertificate, type CertificateIssuers, type CertificateRequest } from '../../constructs/tls-certificate';
import { issuersFixture } from '../support/certificates';
import { testScope } from '../support/fixtures';
import { validateCustomResource } from '../support/kube-schema';

const requester = testScope('test-lusaka-apps');
const WHERE = 'test-lusaka-apps: requestCertificate loan-service';
const REQUEST: CertificateRequest = { name: 'loan-service', namespace: 'lms-apps', dnsNames: ['loan-service.lms-apps.svc', 'loan-service.lms-apps.svc.cluster.local'] };

/** Requests with `overrides` over REQUEST, typed loosely so a test can pass what the types forbid. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const request = (overrides: Record<string, any> = {}, issuers: CertificateIssuers = issuersFixture()) => requestCertificate(requester, issuers, { ...REQUEST, ...overrides } as CertificateRequest);

describe('requestCertificate', () => {
  test('renders a Certificate from the internal CA: ECDSA P-256, PKCS#8, a new key at each renewal, the environment lifetime', () => {
    const { object } = request();
    expect(object).toEqual({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'loan-service', namespace: 'lms-apps' },
      spec: {
        secretName: 'loan-service-tls',
        dnsNames: ['loan-service.lms-apps.svc', 'loan-service.lms-apps.svc.cluster.local'],
        duration: '2160h',
        renewBefore: '720h',
        issuerRef: { name: 'lms-test-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' },
        privateKey: { algorithm: 'ECDSA', size: 256, encoding: 'PKCS8', rotationPolicy: 'Always' },
        usages: ['digital signature', 'server auth'],
        revisionHistoryLimit: 3,
      },
    });
    validateCustomResource(object);
  });

  test('the reference says what a server mounts, what a client trusts and what the metrics work alerts on', () => {
    const issuers = issuersFixture();
    const { reference } = request({}, issuers);
    expect(reference).toEqual({
      name: 'loan-service',
      namespace: 'lms-apps',
      secretName: 'loan-service-tls',
      dnsNames: ['loan-service.lms-apps.svc', 'loan-service.lms-apps.svc.cluster.local'],
      ipAddresses: [],
      usages: ['server auth'],
      issuer: issuers.internal,
      duration: Duration.days(90),
      renewBefore: Duration.days(30),
      trustAnchor: { description: 'the test internal root CA of site lusaka', secret: { namespace: 'lms-platform', name: 'lms-test-root-ca', key: 'ca.crt' } },
      metrics: {
        labels: { name: 'loan-service', namespace: 'lms-apps' },
        expirySeries: 'certmanager_certificate_expiration_timestamp_seconds{name="loan-service",namespace="lms-apps"}',
        readySeries: 'certmanager_certificate_ready_status{name="loan-service",namespace="lms-apps",condition="True"}',
        renewBeforeSeconds: 30 * 86400,
      },
    });
  });

  test('the public issuer signs the public host; IP addresses, client auth, a chosen Secret and labels are carried over', () => {
    const { object, reference } = request({
      name: 'gateway',
      namespace: 'lms-platform',
      issuer: 'public',
      dnsNames: ['loans.lms.co.zm'],
      ipAddresses: ['10.10.240.1'],
      usages: ['server auth', 'client auth'],
      secretName: 'gateway-public-tls',
      labels: { 'app.kubernetes.io/component': 'gateway' },
    });
    const spec = (object as any).spec;
    expect(object.metadata).toEqual({ name: 'gateway', namespace: 'lms-platform', labels: { 'app.kubernetes.io/component': 'gateway' } });
    expect(spec.issuerRef).toEqual({ name: 'lms-test-public', kind: 'ClusterIssuer', group: 'cert-manager.io' });
    expect(spec.ipAddresses).toEqual(['10.10.240.1']);
    expect(spec.usages).toEqual(['digital signature', 'server auth', 'client auth']);
    expect(spec.secretName).toBe('gateway-public-tls');
    expect(reference.trustAnchor.secret).toEqual({ namespace: 'lms-platform', name: 'bank-issuing-ca', key: 'ca.crt' });
    validateCustomResource(object);
  });

  test('accepts hosts in approved domains and every form of a cluster-internal name of its own namespace', () => {
    const dnsNames = [
      'loans.lms.co.zm',
      'lms.co.zm',
      'vault.lms-security',
      'vault.lms-security.svc',
      'vault-0.vault-internal.lms-security.svc.cluster.local',
      '*.vault-internal.lms-security.svc.cluster.local',
    ];
    expect(request({ name: 'vault', namespace: 'lms-security', dnsNames }).reference.dnsNames).toEqual(dnsNames);
  });

  test('cert-manager durations have no days: whole hours, else minutes, else seconds', () => {
    expect(certManagerDuration(Duration.days(3650))).toBe('87600h');
    expect(certManagerDuration(Duration.minutes(90))).toBe('90m');
    expect(certManagerDuration(Duration.seconds(3601))).toBe('3601s');
  });
});

describe('requestCertificate errors', () => {
  const dnsAllowed = 'a host in *.lms.co.zm, or a cluster-internal name of namespace "lms-apps": <service>.lms-apps, <service>.lms-apps.svc or <service>.lms-apps.svc.cluster.local';
  const bad: readonly (readonly [string, Record<string, unknown>, string])[] = [
    [
      'name',
      { name: 'Loan_Service' },
      'test-lusaka-apps: requestCertificate: name: "Loan_Service" is not allowed (allowed: a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)',
    ],
    ['namespace', { namespace: 'lms.apps' }, `${WHERE}: namespace: "lms.apps" is not allowed (allowed: a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)`],
    ['secretName', { secretName: 'tls-' }, `${WHERE}: secretName: "tls-" is not allowed (allowed: a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)`],
    ['issuer', { issuer: 'vault' }, `${WHERE}: issuer: "vault" is not allowed (allowed: "internal", "public")`],
    ['no DNS names', { dnsNames: [] }, `${WHERE}: dnsNames: [] is not allowed (allowed: at least one DNS name the certificate is for)`],
    [
      'a DNS name that is none',
      { dnsNames: ['Loan-Service.lms-apps.svc'] },
      `${WHERE}: dnsNames[0]: "Loan-Service.lms-apps.svc" is not a DNS name (allowed: lower-case labels of letters, digits and "-", at most 253 characters, e.g. "vault.lms-security.svc")`,
    ],
    ['a name twice', { dnsNames: ['loan-service.lms-apps', 'loan-service.lms-apps'] }, `${WHERE}: dnsNames[1]: "loan-service.lms-apps" is listed twice (allowed: each name once)`],
    ['a host outside the approved domains', { dnsNames: ['loans.example.com'] }, `${WHERE}: dnsNames[0]: "loans.example.com" is not allowed (allowed: ${dnsAllowed})`],
    ['a look-alike of an approved domain', { dnsNames: ['loans.notlms.co.zm'] }, `${WHERE}: dnsNames[0]: "loans.notlms.co.zm" is not allowed (allowed: ${dnsAllowed})`],
    ['a cluster name of another namespace', { dnsNames: ['vault.lms-security.svc'] }, `${WHERE}: dnsNames[0]: "vault.lms-security.svc" is not allowed (allowed: ${dnsAllowed})`],
    ['a bare cluster suffix', { dnsNames: ['lms-apps.svc'] }, `${WHERE}: dnsNames[0]: "lms-apps.svc" is not allowed (allowed: ${dnsAllowed})`],
    [
      'a public wildcard',
      { dnsNames: ['*.lms.co.zm'] },
      `${WHERE}: dnsNames[0]: "*.lms.co.zm" is not allowed (allowed: a wildcard only in a cluster-internal name of namespace "lms-apps"; list public hosts one by one)`,
    ],
    [
      'a cluster name from the public issuer',
      { issuer: 'public', dnsNames: ['loans.lms.co.zm', 'loan-service.lms-apps.svc'] },
      `${WHERE}: dnsNames[1]: "loan-service.lms-apps.svc" is not allowed (allowed: a host in *.lms.co.zm: the public issuer signs public names only)`,
    ],
    [
      'a public IP address',
      { ipAddresses: ['196.46.0.1'] },
      `${WHERE}: ipAddresses[0]: "196.46.0.1" is not allowed (allowed: a private IPv4 address in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, e.g. "10.10.240.1")`,
    ],
    [
      'an IP address that is none',
      { ipAddresses: ['10.10.240.300'] },
      `${WHERE}: ipAddresses[0]: "10.10.240.300" is not allowed (allowed: a private IPv4 address in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, e.g. "10.10.240.1")`,
    ],
    ['an IP address twice', { ipAddresses: ['10.10.240.1', '10.10.240.1'] }, `${WHERE}: ipAddresses[1]: "10.10.240.1" is listed twice (allowed: each address once)`],
    ['no usages', { usages: [] }, `${WHERE}: usages: [] is not allowed (allowed: one or more of "server auth", "client auth")`],
    ['an unknown usage', { usages: ['code signing'] }, `${WHERE}: usages[0]: "code signing" is not allowed (allowed: "server auth", "client auth")`],
    ['a usage twice', { usages: ['client auth', 'client auth'] }, `${WHERE}: usages[1]: "client auth" is listed twice (allowed: each usage once)`],
  ];

  test.each(bad)('%s', (_title, overrides, message) => {
    expect(() => request(overrides)).toThrow(new PlatformError(message));
  });

  const withLifetime = (validity: Duration, renewBefore: Duration): CertificateIssuers => {
    const issuers = issuersFixture();
    return { ...issuers, internal: { ...issuers.internal, lifetime: { validity, renewBefore } } };
  };

  test.each([
    ['validity below an hour', withLifetime(Duration.minutes(59), Duration.minutes(10)), `${WHERE}: issuer lms-test-ca: lifetime.validity: "59m" is not allowed (allowed: at least "1h", cert-manager's shortest certificate lifetime)`],
    ['renewBefore below five minutes', withLifetime(Duration.hours(2), Duration.seconds(299)), `${WHERE}: issuer lms-test-ca: lifetime.renewBefore: "299s" is not allowed (allowed: at least "5m", cert-manager's shortest renewal window)`],
    [
      'renewBefore not shorter than the duration',
      withLifetime(Duration.hours(24), Duration.days(2)),
      `${WHERE}: issuer lms-test-ca: lifetime.renewBefore: "2d" is not shorter than validity "1d" (allowed: a renewal window shorter than the lifetime, or the certificate is renewed forever)`,
    ],
  ] as const)('an issuer lifetime with %s', (_title, issuers, message) => {
    expect(() => request({}, issuers)).toThrow(new PlatformError(message));
  });
});
