import { SignJWT } from 'jose';
import { createAuthenticator } from '../../src/auth/authenticator';
import { UnauthenticatedError } from '../../src/domain/domain-errors';
import { startTestService } from '../support/test-service';

const SECRET = 'a-test-secret-of-at-least-32-characters!';

async function token(claims: Record<string, unknown>, options: { secret?: string; expiresIn?: string; subject?: string | null } = {}): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (options.subject !== null) jwt.setSubject(options.subject ?? 'olivia');
  if (options.expiresIn !== undefined) jwt.setExpirationTime(options.expiresIn);
  return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

describe('createAuthenticator, jwt mode', () => {
  const authenticate = createAuthenticator({ mode: 'jwt', jwtSecret: SECRET });

  it('takes the user from sub and keeps only known roles', async () => {
    const identity = await authenticate({ authorization: `Bearer ${await token({ roles: ['loan_officer', 'janitor'] })}` });
    expect(identity).toEqual({ userId: 'olivia', roles: ['loan_officer'] });
  });

  it.each<[string, () => Promise<Record<string, string>>, string]>([
    ['no header', async () => ({}), 'missing Authorization header (expected: Bearer <JWT>)'],
    ['a Basic header', async () => ({ authorization: 'Basic b2xpdmlhOnB3' }), 'malformed Authorization header (expected: Bearer <JWT>)'],
    ['another secret', async () => ({ authorization: `Bearer ${await token({}, { secret: 'x'.repeat(40) })}` }), 'bearer token rejected: ERR_JWS_SIGNATURE_VERIFICATION_FAILED'],
    ['an expired token', async () => ({ authorization: `Bearer ${await token({}, { expiresIn: '-1 minute' })}` }), 'bearer token rejected: ERR_JWT_EXPIRED'],
    ['no subject', async () => ({ authorization: `Bearer ${await token({}, { subject: null })}` }), 'bearer token rejected: claim "sub" must be a non-empty string (the user id)'],
    ['roles as a string', async () => ({ authorization: `Bearer ${await token({ roles: 'loan_officer' })}` }), 'bearer token rejected: claim "roles" must be an array of strings'],
    ['an unsigned token', async () => ({ authorization: `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.` }), 'bearer token rejected: ERR_JOSE_ALG_NOT_ALLOWED'],
  ])('rejects %s', async (_case, headers, message) => {
    await expect(authenticate(await headers())).rejects.toThrow(new UnauthenticatedError(message));
  });
});

describe('createAuthenticator, header mode', () => {
  const authenticate = createAuthenticator({ mode: 'header' });

  it('reads the ingress headers', async () => {
    expect(await authenticate({ 'x-authenticated-user': ' chileshe ', 'x-authenticated-roles': 'credit_manager, loan_officer,,other' })).toEqual({
      userId: 'chileshe',
      roles: ['loan_officer', 'credit_manager'],
    });
  });

  it('needs a user', async () => {
    await expect(authenticate({ 'x-authenticated-roles': 'credit_manager' })).rejects.toThrow(
      'missing x-authenticated-user header (set by the ingress after authentication)',
    );
  });
});

describe('jwt mode over HTTP', () => {
  it('answers 401 without a token, ignores identity headers, and 200 with one', async () => {
    const test = await startTestService({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET });
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
    } finally {
      await test.close();
    }
  });
});
