import { SignJWT } from 'jose';
import { createAuthenticator } from '../../src/auth/authenticator';
import { UnauthenticatedError } from '../../src/domain/domain-errors';
import { requestWith } from '../support/authentication-request';
import { startTestService } from '../support/test-service';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const ISSUER = 'https://id.lms.co.zm/realms/staff';
const AUDIENCE = 'loan-service';
const JWT_CONFIG = { mode: 'jwt', issuer: ISSUER, audience: AUDIENCE, jwksUrl: undefined, jwtSecret: () => SECRET } as const;

interface TokenOptions {
  readonly secret?: string;
  readonly subject?: string | null;
  readonly issuer?: string | null;
  readonly audience?: string | null;
  /** `exp` relative to now, e.g. `5 minutes`, `-1 minute`; null leaves it out. */
  readonly expiresIn?: string | null;
}

async function token(claims: Record<string, unknown>, options: TokenOptions = {}): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (options.subject !== null) jwt.setSubject(options.subject ?? 'olivia');
  if (options.issuer !== null) jwt.setIssuer(options.issuer ?? ISSUER);
  if (options.audience !== null) jwt.setAudience(options.audience ?? AUDIENCE);
  if (options.expiresIn !== null) jwt.setExpirationTime(options.expiresIn ?? '5 minutes');
  return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

const bearer = async (claims: Record<string, unknown>, options: TokenOptions = {}) =>
  requestWith(['Authorization', `Bearer ${await token(claims, options)}`]);

describe('createAuthenticator, jwt mode with the HS256 secret', () => {
  const authenticate = createAuthenticator(JWT_CONFIG);

  it('takes the user from sub, keeps only known roles and reads the branches', async () => {
    const identity = await authenticate(await bearer({ roles: ['loan_officer', 'janitor'], branches: ['Lusaka-Cairo-Road', 'kitwe-main'] }));
    expect(identity).toEqual({ userId: 'olivia', roles: ['loan_officer'], branches: ['lusaka-cairo-road', 'kitwe-main'] });
  });

  it('normalises the user id, so "Carol" is carol', async () => {
    expect((await authenticate(await bearer({}, { subject: 'Carol' }))).userId).toBe('carol');
  });

  it('has no branches when the claim is absent', async () => {
    expect((await authenticate(await bearer({}))).branches).toEqual([]);
  });

  it('accepts a token that expired within the clock tolerance', async () => {
    const identity = await authenticate(await bearer({}, { expiresIn: '-10 seconds' }));
    expect(identity.userId).toBe('olivia');
  });

  it.each<[string, () => Promise<ReturnType<typeof requestWith>>, string]>([
    ['no header', async () => requestWith(), 'missing Authorization header (expected: Bearer <JWT>)'],
    ['a Basic header', async () => requestWith(['Authorization', 'Basic b2xpdmlhOnB3']), 'malformed Authorization header (expected: Bearer <JWT>)'],
    [
      'two Authorization headers',
      async () => requestWith(['Authorization', `Bearer ${await token({})}`], ['Authorization', `Bearer ${await token({}, { subject: 'mallory' })}`]),
      'ambiguous identity: header authorization is sent 2 times (allowed: once)',
    ],
    ['another secret', () => bearer({}, { secret: 'x'.repeat(40) }), 'bearer token rejected: ERR_JWS_SIGNATURE_VERIFICATION_FAILED'],
    ['an expired token', () => bearer({}, { expiresIn: '-1 minute' }), 'bearer token rejected: ERR_JWT_EXPIRED ("exp" claim timestamp check failed)'],
    ['a token without exp', () => bearer({}, { expiresIn: null }), 'bearer token rejected: ERR_JWT_CLAIM_VALIDATION_FAILED (missing required "exp" claim)'],
    ['a token without iss', () => bearer({}, { issuer: null }), 'bearer token rejected: ERR_JWT_CLAIM_VALIDATION_FAILED (missing required "iss" claim)'],
    ['another issuer', () => bearer({}, { issuer: 'https://evil.example' }), 'bearer token rejected: ERR_JWT_CLAIM_VALIDATION_FAILED (unexpected "iss" claim value)'],
    ['a token without aud', () => bearer({}, { audience: null }), 'bearer token rejected: ERR_JWT_CLAIM_VALIDATION_FAILED (missing required "aud" claim)'],
    ['another audience', () => bearer({}, { audience: 'payroll' }), 'bearer token rejected: ERR_JWT_CLAIM_VALIDATION_FAILED (unexpected "aud" claim value)'],
    ['no subject', () => bearer({}, { subject: null }), 'bearer token rejected: claim "sub" must be a non-empty string (the user id)'],
    [
      'a subject with a trailing space',
      () => bearer({}, { subject: 'carol ' }),
      'bearer token rejected: claim "sub": "carol " is not a valid user id (allowed: 1 to 200 characters without whitespace or control characters, compared in lower case)',
    ],
    ['roles as a string', () => bearer({ roles: 'loan_officer' }), 'bearer token rejected: claim "roles" must be an array of strings'],
    ['branches as a string', () => bearer({ branches: 'lusaka-cairo-road' }), 'bearer token rejected: claim "branches" must be an array of strings'],
    [
      'a branch with a space inside',
      () => bearer({ branches: ['lusaka cairo-road'] }),
      'bearer token rejected: claim "branches": "lusaka cairo-road" is not a valid branch code (allowed: 1 to 200 characters without whitespace or control characters, compared in lower case)',
    ],
    [
      'an unsigned token',
      async () => requestWith(['Authorization', `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`]),
      'bearer token rejected: ERR_JOSE_ALG_NOT_ALLOWED',
    ],
  ])('rejects %s', async (_case, request, message) => {
    await expect(authenticate(await request())).rejects.toThrow(new UnauthenticatedError(message));
  });

  it('reads the secret through its getter on each request, so a rotated secret applies at once', async () => {
    let current = SECRET;
    const rotating = createAuthenticator({ ...JWT_CONFIG, jwtSecret: () => current });
    const signedWithOld = await bearer({});
    expect((await rotating(signedWithOld)).userId).toBe('olivia');
    current = 'r'.repeat(40);
    await expect(rotating(signedWithOld)).rejects.toThrow(new UnauthenticatedError('bearer token rejected: ERR_JWS_SIGNATURE_VERIFICATION_FAILED'));
    expect((await rotating(await bearer({}, { secret: current }))).userId).toBe('olivia');
  });

  it('fails (as a server error, not a 401) when the secret has been rewritten too short', async () => {
    const shortened = createAuthenticator({ ...JWT_CONFIG, jwtSecret: () => 'too-short' });
    const failure = shortened(await bearer({}));
    await expect(failure).rejects.toThrow(
      new Error('auth-jwt-secret is 9 characters long (needs at least 32); bearer tokens cannot be verified until it is fixed'),
    );
    await expect(failure).rejects.not.toBeInstanceOf(UnauthenticatedError);
  });
});

