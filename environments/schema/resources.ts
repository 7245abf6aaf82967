import { z } from 'zod';
import { parseCpuMillis, parseMemoryMiB, type QuantityParse } from '../../constructs/quantities';
import { parsedFields } from './common';

/**
 * Kubernetes resource quantities as the environments write them, validated by the same parser
 * the constructs use (`constructs/quantities.ts`), so what passes here never fails there.
 * The parsed value stays the text the file wrote; rules compare through `cpuMillisOf` and
 * `memoryMiBOf`.
 */

function quantity(parse: (text: unknown) => QuantityParse) {
  // A value that is not a string is never a quantity, so the parser words that message too.
  const problem = (input: unknown): string | undefined => {
    const parsed = parse(input);
    return 'problem' in parsed ? parsed.problem : undefined;
  };
  return z.string({ error: (issue) => problem(issue.input) }).superRefine((text, ctx) => {
    const parsed = parse(text);
    if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: parsed.problem });
  });
}

/** `"2"`, `"0.5"`, `"500m"`: whole millicores above 0. */
export const cpuQuantity = quantity(parseCpuMillis);

/** `"512Mi"`, `"4Gi"`, `"1Ti"`: a whole number of Mi, Gi or Ti. */
export const memoryQuantity = quantity(parseMemoryMiB);

/** Millicores of a `cpuQuantity` that parsed. */
export function cpuMillisOf(text: string): number {
  return valueOf(parseCpuMillis(text));
}

/** MiB of a `memoryQuantity` that parsed. */
export function memoryMiBOf(text: string): number {
  return valueOf(parseMemoryMiB(text));
}

function valueOf(parsed: QuantityParse): number {
  // Only called on fields the schema has already accepted.
  if ('problem' in parsed) throw new Error(`internal: ${parsed.problem}`);
  return parsed.value;
}

/** A request field, the limit field it may not exceed, and whether both are CPU or memory. */
export type RequestAndLimit<K extends string> = readonly [request: K, limit: K, resource: 'cpu' | 'memory'];

/**
 * A rule for an object holding requests and limits: each request at most its limit, checked
 * only where both fields parsed. `reason` says why (what Kubernetes does otherwise).
 */
export function requestsWithinLimits<K extends string>(pairs: readonly RequestAndLimit<K>[], reason: string) {
  return (value: Record<K, string>, ctx: z.core.$RefinementCtx<unknown>): void => {
    const parsed = parsedFields(ctx);
    for (const [request, limit, resource] of pairs) {
      if (!parsed([request], [limit])) continue;
      const amount = resource === 'cpu' ? cpuMillisOf : memoryMiBOf;
      if (amount(value[request]) > amount(value[limit])) {
        ctx.addIssue({
          code: 'custom',
          path: [request],
          message: `${JSON.stringify(value[request])} is above ${limit} ${JSON.stringify(value[limit])} (allowed: at most the limit; ${reason})`,
        });
      }
    }
  };
}
