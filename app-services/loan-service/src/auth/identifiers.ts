import { UnauthenticatedError } from '../domain/domain-errors';

/** Longest user id or branch code accepted: the database stores user ids in 200 characters. */
export const MAX_IDENTIFIER_LENGTH = 200;

/** Whitespace (any Unicode White_Space), control characters and invisible format characters (e.g. zero-width space). */
const FORBIDDEN_CHARACTER = /[\p{White_Space}\p{Cc}\p{Cf}]/u;
/** Printable ASCII without space: already NFC and free of forbidden characters (the common case, checked cheaply). */
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * The one spelling of a user id or branch code the service compares and stores: Unicode NFC,
 * lower case. Identity providers and ingresses disagree on case and composition ("Carol" and
 * "carol" are one person, "é" may arrive as e + combining accent), so both authentication modes
 * normalise identically. Anything with whitespace or control characters anywhere is refused
 * rather than trimmed: `"carol "` is a malformed identity, not carol.
 *
 * @param where e.g. `header x-authenticated-user` or `claim "sub"`, for the message.
 * @param what e.g. `user id` or `branch code`, for the message.
 * @throws UnauthenticatedError naming where, the value and what is allowed.
 */
export function normaliseIdentifier(raw: string, where: string, what: string): string {
  if (raw.length <= MAX_IDENTIFIER_LENGTH && PRINTABLE_ASCII.test(raw)) return raw.toLowerCase();
  const normalised = raw.normalize('NFC').toLowerCase().normalize('NFC');
  if (normalised === '' || normalised.length > MAX_IDENTIFIER_LENGTH || FORBIDDEN_CHARACTER.test(normalised)) {
    throw new UnauthenticatedError(
      `${where}: ${JSON.stringify(raw)} is not a valid ${what} (allowed: 1 to ${MAX_IDENTIFIER_LENGTH} characters ` +
        'without whitespace or control characters, compared in lower case)',
    );
  }
  return normalised;
}

/** Normalises each code of a list, dropping repeats (first occurrence kept). */
export function normaliseBranches(raw: readonly string[], where: string): string[] {
  return [...new Set(raw.map((branch) => normaliseIdentifier(branch, where, 'branch code')))];
}
