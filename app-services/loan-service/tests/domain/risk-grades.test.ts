import { gradeForCreditScore, riskGradesSchema } from '../../src/domain/risk-grades';

describe('risk grades', () => {
  const grades = riskGradesSchema.parse({
    grades: [
      { grade: 'C', minCreditScore: 400, maxPrincipalNgwee: 500_000 },
      { grade: 'A', minCreditScore: 700, maxPrincipalNgwee: 5_000_000 },
      { grade: 'B', minCreditScore: 550, maxPrincipalNgwee: 2_000_000 },
    ],
  });

  it.each([
    [1000, 'A'],
    [700, 'A'],
    [699, 'B'],
    [550, 'B'],
    [400, 'C'],
  ])('score %i earns grade %s, whatever the order they were listed in', (score, grade) => {
    expect(gradeForCreditScore(grades, score)?.grade).toBe(grade);
  });

  it('grades nobody below the lowest threshold', () => {
    expect(gradeForCreditScore(grades, 399)).toBeUndefined();
  });

  it('refuses duplicate grades and thresholds', () => {
    const result = riskGradesSchema.safeParse({
      grades: [
        { grade: 'A', minCreditScore: 700, maxPrincipalNgwee: 1 },
        { grade: 'A', minCreditScore: 700, maxPrincipalNgwee: 1 },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['grades.1.grade', 'duplicate grade "A"'],
      ['grades.1.minCreditScore', 'duplicate threshold 700'],
    ]);
  });
});
