import { Certificates } from '../../constructs/certificates';
import { issuersFixture } from '../support/certificates';
import { testScope } from '../support/fixtures';

describe('Certificates', () => {
  test('one cert-manager Certificate per request, each exposed as a typed reference', () => {
    const certificates = new Certificates(testScope('test-lusaka-traffic'), 'gateway-certificates', {
      issuers: issuersFixture(),
      requests: [
        { name: 'gateway-public', namespace: 'lms-platform', dnsNames: ['loans.lms.co.zm'], issuer: 'public' },
        { name: 'gateway-grafana', namespace: 'lms-platform', dnsNames: ['grafana.prod.lusaka.lms.co.zm'] },
      ],
    });
    expect(certificates.objects.map((object) => `${object.kind}/${object.metadata.namespace}/${object.metadata.name}`)).toEqual([
      'Certificate/lms-platform/gateway-public',
      'Certificate/lms-platform/gateway-grafana',
    ]);
    const publicCertificate = certificates.certificate('gateway-public');
    expect({ secretName: publicCertificate.secretName, dnsNames: publicCertificate.dnsNames, issuer: publicCertificate.issuer.name }).toEqual({
      secretName: 'gateway-public-tls',
      dnsNames: ['loans.lms.co.zm'],
      issuer: 'lms-test-public',
    });
    expect(certificates.certificate('gateway-grafana').issuer.name).toBe('lms-test-ca');
  });

  test('the same name twice, no request at all, and an unknown certificate asked for', () => {
    const issuers = issuersFixture();
    const request = { name: 'gateway-public', namespace: 'lms-platform', dnsNames: ['loans.lms.co.zm'] };
    expect(() => new Certificates(testScope('test-lusaka-traffic'), 'certs', { issuers, requests: [request, request] })).toThrow(
      'Certificates test-lusaka-traffic/certs: requests: "gateway-public" is not allowed (allowed: each certificate name once)',
    );
    expect(() => new Certificates(testScope('test-lusaka-traffic'), 'certs', { issuers, requests: [] })).toThrow(
      'Certificates test-lusaka-traffic/certs: requests: [] is not allowed (allowed: at least one certificate request)',
    );
    const certificates = new Certificates(testScope('test-lusaka-traffic'), 'certs', { issuers, requests: [request] });
    expect(() => certificates.certificate('gateway-kibana')).toThrow('Certificates test-lusaka-traffic/certs: certificate: "gateway-kibana" is not allowed (allowed: gateway-public)');
  });
});
