import { field } from '../objects';
import type { RuleCheck, Violation } from '../types';
import { evaluateContainers } from '../workloads';

/**
 * Every container (and init container) sets `allowPrivilegeEscalation: false` (the default
 * is to allow it) and is not `privileged`.
 */
export const noPrivilegeEscalation: RuleCheck = (objects) =>
  evaluateContainers(objects, ({ path, container }) => {
    const context = container.securityContext;
    const escalation = field(context, 'allowPrivilegeEscalation');
    const privileged = field(context, 'privileged');
    const violations: Violation[] = [];
    if (escalation !== false) violations.push({ path: `${path}.securityContext.allowPrivilegeEscalation`, value: escalation, allowed: 'false' });
    if (privileged !== undefined && privileged !== false) violations.push({ path: `${path}.securityContext.privileged`, value: privileged, allowed: 'false or unset' });
    return violations;
  });
