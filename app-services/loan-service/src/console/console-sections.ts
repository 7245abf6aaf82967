import type { Identity, Role } from '../auth/identity';
import { type AuthorityMatrix, visibleAuthorityRules } from '../domain/authority-matrix';
import { type BranchDirectory, visibleBranches } from '../domain/branch-directory';
import type { ConfigType } from '../repositories/config-version-repository';

/** One section of the console: one kind of business configuration. */
export interface ConsoleSection {
  /** URL segment, e.g. `authority-matrix`. */
  readonly id: string;
  readonly type: ConfigType;
  readonly title: string;
  /** What the configuration does, shown above it. */
  readonly purpose: string;
  /** Loan products have one key per product; the others a single key. */
  readonly keyed: boolean;
  /** Business roles (besides config_admin and head_office, who see every section) that may open it. */
  readonly businessRoles: readonly Role[];
  /** The part of a payload a business user may see (their branches). @default - all of it */
  readonly visiblePart?: (identity: Identity, payload: unknown) => unknown;
}

export const CONSOLE_SECTIONS: readonly ConsoleSection[] = [
  {
    id: 'products', type: 'loan_product', title: 'Loan products', keyed: true, businessRoles: ['loan_officer', 'credit_manager'],
    purpose: 'Interest and fee structures and the principal and term limits of each product. Quotes and new applications use the version in force.',
  },
  {
    id: 'risk-grades', type: 'risk_grades', title: 'Risk grades', keyed: false, businessRoles: ['loan_officer', 'credit_manager'],
    purpose: 'Credit-score thresholds of each grade and the largest principal a grade may borrow.',
  },
  {
    id: 'authority-matrix', type: 'authority_matrix', title: 'Approval authority', keyed: false, businessRoles: ['credit_manager'],
    purpose:
      'Who may approve which principal, per product, risk grade and branch ("*" matches any). A credit manager may approve an application ' +
      'only up to the largest limit of the lines that match it and name them (or name nobody). With no matrix in force no loan can be approved.',
    visiblePart: (identity, payload) => ({ rules: visibleAuthorityRules(identity, payload as AuthorityMatrix) }),
  },
  {
    id: 'branches', type: 'branches', title: 'Branches', keyed: false, businessRoles: ['loan_officer', 'credit_manager'],
    purpose:
      "The lender's branches. Users' membership of branches comes from their identity provider token (claim \"branches\"); " +
      'new applications are taken only for listed branches that accept them.',
    visiblePart: (identity, payload) => ({ branches: visibleBranches(identity, payload as BranchDirectory) }),
  },
  {
    id: 'compliance', type: 'compliance', title: 'Compliance', keyed: false, businessRoles: ['loan_officer', 'credit_manager'],
    purpose:
      'Applied by the service: the most submitted, approved or disbursed applications one applicant (NRC) may have, and whether an ' +
      'identity document (NRC copy) must be uploaded before a loan is approved.',
  },
];

/** config_admin and head_office see every section, every branch, pending versions, diffs and history. */
export function overseesConfiguration(identity: Identity): boolean {
  return identity.roles.includes('config_admin') || identity.roles.includes('head_office');
}

export function mayOpen(identity: Identity, section: ConsoleSection): boolean {
  return overseesConfiguration(identity) || section.businessRoles.some((role) => identity.roles.includes(role));
}

export function sectionsFor(identity: Identity): ConsoleSection[] {
  return CONSOLE_SECTIONS.filter((section) => mayOpen(identity, section));
}
