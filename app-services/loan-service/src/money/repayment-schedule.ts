import { dueDate } from './due-dates';
import { type InterestMethod, PERIODS_PER_YEAR, type RepaymentFrequency } from './repayment-frequency';
import { divideHalfUp } from './rounding';

/** Basis points in one whole: 10,000 bps = 100%. */
const BPS_PER_UNIT = 10_000n;

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
 *
 * Rounding: every per-instalment amount is rounded half-up to the ngwee; the last instalment
 * takes whatever principal and interest are left, so the totals are exact.
 *
 * - `flat`: total interest = principal x rate x instalments / periods per year (half-up once);
 *   principal and interest are each spread evenly (half-up per instalment).
 * - `reducing_balance`: the annuity payment A = P.r.(1+r)^n / ((1+r)^n - 1) with r = bps / (10,000 x
 *   periods per year), computed as one exact fraction and rounded half-up; each instalment's
 *   interest is the opening balance x r (half-up) and its principal is A less that interest.
 *
 * @throws ScheduleError when the principal is too small to spread over the instalments.
 */
export function calculateSchedule(terms: ScheduleTerms): RepaymentSchedule {
  validateTerms(terms);
  const rows =
    terms.method === 'flat' ? flatRows(terms) : reducingBalanceRows(terms);
  const instalments: Instalment[] = [];
  let balance = terms.principalNgwee;
  rows.forEach((row, index) => {
    if (row.principalNgwee < 0n || row.interestNgwee < 0n || row.principalNgwee > balance) {
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
      paymentNgwee: row.principalNgwee + row.interestNgwee,
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

function flatRows(terms: ScheduleTerms): RowAmounts[] {
  const count = BigInt(terms.instalmentCount);
  const totalInterest = divideHalfUp(
    terms.principalNgwee * BigInt(terms.annualInterestRateBps) * count,
    BPS_PER_UNIT * PERIODS_PER_YEAR[terms.frequency],
  );
  const regularPrincipal = divideHalfUp(terms.principalNgwee, count);
  const regularInterest = divideHalfUp(totalInterest, count);
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

function reducingBalanceRows(terms: ScheduleTerms): RowAmounts[] {
  const count = terms.instalmentCount;
  // Periodic rate r = rateNumerator / rateDenominator exactly.
  const rateNumerator = BigInt(terms.annualInterestRateBps);
  const rateDenominator = BPS_PER_UNIT * PERIODS_PER_YEAR[terms.frequency];
  const payment =
    rateNumerator === 0n
      ? divideHalfUp(terms.principalNgwee, BigInt(count))
      : annuityPayment(terms.principalNgwee, rateNumerator, rateDenominator, count);
  const rows: RowAmounts[] = [];
  let balance = terms.principalNgwee;
  for (let number = 1; number <= count; number++) {
    const interest = divideHalfUp(balance * rateNumerator, rateDenominator);
    const principal = number === count ? balance : payment - interest;
    rows.push({ principalNgwee: principal, interestNgwee: interest });
    balance -= principal;
  }
  return rows;
}

/**
 * A = P.r.(1+r)^n / ((1+r)^n - 1) with r = a/b, rewritten over integers:
 * A = P.a.(b+a)^n / (b.((b+a)^n - b^n)), then rounded half-up once.
 */
function annuityPayment(principal: bigint, rateNumerator: bigint, rateDenominator: bigint, count: number): bigint {
  const growth = (rateDenominator + rateNumerator) ** BigInt(count);
  const base = rateDenominator ** BigInt(count);
  return divideHalfUp(principal * rateNumerator * growth, rateDenominator * (growth - base));
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
