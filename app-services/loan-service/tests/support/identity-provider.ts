import { exportJWK, generateKeyPair, type KeyLike, SignJWT } from 'jose';
import { type JwksServer, startJwksServer } from './jwks-server';

export const IDP_ISSUER = 'https://id.lms.co.zm/realms/staff';
export const IDP_AUDIENCE = 'loan-service';

/** A staff identity provider on 127.0.0.1: a real JWKS endpoint and ES256 tokens signed with its key. */
export interface IdentityProvider {
  /** The loan-service settings that make it trust this provider. */
  readonly serviceEnvironment: Record<string, string>;
  /** A signed access token for a user, as the provider issues it after sign-in. */
  token(user: string, roles: readonly string[], branches?: readonly string[], expiresIn?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startIdentityProvider(): Promise<IdentityProvider> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = 'staff-2026-01';
  const server: JwksServer = await startJwksServer([{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }]);
  const key: KeyLike = privateKey;
  return {
    serviceEnvironment: { AUTH_MODE: 'jwt', AUTH_JWT_ISSUER: IDP_ISSUER, AUTH_JWT_AUDIENCE: IDP_AUDIENCE, AUTH_JWKS_URL: server.url },
    token: (user, roles, branches = [], expiresIn = '1 hour') =>
      new SignJWT({ roles: [...roles], branches: [...branches] })
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
        .setSubject(user)
        .setIssuer(IDP_ISSUER)
        .setAudience(IDP_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(key),
    close: () => server.close(),
  };
}
