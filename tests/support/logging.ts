import type { Construct } from 'constructs';
import { snapshotClientSettings } from '../../constructs/elasticsearch-configuration';
import { LoggingStack, type LoggingStackProps } from '../../constructs/logging-stack';
import { issuersFixture } from './certificates';
import { siteClusterFixture, testScope } from './fixtures';

/** LoggingStack props of one production-like site: three masters, two data nodes, two Logstash instances. */
export function loggingStackFixtureProps(): LoggingStackProps {
  return {
    cluster: siteClusterFixture({}, testScope()),
    environmentName: 'test',
    registry: 'registry.lms.co.zm',
    issuers: issuersFixture(),
    settings: {
      elasticsearch: {
        masters: { count: 3, volumeSize: '10Gi', resources: { cpuRequest: '250m', memoryRequest: '2Gi', cpuLimit: '1', memoryLimit: '2Gi' } },
        data: { count: 2, volumeSize: '200Gi', resources: { cpuRequest: '1', memoryRequest: '4Gi', cpuLimit: '2', memoryLimit: '8Gi' } },
      },
      kibana: { replicas: 1 },
      logstash: { replicas: 2, queueVolumeSize: '20Gi', resources: { cpuRequest: '500m', memoryRequest: '1Gi', cpuLimit: '1', memoryLimit: '2Gi' } },
      snapshots: { schedule: '30 * * * *' },
    },
    storageClassName: 'standard',
    siteRole: 'primary',
    otherSiteName: 'kitwe',
    objectStore: {
      url: 'https://minio.lms-data.svc.cluster.local:9000',
      region: 'zm-lusaka-1',
      peer: { namespace: 'lms-data', podLabels: { 'app.kubernetes.io/name': 'minio' }, port: 9000 },
      caSecretName: 'object-store-trust',
    },
    apiServer: { addressBlocks: ['10.10.0.0/24'], port: 6443 },
    pipelines: [{ pipelineId: 'main', config: 'input { beats { port => 5044 } }\noutput { stdout {} }' }],
    filebeatConfig: { 'filebeat.inputs': [{ type: 'filestream', id: 'containers', paths: ['/var/log/containers/*.log'] }] },
    snapshotClientSettings: snapshotClientSettings({ url: 'https://minio.lms-data.svc.cluster.local:9000', region: 'zm-lusaka-1', peer: { namespace: 'lms-data', podLabels: { 'app.kubernetes.io/name': 'minio' }, port: 9000 }, caSecretName: 'object-store-trust' }),
    secureSettingsSecrets: ['elasticsearch-snapshot-credentials'],
    elasticsearchClients: [{ namespace: 'lms-observability', podLabels: { 'app.kubernetes.io/name': 'elasticsearch-exporter' } }],
    operator: { namespace: 'lms-observability', podLabels: { 'control-plane': 'elastic-operator' } },
  };
}

export function loggingStackFixture(overrides: Partial<LoggingStackProps> = {}, scope: Construct = testScope('test-lusaka-observability')): LoggingStack {
  return new LoggingStack(scope, 'logging', { ...loggingStackFixtureProps(), ...overrides });
}
