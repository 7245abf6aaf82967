import { z } from 'zod';
import { NAMESPACE_ROLES, type NamespaceRole } from '../../constructs/namespaces';
import { positiveInt, strict } from './common';
import { cpuQuantity, memoryQuantity } from './resources';

/** The ResourceQuota of one baseline namespace. */
const namespaceQuota = strict({
  requestsCpu: cpuQuantity,
  requestsMemory: memoryQuantity,
  limitsCpu: cpuQuantity,
  limitsMemory: memoryQuantity,
  requestsStorage: memoryQuantity,
  persistentVolumeClaims: z.int().nonnegative(),
  pods: positiveInt,
});

/** LimitRange defaults for containers that state no requests or limits. */
const containerDefaults = strict({
  cpuRequest: cpuQuantity,
  memoryRequest: memoryQuantity,
  cpuLimit: cpuQuantity,
  memoryLimit: memoryQuantity,
});

/** How a site's baseline namespaces are sized. */
export const sizing = strict({
  /** ResourceQuota of each baseline namespace. */
  namespaces: strict(Object.fromEntries(NAMESPACE_ROLES.map((role) => [role, namespaceQuota])) as Record<NamespaceRole, typeof namespaceQuota>),
  /** LimitRange defaults for containers that state no requests or limits. */
  containerDefaults,
});
