import { PlatformError, formatValue } from './platform-error';

/** `"250m"` -> 250, `"1"` -> 1000, `"0.5"` -> 500. */
export function cpuMillis(quantity: string, where: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(m?)$/.exec(quantity);
  if (!match) throw new PlatformError(`${where}: ${formatValue(quantity)} is not a CPU quantity (allowed: cores such as "2" or "0.5", or millicores such as "500m")`);
  const millis = match[2] === 'm' ? Number(match[1]) : Number(match[1]) * 1000;
  if (!Number.isInteger(millis) || millis <= 0) {
    throw new PlatformError(`${where}: ${formatValue(quantity)} is not a whole number of millicores above 0 (allowed: e.g. "250m", "1")`);
  }
  return millis;
}

const MEBIBYTES = { Mi: 1, Gi: 1024, Ti: 1024 * 1024 } as const;

/** `"256Mi"` -> 256, `"2Gi"` -> 2048. */
export function memoryMiB(quantity: string, where: string): number {
  const match = /^([1-9][0-9]*)(Mi|Gi|Ti)$/.exec(quantity);
  if (!match) throw new PlatformError(`${where}: ${formatValue(quantity)} is not a memory quantity (allowed: a whole number with Mi, Gi or Ti, e.g. "512Mi", "4Gi")`);
  return Number(match[1]) * MEBIBYTES[match[2] as keyof typeof MEBIBYTES];
}

const QUANTITY = /^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+|[numkMGTPE])?$/;
const BINARY_EXPONENTS: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_EXPONENTS: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/**
 * Any Kubernetes quantity, as written in an object by anyone (`"1G"`, `"100M"`, `"1.5Gi"`,
 * `"2e3"`, `"250m"`, or a JSON number), in base units (cores, bytes), or `undefined` when it
 * is not a quantity. The result is the exact value correctly rounded to a double, so
 * comparisons between quantities (`"0.3"` and `"300m"`, `"1Gi"` and `"1073741824"`) keep their
 * order and equality.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */
export function parseQuantity(quantity: unknown): number | undefined {
  if (typeof quantity === 'number') return Number.isFinite(quantity) ? quantity : undefined;
  if (typeof quantity !== 'string') return undefined;
  const match = QUANTITY.exec(quantity);
  if (!match) return undefined;
  const [, sign = '', digits = '', suffix = ''] = match;
  const binary = BINARY_EXPONENTS[suffix];
  // Decimal scaling is done by the number parser itself ("300e-3"), which rounds the exact
  // value once; binary scaling by a power of two is exact.
  const exponent = binary === undefined ? (DECIMAL_EXPONENTS[suffix] ?? Number(suffix.slice(1))) : 0;
  const value = Number(`${sign}${digits}e${exponent}`) * 2 ** (binary ?? 0);
  return Number.isFinite(value) ? value : undefined;
}
