import type { Construct } from 'constructs';
import { ElasticsearchSetup, elasticsearchSnapshotUser, type ElasticsearchSetupProps } from '../../constructs/elasticsearch-setup';
import { environmentNamed } from './environments';
import { siteClusterFixture, testScope } from './fixtures';

/** ElasticsearchSetup props of the Lusaka site with production's logging settings, every reference a small typed value. */
export function elasticsearchSetupFixtureProps(): ElasticsearchSetupProps {
  return {
    cluster: siteClusterFixture({}, testScope()),
    registry: 'registry.lms.co.zm',
    environmentName: 'test',
    otherSiteName: 'kitwe',
    settings: environmentNamed('production').logging,
    vault: { address: 'https://vault.lms-security.svc.cluster.local:8200', peer: { namespace: 'lms-security', podLabels: { 'app.kubernetes.io/name': 'vault' }, port: 8200 }, caSecretName: 'vault-agent-trust' },
    objectStore: { url: 'https://minio.lms-data.svc.cluster.local:9000', region: 'zm-lusaka-1', peer: { namespace: 'lms-data', podLabels: { 'app.kubernetes.io/name': 'minio' }, port: 9000 }, caSecretName: 'object-store-trust' },
    snapshotUser: elasticsearchSnapshotUser('test', 'lusaka'),
    apiServer: { addressBlocks: ['10.10.0.0/24'], port: 6443 },
  };
}

export function elasticsearchSetupFixture(overrides: Partial<ElasticsearchSetupProps> = {}, scope: Construct = testScope('test-lusaka-observability')): ElasticsearchSetup {
  return new ElasticsearchSetup(scope, 'elasticsearch-setup', { ...elasticsearchSetupFixtureProps(), ...overrides });
}
