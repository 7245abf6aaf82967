import { PlatformError, formatValue } from './platform-error';

/**
 * The one parser of the Kubernetes quantities the platform writes: CPU in whole millicores,
 * memory (and storage) in MiB. The environment schema validates its fields through
 * `parseCpuMillis` and `parseMemoryMiB`, so a quantity a construct would refuse is refused in
 * the environment file already, with its field path; constructs call `cpuMillis` and
 * `memoryMiB`, which throw.
 *
 * Accepted forms are a subset of what the API server takes, chosen so every value is exact:
 * CPU as cores (`"2"`, `"0.5"`) or millicores (`"500m"`), at least 1m and never a fraction of
 * a millicore; memory as a whole number of Mi, Gi or Ti.
 */

/** A parsed quantity, or why the text is not one (the bad value and what is allowed, no place). */
export type QuantityParse = { readonly value: number } | { readonly problem: string };

const CPU_FORMS = 'cores such as "2" or "0.5", or millicores such as "500m"';
const MEMORY_FORMS = 'a whole number with Mi, Gi or Ti, e.g. "512Mi", "4Gi"';

/** `"250m"` -> 250, `"1"` -> 1000, `"0.5"` -> 500; exact, with no floating-point rounding. */
export function parseCpuMillis(quantity: unknown): QuantityParse {
  const match = typeof quantity === 'string' ? /^(?:([0-9]+)m|([0-9]+)(?:\.([0-9]+))?)$/.exec(quantity) : null;
  if (!match) return { problem: `${formatValue(quantity)} is not a CPU quantity (allowed: ${CPU_FORMS})` };
  const [, millicores, cores, fraction = ''] = match;
  const digits = fraction.replace(/0+$/, '');
  const millis = millicores !== undefined ? Number(millicores) : digits.length > 3 ? Number.NaN : Number(cores) * 1000 + Number(digits.padEnd(3, '0'));
  if (!Number.isSafeInteger(millis) || millis <= 0) {
    return { problem: `${formatValue(quantity)} is not a whole number of millicores above 0 (allowed: e.g. "250m", "1")` };
  }
  return { value: millis };
}

const MEBIBYTES = { Mi: 1, Gi: 1024, Ti: 1024 * 1024 } as const;

/** `"256Mi"` -> 256, `"2Gi"` -> 2048, `"1Ti"` -> 1048576. */
export function parseMemoryMiB(quantity: unknown): QuantityParse {
  const match = typeof quantity === 'string' ? /^([1-9][0-9]*)(Mi|Gi|Ti)$/.exec(quantity) : null;
  const mebibytes = match ? Number(match[1]) * MEBIBYTES[match[2] as keyof typeof MEBIBYTES] : Number.NaN;
  if (!Number.isSafeInteger(mebibytes)) return { problem: `${formatValue(quantity)} is not a memory quantity (allowed: ${MEMORY_FORMS})` };
  return { value: mebibytes };
}

/** `"250m"` -> 250, `"1"` -> 1000, `"0.5"` -> 500; throws naming `where` for anything else. */
export function cpuMillis(quantity: string, where: string): number {
  return valueOrThrow(parseCpuMillis(quantity), where);
}

/** `"256Mi"` -> 256, `"2Gi"` -> 2048; throws naming `where` for anything else. */
export function memoryMiB(quantity: string, where: string): number {
  return valueOrThrow(parseMemoryMiB(quantity), where);
}

function valueOrThrow(parsed: QuantityParse, where: string): number {
  if ('problem' in parsed) throw new PlatformError(`${where}: ${parsed.problem}`);
  return parsed.value;
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

/**
 * A container's CPU and memory requests must not exceed its limits: the API server rejects
 * such a container.
 *
 * @param field where the figures are, e.g. `VaultCluster x: resources.server`
 * @throws PlatformError naming the field, the request and its limit
 */
export function checkRequestsWithinLimits(field: string, resources: { readonly cpuRequest: string; readonly cpuLimit: string; readonly memoryRequest: string; readonly memoryLimit: string }): void {
  const { cpuRequest, cpuLimit, memoryRequest, memoryLimit } = resources;
  if (cpuMillis(cpuRequest, `${field}.cpuRequest`) > cpuMillis(cpuLimit, `${field}.cpuLimit`)) {
    throw new PlatformError(`${field}.cpuRequest: ${formatValue(cpuRequest)} is above cpuLimit ${formatValue(cpuLimit)} (allowed: a request no larger than its limit)`);
  }
  if (memoryMiB(memoryRequest, `${field}.memoryRequest`) > memoryMiB(memoryLimit, `${field}.memoryLimit`)) {
    throw new PlatformError(`${field}.memoryRequest: ${formatValue(memoryRequest)} is above memoryLimit ${formatValue(memoryLimit)} (allowed: a request no larger than its limit)`);
  }
}
