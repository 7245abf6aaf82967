import { z } from 'zod';
import { INTEREST_METHODS, REPAYMENT_FREQUENCIES } from '../money/repayment-frequency';

/**
 * Largest money amount accepted anywhere: ZMW 10 billion in ngwee. Far below 2^53, so every
 * amount derived from it (interest at up to 1000% p.a. included) stays exact as a JSON number.
 */
export const MAX_NGWEE = 1_000_000_000_000;

const ngwee = z.number().int().min(0).max(MAX_NGWEE);
const positiveNgwee = z.number().int().min(1).max(MAX_NGWEE);

/** A loan product as proposed by a config admin (the body of a new product version). */
export const loanProductSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
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

export type LoanProduct = z.infer<typeof loanProductSchema>;

/** Product ids are part of URLs and stored on applications: lower-case slugs. */
export const productIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,98}[a-z0-9]$/, 'must be 3-100 lower-case letters, digits or dashes (e.g. "salary-advance")');
