import { dueDate } from './due-dates';
import { type InterestMethod, PERIODS_PER_YEAR, type RepaymentFrequency } from './repayment-frequency';
import { divideHalfUp } from './rounding';

/** Basis points in one whole: 10,000 bps = 100%. */
const BPS_PER_UNIT = 10_000n;

/**
 * How far, in ngwee, a reducing-balance schedule's outstanding balance may drift from the exact
 * annuity balance before an instalment is adjusted to bring it back: ZMW 1.
 */
export const MAX_BALANCE_DRIFT_NGWEE = 100n;

/** The terms a schedule is computed from. All money is integer ngwee; rates are integer basis points. */
export interface ScheduleTerms {
  readonly principalNgwee: bigint;
  /** Nominal annual rate, e.g. 2400 = 24% p.a. The periodic rate is annual / periods per year. */
  readonly annualInterestRateBps: number;
  readonly instalmentCount: number;
  readonly frequency: RepaymentFrequency;
  readonly method: InterestMethod;
  /** Arrangement fee as basis points of the principal, charged up front (deducted at disbursement). */
  readonly arrangementFeeBps: number;
  /** Flat fee in ngwee, charged up front. */
  readonly flatFeeNgwee: bigint;
  /** Loan start date `YYYY-MM-DD`; instalment k falls due k periods later. */
  readonly startDate: string;
}

/** One row of a repayment schedule. */
export interface Instalment {
  readonly number: number;
  readonly dueDate: string;
  readonly principalNgwee: bigint;
  readonly interestNgwee: bigint;
  readonly paymentNgwee: bigint;
  /** Principal still owed after this instalment is paid. */
  readonly closingBalanceNgwee: bigint;
}

/** A full repayment schedule with its totals. */
export interface RepaymentSchedule {
  readonly method: InterestMethod;
  readonly frequency: RepaymentFrequency;
  /** The regular instalment before the last one absorbs rounding. */
  readonly regularPaymentNgwee: bigint;
  readonly instalments: readonly Instalment[];
  readonly totalPrincipalNgwee: bigint;
  readonly totalInterestNgwee: bigint;
  readonly totalRepayableNgwee: bigint;
  /** Arrangement fee (half-up to the ngwee) plus flat fee. */
  readonly upfrontFeesNgwee: bigint;
  /** What the borrower receives: principal less up-front fees. */
  readonly netDisbursementNgwee: bigint;
}

/** Raised when terms are well-formed but cannot produce a sensible schedule. */
export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

/**
 * Computes a repayment schedule with exact integer arithmetic (bigint ngwee, no floating point).
 * Every principal and interest share is a whole number of ngwee; the shares sum exactly to the
 * principal and the total interest, and every instalment is positive.
 *
 * - `flat`: total interest = principal x rate x instalments / periods per year (half-up once);
 *   principal and interest are each spread evenly, the per-instalment shares rounded down, and
 *   the last instalment takes the remainder (less than one ngwee per instalment of each).
 * - `reducing_balance`: the annuity payment A = P.r.(1+r)^n / ((1+r)^n - 1) with r = bps /
 *   (10,000 x periods per year), computed as one exact fraction and rounded half-up; each
 *   instalment's interest is the opening balance x r (half-up) and its principal is A less that
 *   interest, the last instalment repaying whatever balance is left. A rounded payment differs
 *   from the exact one by up to half a ngwee, and that difference compounds at the periodic rate:
 *   over 360 months at 36% p.a. it grows about 42,000-fold, so a constant payment would leave a
 *   last instalment thousands of kwacha off (or a negative one). The balance is therefore kept
 *   within MAX_BALANCE_DRIFT_NGWEE of the exact annuity balance: when an instalment would take it
 *   further, that instalment's principal is set so the balance lands on the exact balance
 *   (rounded half-up). Short and moderate loans never drift that far and keep one constant
 *   payment with the last absorbing a few ngwee; long loans at high rates see an occasional
 *   instalment adjusted by about a kwacha.
 * - a zero rate (either method) spreads the principal as `flat` does.
 *
 * @throws ScheduleError when the principal is too small to give every instalment at least one ngwee.
 */
export function calculateSchedule(terms: ScheduleTerms): RepaymentSchedule {
  validateTerms(terms);
  const rows =
    terms.method === 'flat' || terms.annualInterestRateBps === 0 ? evenRows(terms) : reducingBalanceRows(terms);
  const instalments: Instalment[] = [];
  let balance = terms.principalNgwee;
  rows.forEach((row, index) => {
    const paymentNgwee = row.principalNgwee + row.interestNgwee;
    if (paymentNgwee <= 0n) {
      throw new ScheduleError(
        `principal of ${terms.principalNgwee} ngwee is too small to spread over ${terms.instalmentCount} instalments`,
      );
    }
    balance -= row.principalNgwee;
    instalments.push({
      number: index + 1,
      dueDate: dueDate(terms.startDate, terms.frequency, index + 1),
      principalNgwee: row.principalNgwee,
      interestNgwee: row.interestNgwee,
      paymentNgwee,
      closingBalanceNgwee: balance,
    });
  });
  const totalInterestNgwee = instalments.reduce((sum, row) => sum + row.interestNgwee, 0n);
  const upfrontFeesNgwee =
    divideHalfUp(terms.principalNgwee * BigInt(terms.arrangementFeeBps), BPS_PER_UNIT) + terms.flatFeeNgwee;
  return {
    method: terms.method,
    frequency: terms.frequency,
    regularPaymentNgwee: instalments[0]?.paymentNgwee ?? 0n,
    instalments,
    totalPrincipalNgwee: terms.principalNgwee,
    totalInterestNgwee,
    totalRepayableNgwee: terms.principalNgwee + totalInterestNgwee,
    upfrontFeesNgwee,
    netDisbursementNgwee: terms.principalNgwee - upfrontFeesNgwee,
  };
}

