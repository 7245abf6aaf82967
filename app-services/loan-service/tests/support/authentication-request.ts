import type { AuthenticationRequest } from '../../src/auth/authenticator';

/** Headers Node keeps only the first of when sent twice (the rest it joins with ", "). */
const FIRST_WINS = new Set(['authorization', 'content-type', 'content-length', 'host', 'user-agent']);

/**
 * What Node's HTTP parser makes of these header lines: `rawHeaders` exactly as sent, and
 * `headers` with lower-case names, duplicates joined with ", " (or dropped, for Authorization).
 */
export function requestWith(...lines: Array<[name: string, value: string]>): AuthenticationRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of lines) {
    const key = name.toLowerCase();
    const existing = headers[key];
    if (existing === undefined) headers[key] = value;
    else if (!FIRST_WINS.has(key)) headers[key] = `${existing}, ${value}`;
  }
  return { headers, rawHeaders: lines.flat() };
}
