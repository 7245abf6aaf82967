import { maskNationalId } from '../../src/domain/national-id';

describe('maskNationalId', () => {
  it('hides the six-digit serial of an NRC and keeps district and check digit', () => {
    expect(maskNationalId('123456/78/1')).toBe('******/78/1');
  });

  it('keeps only the last four characters of anything else', () => {
    expect(maskNationalId('ZM1234567')).toBe('*****4567');
    expect(maskNationalId('abc')).toBe('abc');
  });
});
