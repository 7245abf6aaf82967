import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator } from '../auth/authenticator';
import type { Identity } from '../auth/identity';
import { ForbiddenError } from '../domain/domain-errors';

/** The cookie holding the identity provider's token; scoped to the console's paths. */
export const SESSION_COOKIE = 'lms_console_token';
export const CONSOLE_PATH = '/console';
/** A console session lasts at most this long, whatever the token's own expiry. */
export const MAX_SESSION_SECONDS = 8 * 60 * 60;

const TOKEN_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The console session's token from the Cookie header, if well-formed. */
export function sessionToken(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) {
      const token = value.join('=');
      return TOKEN_PATTERN.test(token) ? token : undefined;
    }
  }
  return undefined;
}

/**
 * The caller of a console request: the token of the session cookie, verified by the same
 * authenticator as the API's `Authorization: Bearer` (so signature, issuer, audience and expiry
 * are checked on every request); without a cookie, the request itself (header mode behind the
 * ingress, or an explicit Authorization header).
 */
export async function consoleIdentity(authenticate: Authenticator, request: FastifyRequest): Promise<Identity> {
  const token = sessionToken(request);
  if (token === undefined) return authenticate(request.raw);
  return authenticate({ headers: { authorization: `Bearer ${token}` }, rawHeaders: ['Authorization', `Bearer ${token}`] });
}

/** Whether the browser reached the console over HTTPS (directly or through the TLS-terminating ingress). */
function overHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';
}

/** Stores the token in an HttpOnly, SameSite=Strict cookie (Secure over HTTPS), for at most `maxAgeSeconds`. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, maxAgeSeconds: number): void {
  const attributes = [`${SESSION_COOKIE}=${token}`, `Path=${CONSOLE_PATH}`, 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`];
  if (overHttps(request)) attributes.push('Secure');
  reply.header('set-cookie', attributes.join('; '));
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  setSessionCookie(request, reply, '', 0);
}

/**
 * The anti-forgery token of a session: a hash of its bearer token, which a page on another site
 * can neither read (HttpOnly) nor derive. Stateless, so it holds across replicas. Without a
 * session cookie (header mode) it is empty and the same-origin checks alone apply.
 */
export function csrfTokenOf(request: FastifyRequest): string {
  const token = sessionToken(request);
  return token === undefined ? '' : createHash('sha256').update(`lms-console-csrf:${token}`).digest('base64url');
}

/**
 * Refuses (403) a form post that does not come from the console's own pages: the browser's
 * `Sec-Fetch-Site` must say same-origin and `Origin` must name this host (at least one of them
 * must be present; browsers send both on form posts), and with a session cookie the form must
 * carry the session's anti-forgery token.
 */
export function assertSameOriginPost(request: FastifyRequest, formToken: string | undefined, checkToken = true): void {
  const fetchSite = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  if (fetchSite === undefined && origin === undefined) {
    throw new ForbiddenError('console form posts must come from the console page (no Origin or Sec-Fetch-Site header)');
  }
  if (fetchSite !== undefined && fetchSite !== 'same-origin') {
    throw new ForbiddenError(`console form posts must come from the console page (Sec-Fetch-Site: ${fetchSite}; allowed: same-origin)`);
  }
  if (origin !== undefined) {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = '';
    }
    if (originHost === '' || originHost !== request.headers.host) {
      throw new ForbiddenError(`console form posts must come from the console page (Origin: ${origin}; allowed: this host)`);
    }
  }
  if (!checkToken) return;
  const expected = csrfTokenOf(request);
  if (expected === '') return;
  const given = Buffer.from(formToken ?? '');
  const wanted = Buffer.from(expected);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw new ForbiddenError('the form is out of date or was not sent by the console (anti-forgery token mismatch); reload the page and try again');
  }
}
