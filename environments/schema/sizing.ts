import { z } from 'zod';
import { NAMESPACE_ROLES, type NamespaceRole } from '../../constructs/namespaces';
import { RUN_ALWAYS, positiveInt, strict } from './common';
import { cpuQuantity, memoryQuantity, requestsWithinLimits } from './resources';

/** The ResourceQuota of one baseline namespace. */
const namespaceQuota = strict({
  requestsCpu: cpuQuantity,
  requestsMemory: memoryQuantity,
  limitsCpu: cpuQuantity,
  limitsMemory: memoryQuantity,
  requestsStorage: memoryQuantity,
  persistentVolumeClaims: z.int().nonnegative(),
  pods: positiveInt,
}).superRefine(
  requestsWithinLimits(
    [
      ['requestsCpu', 'limitsCpu', 'cpu'],
      ['requestsMemory', 'limitsMemory', 'memory'],
    ],
    "every container's request is at most its limit, so requests above the limits quota can never be used",
  ),
  RUN_ALWAYS,
);

/** LimitRange defaults for containers that state no requests or limits. */
const containerDefaults = strict({
  cpuRequest: cpuQuantity,
  memoryRequest: memoryQuantity,
  cpuLimit: cpuQuantity,
  memoryLimit: memoryQuantity,
}).superRefine(
  requestsWithinLimits(
    [
      ['cpuRequest', 'cpuLimit', 'cpu'],
      ['memoryRequest', 'memoryLimit', 'memory'],
    ],
    'Kubernetes rejects a LimitRange whose default request exceeds its default limit',
  ),
  RUN_ALWAYS,
);

/** How a site's baseline namespaces are sized. */
export const sizing = strict({
  /** ResourceQuota of each baseline namespace. */
  namespaces: strict(Object.fromEntries(NAMESPACE_ROLES.map((role) => [role, namespaceQuota])) as Record<NamespaceRole, typeof namespaceQuota>),
  /** LimitRange defaults for containers that state no requests or limits. */
  containerDefaults,
});
