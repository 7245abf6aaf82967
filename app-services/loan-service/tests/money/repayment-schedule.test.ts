import { calculateSchedule, ScheduleError, type ScheduleTerms } from '../../src/money/repayment-schedule';

/** ZMW 10,000 = 1,000,000 ngwee over 12 monthly instalments at 24% p.a. (2400 bps). */
const TEN_THOUSAND_KWACHA_A_YEAR_AT_24: ScheduleTerms = {
  principalNgwee: 1_000_000n,
  annualInterestRateBps: 2400,
  instalmentCount: 12,
  frequency: 'monthly',
  method: 'reducing_balance',
  arrangementFeeBps: 0,
  flatFeeNgwee: 0n,
  startDate: '2026-01-15',
};

describe('calculateSchedule, reducing balance', () => {
  // Worked by hand:
  //   periodic rate r = 24% / 12 = 2% = 0.02
  //   (1.02)^12 = 1.268241794562545
  //   A = 1,000,000 x 0.02 x 1.268241794562545 / 0.268241794562545
  //     = 25,364.8358912509 / 0.268241794562545 = 94,559.5966 ngwee -> half-up 94,560 (ZMW 945.60)
  //   month 1: interest = 1,000,000 x 0.02 = 20,000; principal = 94,560 - 20,000 = 74,560; balance 925,440
  //   month 2: interest = 925,440 x 0.02 = 18,508.8 -> 18,509; principal = 76,051; balance 849,389
  //   month 3: interest = 849,389 x 0.02 = 16,987.78 -> 16,988; principal = 77,572; balance 771,817
  //   ... (same rule every month) ...
  //   month 11: interest = 183,589 x 0.02 = 3,671.78 -> 3,672; principal = 90,888; balance 92,701
  //   month 12: interest = 92,701 x 0.02 = 1,854.02 -> 1,854; principal = the whole 92,701;
  //             payment = 92,701 + 1,854 = 94,555 (the last instalment absorbs the rounding)
  //   total interest = 11 x 94,560 + 94,555 - 1,000,000 = 1,040,160 + 94,555 - 1,000,000 = 134,715
  const schedule = calculateSchedule(TEN_THOUSAND_KWACHA_A_YEAR_AT_24);

  it('charges the annuity payment rounded half-up', () => {
    expect(schedule.regularPaymentNgwee).toBe(94_560n);
  });

  it('matches the worked first three instalments', () => {
    expect(schedule.instalments.slice(0, 3).map((row) => [row.interestNgwee, row.principalNgwee, row.closingBalanceNgwee])).toEqual([
      [20_000n, 74_560n, 925_440n],
      [18_509n, 76_051n, 849_389n],
      [16_988n, 77_572n, 771_817n],
    ]);
  });

  it('lets the last instalment absorb the rounding', () => {
    expect(schedule.instalments[10]).toMatchObject({ interestNgwee: 3_672n, principalNgwee: 90_888n, closingBalanceNgwee: 92_701n });
    expect(schedule.instalments[11]).toMatchObject({
      number: 12,
      interestNgwee: 1_854n,
      principalNgwee: 92_701n,
      paymentNgwee: 94_555n,
      closingBalanceNgwee: 0n,
    });
  });

  it('totals exactly', () => {
    expect(schedule.totalInterestNgwee).toBe(134_715n);
    expect(schedule.totalRepayableNgwee).toBe(1_134_715n);
    expect(schedule.instalments.reduce((sum, row) => sum + row.principalNgwee, 0n)).toBe(1_000_000n);
  });

  it('dates monthly instalments from the start date', () => {
    expect(schedule.instalments.map((row) => row.dueDate).slice(0, 2)).toEqual(['2026-02-15', '2026-03-15']);
    expect(schedule.instalments[11]?.dueDate).toBe('2027-01-15');
  });

  it('divides evenly at a zero rate', () => {
    // 1,000,000 / 12 = 83,333.33 -> 83,333; last = 1,000,000 - 11 x 83,333 = 83,337
    const interestFree = calculateSchedule({ ...TEN_THOUSAND_KWACHA_A_YEAR_AT_24, annualInterestRateBps: 0 });
    expect(interestFree.totalInterestNgwee).toBe(0n);
    expect(interestFree.instalments[0]?.paymentNgwee).toBe(83_333n);
    expect(interestFree.instalments[11]?.paymentNgwee).toBe(83_337n);
  });
});

