/** A Zambian NRC number: six-digit serial, two-digit district, check digit (`123456/78/1`). */
const NRC_PATTERN = /^\d{6}(\/\d{2}\/\d)$/;

/**
 * An NRC with its serial hidden, for lists, search results and logs: `123456/78/1` ->
 * `******\/78/1`. Anything not shaped like an NRC keeps only its last four characters.
 */
export function maskNationalId(nationalId: string): string {
  const match = NRC_PATTERN.exec(nationalId);
  if (match !== null) return `******${match[1]}`;
  return `${'*'.repeat(Math.max(nationalId.length - 4, 0))}${nationalId.slice(-4)}`;
}
