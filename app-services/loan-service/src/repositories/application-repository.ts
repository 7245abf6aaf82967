import type { Knex } from 'knex';

export const APPLICATION_STATUSES = ['submitted', 'approved', 'rejected', 'disbursed'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** A stored loan application. Money is integer ngwee. */
export interface ApplicationRecord {
  readonly id: string;
  /** Code of the branch the application belongs to, e.g. `lusaka-cairo-road`. */
  readonly branch: string;
  readonly productId: string;
  readonly productVersion: number;
  readonly applicantNationalId: string;
  readonly applicantName: string;
  readonly applicantMonthlyIncomeNgwee: number;
  readonly creditScore: number;
  readonly riskGrade: string;
  readonly riskGradesVersion: number;
  readonly principalNgwee: number;
  readonly instalmentCount: number;
  readonly startDate: string;
  readonly totalRepayableNgwee: number;
  readonly status: ApplicationStatus;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly rejectionReason: string | null;
  readonly disbursedBy: string | null;
  readonly disbursedAt: string | null;
}

/** Filters and page position for `list`. */
export interface ApplicationListQuery {
  /** Only applications of these branches; undefined for every branch (head office). */
  readonly branches?: readonly string[] | undefined;
  /** Only applications of this branch (a filter the caller asked for). */
  readonly branch?: string | undefined;
  readonly status?: ApplicationStatus | undefined;
  readonly productId?: string | undefined;
  readonly applicantNationalId?: string | undefined;
  /** Return rows after this sequence number (decoded from the opaque cursor). */
  readonly afterSeq?: number | undefined;
  readonly limit: number;
}

/** A page of applications and, when more match, the sequence number to continue after. */
export interface ApplicationPage {
  readonly items: ApplicationRecord[];
  readonly nextAfterSeq: number | undefined;
}

/** Column updates a status change may make. */
export type ApplicationTransitionUpdate = Partial<
  Pick<ApplicationRecord, 'decidedBy' | 'decidedAt' | 'rejectionReason' | 'disbursedBy' | 'disbursedAt'>
> & { readonly updatedAt: string };

const TABLE = 'loan_applications';

const COLUMNS: Readonly<Record<keyof ApplicationRecord, string>> = {
  id: 'id',
  branch: 'branch_code',
  productId: 'product_id',
  productVersion: 'product_version',
  applicantNationalId: 'applicant_national_id',
  applicantName: 'applicant_name',
  applicantMonthlyIncomeNgwee: 'applicant_monthly_income_ngwee',
  creditScore: 'credit_score',
  riskGrade: 'risk_grade',
  riskGradesVersion: 'risk_grades_version',
  principalNgwee: 'principal_ngwee',
  instalmentCount: 'instalment_count',
  startDate: 'start_date',
  totalRepayableNgwee: 'total_repayable_ngwee',
  status: 'status',
  createdBy: 'created_by',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  decidedBy: 'decided_by',
  decidedAt: 'decided_at',
  rejectionReason: 'rejection_reason',
  disbursedBy: 'disbursed_by',
  disbursedAt: 'disbursed_at',
};

/** Numeric columns; SQL Server's BIGINT comes back as a string from tedious, so they are converted. */
const NUMERIC_FIELDS = new Set<keyof ApplicationRecord>([
  'productVersion',
  'applicantMonthlyIncomeNgwee',
  'creditScore',
  'riskGradesVersion',
  'principalNgwee',
  'instalmentCount',
  'totalRepayableNgwee',
]);

/** Loan applications in the `loan_applications` table. */
export class ApplicationRepository {
  constructor(private readonly database: Knex) {}

  async insert(application: ApplicationRecord): Promise<void> {
    await this.database(TABLE).insert(toRow(application));
  }

  async findById(id: string): Promise<ApplicationRecord | undefined> {
    const row: Record<string, unknown> | undefined = await this.database(TABLE).where({ id }).first();
    return row === undefined ? undefined : toRecord(row);
  }

  /** How many of an applicant's applications (by NRC, in every branch) are submitted, approved or disbursed. */
  async countActiveForApplicant(nationalId: string): Promise<number> {
    const row: { active?: number | string } | undefined = await this.activeForApplicantQuery(nationalId).first();
    return Number(row?.active ?? 0);
  }

  /** The query behind `countActiveForApplicant`, exposed so its SQL Server text can be checked. */
  activeForApplicantQuery(nationalId: string): Knex.QueryBuilder {
    return this.database(TABLE)
      .where('applicant_national_id', nationalId)
      .whereIn('status', ['submitted', 'approved', 'disbursed'])
      .count({ active: '*' });
  }

  /** One row more than the page is read, so the last page says so without a further request. */
  async list(query: ApplicationListQuery): Promise<ApplicationPage> {
    const rows: Record<string, unknown>[] = await this.listQuery(query);
    const pageRows = rows.slice(0, query.limit);
    const last = pageRows[pageRows.length - 1];
    const hasMore = rows.length > query.limit && last !== undefined;
    return { items: pageRows.map(toRecord), nextAfterSeq: hasMore ? Number(last.seq) : undefined };
  }

  /** The query behind `list` (page size + 1 rows), exposed so its SQL Server text can be checked. */
  listQuery(query: ApplicationListQuery): Knex.QueryBuilder {
    const builder = this.database(TABLE).select('*').orderBy('seq', 'asc').limit(query.limit + 1);
    // Scope is part of the query, so pages and cursors only ever count rows the caller may see.
    if (query.branches !== undefined) builder.whereIn('branch_code', [...query.branches]);
    if (query.branch !== undefined) builder.where('branch_code', query.branch);
    if (query.status !== undefined) builder.where('status', query.status);
    if (query.productId !== undefined) builder.where('product_id', query.productId);
    if (query.applicantNationalId !== undefined) builder.where('applicant_national_id', query.applicantNationalId);
    if (query.afterSeq !== undefined) builder.where('seq', '>', query.afterSeq);
    return builder;
  }

  /**
   * Moves an application from `from` to `to` only if it is still in `from` and `separation.userId`
   * is none of the users in the `mustDifferFrom` columns, all in one conditional UPDATE, so two
   * concurrent requests cannot both succeed and a stale read cannot bypass the separation rules.
   *
   * @returns false when the row was not in `from` any more or the user is one of those named.
   */
  async transition(
    id: string,
    from: ApplicationStatus,
    to: ApplicationStatus,
    update: ApplicationTransitionUpdate,
    separation: { readonly userId: string; readonly mustDifferFrom: ReadonlyArray<'createdBy' | 'decidedBy'> },
  ): Promise<boolean> {
    return (await this.transitionQuery(id, from, to, update, separation)) === 1;
  }

  /** The UPDATE behind `transition`, exposed so its SQL Server text can be checked. */
  transitionQuery(
    id: string,
    from: ApplicationStatus,
    to: ApplicationStatus,
    update: ApplicationTransitionUpdate,
    separation: { readonly userId: string; readonly mustDifferFrom: ReadonlyArray<'createdBy' | 'decidedBy'> },
  ): Knex.QueryBuilder {
    const changes: Record<string, unknown> = { status: to };
    for (const [field, value] of Object.entries(update)) {
      changes[COLUMNS[field as keyof ApplicationRecord]] = value;
    }
    const builder = this.database(TABLE).where({ id, status: from });
    // A NULL column (no approver yet) never equals the user, and `<>` on NULL matches no row:
    // disbursement needs an approver anyway.
    for (const field of separation.mustDifferFrom) builder.andWhere(COLUMNS[field], '<>', separation.userId);
    return builder.update(changes);
  }
}

function toRow(application: ApplicationRecord): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(COLUMNS)) row[column] = application[field as keyof ApplicationRecord];
  return row;
}

function toRecord(row: Record<string, unknown>): ApplicationRecord {
  const record: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(COLUMNS)) {
    const value = row[column];
    record[field] = NUMERIC_FIELDS.has(field as keyof ApplicationRecord) ? Number(value) : value;
  }
  return record as unknown as ApplicationRecord;
}
