/**
 * Integer division rounding half away from zero ("half-up" for the non-negative amounts the
 * service handles): 5/2 -> 3, 4/3 -> 1, -5/2 -> -3. All money in the service is integer ngwee
 * (1 ZMW = 100 ngwee) held as bigint, so this is the only place rounding happens.
 *
 * @throws RangeError when the denominator is zero.
 */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('divideHalfUp: denominator must not be zero');
  const negative = numerator < 0n !== denominator < 0n;
  const absoluteNumerator = numerator < 0n ? -numerator : numerator;
  const absoluteDenominator = denominator < 0n ? -denominator : denominator;
  const quotient = (2n * absoluteNumerator + absoluteDenominator) / (2n * absoluteDenominator);
  return negative ? -quotient : quotient;
}
