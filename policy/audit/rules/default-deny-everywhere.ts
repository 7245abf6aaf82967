import { field, isEmptySelector, judge, notApplicable } from '../../objects';
import type { KubeObject } from '../../types';
import type { AuditCheck } from '../types';

/** A NetworkPolicy that selects every pod and allows nothing, in and out. */
export function isDefaultDeny(policy: KubeObject): boolean {
  const types = field(policy.spec, 'policyTypes');
  const ingress = field(policy.spec, 'ingress');
  const egress = field(policy.spec, 'egress');
  return (
    isEmptySelector(field(policy.spec, 'podSelector')) &&
    Array.isArray(types) &&
    types.includes('Ingress') &&
    types.includes('Egress') &&
    (ingress === undefined || (Array.isArray(ingress) && ingress.length === 0)) &&
    (egress === undefined || (Array.isArray(egress) && egress.length === 0))
  );
}

/** Every namespace the plan creates has, at the same site, a default-deny NetworkPolicy for ingress and egress. */
export const defaultDenyEverywhere: AuditCheck = (plan) =>
  plan.stacks.flatMap((stack) =>
    stack.objects.flatMap(({ object, ref }) => {
      if (object.kind !== 'Namespace') return [notApplicable(ref)];
      const denies = plan.stacks
        .filter((other) => other.site === stack.site)
        .flatMap((other) => other.objects)
        .some(({ object: policy }) => policy.kind === 'NetworkPolicy' && policy.metadata.namespace === object.metadata.name && isDefaultDeny(policy));
      return judge(ref, denies ? [] : [{ path: 'NetworkPolicy', value: undefined, allowed: `a NetworkPolicy in ${object.metadata.name} with podSelector {}, policyTypes [Ingress, Egress] and no rules` }]);
    }),
  );
