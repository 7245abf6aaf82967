import type { Authenticator } from '../../src/auth/authenticator';
import type { AuthConfig } from '../../src/config/service-config';

/** The header a trusted ingress sets with the user's branch codes, comma-separated. */
export const BRANCHES_HEADER = 'x-authenticated-branches';

/**
 * In-process test services authenticate through this wrapper: in header mode, an identity the
 * authenticator returned without `branches` gets them from `x-authenticated-branches`, as an
 * authenticator that reads that header itself does. An identity that already carries branches
 * is returned unchanged, so with such an authenticator the wrapper does nothing.
 */
export function withBranchesHeader(createAuthenticator: (config: AuthConfig, ...options: unknown[]) => Authenticator) {
  return (config: AuthConfig, ...options: unknown[]): Authenticator => {
    const authenticate = createAuthenticator(config, ...options);
    if (config.mode !== 'header') return authenticate;
    return async (request) => {
      const identity = await authenticate(request);
      if (identity.branches !== undefined) return identity;
      return { ...identity, branches: branchesHeader(request) };
    };
  };
}

/** The header's branch codes, from a headers object or a request carrying one. */
function branchesHeader(request: unknown): string[] {
  const carrier = request as { readonly headers?: unknown };
  const headers = (typeof carrier.headers === 'object' && carrier.headers !== null ? carrier.headers : request) as Record<string, unknown>;
  const raw = headers[BRANCHES_HEADER];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return (typeof value === 'string' ? value : '')
    .split(',')
    .map((branch) => branch.trim().toLowerCase())
    .filter((branch) => branch !== '');
}
