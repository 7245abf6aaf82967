import { z } from 'zod';
import { type Identity, type Role, requireRole } from '../auth/identity';
import type { ApplicationRecord } from '../repositories/application-repository';
import { ForbiddenError, InvalidInputError } from './domain-errors';

/**
 * Who may see and act on loan applications (see the service README, "Rules the service enforces"):
 *
 * - loan_officer and credit_manager work on the applications of their own branches only;
 * - head_office reads every branch, and acts only through a loan_officer or credit_manager role
 *   in its own branches;
 * - config_admin sees no application, whatever other role the identity holds (separation of
 *   duties: whoever sets products and risk grades does not handle applications);
 * - any other identity sees none.
 */

/** Roles that give access to loan applications. */
export const APPLICATION_ROLES = ['loan_officer', 'credit_manager', 'head_office'] as const satisfies readonly Role[];

/**
 * The branch of applications stored before applications had branches. No user works in it: only
 * head office reads those applications until an operator moves them to their real branch.
 */
export const UNASSIGNED_BRANCH = 'unassigned';

/** Branch codes: lower-case slugs, as identities carry them. */
export const branchCodeSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,48}[a-z0-9]$/, 'must be a branch code: 2-50 lower-case letters, digits or dashes (e.g. "lusaka-cairo-road")');

/** What part of the applications a caller may read. */
export type ApplicationScope =
  | { readonly allBranches: true }
  | { readonly allBranches: false; readonly branches: readonly string[] };

/** The branches an identity works in, lower-case, without duplicates or the `unassigned` placeholder. */
export function branchesOf(identity: Identity): string[] {
  const branches = (identity.branches ?? []).map((branch) => branch.trim().toLowerCase());
  return [...new Set(branches)].filter((branch) => branch !== '' && branch !== UNASSIGNED_BRANCH);
}

/**
 * The applications `identity` may read.
 *
 * @throws ForbiddenError (403) for a config_admin, an identity without an application role, and
 * a loan_officer or credit_manager assigned to no branch.
 */
export function applicationReadScope(identity: Identity): ApplicationScope {
  refuseConfigAdmin(identity);
  if (!APPLICATION_ROLES.some((role) => identity.roles.includes(role))) {
    throw new ForbiddenError(
      `user "${identity.userId}" has no role that may see loan applications ` +
        `(required: loan_officer, credit_manager or head_office; has: ${rolesText(identity)})`,
    );
  }
  if (identity.roles.includes('head_office')) return { allBranches: true };
  return { allBranches: false, branches: requireSomeBranch(identity) };
}

/** @throws ForbiddenError (403) unless `identity` may read this application (see applicationReadScope). */
export function assertCanRead(identity: Identity, application: ApplicationRecord): void {
  const scope = applicationReadScope(identity);
  if (scope.allBranches || scope.branches.includes(application.branch)) return;
  throw new ForbiddenError(
    `loan application "${application.id}" belongs to branch "${application.branch}", which user "${identity.userId}" does not work in ` +
      `(allowed: ${scope.branches.join(', ')}, or the head_office role to read every branch)`,
  );
}

/** @throws ForbiddenError (403) unless `identity` may list `branch` (see applicationReadScope). */
export function assertCanList(identity: Identity, branch: string): void {
  const scope = applicationReadScope(identity);
  if (scope.allBranches || scope.branches.includes(branch)) return;
  throw new ForbiddenError(
    `user "${identity.userId}" does not work in branch "${branch}" (allowed: ${scope.branches.join(', ')}, or the head_office role for every branch)`,
  );
}

/**
 * @throws ForbiddenError (403) unless `identity` has `role` and works in the application's branch;
 * head office's reach over every branch is for reading only.
 */
export function assertCanAct(identity: Identity, application: ApplicationRecord, role: 'loan_officer' | 'credit_manager', action: string): void {
  requireRole(identity, role);
  refuseConfigAdmin(identity);
  const branches = branchesOf(identity);
  if (branches.includes(application.branch)) return;
  throw new ForbiddenError(
    `loan application "${application.id}" belongs to branch "${application.branch}"; only a ${role} of that branch may ${action} it ` +
      `(user "${identity.userId}" works in: ${branches.length === 0 ? 'no branch' : branches.join(', ')})`,
  );
}

/**
 * The branch a new application belongs to: the one requested, which must be one of the loan
 * officer's branches, or else the officer's only branch.
 *
 * @throws ForbiddenError (403) for a branch the officer does not work in, or an officer of no branch.
 * @throws InvalidInputError (400) when the officer works in several branches and names none.
 */
export function branchForNewApplication(identity: Identity, requested: string | undefined): string {
  requireRole(identity, 'loan_officer');
  refuseConfigAdmin(identity);
  const branches = requireSomeBranch(identity);
  if (requested !== undefined) {
    if (branches.includes(requested)) return requested;
    throw new ForbiddenError(
      `user "${identity.userId}" cannot submit an application for branch "${requested}" (allowed: ${branches.join(', ')})`,
    );
  }
  const [only, ...others] = branches;
  if (only !== undefined && others.length === 0) return only;
  throw new InvalidInputError(`branch is required: user "${identity.userId}" works in several branches (allowed: ${branches.join(', ')})`);
}

function refuseConfigAdmin(identity: Identity): void {
  if (!identity.roles.includes('config_admin')) return;
  throw new ForbiddenError(
    `user "${identity.userId}" is a config_admin and may not also see loan applications ` +
      '(separation of duties: whoever sets products and risk grades does not handle applications)',
  );
}

function requireSomeBranch(identity: Identity): string[] {
  const branches = branchesOf(identity);
  if (branches.length > 0) return branches;
  throw new ForbiddenError(`user "${identity.userId}" is not assigned to any branch (the identity must carry the branches the user works in)`);
}

function rolesText(identity: Identity): string {
  return identity.roles.length === 0 ? 'none' : identity.roles.join(', ');
}
