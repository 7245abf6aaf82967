import { allowedStartDates, assertStartDateAllowed } from '../../src/domain/start-date-window';

describe('allowedStartDates', () => {
  it('runs from 7 days before the UTC day to the same day a year later', () => {
    expect(allowedStartDates(new Date('2026-01-15T23:59:59.999Z'))).toEqual({ earliest: '2026-01-08', latest: '2027-01-15' });
    expect(allowedStartDates(new Date('2026-03-03T00:00:00.000Z'))).toEqual({ earliest: '2026-02-24', latest: '2027-03-03' });
  });

  it('moves a leap day a year on to 1 March', () => {
    expect(allowedStartDates(new Date('2028-02-29T12:00:00.000Z'))).toEqual({ earliest: '2028-02-22', latest: '2029-03-01' });
  });

  it('names the range when refusing', () => {
    expect(() => assertStartDateAllowed('2029-03-02', new Date('2028-02-29T12:00:00.000Z'))).toThrow(
      'startDate 2029-03-02 is outside the allowed range (allowed: 2028-02-22 to 2029-03-01, that is from 7 days before today to one year after today, UTC)',
    );
  });
});
