import { RequestValidationError } from './request-validation-error';

/**
 * Opaque pagination cursors: base64url of `{"after":<seq>}`. Clients must treat them as opaque;
 * the encoding may change.
 */
export function encodeCursor(afterSeq: number): string {
  return Buffer.from(JSON.stringify({ after: afterSeq })).toString('base64url');
}

/** @throws RequestValidationError (400) on anything this API did not issue. */
export function decodeCursor(cursor: string): number {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof decoded.after === 'number' && Number.isSafeInteger(decoded.after) && decoded.after >= 0) return decoded.after;
  } catch {
    // falls through to the validation error
  }
  throw new RequestValidationError([{ path: 'query.cursor', message: 'is not a cursor returned by this API' }]);
}
