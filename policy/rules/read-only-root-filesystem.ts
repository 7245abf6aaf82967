import { field } from '../objects';
import type { RuleCheck } from '../types';
import { evaluateContainers } from '../workloads';

/** Every container (and init container) sets `readOnlyRootFilesystem: true`; writable paths are volumes. */
export const readOnlyRootFilesystem: RuleCheck = (objects) =>
  evaluateContainers(objects, ({ path, container }) => {
    const readOnly = field(container.securityContext, 'readOnlyRootFilesystem');
    return readOnly === true ? [] : [{ path: `${path}.securityContext.readOnlyRootFilesystem`, value: readOnly, allowed: 'true' }];
  });
