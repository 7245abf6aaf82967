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
