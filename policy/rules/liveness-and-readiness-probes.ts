import { field, isRecord } from '../objects';
import type { RuleCheck, Violation } from '../types';
import { LONG_RUNNING_KINDS, evaluateContainers } from '../workloads';

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const ALLOWED = `a probe with one of ${HANDLERS.join(', ')}`;

/**
 * Every container of a long-running workload (Deployment, StatefulSet, DaemonSet) has a
 * liveness and a readiness probe, each with a handler. Init containers and the pods of Jobs,
 * CronJobs, ReplicaSets and bare Pods are not judged.
 */
export const livenessAndReadinessProbes: RuleCheck = (objects) =>
  evaluateContainers(
    objects,
    ({ path, container }) => {
      const violations: Violation[] = [];
      for (const probe of ['livenessProbe', 'readinessProbe'] as const) {
        const value = container[probe];
        if (!HANDLERS.some((handler) => isRecord(field(value, handler)))) violations.push({ path: `${path}.${probe}`, value, allowed: ALLOWED });
      }
      return violations;
    },
    { initContainers: false, kinds: LONG_RUNNING_KINDS },
  );
