import { dueDate, isIsoDate } from '../../src/money/due-dates';

describe('dueDate', () => {
  it('clamps monthly dates to the end of short months without drifting', () => {
    expect([1, 2, 3].map((n) => dueDate('2026-01-31', 'monthly', n))).toEqual(['2026-02-28', '2026-03-31', '2026-04-30']);
    expect(dueDate('2027-12-31', 'monthly', 2)).toBe('2028-02-29');
  });

  it('adds whole weeks and fortnights', () => {
    expect(dueDate('2026-12-28', 'weekly', 1)).toBe('2027-01-04');
    expect(dueDate('2026-01-01', 'fortnightly', 2)).toBe('2026-01-29');
  });

  it('rejects a malformed start date', () => {
    expect(() => dueDate('15/01/2026', 'weekly', 1)).toThrow('startDate "15/01/2026" is not a YYYY-MM-DD date');
  });
});

describe('isIsoDate', () => {
  it.each([
    ['2026-02-28', true],
    ['2026-02-30', false],
    ['2026-2-1', false],
  ])('%s -> %p', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });
});
