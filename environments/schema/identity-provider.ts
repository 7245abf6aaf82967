import { z } from 'zod';
import { describeValue, strict } from './common';
import { privateIpv4Cidr } from './network';
import { SITE_NAMES, type SiteName } from './site';
import { inCountryUrl } from './sovereignty';

/** Where one site's pods fetch the identity provider's signing keys. */
const siteKeys = strict({
  /**
   * The provider's JWKS at the site's own data centre, inside the site's `dnsDomain` (the
   * environment checks it), so the site verifies tokens with the other site gone.
   */
  url: inCountryUrl,
  /** Address blocks of the provider's servers at that data centre: the only addresses outside the cluster the loan-service's pods may call, on the URL's port. */
  addressBlocks: z.array(privateIpv4Cidr).min(1),
});

/**
 * The identity provider whose tokens the environment's loan-service accepts: the bank's own,
 * in the country, with a node at each data centre. The service checks each bearer token's
 * signature against the provider's published keys (JWKS), and its `iss` and `aud` claims.
 * Issuer and audience are the environment's (a token stays valid after a failover); each site
 * fetches the keys from the provider's node at its own data centre.
 */
export const identityProvider = strict({
  /** The `iss` claim of the provider's tokens, exactly as it writes it, e.g. `https://id.lms.co.zm/realms/lms-production`. */
  issuer: inCountryUrl,
  /** The `aud` claim a token must carry to be accepted by the loan-service, e.g. `loan-service`. */
  audience: z.string().regex(/^[\x21-\x7e]{1,255}$/, {
    error: (issue) => `${describeValue(issue.input)} is not a token audience (allowed: 1-255 printable characters without spaces, e.g. "loan-service")`,
  }),
  /** Each site's JWKS endpoint and the provider's addresses there. */
  jwks: strict(Object.fromEntries(SITE_NAMES.map((name) => [name, siteKeys])) as Record<SiteName, typeof siteKeys>),
});

export type IdentityProvider = z.output<typeof identityProvider>;
