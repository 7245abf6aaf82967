import { ForbiddenError } from '../domain/domain-errors';

/** Roles the service knows; any others an identity carries are ignored. */
export const ROLES = ['loan_officer', 'credit_manager', 'config_admin', 'head_office'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as established by the authenticator. */
export interface Identity {
  /** Normalised (NFC, lower case): compare it as is. */
  readonly userId: string;
  readonly roles: readonly Role[];
  /**
   * The branch codes the user works in, lower-case (e.g. `lusaka-cairo-road`): the JWT claim
   * `branches` or the `x-authenticated-branches` header; empty when neither is present.
   */
  readonly branches: readonly string[];
}

/** Keeps the known roles of a list, in order, without duplicates. */
export function knownRoles(candidates: readonly string[]): Role[] {
  return ROLES.filter((role) => candidates.includes(role));
}

/**
 * @throws ForbiddenError unless the identity has at least one of the roles.
 */
export function requireRole(identity: Identity, ...anyOf: Role[]): void {
  if (anyOf.some((role) => identity.roles.includes(role))) return;
  throw new ForbiddenError(
    `user "${identity.userId}" lacks the role for this action (required: ${anyOf.join(' or ')}; ` +
      `has: ${identity.roles.length === 0 ? 'none' : identity.roles.join(', ')})`,
  );
}
