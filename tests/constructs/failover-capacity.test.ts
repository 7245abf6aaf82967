import { Construct } from 'constructs';
import { FailoverCapacity } from '../../constructs/failover-capacity';
import { LoanService, type WorkloadSizing } from '../../constructs/loan-service';
import { loanServiceFixtureProps, QUOTA_FIXTURE, siteClusterFixture, testScope } from '../support/fixtures';

/** A primary and a DR loan-service; the DR site's apps quota and sizing can be changed. */
function pair(standbySizing: Partial<WorkloadSizing> = {}, standbyAppsQuota: Partial<typeof QUOTA_FIXTURE> = {}) {
  const primaryCluster = siteClusterFixture();
  const primary = new LoanService(testScope('test-lusaka-apps'), 'loan-service', loanServiceFixtureProps(primaryCluster));
  const standbyCluster = siteClusterFixture({
    siteName: 'kitwe',
    namespaceQuotas: { ...siteClusterFixture().namespaceQuotas, apps: { ...QUOTA_FIXTURE, ...standbyAppsQuota } },
  });
  const standbyProps = loanServiceFixtureProps(standbyCluster);
  const scope = testScope('test-kitwe-apps');
  const standby = new LoanService(scope, 'loan-service', { ...standbyProps, siteRole: 'disaster-recovery', sizing: { ...standbyProps.sizing, ...standbySizing } });
  const capacity = new FailoverCapacity(scope, 'failover-capacity', { primary, standby, standbyCluster });
  return { capacity, errors: () => capacity.node.validate() };
}

describe('FailoverCapacity', () => {
  test('computes what the promoted DR service needs', () => {
    const { capacity, errors } = pair();
    expect(capacity.promotedReplicas).toBe(3);
    expect(capacity.promotedCpuMillis).toEqual({ requests: 750, limits: 3000 });
    expect(capacity.promotedMemoryMiB).toEqual({ requests: 768, limits: 1536 });
    expect(errors()).toEqual([]);
  });

  test('a DR site that would run fewer replicas than the primary once promoted fails validation', () => {
    expect(pair({ replicas: 2, standbyReplicas: 1 }).errors()).toEqual([
      'FailoverCapacity test-kitwe-apps/failover-capacity: loan-service replicas: 2 at "kitwe" once promoted is below the primary\'s 3 (allowed: at least 3, so the disaster-recovery site carries the primary\'s load)',
    ]);
  });

  test('a DR apps quota that cannot hold the promoted service fails validation with the figures', () => {
    expect(pair({}, { requestsCpu: '500m', limitsMemory: '1Gi' }).errors()).toEqual([
      'FailoverCapacity test-kitwe-apps/failover-capacity: sizing.namespaces.apps.requestsCpu of site "kitwe": 500m CPU cannot hold the promoted loan-service, 3 x 250m CPU = 750m CPU (allowed: at least 750m CPU)',
      'FailoverCapacity test-kitwe-apps/failover-capacity: sizing.namespaces.apps.limitsMemory of site "kitwe": 1024Mi cannot hold the promoted loan-service, 3 x 512Mi = 1536Mi (allowed: at least 1536Mi)',
    ]);
  });

  test('is a check, not a component: it renders nothing', () => {
    const { capacity } = pair();
    expect(capacity).toBeInstanceOf(Construct);
    expect(capacity.node.children).toEqual([]);
  });
});
