import { field, judge, namespaceOf, notApplicable, objectRef, selectorMatches, stringMap } from '../objects';
import type { KubeObject, RuleCheck, RuleResult, Violation } from '../types';
import { evaluateWorkloads, type Workload, type WorkloadKind } from '../workloads';

/** Kinds whose replica count is `spec.replicas` (default 1) and that an autoscaler can scale. */
const REPLICATED_KINDS: ReadonlySet<WorkloadKind> = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

/**
 * Every workload that runs more than one replica (`spec.replicas` > 1, or a
 * HorizontalPodAutoscaler targeting it with `minReplicas` > 1) has a PodDisruptionBudget in
 * its namespace selecting its pods. A workload without `replicas` and without an autoscaler
 * runs one. An autoscaler's `minReplicas` that is not a whole number above 0 is a finding on
 * the autoscaler.
 */
export const disruptionBudget: RuleCheck = (objects) => {
  const autoscalers = objects.filter((object) => object.kind === 'HorizontalPodAutoscaler');
  const budgets = objects.filter((object) => object.kind === 'PodDisruptionBudget');
  const judgeWorkload = (workload: Workload): readonly Violation[] | 'not-applicable' => {
    if (!REPLICATED_KINDS.has(workload.kind)) return 'not-applicable';
    const namespace = namespaceOf(workload.object);
    if (namespace === undefined) return [{ path: 'metadata.namespace', value: field(field(workload.object, 'metadata'), 'namespace'), allowed: 'a namespace, where its PodDisruptionBudget lives' }];
    const replicas = field(workload.object.spec, 'replicas') ?? 1;
    if (!Number.isInteger(replicas) || (replicas as number) < 0) return [{ path: 'spec.replicas', value: replicas, allowed: 'a whole number, 0 or more' }];
    const scaledBy = autoscalers.filter((autoscaler) => targets(autoscaler, workload.object, namespace));
    const minimum = Math.max(replicas as number, ...scaledBy.map((autoscaler) => minReplicasOf(autoscaler) ?? 1));
    if (minimum <= 1) return 'not-applicable';
    const labels = stringMap(workload.podLabels);
    const allowed = `labels that a PodDisruptionBudget in namespace "${namespace}" selects (the workload runs ${minimum} replicas)`;
    if (labels === undefined) return [{ path: workload.podLabelsPath, value: workload.podLabels, allowed }];
    const covered = budgets.some((budget) => namespaceOf(budget) === namespace && selectorMatches(field(field(budget, 'spec'), 'selector'), labels));
    return covered ? [] : [{ path: workload.podLabelsPath, value: labels, allowed }];
  };
  return objects.flatMap((object) => (object.kind === 'HorizontalPodAutoscaler' ? autoscalerResult(object) : evaluateWorkloads([object], judgeWorkload)));
};

function targets(autoscaler: KubeObject, workload: KubeObject, namespace: string): boolean {
  const target = field(field(autoscaler, 'spec'), 'scaleTargetRef');
  return namespaceOf(autoscaler) === namespace && field(target, 'kind') === workload.kind && field(target, 'name') === workload.metadata.name;
}

/** `minReplicas` (default 1), or `undefined` when it is not a whole number above 0. */
function minReplicasOf(autoscaler: KubeObject): number | undefined {
  const minReplicas = field(field(autoscaler, 'spec'), 'minReplicas') ?? 1;
  return Number.isInteger(minReplicas) && (minReplicas as number) > 0 ? (minReplicas as number) : undefined;
}

function autoscalerResult(autoscaler: KubeObject): RuleResult[] {
  const ref = objectRef(autoscaler);
  if (minReplicasOf(autoscaler) !== undefined) return [notApplicable(ref)];
  const violation: Violation = { path: 'spec.minReplicas', value: field(field(autoscaler, 'spec'), 'minReplicas'), allowed: 'a whole number above 0' };
  return judge(ref, [violation]);
}
