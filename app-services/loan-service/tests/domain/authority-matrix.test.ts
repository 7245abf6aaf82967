import { approvalLimitFor, authorityMatrixSchema, visibleAuthorityRules } from '../../src/domain/authority-matrix';

const MATRIX = authorityMatrixSchema.parse({
  rules: [
    { productId: 'salary-advance', riskGrade: '*', branch: 'lusaka-cairo-road', maxPrincipalNgwee: 500_000 },
    { productId: '*', riskGrade: 'A', branch: 'lusaka-cairo-road', maxPrincipalNgwee: 2_000_000, approvers: ['Chileshe'] },
    { productId: '*', riskGrade: '*', branch: '*', maxPrincipalNgwee: 100_000 },
    { productId: '*', riskGrade: '*', branch: 'kitwe-obote-avenue', maxPrincipalNgwee: 5_000_000 },
  ],
});
const LUSAKA_A = { productId: 'salary-advance', riskGrade: 'A', branch: 'lusaka-cairo-road', principalNgwee: 1 };

describe('approval authority matrix', () => {
  it('gives the largest limit of the lines matching product, grade, branch and approver', () => {
    expect(approvalLimitFor(MATRIX, 'chileshe', LUSAKA_A)).toBe(2_000_000);
    expect(approvalLimitFor(MATRIX, 'musonda', LUSAKA_A)).toBe(500_000);
    expect(approvalLimitFor(MATRIX, 'musonda', { ...LUSAKA_A, productId: 'asset-finance' })).toBe(100_000);
    expect(approvalLimitFor(MATRIX, 'chileshe', { ...LUSAKA_A, productId: 'asset-finance', riskGrade: 'B' })).toBe(100_000);
    expect(approvalLimitFor(MATRIX, 'bwalya', { ...LUSAKA_A, branch: 'kitwe-obote-avenue' })).toBe(5_000_000);
  });

  it('gives nothing where no line applies', () => {
    const narrow = authorityMatrixSchema.parse({ rules: [{ productId: 'salary-advance', riskGrade: 'A', branch: 'lusaka-cairo-road', maxPrincipalNgwee: 1 }] });
    expect(approvalLimitFor(narrow, 'chileshe', { ...LUSAKA_A, riskGrade: 'B' })).toBe(0);
  });

  it("shows business users only their branches' and every branch's lines", () => {
    const kitwe = { userId: 'bwalya', roles: ['credit_manager' as const], branches: ['kitwe-obote-avenue'] };
    expect(visibleAuthorityRules(kitwe, MATRIX)).toEqual([MATRIX.rules[2], MATRIX.rules[3]]);
    expect(visibleAuthorityRules({ userId: 'natasha', roles: ['head_office'], branches: [] }, MATRIX)).toEqual(MATRIX.rules);
  });

  it('refuses a line repeating the scope of another, naming both', () => {
    const line = { productId: '*', riskGrade: '*', branch: '*', maxPrincipalNgwee: 1 };
    const result = authorityMatrixSchema.safeParse({ rules: [line, { ...line, maxPrincipalNgwee: 2 }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['rules.1', 'repeats the scope of rules[0] (product, risk grade, branch and approvers)'],
    ]);
  });
});
