import { field, isEmptySelector, namespaceOf, selectorMatches, stringMap } from '../objects';
import type { KubeObject, RuleCheck } from '../types';
import { evaluateWorkloads } from '../workloads';

/**
 * Every workload's pods are selected by a NetworkPolicy of their own: one in the same
 * namespace whose `podSelector` is not empty and matches the pod template's labels. The
 * namespace-wide policies of the baseline (`podSelector: {}`, default deny and DNS) do not count.
 */
export const ownNetworkPolicy: RuleCheck = (objects) => {
  const policies = objects.filter((object) => object.kind === 'NetworkPolicy');
  return evaluateWorkloads(objects, (workload) => {
    const namespace = namespaceOf(workload.object);
    if (namespace === undefined) return [{ path: 'metadata.namespace', value: field(field(workload.object, 'metadata'), 'namespace'), allowed: 'a namespace, where its NetworkPolicy lives' }];
    const labels = stringMap(workload.podLabels);
    const allowed = `labels that a NetworkPolicy in namespace "${namespace}" selects with a non-empty podSelector`;
    if (labels === undefined || Object.keys(labels).length === 0) return [{ path: workload.podLabelsPath, value: workload.podLabels, allowed }];
    const selected = policies.some((policy) => namespaceOf(policy) === namespace && selectsOwnPods(policy, labels));
    return selected ? [] : [{ path: workload.podLabelsPath, value: labels, allowed }];
  });
};

function selectsOwnPods(policy: KubeObject, labels: Readonly<Record<string, string>>): boolean {
  const selector = field(field(policy, 'spec'), 'podSelector');
  return !isEmptySelector(selector) && selectorMatches(selector, labels);
}