describe('createAuthenticator, header mode', () => {
  const authenticate = createAuthenticator({ mode: 'header' });

  it('reads the ingress headers, normalising the user and the branches', async () => {
    const identity = await authenticate(
      requestWith(
        ['X-Authenticated-User', 'Chileshe'],
        ['X-Authenticated-Roles', 'credit_manager, loan_officer,,other'],
        ['X-Authenticated-Branches', 'Lusaka-Cairo-Road, kitwe-main,,lusaka-cairo-road'],
      ),
    );
    expect(identity).toEqual({ userId: 'chileshe', roles: ['loan_officer', 'credit_manager'], branches: ['lusaka-cairo-road', 'kitwe-main'] });
  });

  it('has no branches without the header', async () => {
    expect((await authenticate(requestWith(['x-authenticated-user', 'olivia']))).branches).toEqual([]);
  });

  it.each<[string, ReturnType<typeof requestWith>, string]>([
    ['no user', requestWith(['x-authenticated-roles', 'credit_manager']), 'missing x-authenticated-user header (set by the ingress after authentication)'],
    [
      'a user sent twice',
      requestWith(['x-authenticated-user', 'carol'], ['x-authenticated-user', 'carol']),
      'ambiguous identity: header x-authenticated-user is sent 2 times (allowed: once)',
    ],
    [
      'roles sent twice',
      requestWith(['x-authenticated-user', 'carol'], ['x-authenticated-roles', 'loan_officer'], ['X-Authenticated-Roles', 'credit_manager']),
      'ambiguous identity: header x-authenticated-roles is sent 2 times (allowed: once)',
    ],
    [
      'branches sent twice',
      requestWith(['x-authenticated-user', 'carol'], ['x-authenticated-branches', 'kitwe-main'], ['x-authenticated-branches', 'lusaka-cairo-road']),
      'ambiguous identity: header x-authenticated-branches is sent 2 times (allowed: once)',
    ],
    [
      'a user with a space inside',
      requestWith(['x-authenticated-user', 'carol banda']),
      'header x-authenticated-user: "carol banda" is not a valid user id (allowed: 1 to 200 characters without whitespace or control characters, compared in lower case)',
    ],
    [
      'a branch with a space inside',
      requestWith(['x-authenticated-user', 'carol'], ['x-authenticated-branches', 'kitwe main']),
      'header x-authenticated-branches: "kitwe main" is not a valid branch code (allowed: 1 to 200 characters without whitespace or control characters, compared in lower case)',
    ],
  ])('rejects %s', async (_case, request, message) => {
    await expect(authenticate(request)).rejects.toThrow(new UnauthenticatedError(message));
  });
});

describe('jwt mode over HTTP', () => {
  it('answers 401 without a token, ignores identity headers, and 200 with one', async () => {
    const test = await startTestService({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE });
    try {
      const spoofed = await test.client.get('/v1/products', { as: { user: 'olivia', roles: ['loan_officer'] } });
      expect(spoofed.status).toBe(401);
      expect(spoofed.json).toEqual({ error: 'unauthenticated', message: 'missing Authorization header (expected: Bearer <JWT>)' });
      const allowed = await test.client.get('/v1/products', { as: { authorization: `Bearer ${await token({ roles: ['loan_officer'] })}` } });
      expect(allowed.status).toBe(200);
      const wrongRole = await test.client.post('/v1/risk-grades/versions', {
        as: { authorization: `Bearer ${await token({ roles: ['loan_officer'] })}` },
        body: { grades: [{ grade: 'A', minCreditScore: 700, maxPrincipalNgwee: 100 }] },
      });
      expect(wrongRole.status).toBe(403);
      const noExpiry = await test.client.get('/v1/products', { as: { authorization: `Bearer ${await token({}, { expiresIn: null })}` } });
      expect(noExpiry.status).toBe(401);
      expect(noExpiry.json.message).toBe('bearer token rejected: ERR_JWT_CLAIM_VALIDATION_FAILED (missing required "exp" claim)');
    } finally {
      await test.close();
    }
  });
});
