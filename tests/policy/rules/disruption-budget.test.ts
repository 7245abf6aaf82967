import { disruptionBudget as rule } from '../../../policy/rules/disruption-budget';
import { CONTEXT, POD_LABELS, SERVICE, autoscaler, compliant, disruptionBudget, nonCompliant, notApplicable, withField, workload } from '../fixtures';

const LABELS = 'spec.template.metadata.labels';
const allowed = (replicas: number) => `labels that a PodDisruptionBudget in namespace "lms-apps" selects (the workload runs ${replicas} replicas)`;
const replicated = (kind: 'Deployment' | 'StatefulSet' | 'ReplicaSet', replicas: unknown) => withField(workload(kind), 'spec.replicas', replicas);

describe('LMS-K8S-011 a PodDisruptionBudget for replicated workloads', () => {
  test.each(['Deployment', 'StatefulSet', 'ReplicaSet'] as const)('a %s with 3 replicas and a budget complies', (kind) => {
    expect(rule([replicated(kind, 3), disruptionBudget(), SERVICE], CONTEXT)).toEqual([compliant(kind), notApplicable('PodDisruptionBudget'), notApplicable('Service')]);
  });

  test.each(['Deployment', 'StatefulSet', 'ReplicaSet'] as const)('a %s with 3 replicas and no budget is a finding', (kind) => {
    expect(rule([replicated(kind, 3)], CONTEXT)).toEqual([nonCompliant(kind, LABELS, POD_LABELS, allowed(3))]);
  });

  test('one replica, or no replicas and no autoscaler, is not applicable; so are DaemonSets, Jobs, CronJobs and Pods', () => {
    expect(rule([workload('Deployment'), replicated('StatefulSet', 1), workload('DaemonSet'), workload('Job'), workload('CronJob'), workload('Pod')], CONTEXT)).toEqual(
      ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod'].map((kind) => notApplicable(kind)),
    );
  });

  test('an autoscaler with minReplicas above 1 makes a Deployment without replicas need a budget', () => {
    expect(rule([workload(), autoscaler(3)], CONTEXT)).toEqual([nonCompliant('Deployment', LABELS, POD_LABELS, allowed(3)), notApplicable('HorizontalPodAutoscaler')]);
    expect(rule([workload(), autoscaler(3), disruptionBudget()], CONTEXT)[0]).toEqual(compliant('Deployment'));
    expect(rule([workload(), autoscaler(1)], CONTEXT)[0]).toEqual(notApplicable('Deployment'));
    expect(rule([workload(), autoscaler(3, { kind: 'StatefulSet', name: 'app' })], CONTEXT)[0]).toEqual(notApplicable('Deployment'));
    expect(rule([workload(), autoscaler(3, undefined, 'lms-data')], CONTEXT)[0]).toEqual(notApplicable('Deployment'));
  });

  test('a budget in another namespace or selecting other pods does not count; an empty selector selects every pod', () => {
    expect(rule([replicated('Deployment', 2), disruptionBudget(undefined, 'lms-data')], CONTEXT)[0]).toEqual(nonCompliant('Deployment', LABELS, POD_LABELS, allowed(2)));
    expect(rule([replicated('Deployment', 2), disruptionBudget({ matchLabels: { app: 'other' } })], CONTEXT)[0]).toEqual(nonCompliant('Deployment', LABELS, POD_LABELS, allowed(2)));
    expect(rule([replicated('Deployment', 2), disruptionBudget(null)], CONTEXT)[0]).toEqual(nonCompliant('Deployment', LABELS, POD_LABELS, allowed(2)));
    expect(rule([replicated('Deployment', 2), disruptionBudget({})], CONTEXT)[0]).toEqual(compliant('Deployment'));
  });

  test('replicas or minReplicas it cannot read are findings', () => {
    expect(rule([replicated('Deployment', '3')], CONTEXT)).toEqual([nonCompliant('Deployment', 'spec.replicas', '3', 'a whole number, 0 or more')]);
    expect(rule([workload(), autoscaler('3')], CONTEXT)).toEqual([
      notApplicable('Deployment'),
      nonCompliant('HorizontalPodAutoscaler', 'spec.minReplicas', '3', 'a whole number above 0'),
    ]);
    expect(rule([withField(replicated('Deployment', 2), LABELS, 'app')], CONTEXT)).toEqual([nonCompliant('Deployment', LABELS, 'app', allowed(2))]);
  });
});
