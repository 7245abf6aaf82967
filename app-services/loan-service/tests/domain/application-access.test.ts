import type { Identity } from '../../src/auth/identity';
import { applicationReadScope, branchesOf, branchForNewApplication } from '../../src/domain/application-access';

const officer = (branches: readonly string[]): Identity => ({ userId: 'olivia', roles: ['loan_officer'], branches });
/** An identity from an authenticator that sets no branches field at all. */
const officerWithoutBranchesField = { userId: 'olivia', roles: ['loan_officer'] } as unknown as Identity;

describe('branchesOf', () => {
  it('lower-cases, trims and de-duplicates, and never counts the placeholder of applications from before branches', () => {
    expect(branchesOf(officer([' Lusaka-Cairo-Road', 'lusaka-cairo-road', 'unassigned', '', 'kitwe-obote-avenue']))).toEqual([
      'lusaka-cairo-road',
      'kitwe-obote-avenue',
    ]);
  });

  it('treats an identity without the branches field as working in none', () => {
    expect(branchesOf(officerWithoutBranchesField)).toEqual([]);
    expect(() => applicationReadScope(officerWithoutBranchesField)).toThrow(
      'user "olivia" is not assigned to any branch (the identity must carry the branches the user works in)',
    );
  });
});

describe('applicationReadScope', () => {
  it('gives head office every branch and a branch user their branches', () => {
    expect(applicationReadScope({ userId: 'natasha', roles: ['head_office'], branches: [] })).toEqual({ allBranches: true });
    expect(applicationReadScope(officer(['lusaka-cairo-road']))).toEqual({ allBranches: false, branches: ['lusaka-cairo-road'] });
  });
});

describe('branchForNewApplication', () => {
  it("takes the officer's only branch", () => {
    expect(branchForNewApplication(officer(['lusaka-cairo-road']), undefined)).toBe('lusaka-cairo-road');
  });

  it('answers 400 when an officer of several branches names none', () => {
    expect(() => branchForNewApplication(officer(['lusaka-cairo-road', 'kitwe-obote-avenue']), undefined)).toThrow(
      expect.objectContaining({ statusCode: 400, message: 'branch is required: user "olivia" works in several branches (allowed: lusaka-cairo-road, kitwe-obote-avenue)' }),
    );
  });
});