interface RowAmounts {
  readonly principalNgwee: bigint;
  readonly interestNgwee: bigint;
}

/** Flat interest (zero at a zero rate) and principal, each spread in equal shares rounded down. */
function evenRows(terms: ScheduleTerms): RowAmounts[] {
  const count = BigInt(terms.instalmentCount);
  const totalInterest = divideHalfUp(
    terms.principalNgwee * BigInt(terms.annualInterestRateBps) * count,
    BPS_PER_UNIT * PERIODS_PER_YEAR[terms.frequency],
  );
  const regularPrincipal = terms.principalNgwee / count;
  const regularInterest = totalInterest / count;
  const rows: RowAmounts[] = [];
  for (let number = 1n; number <= count; number++) {
    const isLast = number === count;
    rows.push({
      principalNgwee: isLast ? terms.principalNgwee - regularPrincipal * (count - 1n) : regularPrincipal,
      interestNgwee: isLast ? totalInterest - regularInterest * (count - 1n) : regularInterest,
    });
  }
  return rows;
}

/**
 * Annuity rows, the balance held within MAX_BALANCE_DRIFT_NGWEE of the exact annuity balance.
 *
 * With r = a/b and G = a + b, the exact balance after k instalments is
 * P.((1+r)^n - (1+r)^k) / ((1+r)^n - 1) = P.(G^n - G^k.b^(n-k)) / (G^n - b^n), compared as integers.
 */
function reducingBalanceRows(terms: ScheduleTerms): RowAmounts[] {
  const count = terms.instalmentCount;
  const principal = terms.principalNgwee;
  const rateNumerator = BigInt(terms.annualInterestRateBps);
  const rateDenominator = BPS_PER_UNIT * PERIODS_PER_YEAR[terms.frequency];
  const growthFactor = rateDenominator + rateNumerator;
  const growth = growthFactor ** BigInt(count);
  const denominator = growth - rateDenominator ** BigInt(count);
  // A = P.a.G^n / (b.(G^n - b^n)), rounded half-up once.
  const payment = divideHalfUp(principal * rateNumerator * growth, rateDenominator * denominator);
  const allowedDrift = MAX_BALANCE_DRIFT_NGWEE * denominator;
  const rows: RowAmounts[] = [];
  let balance = principal;
  // G^k.b^(n-k), from b^n at k = 0 to G^n at k = n.
  let mixedPower = rateDenominator ** BigInt(count);
  for (let number = 1; number <= count; number++) {
    const interest = divideHalfUp(balance * rateNumerator, rateDenominator);
    mixedPower = (mixedPower / rateDenominator) * growthFactor;
    let principalPart = number === count ? balance : payment - interest;
    if (number < count) {
      const exactBalanceTimesDenominator = principal * (growth - mixedPower);
      const drift = (balance - principalPart) * denominator - exactBalanceTimesDenominator;
      if (principalPart < 0n || principalPart > balance || drift > allowedDrift || -drift > allowedDrift) {
        const exactBalance = divideHalfUp(exactBalanceTimesDenominator, denominator);
        principalPart = balance - exactBalance;
        if (principalPart < 0n) principalPart = 0n;
        if (principalPart > balance) principalPart = balance;
      }
    }
    rows.push({ principalNgwee: principalPart, interestNgwee: interest });
    balance -= principalPart;
  }
  return rows;
}

function validateTerms(terms: ScheduleTerms): void {
  if (terms.principalNgwee <= 0n) throw new ScheduleError(`principalNgwee ${terms.principalNgwee} must be positive`);
  if (!Number.isInteger(terms.instalmentCount) || terms.instalmentCount < 1) {
    throw new ScheduleError(`instalmentCount ${terms.instalmentCount} must be a positive integer`);
  }
  if (!Number.isInteger(terms.annualInterestRateBps) || terms.annualInterestRateBps < 0) {
    throw new ScheduleError(`annualInterestRateBps ${terms.annualInterestRateBps} must be a non-negative integer`);
  }
  if (!Number.isInteger(terms.arrangementFeeBps) || terms.arrangementFeeBps < 0) {
    throw new ScheduleError(`arrangementFeeBps ${terms.arrangementFeeBps} must be a non-negative integer`);
  }
  if (terms.flatFeeNgwee < 0n) throw new ScheduleError(`flatFeeNgwee ${terms.flatFeeNgwee} must not be negative`);
}
