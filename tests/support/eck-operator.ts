import type { Construct } from 'constructs';
import { EckOperator, type EckOperatorProps } from '../../constructs/eck-operator';
import { issuersFixture } from './certificates';
import { siteClusterFixture, testScope } from './fixtures';

/** EckOperator props of one site, every reference a small typed value. */
export function eckOperatorFixtureProps(): EckOperatorProps {
  return {
    cluster: siteClusterFixture({}, testScope()),
    registry: 'registry.lms.co.zm',
    chartRepository: 'https://charts.lusaka.lms.co.zm',
    issuers: issuersFixture(),
    apiServer: { addressBlocks: ['10.10.0.0/24'], port: 6443 },
    metrics: { peer: { namespace: 'lms-observability', podLabels: { 'app.kubernetes.io/name': 'prometheus' }, port: 9090 }, serviceMonitorLabels: { 'lms.co.zm/scrape': 'true' } },
  };
}

export function eckOperatorFixture(overrides: Partial<EckOperatorProps> = {}, scope: Construct = testScope('test-lusaka-observability')): EckOperator {
  return new EckOperator(scope, 'eck-operator', { ...eckOperatorFixtureProps(), ...overrides });
}
