import type { Authenticator, RequestHeaders } from '../../src/auth/authenticator';
import type { AuthConfig } from '../../src/config/service-config';

/** The header a trusted ingress sets with the user's branch codes, comma-separated. */
export const BRANCHES_HEADER = 'x-authenticated-branches';

/**
 * In-process test services authenticate through this wrapper: in header mode, an identity the
 * authenticator returned without `branches` gets them from `x-authenticated-branches`, as the
 * authenticator itself does once it reads that header. An identity that already carries
 * branches is returned unchanged, so the wrapper then does nothing.
 */
export function withBranchesHeader(createAuthenticator: (config: AuthConfig) => Authenticator) {
  return (config: AuthConfig): Authenticator => {
    const authenticate = createAuthenticator(config);
    if (config.mode !== 'header') return authenticate;
    return async (headers: RequestHeaders) => {
      const identity = await authenticate(headers);
      if (identity.branches !== undefined) return identity;
      const raw = headers[BRANCHES_HEADER];
      const branches = ((Array.isArray(raw) ? raw[0] : raw) ?? '')
        .split(',')
        .map((branch) => branch.trim().toLowerCase())
        .filter((branch) => branch !== '');
      return { ...identity, branches };
    };
  };
}
