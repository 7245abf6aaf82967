import { parseQuantity } from '../../constructs/quantities';
import { formatValue } from '../../constructs/platform-error';
import { field } from '../objects';
import type { RuleCheck, Violation } from '../types';
import { evaluateContainers } from '../workloads';

const RESOURCES = [
  { name: 'cpu', example: '"250m" or "1"' },
  { name: 'memory', example: '"256Mi" or "1Gi"' },
] as const;

/**
 * Every container (and init container) states CPU and memory requests and limits, each a
 * Kubernetes quantity above 0, and no request above its limit.
 */
export const resourceRequestsAndLimits: RuleCheck = (objects) =>
  evaluateContainers(objects, ({ path, container }) => {
    const requests = field(container.resources, 'requests');
    const limits = field(container.resources, 'limits');
    const violations: Violation[] = [];
    for (const { name, example } of RESOURCES) {
      const allowed = `a ${name} quantity above 0, e.g. ${example}`;
      const request = field(requests, name);
      const limit = field(limits, name);
      const requestValue = parseQuantity(request);
      const limitValue = parseQuantity(limit);
      const requestOk = requestValue !== undefined && requestValue > 0;
      const limitOk = limitValue !== undefined && limitValue > 0;
      if (!requestOk) violations.push({ path: `${path}.resources.requests.${name}`, value: request, allowed });
      if (!limitOk) violations.push({ path: `${path}.resources.limits.${name}`, value: limit, allowed });
      if (requestOk && limitOk && requestValue > limitValue) {
        violations.push({ path: `${path}.resources.requests.${name}`, value: request, allowed: `at most the limit ${formatValue(limit)}` });
      }
    }
    return violations;
  });
