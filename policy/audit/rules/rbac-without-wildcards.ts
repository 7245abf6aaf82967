import { field, judge, notApplicable } from '../../objects';
import type { Violation } from '../../types';
import type { AuditCheck } from '../types';

/**
 * RBAC names what it grants: no Role or ClusterRole rule with `*` in apiGroups, resources,
 * verbs or resourceNames, and no Vault policy granting a glob path (`*`, `kv/*`) or `sudo`.
 */
export const rbacWithoutWildcards: AuditCheck = (plan) =>
  plan.stacks.flatMap((stack) => [
    ...stack.objects.flatMap(({ object, ref }) => {
      if (object.kind !== 'Role' && object.kind !== 'ClusterRole') return [notApplicable(ref)];
      const rules = field(object, 'rules');
      const violations: Violation[] = [];
      (Array.isArray(rules) ? rules : []).forEach((rule, index) => {
        for (const key of ['apiGroups', 'resources', 'verbs', 'resourceNames']) {
          const values = field(rule, key);
          if (Array.isArray(values) && values.some((value) => typeof value === 'string' && value.includes('*'))) violations.push({ path: `rules[${index}].${key}`, value: values, allowed: 'named groups, resources and verbs, no "*"' });
        }
      });
      if (field(object, 'aggregationRule') !== undefined) violations.push({ path: 'aggregationRule', value: field(object, 'aggregationRule'), allowed: 'rules listed on the role itself' });
      return judge(ref, violations);
    }),
    ...stack.vaultPolicies.flatMap((policy) =>
      judge(
        policy.ref,
        policy.paths.flatMap((rule, index) => [
          ...(/^[^/]*\*$|^[^/]+\/\*$|^\+/.test(rule.path) ? [{ path: `policy.path[${index}]`, value: rule.path, allowed: 'a path below the mount and environment (e.g. kv/data/<env>/<secret>)' }] : []),
          ...(rule.capabilities.includes('sudo') ? [{ path: `policy.path[${index}].capabilities`, value: rule.capabilities, allowed: 'capabilities without sudo' }] : []),
        ]),
      ),
    ),
  ]);
