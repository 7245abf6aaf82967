import { z } from 'zod';
import type { Identity } from '../auth/identity';
import { branchCodeSchema, branchesOf, UNASSIGNED_BRANCH } from './application-access';
import { plainTextSchema } from './plain-text';

/**
 * The branches the lender operates. Users' membership of branches comes from their identity
 * (the token's `branches` claim); this list says which codes are real branches, their names and
 * whether they take new applications.
 */
export const branchDirectorySchema = z
  .object({
    branches: z
      .array(
        z
          .object({
            code: branchCodeSchema.refine((code) => code !== UNASSIGNED_BRANCH, `"${UNASSIGNED_BRANCH}" is reserved for applications from before branches`),
            name: plainTextSchema({ min: 1, max: 100 }),
            region: plainTextSchema({ min: 1, max: 100 }),
            acceptsApplications: z.boolean(),
          })
          .strict(),
      )
      .min(1)
      .max(500),
  })
  .strict()
  .superRefine((directory, context) => {
    const seen = new Set<string>();
    directory.branches.forEach((branch, index) => {
      if (seen.has(branch.code)) context.addIssue({ code: 'custom', path: ['branches', index, 'code'], message: `duplicate branch code "${branch.code}"` });
      seen.add(branch.code);
    });
  });

export type BranchDirectory = z.infer<typeof branchDirectorySchema>;
export type Branch = BranchDirectory['branches'][number];

/** Every branch for config_admin and head_office; else only the user's own branches. */
export function visibleBranches(identity: Identity, directory: BranchDirectory): Branch[] {
  if (identity.roles.includes('config_admin') || identity.roles.includes('head_office')) return [...directory.branches];
  const own = branchesOf(identity);
  return directory.branches.filter((branch) => own.includes(branch.code));
}
