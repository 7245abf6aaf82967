import type { Construct } from 'constructs';
import { IngressGateway, type IngressGatewayProps } from '../../constructs/ingress-gateway';
import type { SiteCluster } from '../../constructs/site-cluster';
import { siteClusterFixture, testScope } from './fixtures';

/**
 * Small props for the traffic components' tests: a Lusaka-like site with two address pools,
 * the public host and three operations UIs (one certificate a wildcard).
 */
export function ingressGatewayFixtureProps(cluster: SiteCluster): IngressGatewayProps {
  return {
    cluster,
    registry: 'registry.lms.co.zm',
    chartRepository: 'https://charts.lusaka.lms.co.zm',
    replicas: 2,
    gatewayAddress: '10.10.240.1',
    addressPools: [
      { name: 'public', addresses: ['10.10.240.0/29'] },
      { name: 'replication', addresses: ['10.10.240.8/29'] },
    ],
    approvedDomains: ['lms.co.zm'],
    publicHost: 'loans.lms.co.zm',
    publicCertificate: { secretName: 'public-tls', dnsNames: ['loans.lms.co.zm'] },
    siteDnsDomain: 'test.lusaka.lms.co.zm',
    operationsUis: [
      { name: 'grafana', namespace: 'lms-observability', certificate: { secretName: 'grafana-tls', dnsNames: ['grafana.test.lusaka.lms.co.zm'] } },
      { name: 'kibana', namespace: 'lms-observability', certificate: { secretName: 'kibana-tls', dnsNames: ['*.test.lusaka.lms.co.zm'] } },
      { name: 'vault', namespace: 'lms-security', certificate: { secretName: 'vault-tls', dnsNames: ['vault.test.lusaka.lms.co.zm'] } },
    ],
    operationsNetworks: ['10.50.0.0/24', '10.51.0.0/24'],
    apiServer: { addressBlocks: ['10.10.0.10/32'], port: 6443 },
    metrics: { peer: { namespace: 'lms-observability', podLabels: { 'app.kubernetes.io/name': 'prometheus' }, port: 9090 }, serviceMonitorLabels: { 'lms.co.zm/scrape': 'true' } },
  };
}

export function ingressGatewayFixture(overrides: Partial<IngressGatewayProps> = {}, scope: Construct = testScope('test-lusaka-traffic')): IngressGateway {
  const cluster = siteClusterFixture({}, testScope());
  return new IngressGateway(scope, 'ingress-gateway', { ...ingressGatewayFixtureProps(cluster), ...overrides });
}
