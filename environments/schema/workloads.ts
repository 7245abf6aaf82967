import { RUN_ALWAYS, parsedFields, positiveInt, strict } from './common';
import { cpuQuantity, memoryQuantity, requestsWithinLimits } from './resources';

/**
 * Replicas and resources of one of the platform's own workloads at a site. A component with
 * more to say adds its own schema file and one line in the site's `workloads`.
 */
export const workloadSizing = strict({
  /** Replicas while the site is primary; at least 2 in production (availability 99.9 %). */
  replicas: positiveInt,
  /** Replicas while the site is the disaster-recovery warm standby. */
  standbyReplicas: positiveInt,
  /** Upper bound for the HorizontalPodAutoscaler. */
  maxReplicas: positiveInt,
  cpuRequest: cpuQuantity,
  memoryRequest: memoryQuantity,
  cpuLimit: cpuQuantity,
  memoryLimit: memoryQuantity,
}).superRefine((sizing, ctx) => {
  const parsed = parsedFields(ctx);
  if (parsed(['standbyReplicas'], ['replicas']) && sizing.standbyReplicas > sizing.replicas) {
    ctx.addIssue({ code: 'custom', path: ['standbyReplicas'], message: `${sizing.standbyReplicas} is above replicas ${sizing.replicas} (allowed: at most replicas)` });
  }
  if (parsed(['maxReplicas'], ['replicas']) && sizing.maxReplicas < sizing.replicas) {
    ctx.addIssue({ code: 'custom', path: ['maxReplicas'], message: `${sizing.maxReplicas} is below replicas ${sizing.replicas} (allowed: at least replicas)` });
  }
}, RUN_ALWAYS).superRefine(
  requestsWithinLimits(
    [
      ['cpuRequest', 'cpuLimit', 'cpu'],
      ['memoryRequest', 'memoryLimit', 'memory'],
    ],
    'Kubernetes rejects a container whose request exceeds its limit',
  ),
  RUN_ALWAYS,
);
