import { z } from 'zod';

/** Kubernetes resource quantities as the environments write them. */

export const cpuQuantity = z.string().regex(/^([1-9][0-9]*m|[0-9]+(\.[0-9]+)?)$/, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a CPU quantity (allowed: cores such as "2" or "0.5", or millicores such as "500m")`,
});

export const memoryQuantity = z.string().regex(/^[1-9][0-9]*(Mi|Gi|Ti)$/, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a memory quantity (allowed: a whole number with Mi, Gi or Ti, e.g. "512Mi", "4Gi")`,
});
