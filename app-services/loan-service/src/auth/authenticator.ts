import { errors as joseErrors, jwtVerify } from 'jose';
import type { AuthConfig } from '../config/service-config';
import { UnauthenticatedError } from '../domain/domain-errors';
import { type Identity, knownRoles } from './identity';

/** Request headers as Node gives them (lower-case names). */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** Establishes the caller's identity from request headers. */
export type Authenticator = (headers: RequestHeaders) => Promise<Identity>;

export const USER_HEADER = 'x-authenticated-user';
export const ROLES_HEADER = 'x-authenticated-roles';

/**
 * - `jwt`: `Authorization: Bearer <token>`, an HS256 JWT signed with the `auth-jwt-secret`;
 *   `sub` is the user id, `roles` an array of role names.
 * - `header`: a trusted ingress sets `x-authenticated-user` and `x-authenticated-roles`
 *   (comma-separated). Only safe behind an ingress that strips these headers from clients.
 *
 * @throws UnauthenticatedError (401) when no identity is present or the token does not verify.
 */
export function createAuthenticator(config: AuthConfig): Authenticator {
  if (config.mode === 'header') return async (headers) => identityFromHeaders(headers);
  const key = new TextEncoder().encode(config.jwtSecret);
  return async (headers) => {
    const authorization = singleHeader(headers, 'authorization');
    if (authorization === undefined) {
      throw new UnauthenticatedError('missing Authorization header (expected: Bearer <JWT>)');
    }
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization);
    if (match?.[1] === undefined) {
      throw new UnauthenticatedError('malformed Authorization header (expected: Bearer <JWT>)');
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(match[1], key, { algorithms: ['HS256'] }));
    } catch (error) {
      const reason = error instanceof joseErrors.JOSEError ? error.code : 'unreadable token';
      throw new UnauthenticatedError(`bearer token rejected: ${reason}`);
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw new UnauthenticatedError('bearer token rejected: claim "sub" must be a non-empty string (the user id)');
    }
    const roles = payload.roles;
    if (roles !== undefined && !(Array.isArray(roles) && roles.every((role) => typeof role === 'string'))) {
      throw new UnauthenticatedError('bearer token rejected: claim "roles" must be an array of strings');
    }
    return { userId: payload.sub, roles: knownRoles((roles as string[] | undefined) ?? []) };
  };
}

function identityFromHeaders(headers: RequestHeaders): Identity {
  const userId = singleHeader(headers, USER_HEADER)?.trim();
  if (userId === undefined || userId === '') {
    throw new UnauthenticatedError(`missing ${USER_HEADER} header (set by the ingress after authentication)`);
  }
  const roles = (singleHeader(headers, ROLES_HEADER) ?? '')
    .split(',')
    .map((role) => role.trim())
    .filter((role) => role !== '');
  return { userId, roles: knownRoles(roles) };
}

function singleHeader(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
