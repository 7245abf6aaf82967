import { decodeCursor, encodeCursor } from '../../src/http/cursor';
import { RequestValidationError } from '../../src/http/request-validation-error';

describe('pagination cursors', () => {
  it('round-trips a sequence number through an opaque string', () => {
    const cursor = encodeCursor(1234);
    expect(cursor).not.toContain('1234');
    expect(decodeCursor(cursor)).toBe(1234);
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['a negative position', Buffer.from('{"after":-1}').toString('base64url')],
    ['a fractional position', Buffer.from('{"after":1.5}').toString('base64url')],
    ['a string position', Buffer.from('{"after":"1"}').toString('base64url')],
  ])('rejects %s', (_case, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(
      new RequestValidationError([{ path: 'query.cursor', message: 'is not a cursor returned by this API' }]),
    );
  });
});
