import { exportJWK, exportSPKI, generateKeyPair, type JWK, type KeyLike, SignJWT } from 'jose';
import { AuthenticationUnavailableError } from '../../src/auth/authentication-unavailable-error';
import { type Authenticator, createAuthenticator } from '../../src/auth/authenticator';
import { UnauthenticatedError } from '../../src/domain/domain-errors';
import { requestWith } from '../support/authentication-request';
import { type JwksServer, startJwksServer } from '../support/jwks-server';
import { startTestService } from '../support/test-service';

const ISSUER = 'https://id.lms.co.zm/realms/staff';
const AUDIENCE = 'loan-service';
const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
type Algorithm = (typeof ALGORITHMS)[number];

interface SigningKey {
  readonly kid: string;
  readonly alg: Algorithm;
  readonly privateKey: KeyLike;
  readonly publicKey: KeyLike;
  readonly publicJwk: JWK;
}

async function signingKey(alg: Algorithm, kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

interface Claims {
  readonly issuer?: string;
  readonly audience?: string;
  /** `exp` relative to now; null leaves it out. */
  readonly expiresIn?: string | null;
  readonly extra?: Record<string, unknown>;
}

async function tokenFrom(key: SigningKey, claims: Claims = {}): Promise<string> {
  const jwt = new SignJWT({ roles: ['loan_officer'], ...claims.extra })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setSubject('Olivia')
    .setIssuer(claims.issuer ?? ISSUER)
    .setAudience(claims.audience ?? AUDIENCE)
    .setIssuedAt();
  if (claims.expiresIn !== null) jwt.setExpirationTime(claims.expiresIn ?? '5 minutes');
  return jwt.sign(key.privateKey);
}

const bearer = (token: string) => requestWith(['authorization', `Bearer ${token}`]);

describe('createAuthenticator with the identity provider JWKS (a real HTTP server on 127.0.0.1)', () => {
  let keys: Record<Algorithm, SigningKey>;
  let server: JwksServer;
  let authenticate: Authenticator;

  beforeAll(async () => {
    keys = Object.fromEntries(await Promise.all(ALGORITHMS.map(async (alg) => [alg, await signingKey(alg, `${alg.toLowerCase()}-2026-01`)]))) as Record<Algorithm, SigningKey>;
    server = await startJwksServer(ALGORITHMS.map((alg) => keys[alg].publicJwk));
  });
  beforeEach(() => {
    server.setKeys(ALGORITHMS.map((alg) => keys[alg].publicJwk));
    server.failWith(undefined);
    authenticate = createAuthenticator(
      { mode: 'jwt', issuer: ISSUER, audience: AUDIENCE, jwksUrl: server.url, jwtSecret: undefined },
      { jwksCooldownMs: 200 },
    );
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(ALGORITHMS)('accepts a %s token signed by a key in the set', async (alg) => {
    expect(await authenticate(bearer(await tokenFrom(keys[alg], { extra: { branches: ['Kitwe-Main'] } })))).toEqual({
      userId: 'olivia',
      roles: ['loan_officer'],
      branches: ['kitwe-main'],
    });
  });

  it.each<[string, Claims, string]>([
    ['another issuer', { issuer: 'https://id.evil.example/realms/staff' }, 'ERR_JWT_CLAIM_VALIDATION_FAILED (unexpected "iss" claim value)'],
    ['another audience', { audience: 'payroll-service' }, 'ERR_JWT_CLAIM_VALIDATION_FAILED (unexpected "aud" claim value)'],
    ['no exp', { expiresIn: null }, 'ERR_JWT_CLAIM_VALIDATION_FAILED (missing required "exp" claim)'],
    ['an expired token', { expiresIn: '-2 minutes' }, 'ERR_JWT_EXPIRED ("exp" claim timestamp check failed)'],
  ])('rejects %s', async (_case, claims, reason) => {
    await expect(authenticate(bearer(await tokenFrom(keys.ES256, claims)))).rejects.toThrow(
      new UnauthenticatedError(`bearer token rejected: ${reason}`),
    );
  });

  it('rejects an HS256 token whose HMAC key is the public key (algorithm confusion), without fetching keys for it', async () => {
    const before = server.fetches;
    const pem = await exportSPKI(keys.RS256.publicKey);
    for (const hmacKey of [pem, JSON.stringify(keys.RS256.publicJwk)]) {
      const forged = await new SignJWT({ roles: ['credit_manager', 'config_admin'] })
        .setProtectedHeader({ alg: 'HS256', kid: keys.RS256.kid })
        .setSubject('mallory').setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('5 minutes')
        .sign(new TextEncoder().encode(hmacKey));
      await expect(authenticate(bearer(forged))).rejects.toThrow(new UnauthenticatedError('bearer token rejected: ERR_JOSE_ALG_NOT_ALLOWED'));
    }
    expect(server.fetches).toBe(before);
  });

  it('rejects an unsigned token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', kid: keys.RS256.kid })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'mallory', iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 300 })).toString('base64url');
    await expect(authenticate(bearer(`${header}.${payload}.`))).rejects.toThrow(new UnauthenticatedError('bearer token rejected: ERR_JOSE_ALG_NOT_ALLOWED'));
  });

  it('picks up a new signing key (a new kid) once the identity provider publishes it', async () => {
    expect((await authenticate(bearer(await tokenFrom(keys.RS256)))).userId).toBe('olivia');
    const rotated = await signingKey('RS256', 'rs256-2026-02');
    const fromRotatedKey = await tokenFrom(rotated);
    await expect(authenticate(bearer(fromRotatedKey))).rejects.toThrow(new UnauthenticatedError('bearer token rejected: ERR_JWKS_NO_MATCHING_KEY'));

    server.setKeys([keys.RS256.publicJwk, rotated.publicJwk]);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const fetchesBefore = server.fetches;
    expect((await authenticate(bearer(fromRotatedKey))).userId).toBe('olivia');
    expect(server.fetches).toBe(fetchesBefore + 1);
    // Tokens of the previous key keep working from the cached set.
    expect((await authenticate(bearer(await tokenFrom(keys.RS256)))).userId).toBe('olivia');
    expect(server.fetches).toBe(fetchesBefore + 1);
  });

  it('fetches the key set at most once per cooldown however many unknown kids arrive', async () => {
    const withDefaultCooldown = createAuthenticator({ mode: 'jwt', issuer: ISSUER, audience: AUDIENCE, jwksUrl: server.url, jwtSecret: undefined });
    const before = server.fetches;
    expect((await withDefaultCooldown(bearer(await tokenFrom(keys.EdDSA)))).userId).toBe('olivia');
    const stranger = await signingKey('EdDSA', 'unknown-kid');
    for (let attempt = 0; attempt < 5; attempt++) {
      await expect(withDefaultCooldown(bearer(await tokenFrom(stranger)))).rejects.toThrow(
        new UnauthenticatedError('bearer token rejected: ERR_JWKS_NO_MATCHING_KEY'),
      );
    }
    expect(server.fetches).toBe(before + 1);
  });

  it('answers 503 (not 401) when the key set cannot be fetched', async () => {
    server.failWith(500);
    await expect(authenticate(bearer(await tokenFrom(keys.RS256)))).rejects.toThrow(
      new AuthenticationUnavailableError(
        `cannot verify bearer tokens: the identity provider's key set at ${server.url} is unavailable (Expected 200 OK from the JSON Web Key Set HTTP response)`,
      ),
    );
    const unreachable = createAuthenticator({ mode: 'jwt', issuer: ISSUER, audience: AUDIENCE, jwksUrl: 'http://127.0.0.1:1/certs', jwtSecret: undefined });
    await expect(unreachable(bearer(await tokenFrom(keys.RS256)))).rejects.toThrow(
      new AuthenticationUnavailableError(
        "cannot verify bearer tokens: the identity provider's key set at http://127.0.0.1:1/certs is unavailable (connect ECONNREFUSED 127.0.0.1:1)",
      ),
    );
  });

  it('verifies over HTTP with AUTH_JWKS_URL and needs no shared secret; 503 while the key set is unavailable', async () => {
    const environment = { AUTH_MODE: 'jwt', AUTH_JWKS_URL: server.url, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE };
    const test = await startTestService(environment);
    try {
      const allowed = await test.client.get('/v1/products', { as: { authorization: `Bearer ${await tokenFrom(keys.PS256)}` } });
      expect(allowed.status).toBe(200);
    } finally {
      await test.close();
    }
    server.failWith(502);
    const starved = await startTestService(environment);
    try {
      const unavailable = await starved.client.get('/v1/products', { as: { authorization: `Bearer ${await tokenFrom(keys.PS256)}` } });
      expect(unavailable.status).toBe(503);
      expect(unavailable.json).toEqual({
        error: 'authentication_unavailable',
        message: `cannot verify bearer tokens: the identity provider's key set at ${server.url} is unavailable (Expected 200 OK from the JSON Web Key Set HTTP response)`,
      });
    } finally {
      await starved.close();
    }
  });
});
