import { createRemoteJWKSet, errors as joseErrors, type JWTPayload, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { MINIMUM_JWT_SECRET_LENGTH } from '../config/load-config';
import type { AuthConfig, JwtAuthConfig } from '../config/service-config';
import { UnauthenticatedError } from '../domain/domain-errors';
import { AuthenticationUnavailableError } from './authentication-unavailable-error';
import { normaliseBranches, normaliseIdentifier } from './identifiers';
import { type Identity, knownRoles } from './identity';

/** Request headers as Node gives them (lower-case names). */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** What authentication reads of a request; Node's IncomingMessage fits. */
export interface AuthenticationRequest {
  /** Parsed headers: Node joins a repeated unknown header with ", " and keeps only the first Authorization. */
  readonly headers: RequestHeaders;
  /** Header names and values exactly as received (name, value, name, value, ...), to see repeats. */
  readonly rawHeaders: readonly string[];
}

/** Establishes the caller's identity from the request headers. */
export type Authenticator = (request: AuthenticationRequest) => Promise<Identity>;

/** Options for tests. */
export interface AuthenticatorOptions {
  /**
   * Least time between two fetches of the key set when a token names an unknown `kid`.
   * @default 30000 (jose's default)
   */
  readonly jwksCooldownMs?: number;
}

export const USER_HEADER = 'x-authenticated-user';
export const ROLES_HEADER = 'x-authenticated-roles';
export const BRANCHES_HEADER = 'x-authenticated-branches';

/** Asymmetric algorithms accepted from the identity provider's key set. */
export const JWKS_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
/** Leeway for `exp` and `nbf` against clock drift between the identity provider and this node. */
export const CLOCK_TOLERANCE_SECONDS = 30;
/** The key set is refetched at least this often even when every `kid` is known (jose's default). */
const JWKS_CACHE_MAX_AGE_MS = 10 * 60 * 1000;
/** A key set fetch taking longer than this counts as unavailable. */
const JWKS_TIMEOUT_MS = 5000;

/**
 * - `jwt`: `Authorization: Bearer <token>`, which must carry `exp`, the configured `iss` and `aud`.
 *   Verified against the identity provider's JWKS (`AUTH_JWKS_URL`; RS256, PS256, ES256, EdDSA),
 *   or else as HS256 with the `auth-jwt-secret`. `sub` is the user id, `roles` and `branches`
 *   arrays of strings. Identity headers are ignored.
 * - `header`: a trusted ingress sets `x-authenticated-user`, `x-authenticated-roles` and
 *   `x-authenticated-branches` (comma-separated). Only safe behind an ingress that strips these
 *   headers from clients.
 *
 * In both modes the user id and branch codes are normalised (see normaliseIdentifier), and a
 * header the identity depends on that arrives more than once is refused as ambiguous.
 *
 * @throws UnauthenticatedError (401) when no identity is present, it is ambiguous or malformed, or the token does not verify.
 * @throws AuthenticationUnavailableError (503) when the identity provider's key set cannot be fetched.
 */
export function createAuthenticator(config: AuthConfig, options: AuthenticatorOptions = {}): Authenticator {
  if (config.mode === 'header') return async (request) => identityFromHeaders(request);
  const verify = tokenVerifier(config, options);
  return async (request) => {
    const authorization = uniqueHeader(request, 'authorization');
    if (authorization === undefined) {
      throw new UnauthenticatedError('missing Authorization header (expected: Bearer <JWT>)');
    }
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization);
    if (match?.[1] === undefined) {
      throw new UnauthenticatedError('malformed Authorization header (expected: Bearer <JWT>)');
    }
    return identityFromClaims(await verify(match[1]));
  };
}

function tokenVerifier(config: JwtAuthConfig, options: AuthenticatorOptions): (token: string) => Promise<JWTPayload> {
  const claimChecks = {
    issuer: config.issuer,
    audience: config.audience,
    requiredClaims: ['exp'],
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
  };
  if (config.jwksUrl !== undefined) {
    const keys = keySetOf(config.jwksUrl, options);
    return async (token) => verifyOrReject(() => jwtVerify(token, keys, { ...claimChecks, algorithms: [...JWKS_ALGORITHMS] }));
  }
  const readSecret = config.jwtSecret;
  if (readSecret === undefined) throw new Error('jwt authentication needs AUTH_JWKS_URL or the auth-jwt-secret');
  let cached: { secret: string; key: Uint8Array } | undefined;
  const currentKey = (): Uint8Array => {
    const secret = readSecret();
    if (secret.length < MINIMUM_JWT_SECRET_LENGTH) {
      // The file was rewritten with something unusable: a fault of the deployment, not of the caller.
      throw new Error(
        `auth-jwt-secret is ${secret.length} characters long (needs at least ${MINIMUM_JWT_SECRET_LENGTH}); ` +
          'bearer tokens cannot be verified until it is fixed',
      );
    }
    if (cached?.secret !== secret) cached = { secret, key: new TextEncoder().encode(secret) };
    return cached.key;
  };
  return async (token) => {
    const key = currentKey();
    return verifyOrReject(() => jwtVerify(token, key, { ...claimChecks, algorithms: ['HS256'] }));
  };
}

