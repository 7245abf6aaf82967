import { field, judge, notApplicable } from '../../objects';
import type { AuditCheck } from '../types';

/** The annotation that records why a namespace is not `restricted`. */
export const POD_SECURITY_REASON = 'lms.co.zm/pod-security-reason';

/**
 * Every namespace enforces the `restricted` Pod Security level, or records on itself
 * (`lms.co.zm/pod-security-reason`) why it enforces less; audit and warn stay `restricted`.
 */
export const restrictedNamespaces: AuditCheck = (plan) =>
  plan.stacks.flatMap((stack) =>
    stack.objects.flatMap(({ object, ref }) => {
      if (object.kind !== 'Namespace') return [notApplicable(ref)];
      const labels = field(object.metadata, 'labels');
      const level = (mode: string) => field(labels, `pod-security.kubernetes.io/${mode}`);
      const reason = field(field(object.metadata, 'annotations'), POD_SECURITY_REASON);
      const violations = [];
      if (level('enforce') !== 'restricted' && !(typeof reason === 'string' && reason.trim() !== '')) {
        violations.push({ path: 'metadata.labels.pod-security.kubernetes.io/enforce', value: level('enforce'), allowed: `"restricted", or another level with the reason in the ${POD_SECURITY_REASON} annotation` });
      }
      for (const mode of ['audit', 'warn']) if (level(mode) !== 'restricted') violations.push({ path: `metadata.labels.pod-security.kubernetes.io/${mode}`, value: level(mode), allowed: '"restricted"' });
      return judge(ref, violations);
    }),
  );
