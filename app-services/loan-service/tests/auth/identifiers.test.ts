import { MAX_IDENTIFIER_LENGTH, normaliseIdentifier } from '../../src/auth/identifiers';
import { UnauthenticatedError } from '../../src/domain/domain-errors';

const ALLOWED = `allowed: 1 to ${MAX_IDENTIFIER_LENGTH} characters without whitespace or control characters, compared in lower case`;

describe('normaliseIdentifier', () => {
  it.each([
    ['Carol', 'carol'],
    ['CAROL', 'carol'],
    ['carol@lms.co.zm', 'carol@lms.co.zm'],
    // "é" written as e + combining acute accent becomes the precomposed character (NFC).
    ['E\u0301lodie', '\u00e9lodie'],
    ['\u00c9LODIE', '\u00e9lodie'],
  ])('%j -> %j', (raw, expected) => {
    expect(normaliseIdentifier(raw, 'header x-authenticated-user', 'user id')).toBe(expected);
  });

  it.each([
    ['carol '],
    [' carol'],
    ['car ol'],
    ['carol\t'],
    ['carol\u00a0'],
    ['carol\u200b'],
    ['carol\u0000'],
    ['carol\u2028'],
    [''],
    ['c'.repeat(MAX_IDENTIFIER_LENGTH + 1)],
  ])('refuses %j', (raw) => {
    expect(() => normaliseIdentifier(raw, 'claim "sub"', 'user id')).toThrow(
      new UnauthenticatedError(`claim "sub": ${JSON.stringify(raw)} is not a valid user id (${ALLOWED})`),
    );
  });

  it('accepts the longest allowed identifier', () => {
    expect(normaliseIdentifier('C'.repeat(MAX_IDENTIFIER_LENGTH), 'claim "sub"', 'user id')).toBe('c'.repeat(MAX_IDENTIFIER_LENGTH));
  });
});
