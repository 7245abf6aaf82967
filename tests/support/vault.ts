import type { Construct } from 'constructs';
import { VaultCluster, type VaultClusterProps } from '../../constructs/vault-cluster';
import { issuersFixture } from './certificates';
import { siteClusterFixture, testScope } from './fixtures';

/** VaultCluster props of one production-like site (three servers, Shamir unseal). */
export function vaultClusterFixtureProps(): VaultClusterProps {
  return {
    cluster: siteClusterFixture({}, testScope()),
    registry: 'registry.lms.co.zm',
    chartRepository: 'https://charts.lusaka.lms.co.zm',
    siteDnsDomain: 'prod.lusaka.lms.co.zm',
    issuers: issuersFixture(),
    unseal: { kind: 'shamir', keyShares: 5, keyThreshold: 3, custodians: ['a', 'b', 'c', 'd', 'e'] },
    replicas: 3,
    apiServer: { addressBlocks: ['10.10.0.0/24'], port: 6443 },
    metrics: { peer: { namespace: 'lms-observability', podLabels: { 'app.kubernetes.io/name': 'prometheus' }, port: 9090 }, serviceMonitorLabels: { 'lms.co.zm/scrape': 'true' } },
  };
}

/** The transit seal of a fixture: the bank's in-country Vault. */
export const TRANSIT_UNSEAL = { kind: 'transit', address: 'https://unseal.lms.co.zm:8200', keyName: 'lms-test-unseal', mountPath: 'transit', addressBlocks: ['10.60.0.0/28'] } as const;

export function vaultClusterFixture(overrides: Partial<VaultClusterProps> = {}, scope: Construct = testScope('test-lusaka-security')): VaultCluster {
  return new VaultCluster(scope, 'vault', { ...vaultClusterFixtureProps(), ...overrides });
}
