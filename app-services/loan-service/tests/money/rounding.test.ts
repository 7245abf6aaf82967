import { divideHalfUp } from '../../src/money/rounding';

describe('divideHalfUp', () => {
  it.each([
    [5n, 2n, 3n],
    [4n, 3n, 1n],
    [5n, 3n, 2n],
    [7n, 2n, 4n],
    [6n, 3n, 2n],
    [0n, 7n, 0n],
    [-5n, 2n, -3n],
    [-4n, 3n, -1n],
  ])('%p / %p = %p', (numerator, denominator, expected) => {
    expect(divideHalfUp(numerator, denominator)).toBe(expected);
  });

  it('refuses a zero denominator', () => {
    expect(() => divideHalfUp(1n, 0n)).toThrow('divideHalfUp: denominator must not be zero');
  });
});
