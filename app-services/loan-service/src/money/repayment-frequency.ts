/** How often instalments fall due. */
export const REPAYMENT_FREQUENCIES = ['weekly', 'fortnightly', 'monthly'] as const;
export type RepaymentFrequency = (typeof REPAYMENT_FREQUENCIES)[number];

/** Instalments per year, used to turn the annual rate into a periodic rate (annual / periods). */
export const PERIODS_PER_YEAR: Readonly<Record<RepaymentFrequency, bigint>> = {
  weekly: 52n,
  fortnightly: 26n,
  monthly: 12n,
};

/** How interest is charged. */
export const INTEREST_METHODS = ['flat', 'reducing_balance'] as const;
export type InterestMethod = (typeof INTEREST_METHODS)[number];
