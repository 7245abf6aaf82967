import { calculateSchedule, MAX_BALANCE_DRIFT_NGWEE, type RepaymentSchedule, type ScheduleTerms } from '../../src/money/repayment-schedule';
import { INTEREST_METHODS, type InterestMethod, REPAYMENT_FREQUENCIES, type RepaymentFrequency } from '../../src/money/repayment-frequency';

/** mulberry32: a small seeded generator, so the sweep is the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const BASE_TERMS = { arrangementFeeBps: 0, flatFeeNgwee: 0n, startDate: '2026-01-15' } as const;

/** Every property a schedule must have, whatever the terms; returns the first one broken, or 'ok'. */
function brokenProperty(terms: ScheduleTerms, schedule: RepaymentSchedule): string {
  const rows = schedule.instalments;
  const sum = (pick: (row: (typeof rows)[number]) => bigint) => rows.reduce((total, row) => total + pick(row), 0n);
  if (rows.length !== terms.instalmentCount) return `has ${rows.length} instalments`;
  if (sum((row) => row.principalNgwee) !== terms.principalNgwee) return 'principal does not sum to the loan';
  if (sum((row) => row.interestNgwee) !== schedule.totalInterestNgwee) return 'interest does not sum to the total';
  if (sum((row) => row.paymentNgwee) !== schedule.totalRepayableNgwee) return 'payments do not sum to the total repayable';
  if (schedule.totalRepayableNgwee !== terms.principalNgwee + schedule.totalInterestNgwee) return 'total repayable is not principal + interest';
  if (rows.at(-1)?.closingBalanceNgwee !== 0n) return 'the last instalment leaves a balance';
  for (const row of rows) {
    if (row.paymentNgwee <= 0n) return `instalment ${row.number} is ${row.paymentNgwee}`;
    if (row.principalNgwee < 0n || row.interestNgwee < 0n) return `instalment ${row.number} has a negative part`;
    if (row.paymentNgwee !== row.principalNgwee + row.interestNgwee) return `instalment ${row.number} does not add up`;
  }
  // No balloon and no shortfall: every instalment stays close to the regular one.
  const allowed = terms.method === 'flat' || terms.annualInterestRateBps === 0
    ? 2n * BigInt(terms.instalmentCount)
    : 2n * MAX_BALANCE_DRIFT_NGWEE + 2n;
  const worst = rows.reduce((max, row) => {
    const gap = row.paymentNgwee - schedule.regularPaymentNgwee;
    return gap < 0n ? (-gap > max ? -gap : max) : gap > max ? gap : max;
  }, 0n);
  if (worst > allowed) return `an instalment differs from the regular ${schedule.regularPaymentNgwee} by ${worst} ngwee (allowed: ${allowed})`;
  return 'ok';
}

describe('calculateSchedule over a seeded sweep of terms', () => {
  it('reproduces the long-loan case: 36% p.a., monthly, 360 instalments, 400 principals', () => {
    const random = seededRandom(36);
    const broken: string[] = [];
    for (let index = 0; index < 400; index++) {
      const terms: ScheduleTerms = {
        ...BASE_TERMS,
        principalNgwee: BigInt(50_000 + Math.floor(random() * 4_950_000)),
        annualInterestRateBps: 3600,
        instalmentCount: 360,
        frequency: 'monthly',
        method: 'reducing_balance',
      };
      let outcome: string;
      try {
        outcome = brokenProperty(terms, calculateSchedule(terms));
      } catch (error) {
        outcome = (error as Error).message;
      }
      if (outcome !== 'ok') broken.push(`${terms.principalNgwee}: ${outcome}`);
    }
    expect(broken).toEqual([]);
  });

  it('gives 2,000 random principals, rates, frequencies, methods and terms up to 360 exact, positive instalments', () => {
    const random = seededRandom(2026);
    const rates = [0, 1200, 2400, 3600, 6000, 12_000, 40_000, 100_000];
    const broken: string[] = [];
    for (let index = 0; index < 2000; index++) {
      const terms: ScheduleTerms = {
        ...BASE_TERMS,
        // ZMW 500 to ZMW 1,000,000
        principalNgwee: BigInt(50_000 + Math.floor(random() * 99_950_000)),
        annualInterestRateBps: rates[Math.floor(random() * rates.length)] ?? 0,
        instalmentCount: 1 + Math.floor(random() * 360),
        frequency: REPAYMENT_FREQUENCIES[Math.floor(random() * REPAYMENT_FREQUENCIES.length)] as RepaymentFrequency,
        method: INTEREST_METHODS[Math.floor(random() * INTEREST_METHODS.length)] as InterestMethod,
      };
      let outcome: string;
      try {
        outcome = brokenProperty(terms, calculateSchedule(terms));
      } catch (error) {
        outcome = (error as Error).message;
      }
      if (outcome !== 'ok') {
        broken.push(`${terms.method} ${terms.frequency} ${terms.annualInterestRateBps} bps x ${terms.instalmentCount}, ${terms.principalNgwee}: ${outcome}`);
      }
    }
    expect(broken.slice(0, 10)).toEqual([]);
    expect(broken).toHaveLength(0);
  });
});
