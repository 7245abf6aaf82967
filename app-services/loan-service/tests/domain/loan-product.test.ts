import { loanProductSchema, storedLoanProductSchema } from '../../src/domain/loan-product';
import { SALARY_ADVANCE } from '../support/fixtures';

describe('loanProductSchema', () => {
  it('accepts the salary-advance product', () => {
    expect(loanProductSchema.safeParse(SALARY_ADVANCE).success).toBe(true);
  });

  it('refuses up-front fees that reach the smallest principal, naming the fields and values', () => {
    // 250 bps of 4,000 = 100, plus the flat 5,000 = 5,100 >= 4,000: the borrower would receive -1,100.
    const parsed = loanProductSchema.safeParse({ ...SALARY_ADVANCE, minPrincipalNgwee: 4_000, flatFeeNgwee: 5_000, arrangementFeeBps: 250 });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      [
        'flatFeeNgwee',
        'flatFeeNgwee 5000 plus arrangementFeeBps 250 of minPrincipalNgwee 4000 (100) makes up-front fees of 5100 ngwee, ' +
          'which would leave nothing to disburse (allowed: fees below minPrincipalNgwee 4000)',
      ],
    ]);
  });

  it('refuses fees exactly equal to the smallest principal (a zero disbursement)', () => {
    const parsed = loanProductSchema.safeParse({ ...SALARY_ADVANCE, minPrincipalNgwee: 5_000, flatFeeNgwee: 5_000, arrangementFeeBps: 0 });
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['flatFeeNgwee']);
  });

  it('refuses an arrangement fee of 100% even without a flat fee', () => {
    const parsed = loanProductSchema.safeParse({ ...SALARY_ADVANCE, flatFeeNgwee: 0, arrangementFeeBps: 10_000 });
    expect(parsed.error?.issues.map((issue) => issue.message)).toEqual([
      'flatFeeNgwee 0 plus arrangementFeeBps 10000 of minPrincipalNgwee 50000 (50000) makes up-front fees of 50000 ngwee, ' +
        'which would leave nothing to disburse (allowed: fees below minPrincipalNgwee 50000)',
    ]);
  });

  it('refuses a smallest principal that cannot give every instalment a ngwee', () => {
    const parsed = loanProductSchema.safeParse({ ...SALARY_ADVANCE, minPrincipalNgwee: 100, flatFeeNgwee: 0, arrangementFeeBps: 0, maxInstalments: 360 });
    expect(parsed.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['minPrincipalNgwee', 'must be at least maxInstalments (360), so that every instalment repays at least one ngwee'],
    ]);
  });

  it('still reads a stored version approved before these rules, so its applications keep their schedules', () => {
    const legacy = { ...SALARY_ADVANCE, name: 'Legacy \u202Eadvance', minPrincipalNgwee: 4_000, flatFeeNgwee: 5_000 };
    expect(storedLoanProductSchema.parse(legacy)).toEqual(legacy);
  });
});
