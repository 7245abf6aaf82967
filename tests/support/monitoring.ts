import type { Construct } from 'constructs';
import { AlertmanagerConfig } from '../../constructs/alertmanager-config';
import { Duration } from '../../constructs/duration';
import { MonitoringStack, type MonitoringStackProps } from '../../constructs/monitoring-stack';
import { issuersFixture } from './certificates';
import { siteClusterFixture, testScope } from './fixtures';

/** MonitoringStack props of one production-like site: two Prometheus servers, three Alertmanagers. */
export function monitoringStackFixtureProps(): MonitoringStackProps {
  return {
    cluster: siteClusterFixture({}, testScope()),
    environmentName: 'test',
    registry: 'registry.lms.co.zm',
    chartRepository: 'https://charts.lusaka.lms.co.zm',
    issuers: issuersFixture(),
    settings: {
      prometheus: { replicas: 2, retention: Duration.days(15), volumeSize: '100Gi', resources: { cpuRequest: '500m', memoryRequest: '2Gi', cpuLimit: '2', memoryLimit: '4Gi' } },
      alertmanager: { replicas: 3, volumeSize: '2Gi', receiverAddressBlocks: ['10.50.0.0/24'], receiverPort: 443 },
      grafana: { replicas: 2 },
    },
    alerting: AlertmanagerConfig.define({ siteDownSymptoms: ['ObjectStoreHeartbeatMissing'] }),
    vault: { address: 'https://vault.lms-security.svc.cluster.local:8200', peer: { namespace: 'lms-security', podLabels: { 'app.kubernetes.io/name': 'vault' }, port: 8200 }, caSecretName: 'vault-agent-trust' },
    apiServer: { addressBlocks: ['10.10.0.0/24'], port: 6443 },
    nodeRanges: ['10.10.0.0/16'],
  };
}

export function monitoringStackFixture(overrides: Partial<MonitoringStackProps> = {}, scope: Construct = testScope('test-lusaka-observability')): MonitoringStack {
  return new MonitoringStack(scope, 'monitoring', { ...monitoringStackFixtureProps(), ...overrides });
}
