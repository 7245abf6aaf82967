import { Construct } from 'constructs';
import { FailoverCapacity } from '../../constructs/failover-capacity';
import { LoanService, type WorkloadSizing } from '../../constructs/loan-service';
import { loanServiceFixtureProps, siteClusterFixture, testScope } from '../support/fixtures';

/** A primary and a DR loan-service; the DR site's sizing can be changed. */
function pair(standbySizing: Partial<WorkloadSizing> = {}) {
  const primary = new LoanService(testScope('test-lusaka-apps'), 'loan-service', loanServiceFixtureProps(siteClusterFixture()));
  const standbyProps = loanServiceFixtureProps(siteClusterFixture({ siteName: 'kitwe' }));
  const scope = testScope('test-kitwe-apps');
  const standby = new LoanService(scope, 'loan-service', { ...standbyProps, siteRole: 'disaster-recovery', sizing: { ...standbyProps.sizing, ...standbySizing } });
  const capacity = new FailoverCapacity(scope, 'failover-capacity', { primary, standby });
  return { capacity, errors: () => capacity.node.validate() };
}

describe('FailoverCapacity', () => {
  test('a DR site that runs the primary\'s replica count once promoted passes', () => {
    const { capacity, errors } = pair();
    expect([capacity.primaryReplicas, capacity.promotedReplicas]).toEqual([3, 3]);
    expect(errors()).toEqual([]);
    expect(pair({ replicas: 4, maxReplicas: 6 }).errors()).toEqual([]);
  });

  test('a DR site that would run fewer replicas than the primary once promoted fails validation', () => {
    expect(pair({ replicas: 2, standbyReplicas: 1 }).errors()).toEqual([
      'FailoverCapacity test-kitwe-apps/failover-capacity: loan-service replicas: 2 once promoted is below the primary\'s 3 (allowed: at least 3, so the disaster-recovery site carries the primary\'s load)',
    ]);
  });

  test('is a check, not a component: it renders nothing', () => {
    const { capacity } = pair();
    expect(capacity).toBeInstanceOf(Construct);
    expect(capacity.node.children).toEqual([]);
  });
});
