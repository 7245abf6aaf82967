import { z } from 'zod';
import { INTEREST_METHODS, REPAYMENT_FREQUENCIES } from '../money/repayment-frequency';
import { divideHalfUp } from '../money/rounding';
import { plainTextSchema } from './plain-text';

/**
 * Largest money amount accepted anywhere: ZMW 10 billion in ngwee. Far below 2^53, so every
 * amount derived from it (interest at up to 1000% p.a. included) stays exact as a JSON number.
 */
export const MAX_NGWEE = 1_000_000_000_000;

const ngwee = z.number().int().min(0).max(MAX_NGWEE);
const positiveNgwee = z.number().int().min(1).max(MAX_NGWEE);

/** Basis points in one whole: 10,000 bps = 100%. */
const BPS_PER_UNIT = 10_000n;

/** A loan product's fields and limits, with the given rule for its name. */
function productSchema<Name extends z.ZodType<string>>(name: Name) {
  return z
    .object({
      name,
      currency: z.literal('ZMW'),
      /** Nominal annual rate in basis points; 2400 = 24% p.a. Capped at 1000% p.a. */
      annualInterestRateBps: z.number().int().min(0).max(100_000),
      interestMethod: z.enum(INTEREST_METHODS),
      repaymentFrequency: z.enum(REPAYMENT_FREQUENCIES),
      /** Arrangement fee as basis points of the principal, charged up front. */
      arrangementFeeBps: z.number().int().min(0).max(10_000),
      /** Flat fee in ngwee, charged up front. */
      flatFeeNgwee: ngwee,
      minPrincipalNgwee: positiveNgwee,
      maxPrincipalNgwee: positiveNgwee,
      minInstalments: z.number().int().min(1).max(520),
      maxInstalments: z.number().int().min(1).max(520),
    })
    .strict()
    .superRefine((product, context) => {
      if (product.minPrincipalNgwee > product.maxPrincipalNgwee) {
        context.addIssue({
          code: 'custom',
          path: ['maxPrincipalNgwee'],
          message: `must be at least minPrincipalNgwee (${product.minPrincipalNgwee})`,
        });
      }
      if (product.minInstalments > product.maxInstalments) {
        context.addIssue({
          code: 'custom',
          path: ['maxInstalments'],
          message: `must be at least minInstalments (${product.minInstalments})`,
        });
      }
    });
}

/**
 * A stored loan product version as it is read back: the fields and limits only. A version
 * approved before a later rule (see loanProductSchema) keeps working, so the applications made
 * under it keep their schedules.
 */
export const storedLoanProductSchema = productSchema(z.string().min(1).max(200));

/**
 * Up-front fees on a principal: the arrangement fee (basis points, half-up to the ngwee, as the
 * schedule charges it) plus the flat fee.
 */
export function upfrontFeesNgwee(product: Pick<LoanProduct, 'arrangementFeeBps' | 'flatFeeNgwee'>, principalNgwee: number): number {
  const arrangementFee = divideHalfUp(BigInt(principalNgwee) * BigInt(product.arrangementFeeBps), BPS_PER_UNIT);
  return Number(arrangementFee) + product.flatFeeNgwee;
}

/**
 * A loan product as proposed by a config admin (the body of a new product version): the stored
 * shape plus the rules a version must meet to be proposed or approved.
 *
 * - Up-front fees on the smallest principal must stay below it. The net disbursement
 *   (principal - fees) only grows with the principal while the arrangement fee is below 100%, so
 *   checking the smallest principal covers every principal the product allows.
 * - The smallest principal must be at least the largest instalment count, so every instalment
 *   can repay at least one ngwee.
 */
export const loanProductSchema = productSchema(plainTextSchema({ min: 1, max: 200 })).superRefine((product, context) => {
  const fees = upfrontFeesNgwee(product, product.minPrincipalNgwee);
  if (fees >= product.minPrincipalNgwee) {
    context.addIssue({
      code: 'custom',
      path: ['flatFeeNgwee'],
      message:
        `flatFeeNgwee ${product.flatFeeNgwee} plus arrangementFeeBps ${product.arrangementFeeBps} of minPrincipalNgwee ` +
        `${product.minPrincipalNgwee} (${fees - product.flatFeeNgwee}) makes up-front fees of ${fees} ngwee, which would leave ` +
        `nothing to disburse (allowed: fees below minPrincipalNgwee ${product.minPrincipalNgwee})`,
    });
  }
  if (product.minPrincipalNgwee < product.maxInstalments) {
    context.addIssue({
      code: 'custom',
      path: ['minPrincipalNgwee'],
      message: `must be at least maxInstalments (${product.maxInstalments}), so that every instalment repays at least one ngwee`,
    });
  }
});

export type LoanProduct = z.infer<typeof storedLoanProductSchema>;

/** Product ids are part of URLs and stored on applications: lower-case slugs. */
export const productIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,98}[a-z0-9]$/, 'must be 3-100 lower-case letters, digits or dashes (e.g. "salary-advance")');
