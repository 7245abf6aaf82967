import { z } from 'zod';
import type { Identity } from '../auth/identity';
import { branchCodeSchema, branchesOf } from './application-access';
import { MAX_NGWEE, productIdSchema } from './loan-product';

/** Matches every product, risk grade or branch in an authority rule. */
export const ANY = '*';

const userIdSchema = z.string().min(1).max(200).regex(/^[^\s\p{Cc}]+$/u, 'must be a user id without spaces or control characters')
  .transform((value) => value.normalize('NFC').toLowerCase());

/**
 * One line of the approval authority matrix: a credit manager may approve an application of this
 * product, risk grade and branch (each exact or `*`) whose principal is at most `maxPrincipalNgwee`;
 * `approvers`, when given, names the only credit managers the line empowers.
 */
export const authorityRuleSchema = z
  .object({
    productId: z.union([z.literal(ANY), productIdSchema]),
    riskGrade: z.union([z.literal(ANY), z.string().regex(/^[A-Z][A-Z0-9+-]{0,19}$/, 'must be "*" or an upper-case grade name such as "A"')]),
    branch: z.union([z.literal(ANY), branchCodeSchema]),
    maxPrincipalNgwee: z.number().int().min(1).max(MAX_NGWEE),
    approvers: z.array(userIdSchema).min(1).max(50).optional(),
  })
  .strict();

/** The approval authority matrix: who may approve which principal, per product, risk grade and branch. */
export const authorityMatrixSchema = z
  .object({ rules: z.array(authorityRuleSchema).min(1).max(500) })
  .strict()
  .superRefine((matrix, context) => {
    const seen = new Map<string, number>();
    matrix.rules.forEach((rule, index) => {
      const scope = `${rule.productId}|${rule.riskGrade}|${rule.branch}|${(rule.approvers ?? [ANY]).join(',')}`;
      const earlier = seen.get(scope);
      if (earlier !== undefined) {
        context.addIssue({ code: 'custom', path: ['rules', index], message: `repeats the scope of rules[${earlier}] (product, risk grade, branch and approvers)` });
      }
      seen.set(scope, index);
    });
  });

export type AuthorityMatrix = z.infer<typeof authorityMatrixSchema>;
export type AuthorityRule = AuthorityMatrix['rules'][number];

/** What of an application the matrix looks at. */
export interface ApprovalCase {
  readonly productId: string;
  readonly riskGrade: string;
  readonly branch: string;
  readonly principalNgwee: number;
}

/** The rules that apply to `userId` for this product, grade and branch (whatever the principal). */
export function rulesFor(matrix: AuthorityMatrix, userId: string, approval: ApprovalCase): AuthorityRule[] {
  return matrix.rules.filter(
    (rule) =>
      (rule.productId === ANY || rule.productId === approval.productId) &&
      (rule.riskGrade === ANY || rule.riskGrade === approval.riskGrade) &&
      (rule.branch === ANY || rule.branch === approval.branch) &&
      (rule.approvers === undefined || rule.approvers.includes(userId)),
  );
}

/** The largest principal `userId` may approve for this case under the matrix; 0 when no rule applies. */
export function approvalLimitFor(matrix: AuthorityMatrix, userId: string, approval: ApprovalCase): number {
  return Math.max(0, ...rulesFor(matrix, userId, approval).map((rule) => rule.maxPrincipalNgwee));
}

/**
 * The rules a user may see: every rule for config_admin and head_office, else the rules of the
 * user's branches and of every branch (`*`).
 */
export function visibleAuthorityRules(identity: Identity, matrix: AuthorityMatrix): AuthorityRule[] {
  if (identity.roles.includes('config_admin') || identity.roles.includes('head_office')) return [...matrix.rules];
  const branches = branchesOf(identity);
  return matrix.rules.filter((rule) => rule.branch === ANY || branches.includes(rule.branch));
}
