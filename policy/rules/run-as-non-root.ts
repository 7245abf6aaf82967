import { field } from '../objects';
import type { RuleCheck, Violation } from '../types';
import { containerListProblems, evaluateWorkloads } from '../workloads';

/**
 * Every container (and init container) runs with `runAsNonRoot: true`, set on the container
 * or inherited from the pod; no `runAsUser: 0` anywhere. A `runAsUser` that is not a whole
 * number cannot be shown to be non-root.
 */
export const runAsNonRoot: RuleCheck = (objects) =>
  evaluateWorkloads(objects, (workload) => {
    const podContextPath = `${workload.podSpecPath}.securityContext`;
    const podContext = workload.podSpec.securityContext;
    const podNonRoot = field(podContext, 'runAsNonRoot');
    const violations: Violation[] = containerListProblems(workload);
    if (podNonRoot !== undefined && podNonRoot !== true) violations.push({ path: `${podContextPath}.runAsNonRoot`, value: podNonRoot, allowed: 'true' });
    violations.push(...nonRootUser(field(podContext, 'runAsUser'), `${podContextPath}.runAsUser`));
    for (const { path, container } of workload.containers) {
      const context = container.securityContext;
      const nonRoot = field(context, 'runAsNonRoot');
      // Unset on the container: the pod's value applies (reported above when it is wrong).
      if (nonRoot === undefined ? podNonRoot === undefined : nonRoot !== true) {
        violations.push({ path: `${path}.securityContext.runAsNonRoot`, value: nonRoot, allowed: 'true' });
      }
      violations.push(...nonRootUser(field(context, 'runAsUser'), `${path}.securityContext.runAsUser`));
    }
    return violations;
  });

function nonRootUser(user: unknown, path: string): Violation[] {
  if (user === undefined || (Number.isInteger(user) && (user as number) > 0)) return [];
  return [{ path, value: user, allowed: 'a whole number above 0 (0 is root)' }];
}
