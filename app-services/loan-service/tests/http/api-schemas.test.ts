import { loanProductSchema } from '../../src/domain/loan-product';
import { newApplicationSchema, rejectionSchema } from '../../src/http/api-schemas';
import { MWILA_APPLICATION, SALARY_ADVANCE } from '../support/fixtures';

const withName = (fullName: string) => ({ ...MWILA_APPLICATION, applicant: { ...MWILA_APPLICATION.applicant, fullName } });
const issuesOf = (result: { success: boolean; error?: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } }) =>
  result.error?.issues.map((issue) => [issue.path.join('.'), issue.message]);

describe('free text in the API', () => {
  it.each([
    ['a right-to-left override', 'Mwila \u202EadnaB', 'U+202E', 7],
    ['a left-to-right embedding', '\u202AMwila Banda', 'U+202A', 1],
    ['a first-strong isolate', 'Mwila \u2068Banda', 'U+2068', 7],
    ['a pop directional isolate', 'Mwila Banda\u2069', 'U+2069', 12],
    ['a right-to-left mark', 'Mwila\u200F Banda', 'U+200F', 6],
    ['a bell (C0)', 'Mwila\u0007Banda', 'U+0007', 6],
    ['a newline (C0)', 'Mwila\nBanda', 'U+000A', 6],
    ['an escape (C0), as in terminal colour codes', 'Mwila \u001B[31mBanda', 'U+001B', 7],
    ['a delete', 'Mwila\u007FBanda', 'U+007F', 6],
    ['a next-line (C1)', 'Mwila\u0085Banda', 'U+0085', 6],
  ])('refuses %s in an applicant name', (_what, fullName, codePoint, position) => {
    expect(issuesOf(newApplicationSchema.safeParse(withName(fullName)))).toEqual([
      ['applicant.fullName', `must not contain control or bidirectional formatting characters (found ${codePoint} at character ${position})`],
    ]);
  });

  it('normalises names to NFC, so the same name is stored and searched the same way', () => {
    const decomposed = 'Chipo Mwansa\u0301'; // a + combining acute accent
    const parsed = newApplicationSchema.parse(withName(decomposed));
    expect(parsed.applicant.fullName).toBe('Chipo Mwans\u00E1');
    expect(parsed.applicant.fullName).toHaveLength(12);
  });

  it('keeps letters from any script and ordinary punctuation', () => {
    expect(newApplicationSchema.parse(withName("Nang'andu Mulenga-Phiri Ñoño")).applicant.fullName).toBe("Nang'andu Mulenga-Phiri Ñoño");
  });

  it('refuses the same characters in product names and rejection reasons', () => {
    expect(issuesOf(loanProductSchema.safeParse({ ...SALARY_ADVANCE, name: 'Salary \u202Eecnavda' }))).toEqual([
      ['name', 'must not contain control or bidirectional formatting characters (found U+202E at character 8)'],
    ]);
    expect(loanProductSchema.parse({ ...SALARY_ADVANCE, name: 'Cafe\u0301 advance' }).name).toBe('Caf\u00E9 advance');
    expect(issuesOf(rejectionSchema.safeParse({ reason: 'payslip\u0000forged' }))).toEqual([
      ['reason', 'must not contain control or bidirectional formatting characters (found U+0000 at character 8)'],
    ]);
  });
});
