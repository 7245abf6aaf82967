import { parseQuantity } from '../../constructs/quantities';

describe('parseQuantity', () => {
  test.each([
    ['1G', 1e9],
    ['100M', 1e8],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['2e3', 2000],
    ['2E+3', 2000],
    ['1e-3', 0.001],
    ['250m', 0.25],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['5.', 5],
    ['1Ki', 1024],
    ['512Mi', 512 * 2 ** 20],
    ['1Ti', 2 ** 40],
    ['1E', 1e18],
    ['3k', 3000],
    ['100u', 0.0001],
    ['5n', 5e-9],
    ['+2', 2],
    ['-1', -1],
    [4, 4],
    [0.3, 0.3],
  ])('%j is %d', (quantity, value) => {
    expect(parseQuantity(quantity)).toBe(value);
  });

  test.each([['1 Gi'], ['1gi'], ['1mi'], ['Mi'], ['.'], [''], ['1.5.5'], ['1KiB'], ['512MB'], ['1e400'], ['0x10'], [Number.NaN], [Number.POSITIVE_INFINITY], [null], [undefined], [true], [{}]])(
    '%j is not a quantity',
    (quantity) => {
      expect(parseQuantity(quantity)).toBeUndefined();
    },
  );

  test('equal quantities written differently compare equal; order is kept across suffixes', () => {
    expect(parseQuantity('0.3')).toBe(parseQuantity('300m'));
    expect(parseQuantity('0.1')).toBe(parseQuantity('100m'));
    expect(parseQuantity('1Gi')).toBe(parseQuantity('1073741824'));
    expect(parseQuantity('1500M')).toBe(parseQuantity('1.5G'));
    expect(parseQuantity('1Gi')! > parseQuantity('1G')!).toBe(true);
    expect(parseQuantity('999m')! < parseQuantity('1')!).toBe(true);
  });
});
