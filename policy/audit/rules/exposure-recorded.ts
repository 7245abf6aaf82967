import { field, isRecord, judge, notApplicable } from '../../objects';
import type { Violation } from '../../types';
import type { AuditCheck } from '../types';

/** The annotation on a Service that records why it is reachable from outside the cluster. */
export const EXPOSURE_REASON = 'lms.co.zm/exposure-reason';

const EXPOSED_TYPES = ['NodePort', 'LoadBalancer'];

/**
 * No NodePort or LoadBalancer Service without a recorded reason: a Service of those types
 * carries the `lms.co.zm/exposure-reason` annotation, or an audit suppression records why;
 * a Helm release whose values set a Service type to one of them is a finding the same way.
 */
export const exposureRecorded: AuditCheck = (plan) =>
  plan.stacks.flatMap((stack) => [
    ...stack.objects.flatMap(({ object, ref }) => {
      if (object.kind !== 'Service') return [notApplicable(ref)];
      const type = field(object.spec, 'type');
      const reason = field(field(object.metadata, 'annotations'), EXPOSURE_REASON);
      const exposed = typeof type === 'string' && EXPOSED_TYPES.includes(type);
      return judge(ref, exposed && !(typeof reason === 'string' && reason.trim() !== '') ? [{ path: 'spec.type', value: type, allowed: `ClusterIP, or ${EXPOSED_TYPES.join('/')} with the reason in the ${EXPOSURE_REASON} annotation or an audit suppression` }] : []);
    }),
    ...stack.releases.flatMap((release) => judge(release.ref, exposedServiceValues(release.values, 'values'))),
  ]);

function exposedServiceValues(value: unknown, path: string): Violation[] {
  if (Array.isArray(value)) return value.flatMap((entry, index) => exposedServiceValues(entry, `${path}[${index}]`));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const childPath = `${path}.${key}`;
    if (key === 'type' && typeof child === 'string' && EXPOSED_TYPES.includes(child) && /service/i.test(path)) {
      return [{ path: childPath, value: child, allowed: `ClusterIP, or ${EXPOSED_TYPES.join('/')} with an audit suppression recording why` }];
    }
    return exposedServiceValues(child, childPath);
  });
}
