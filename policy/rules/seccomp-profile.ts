import { field } from '../objects';
import type { RuleCheck, Violation } from '../types';
import { containerListProblems, evaluateWorkloads } from '../workloads';

const ALLOWED_TYPES: readonly unknown[] = ['RuntimeDefault', 'Localhost'];
const ALLOWED = '"RuntimeDefault" or "Localhost"';

/**
 * Every container (and init container) runs under a seccomp profile of type `RuntimeDefault`
 * or `Localhost`, set on the container or inherited from the pod.
 */
export const seccompProfile: RuleCheck = (objects) =>
  evaluateWorkloads(objects, (workload) => {
    const podType = field(field(workload.podSpec.securityContext, 'seccompProfile'), 'type');
    const violations: Violation[] = containerListProblems(workload);
    if (podType !== undefined && !ALLOWED_TYPES.includes(podType)) {
      violations.push({ path: `${workload.podSpecPath}.securityContext.seccompProfile.type`, value: podType, allowed: ALLOWED });
    }
    for (const { path, container } of workload.containers) {
      const type = field(field(container.securityContext, 'seccompProfile'), 'type');
      // Unset on the container: the pod's profile applies (reported above when it is wrong).
      if (type === undefined ? podType === undefined : !ALLOWED_TYPES.includes(type)) {
        violations.push({ path: `${path}.securityContext.seccompProfile.type`, value: type, allowed: ALLOWED });
      }
    }
    return violations;
  });
