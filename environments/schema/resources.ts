import { z } from 'zod';
import { parseCpuMillis, parseMemoryMiB, type QuantityParse } from '../../constructs/quantities';

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
