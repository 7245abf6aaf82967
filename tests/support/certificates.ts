import type { Construct } from 'constructs';
import { CertManager, type CertManagerProps } from '../../constructs/cert-manager';
import { Duration } from '../../constructs/duration';
import type { SiteCluster } from '../../constructs/site-cluster';
import type { CertificateIssuers } from '../../constructs/tls-certificate';
import { siteClusterFixture, testScope } from './fixtures';

/** CertManager props of one site, every reference a small typed value. */
export function certManagerFixtureProps(cluster: SiteCluster): CertManagerProps {
  return {
    cluster,
    environmentName: 'test',
    registry: 'registry.lms.co.zm',
    chartRepository: 'https://charts.lusaka.lms.co.zm',
    certificates: { rootValidity: Duration.days(3650), validity: Duration.days(90), renewBefore: Duration.days(30) },
    publicCertificate: { issuer: 'external-ca', caSecretName: 'bank-issuing-ca' },
    approvedDomains: ['lms.co.zm'],
    apiServer: { addressBlocks: ['10.10.0.0/24'], port: 6443 },
    metrics: { peer: { namespace: 'lms-observability', podLabels: { 'app.kubernetes.io/name': 'prometheus' }, port: 9090 }, serviceMonitorLabels: { 'lms.co.zm/scrape': 'true' } },
  };
}

export function certManagerFixture(overrides: Partial<CertManagerProps> = {}, scope: Construct = testScope('test-lusaka-traffic')): CertManager {
  const cluster = siteClusterFixture({}, testScope());
  return new CertManager(scope, 'cert-manager', { ...certManagerFixtureProps(cluster), ...overrides });
}

/** The issuers of a fixture site: internal CA `lms-test-ca`, public `lms-test-public`. */
export function issuersFixture(): CertificateIssuers {
  return certManagerFixture().issuers;
}
