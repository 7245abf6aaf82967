import { ownNetworkPolicy as rule } from '../../../policy/rules/own-network-policy';
import { CONTEXT, POD_LABELS, REMOVED, SERVICE, WORKLOAD_KINDS, compliant, defaultDeny, nonCompliant, notApplicable, ownNetworkPolicy, withField, workload } from '../fixtures';

const LABELS = 'spec.template.metadata.labels';
const ALLOWED = 'labels that a NetworkPolicy in namespace "lms-apps" selects with a non-empty podSelector';

describe('LMS-K8S-010 a NetworkPolicy of its own', () => {
  test.each(WORKLOAD_KINDS)('a %s selected by its own policy complies; the policies and a Service are not applicable', (kind) => {
    expect(rule([workload(kind), defaultDeny(), ownNetworkPolicy(), SERVICE], CONTEXT)).toEqual([
      compliant(kind),
      notApplicable('NetworkPolicy', 'default-deny'),
      notApplicable('NetworkPolicy'),
      notApplicable('Service'),
    ]);
  });

  test('the namespace default deny (podSelector {}) does not count', () => {
    expect(rule([workload(), defaultDeny()], CONTEXT)).toEqual([nonCompliant('Deployment', LABELS, POD_LABELS, ALLOWED), notApplicable('NetworkPolicy', 'default-deny')]);
    expect(rule([workload(), ownNetworkPolicy({ matchLabels: {}, matchExpressions: [] })], CONTEXT)[0]).toEqual(nonCompliant('Deployment', LABELS, POD_LABELS, ALLOWED));
  });

  test('a policy in another namespace, or selecting other pods, does not count', () => {
    expect(rule([workload(), ownNetworkPolicy(undefined, 'lms-data')], CONTEXT)[0]).toEqual(nonCompliant('Deployment', LABELS, POD_LABELS, ALLOWED));
    expect(rule([workload(), ownNetworkPolicy({ matchLabels: { 'app.kubernetes.io/name': 'other' } })], CONTEXT)[0]).toEqual(
      nonCompliant('Deployment', LABELS, POD_LABELS, ALLOWED),
    );
    expect(rule([workload(), ownNetworkPolicy({ matchLabels: { ...POD_LABELS, tier: 'web' } })], CONTEXT)[0]).toEqual(nonCompliant('Deployment', LABELS, POD_LABELS, ALLOWED));
  });

  test.each([
    [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['app', 'other'] }, true],
    [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['other'] }, false],
    [{ key: 'app.kubernetes.io/name', operator: 'NotIn', values: ['other'] }, true],
    [{ key: 'app.kubernetes.io/name', operator: 'NotIn', values: ['app'] }, false],
    [{ key: 'app.kubernetes.io/name', operator: 'Exists' }, true],
    [{ key: 'tier', operator: 'Exists' }, false],
    [{ key: 'tier', operator: 'DoesNotExist' }, true],
    [{ key: 'app.kubernetes.io/name', operator: 'DoesNotExist' }, false],
    [{ key: 'app.kubernetes.io/name', operator: 'Matches', values: ['app'] }, false],
    [{ key: 'app.kubernetes.io/name', operator: 'In', values: 'app' }, false],
  ])('matchExpressions %j selects the pods: %s', (expression, selects) => {
    expect(rule([workload(), ownNetworkPolicy({ matchExpressions: [expression] })], CONTEXT)[0]).toEqual(
      selects ? compliant('Deployment') : nonCompliant('Deployment', LABELS, POD_LABELS, ALLOWED),
    );
  });

  test('a bare Pod is judged by its own labels; a CronJob by its job template\'s', () => {
    expect(rule([workload('Pod')], CONTEXT)).toEqual([nonCompliant('Pod', 'metadata.labels', POD_LABELS, ALLOWED)]);
    expect(rule([workload('CronJob')], CONTEXT)).toEqual([nonCompliant('CronJob', `spec.jobTemplate.${LABELS}`, POD_LABELS, ALLOWED)]);
  });

  test('no namespace, or labels it cannot read, is a finding', () => {
    expect(rule([withField(workload(), 'metadata.namespace', REMOVED), ownNetworkPolicy()], CONTEXT)[0]).toEqual({
      ...nonCompliant('Deployment', 'metadata.namespace', undefined, 'a namespace, where its NetworkPolicy lives'),
      object: { kind: 'Deployment', namespace: '', name: 'app' },
    });
    expect(rule([withField(workload(), LABELS, REMOVED), ownNetworkPolicy()], CONTEXT)[0]).toEqual(nonCompliant('Deployment', LABELS, undefined, ALLOWED));
    expect(rule([withField(workload(), `${LABELS}.version`, 2), ownNetworkPolicy()], CONTEXT)[0]).toEqual(
      nonCompliant('Deployment', LABELS, { ...POD_LABELS, version: 2 }, ALLOWED),
    );
  });
});