describe('calculateSchedule, flat', () => {
  // Worked by hand:
  //   total interest = 1,000,000 x 24% x 12/12 = 240,000 ngwee
  //   principal per instalment = 1,000,000 / 12 = 83,333.33 -> 83,333; last = 1,000,000 - 11 x 83,333 = 83,337
  //   interest per instalment = 240,000 / 12 = 20,000 exactly
  //   instalment = 103,333; last = 83,337 + 20,000 = 103,337
  //   arrangement fee 250 bps = 2.5% of 1,000,000 = 25,000 plus flat fee 5,000 -> 30,000 up front;
  //   net disbursement = 1,000,000 - 30,000 = 970,000
  const schedule = calculateSchedule({
    ...TEN_THOUSAND_KWACHA_A_YEAR_AT_24,
    method: 'flat',
    arrangementFeeBps: 250,
    flatFeeNgwee: 5_000n,
  });

  it('spreads principal and interest evenly, last instalment absorbing rounding', () => {
    expect(schedule.regularPaymentNgwee).toBe(103_333n);
    expect(schedule.instalments[0]).toMatchObject({ principalNgwee: 83_333n, interestNgwee: 20_000n });
    expect(schedule.instalments[11]).toMatchObject({ principalNgwee: 83_337n, interestNgwee: 20_000n, paymentNgwee: 103_337n, closingBalanceNgwee: 0n });
    expect(schedule.totalInterestNgwee).toBe(240_000n);
    expect(schedule.totalRepayableNgwee).toBe(1_240_000n);
  });

  it('charges fees up front', () => {
    expect(schedule.upfrontFeesNgwee).toBe(30_000n);
    expect(schedule.netDisbursementNgwee).toBe(970_000n);
  });

  it('rounds a fractional total interest half-up once and the shares down, the last taking the remainder', () => {
    // ZMW 1,000.01 = 100,001 ngwee, 26 fortnights (one year) at 30% p.a.:
    //   total interest = 100,001 x 3000 x 26 / (10,000 x 26) = 30,000.3 -> 30,000
    //   interest per fortnight = 30,000 / 26 = 1,153.846 -> 1,153; last = 30,000 - 25 x 1,153 = 1,175
    //   principal per fortnight = 100,001 / 26 = 3,846.19 -> 3,846; last = 100,001 - 25 x 3,846 = 3,851
    const fortnightly = calculateSchedule({
      ...TEN_THOUSAND_KWACHA_A_YEAR_AT_24,
      method: 'flat',
      principalNgwee: 100_001n,
      annualInterestRateBps: 3000,
      instalmentCount: 26,
      frequency: 'fortnightly',
    });
    expect(fortnightly.totalInterestNgwee).toBe(30_000n);
    expect(fortnightly.instalments[0]).toMatchObject({ principalNgwee: 3_846n, interestNgwee: 1_153n, dueDate: '2026-01-29' });
    expect(fortnightly.instalments[25]).toMatchObject({ principalNgwee: 3_851n, interestNgwee: 1_175n });
  });

  it('never asks the last instalment to give money back', () => {
    // ZMW 1.50 over 100 weeks: half-up shares of 2 ngwee would need 99 x 2 = 198 > 150; shares of
    // 1 ngwee leave the last instalment 150 - 99 = 51.
    const tiny = calculateSchedule({ ...TEN_THOUSAND_KWACHA_A_YEAR_AT_24, method: 'flat', annualInterestRateBps: 0, principalNgwee: 150n, instalmentCount: 100 });
    expect(tiny.instalments.slice(0, 99).every((row) => row.paymentNgwee === 1n)).toBe(true);
    expect(tiny.instalments[99]).toMatchObject({ principalNgwee: 51n, paymentNgwee: 51n, closingBalanceNgwee: 0n });
  });
});

describe('calculateSchedule, long reducing-balance loans', () => {
  // ZMW 47,162.49 over 360 months at 36% p.a. (3% a month). The exact payment is 141,490.66 ngwee;
  // a constant 141,491 overpays 0.34 ngwee a month, which compounds to about ZMW 4,800 by the
  // end: the schedule used to run out of balance before the last instalment (a 422). Now the
  // balance is held within ZMW 1 of the exact annuity balance.
  const long = calculateSchedule({
    ...TEN_THOUSAND_KWACHA_A_YEAR_AT_24,
    principalNgwee: 4_716_249n,
    annualInterestRateBps: 3600,
    instalmentCount: 360,
  });

  it('keeps one regular payment and adjusts only the instalments where the balance would drift over ZMW 1', () => {
    expect(long.regularPaymentNgwee).toBe(141_491n);
    const adjusted = long.instalments
      .filter((row) => row.paymentNgwee !== 141_491n)
      .map((row) => [row.number, row.paymentNgwee]);
    expect(adjusted).toEqual([
      [97, 141_430n],
      [126, 141_389n],
      [228, 141_389n],
      [352, 141_390n],
      [360, 141_490n],
    ]);
  });

  it('charges interest on the actual balance and repays the principal exactly', () => {
    // 3% of 4,716,249 = 141,487.47 -> 141,487; the first instalment repays 141,491 - 141,487 = 4.
    expect(long.instalments[0]).toMatchObject({ interestNgwee: 141_487n, principalNgwee: 4n, closingBalanceNgwee: 4_716_245n });
    expect(long.instalments.reduce((sum, row) => sum + row.principalNgwee, 0n)).toBe(4_716_249n);
    expect(long.totalRepayableNgwee).toBe(long.instalments.reduce((sum, row) => sum + row.paymentNgwee, 0n));
    expect(long.instalments[359]?.closingBalanceNgwee).toBe(0n);
  });
});

describe('calculateSchedule, errors', () => {
  it('rejects a principal too small to give every instalment a ngwee', () => {
    // Interest-free, 99 ngwee over 100 instalments: 99 of them would be 0.
    expect(() =>
      calculateSchedule({ ...TEN_THOUSAND_KWACHA_A_YEAR_AT_24, annualInterestRateBps: 0, principalNgwee: 99n, instalmentCount: 100 }),
    ).toThrow(new ScheduleError('principal of 99 ngwee is too small to spread over 100 instalments'));
  });

  it('rejects a zero principal', () => {
    expect(() => calculateSchedule({ ...TEN_THOUSAND_KWACHA_A_YEAR_AT_24, principalNgwee: 0n })).toThrow(
      'principalNgwee 0 must be positive',
    );
  });
});
