import { z } from 'zod';
import { MAX_NGWEE } from './loan-product';

/**
 * Risk-grade thresholds: an application's credit score (0-1000) earns the first grade, highest
 * threshold first, whose `minCreditScore` it reaches; the grade caps the principal it may borrow.
 */
export const riskGradesSchema = z
  .object({
    grades: z
      .array(
        z
          .object({
            grade: z.string().regex(/^[A-Z][A-Z0-9+-]{0,19}$/, 'must be an upper-case grade name such as "A" or "B+"'),
            minCreditScore: z.number().int().min(0).max(1000),
            maxPrincipalNgwee: z.number().int().min(1).max(MAX_NGWEE),
          })
          .strict(),
      )
      .min(1)
      .max(20),
  })
  .strict()
  .superRefine((value, context) => {
    const seenGrades = new Set<string>();
    const seenScores = new Set<number>();
    value.grades.forEach((grade, index) => {
      if (seenGrades.has(grade.grade)) {
        context.addIssue({ code: 'custom', path: ['grades', index, 'grade'], message: `duplicate grade "${grade.grade}"` });
      }
      if (seenScores.has(grade.minCreditScore)) {
        context.addIssue({
          code: 'custom',
          path: ['grades', index, 'minCreditScore'],
          message: `duplicate threshold ${grade.minCreditScore}`,
        });
      }
      seenGrades.add(grade.grade);
      seenScores.add(grade.minCreditScore);
    });
  });

export type RiskGrades = z.infer<typeof riskGradesSchema>;
export type RiskGrade = RiskGrades['grades'][number];

/** The grade a credit score earns, or undefined when it is below every threshold. */
export function gradeForCreditScore(riskGrades: RiskGrades, creditScore: number): RiskGrade | undefined {
  return [...riskGrades.grades]
    .sort((left, right) => right.minCreditScore - left.minCreditScore)
    .find((grade) => creditScore >= grade.minCreditScore);
}