/**
 * The remote key set, cached by jose: fetched on first use, again after JWKS_CACHE_MAX_AGE_MS,
 * and when a token names an unknown `kid` (key rotation), at most once per cooldown. Failures to
 * fetch become AuthenticationUnavailableError; an unknown `kid` stays a rejected token.
 */
function keySetOf(url: string, options: AuthenticatorOptions): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(url), {
    cooldownDuration: options.jwksCooldownMs ?? 30_000,
    cacheMaxAge: JWKS_CACHE_MAX_AGE_MS,
    timeoutDuration: JWKS_TIMEOUT_MS,
  });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) throw error;
      throw new AuthenticationUnavailableError(
        `cannot verify bearer tokens: the identity provider's key set at ${url} is unavailable (${reasonOf(error)})`,
      );
    }
  };
}

/** An error's message; socket errors come from another realm in tests, so no instanceof Error. */
function reasonOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string' && error.message !== '') {
    return error.message;
  }
  return String(error);
}

async function verifyOrReject(verify: () => Promise<{ payload: JWTPayload }>): Promise<JWTPayload> {
  try {
    return (await verify()).payload;
  } catch (error) {
    if (error instanceof AuthenticationUnavailableError) throw error;
    if (error instanceof joseErrors.JWTClaimValidationFailed || error instanceof joseErrors.JWTExpired) {
      throw new UnauthenticatedError(`bearer token rejected: ${error.code} (${error.message})`);
    }
    const reason = error instanceof joseErrors.JOSEError ? error.code : 'unreadable token';
    throw new UnauthenticatedError(`bearer token rejected: ${reason}`);
  }
}

function identityFromClaims(payload: JWTPayload): Identity {
  if (typeof payload.sub !== 'string' || payload.sub === '') {
    throw new UnauthenticatedError('bearer token rejected: claim "sub" must be a non-empty string (the user id)');
  }
  const userId = normaliseIdentifier(payload.sub, 'bearer token rejected: claim "sub"', 'user id');
  const roles = stringArrayClaim(payload, 'roles');
  const branches = normaliseBranches(stringArrayClaim(payload, 'branches'), 'bearer token rejected: claim "branches"');
  return { userId, roles: knownRoles(roles), branches };
}

function stringArrayClaim(payload: JWTPayload, name: string): string[] {
  const value = payload[name];
  if (value === undefined) return [];
  if (!(Array.isArray(value) && value.every((item) => typeof item === 'string'))) {
    throw new UnauthenticatedError(`bearer token rejected: claim "${name}" must be an array of strings`);
  }
  return value;
}

function identityFromHeaders(request: AuthenticationRequest): Identity {
  const user = uniqueHeader(request, USER_HEADER);
  if (user === undefined || user.trim() === '') {
    throw new UnauthenticatedError(`missing ${USER_HEADER} header (set by the ingress after authentication)`);
  }
  const userId = normaliseIdentifier(user, `header ${USER_HEADER}`, 'user id');
  const roles = listHeader(request, ROLES_HEADER);
  const branches = normaliseBranches(listHeader(request, BRANCHES_HEADER), `header ${BRANCHES_HEADER}`);
  return { userId, roles: knownRoles(roles), branches };
}

/** A comma-separated header's items, trimmed; empty items are ignored (RFC 9110 section 5.6.1). */
function listHeader(request: AuthenticationRequest, name: string): string[] {
  return (uniqueHeader(request, name) ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * The value of a header that must arrive at most once. Node joins a repeated `x-...` header
 * into "carol, carol" and keeps only the first Authorization, so repeats are counted in the raw
 * header list: an identity assembled from two values is ambiguous, whichever way it is read.
 */
function uniqueHeader(request: AuthenticationRequest, name: string): string | undefined {
  const value = request.headers[name];
  if (value === undefined) return undefined;
  let count = 0;
  const raw = request.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) {
    const rawName = raw[index] as string;
    // Cheap length filter before the case-insensitive comparison.
    if (rawName.length === name.length && rawName.toLowerCase() === name) count += 1;
  }
  if (count > 1) throw new UnauthenticatedError(`ambiguous identity: header ${name} is sent ${count} times (allowed: once)`);
  return Array.isArray(value) ? value[0] : value;
}
