import { judge } from '../../objects';
import { byImageSubject, imagesOf, registryOf } from '../facts';
import type { AuditCheck } from '../types';

/** Every image the plan names (workloads, custom resources, Helm values) comes from an approved in-country registry. */
export const inCountryImages: AuditCheck = (plan, context) =>
  byImageSubject(imagesOf(plan), (use) => {
    const host = registryOf(use.image);
    return host !== undefined && context.approvedRegistries.includes(host) ? [] : [{ path: use.path, value: use.image, allowed: `an image from ${context.approvedRegistries.join(', ') || '(no registry is approved)'}` }];
  }).flatMap(([subject, violations]) => judge(subject, violations));
