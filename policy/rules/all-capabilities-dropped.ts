import { field } from '../objects';
import type { RuleCheck } from '../types';
import { evaluateContainers } from '../workloads';

/** Every container (and init container) drops every Linux capability: `capabilities.drop` contains `ALL`. */
export const allCapabilitiesDropped: RuleCheck = (objects) =>
  evaluateContainers(objects, ({ path, container }) => {
    const drop = field(field(container.securityContext, 'capabilities'), 'drop');
    return Array.isArray(drop) && drop.includes('ALL') ? [] : [{ path: `${path}.securityContext.capabilities.drop`, value: drop, allowed: 'a list containing "ALL"' }];
  });
