import { randomUUID } from 'node:crypto';
import { type Identity, requireRole } from '../auth/identity';
import { calculateSchedule, type RepaymentSchedule, ScheduleError } from '../money/repayment-schedule';
import { PERIODS_PER_YEAR } from '../money/repayment-frequency';
import { changedFields, writeAuditLog } from '../observability/audit-log';
import type { ServiceMetrics } from '../observability/service-metrics';
import type {
  ApplicationListQuery,
  ApplicationPage,
  ApplicationRecord,
  ApplicationRepository,
  ApplicationStatus,
  ApplicationTransitionUpdate,
} from '../repositories/application-repository';
import type { ConfigVersionRepository } from '../repositories/config-version-repository';
import type { DocumentRepository } from '../repositories/document-repository';
import { applicationReadScope, assertCanAct, assertCanList, assertCanRead, branchForNewApplication } from './application-access';
import { approvalLimitFor } from './authority-matrix';
import type { BusinessConfigurationService, VersionOf } from './business-configuration-service';
import { BusinessRuleError, ConflictError, ForbiddenError, NotFoundError } from './domain-errors';
import { type LoanProduct, storedLoanProductSchema } from './loan-product';
import { maskNationalId } from './national-id';
import { gradeForCreditScore } from './risk-grades';
import type { Clock, ServiceContext } from './service-context';
import { assertStartDateAllowed } from './start-date-window';

/**
 * Why `userId` may not take this step on the application, or undefined when it may:
 * maker-checker (the creator neither approves nor rejects) and four eyes (the disburser is
 * neither the creator nor the approver).
 */
function separationRefusal(application: ApplicationRecord, userId: string, verb: 'approve' | 'reject' | 'disburse'): ForbiddenError | undefined {
  if (verb !== 'disburse') {
    if (application.createdBy !== userId) return undefined;
    return new ForbiddenError(
      `loan application "${application.id}" was created by "${application.createdBy}", who cannot also ${verb} it ` +
        '(maker-checker: a different credit_manager must decide)',
    );
  }
  if (application.createdBy !== userId && application.decidedBy !== userId) return undefined;
  return new ForbiddenError(
    `loan application "${application.id}" was created by "${application.createdBy}" and approved by "${application.decidedBy ?? 'nobody'}"; ` +
      `"${userId}" cannot also disburse it (four eyes: the credit_manager who disburses must be neither its creator nor its approver)`,
  );
}

/**
 * A new application as its audit line records it: ids, terms and outcome, the NRC masked, and
 * neither the applicant's name nor income (audit lines go to a log index many people can read).
 */
function auditViewOf(application: ApplicationRecord): Record<string, unknown> {
  const { applicantName: _name, applicantMonthlyIncomeNgwee: _income, applicantNationalId, decidedBy: _decidedBy, decidedAt: _decidedAt,
    rejectionReason: _reason, disbursedBy: _disbursedBy, disbursedAt: _disbursedAt, updatedAt: _updatedAt, ...rest } = application;
  return { ...rest, applicantNationalId: maskNationalId(applicantNationalId) };
}

/** Largest share of monthly income the regular instalment may take: 40% (4000 bps). */
export const MAX_DEBT_TO_INCOME_BPS = 4000n;

/** A new application as a loan officer submits it. */
export interface NewApplication {
  readonly productId: string;
  readonly applicant: { readonly nationalId: string; readonly fullName: string; readonly monthlyIncomeNgwee: number };
  readonly creditScore: number;
  readonly principalNgwee: number;
  readonly instalmentCount: number;
  /** Loan start date `YYYY-MM-DD`; defaults to today (UTC). */
  readonly startDate?: string | undefined;
  /** Branch code; defaults to the loan officer's only branch. */
  readonly branch?: string | undefined;
}

/** Builds the terms of a schedule from a product and an amount. */
export function scheduleFor(product: LoanProduct, principalNgwee: number, instalmentCount: number, startDate: string): RepaymentSchedule {
  return calculateSchedule({
    principalNgwee: BigInt(principalNgwee),
    annualInterestRateBps: product.annualInterestRateBps,
    instalmentCount,
    frequency: product.repaymentFrequency,
    method: product.interestMethod,
    arrangementFeeBps: product.arrangementFeeBps,
    flatFeeNgwee: BigInt(product.flatFeeNgwee),
    startDate,
  });
}

/** @throws BusinessRuleError (422) when the amount or term is outside the product's limits. */
export function assertWithinProductLimits(
  productId: string,
  product: VersionOf<LoanProduct>,
  principalNgwee: number,
  instalmentCount: number,
): void {
  const limits = product.payload;
  const productName = `loan product "${productId}" version ${product.version}`;
  if (principalNgwee < limits.minPrincipalNgwee || principalNgwee > limits.maxPrincipalNgwee) {
    throw new BusinessRuleError(
      `principalNgwee ${principalNgwee} is outside the limits of ${productName} ` +
        `(allowed: ${limits.minPrincipalNgwee} to ${limits.maxPrincipalNgwee})`,
    );
  }
  if (instalmentCount < limits.minInstalments || instalmentCount > limits.maxInstalments) {
    throw new BusinessRuleError(
      `instalmentCount ${instalmentCount} is outside the limits of ${productName} ` +
        `(allowed: ${limits.minInstalments} to ${limits.maxInstalments} ${limits.repaymentFrequency} instalments)`,
    );
  }
}

/**
 * Loan applications and their lifecycle: submitted -> approved | rejected, approved -> disbursed.
 * Validation uses the loan product and risk grades in force when the application is submitted;
 * the versions used are stored on the application.
 */
export class ApplicationService {
  constructor(
    private readonly applications: ApplicationRepository,
    private readonly configVersions: ConfigVersionRepository,
    private readonly configuration: BusinessConfigurationService,
    private readonly metrics: ServiceMetrics,
    private readonly clock: Clock,
    private readonly documents: DocumentRepository,
  ) {}

  async create(context: ServiceContext, input: NewApplication): Promise<ApplicationRecord> {
    const branch = branchForNewApplication(context.identity, input.branch);
    await this.assertBranchTakesApplications(branch);
    const product = await this.configuration.currentProduct(input.productId);
    const riskGrades = await this.configuration.currentRiskGrades();
    await this.assertApplicantBelowActiveLimit(input.applicant.nationalId);
    assertWithinProductLimits(input.productId, product, input.principalNgwee, input.instalmentCount);
    const limits = product.payload;
    const grade = gradeForCreditScore(riskGrades.payload, input.creditScore);
    if (grade === undefined) {
      const lowest = Math.min(...riskGrades.payload.grades.map((candidate) => candidate.minCreditScore));
      throw new BusinessRuleError(
        `creditScore ${input.creditScore} is below every risk grade threshold of risk grades version ${riskGrades.version} (lowest: ${lowest})`,
      );
    }
    if (input.principalNgwee > grade.maxPrincipalNgwee) {
      throw new BusinessRuleError(
        `principalNgwee ${input.principalNgwee} exceeds the limit for risk grade ${grade.grade} ` +
          `(allowed: up to ${grade.maxPrincipalNgwee})`,
      );
    }
    const now = this.clock();
    const startDate = input.startDate ?? now.toISOString().slice(0, 10);
    assertStartDateAllowed(startDate, now);
    const schedule = this.scheduleOrRuleError(input.productId, product, input.principalNgwee, input.instalmentCount, startDate);
    this.checkAffordability(schedule, limits, input.applicant.monthlyIncomeNgwee);

    const timestamp = now.toISOString();
    const application: ApplicationRecord = {
      id: randomUUID(),
      branch,
      productId: input.productId,
      productVersion: product.version,
      applicantNationalId: input.applicant.nationalId,
      applicantName: input.applicant.fullName,
      applicantMonthlyIncomeNgwee: input.applicant.monthlyIncomeNgwee,
      creditScore: input.creditScore,
      riskGrade: grade.grade,
      riskGradesVersion: riskGrades.version,
      principalNgwee: input.principalNgwee,
      instalmentCount: input.instalmentCount,
      startDate,
      totalRepayableNgwee: Number(schedule.totalRepayableNgwee),
      status: 'submitted',
      createdBy: context.identity.userId,
      createdAt: timestamp,
      updatedAt: timestamp,
      decidedBy: null,
      decidedAt: null,
      rejectionReason: null,
      disbursedBy: null,
      disbursedAt: null,
    };
    await this.applications.insert(application);
    this.metrics.applicationsCreated.inc();
    this.audit(context, 'application.create', application.id, null, auditViewOf(application), timestamp);
    return application;
  }

  /**
   * The application, for a caller who may read it: a loan officer or credit manager of its
   * branch, or head office. Other domain services (documents) call this before touching anything
   * of an application.
   *
   * @throws NotFoundError (404) for an unknown id; ForbiddenError (403) outside the caller's scope.
   */
  async assertCanReadApplication(identity: Identity, applicationId: string): Promise<ApplicationRecord> {
    applicationReadScope(identity);
    const application = await this.get(applicationId);
    assertCanRead(identity, application);
    return application;
  }

  /**
   * The application, for a caller with `role` in its branch (`action` names the step in the
   * refusal, e.g. "upload documents to").
   *
   * @throws NotFoundError (404) for an unknown id; ForbiddenError (403) without the role or outside the branch.
   */
  async assertCanActOnApplication(
    identity: Identity,
    applicationId: string,
    role: 'loan_officer' | 'credit_manager',
    action: string,
  ): Promise<ApplicationRecord> {
    requireRole(identity, role);
    const application = await this.get(applicationId);
    assertCanAct(identity, application, role, action);
    return application;
  }

  /** A page of the applications the caller may read, scope and filters applied in the query. */
  async list(identity: Identity, query: Omit<ApplicationListQuery, 'branches'>): Promise<ApplicationPage> {
    const scope = applicationReadScope(identity);
    if (query.branch !== undefined) assertCanList(identity, query.branch);
    return this.applications.list({ ...query, branches: scope.allBranches ? undefined : scope.branches });
  }

  /** The repayment schedule of an application, from the product version it was submitted under. */
  async schedule(identity: Identity, id: string): Promise<RepaymentSchedule> {
    const application = await this.assertCanReadApplication(identity, id);
    const version = await this.configVersions.findVersion('loan_product', application.productId, application.productVersion);
    if (version === undefined) {
      throw new NotFoundError(`loan product "${application.productId}" version ${application.productVersion} does not exist`);
    }
    const product = storedLoanProductSchema.parse(version.payload);
    return scheduleFor(product, application.principalNgwee, application.instalmentCount, application.startDate);
  }

  private async get(id: string): Promise<ApplicationRecord> {
    const application = await this.applications.findById(id);
    if (application === undefined) throw new NotFoundError(`loan application "${id}" does not exist`);
    return application;
  }

  /** A schedule quote under the product in force, checked against its limits. */
  async quote(productId: string, principalNgwee: number, instalmentCount: number, startDate: string): Promise<{ productVersion: number; schedule: RepaymentSchedule }> {
    const product = await this.configuration.currentProduct(productId);
    assertWithinProductLimits(productId, product, principalNgwee, instalmentCount);
    assertStartDateAllowed(startDate, this.clock());
    return { productVersion: product.version, schedule: this.scheduleOrRuleError(productId, product, principalNgwee, instalmentCount, startDate) };
  }

  async approve(context: ServiceContext, id: string): Promise<ApplicationRecord> {
    requireRole(context.identity, 'credit_manager');
    return this.decide(context, id, 'approved', null);
  }

  async reject(context: ServiceContext, id: string, reason: string): Promise<ApplicationRecord> {
    requireRole(context.identity, 'credit_manager');
    return this.decide(context, id, 'rejected', reason);
  }

  /** approved -> disbursed, by a credit_manager who neither created nor approved the application (four eyes). */
  async disburse(context: ServiceContext, id: string): Promise<ApplicationRecord> {
    requireRole(context.identity, 'credit_manager');
    const timestamp = this.clock().toISOString();
    const result = await this.transition(context, id, 'approved', 'disbursed', 'disburse', {
      updatedAt: timestamp,
      disbursedBy: context.identity.userId,
      disbursedAt: timestamp,
    });
    this.metrics.applicationsDisbursed.inc();
    return result;
  }

  /** submitted -> approved | rejected, by a credit_manager other than the creator (maker-checker). */
  private async decide(
    context: ServiceContext,
    id: string,
    to: 'approved' | 'rejected',
    reason: string | null,
  ): Promise<ApplicationRecord> {
    const verb = to === 'approved' ? 'approve' : 'reject';
    const timestamp = this.clock().toISOString();
    const result = await this.transition(context, id, 'submitted', to, verb, {
      updatedAt: timestamp,
      decidedBy: context.identity.userId,
      decidedAt: timestamp,
      rejectionReason: reason,
    });
    (to === 'approved' ? this.metrics.applicationsApproved : this.metrics.applicationsRejected).inc();
    return result;
  }

  /**
   * Moves an application from `from` to `to`. The separation rules are checked on the row read
   * first and again by the conditional update itself (the row must still be in `from` and the
   * caller must not be its creator, nor for a disbursement its approver), so neither a concurrent
   * change nor a stale read lets a second request through.
   */
  private async transition(
    context: ServiceContext,
    id: string,
    from: ApplicationStatus,
    to: ApplicationStatus,
    verb: 'approve' | 'reject' | 'disburse',
    update: ApplicationTransitionUpdate,
  ): Promise<ApplicationRecord> {
    const userId = context.identity.userId;
    const before = await this.get(id);
    assertCanAct(context.identity, before, 'credit_manager', verb);
    const conflict = (current: ApplicationRecord): ConflictError =>
      new ConflictError(`loan application "${id}" is ${current.status}; only ${from} applications can be ${to === 'disbursed' ? 'disbursed' : `${verb}d`}`);
    if (before.status !== from) throw conflict(before);
    const refusal = separationRefusal(before, userId, verb);
    if (refusal !== undefined) throw refusal;
    if (verb === 'approve') await this.assertMayApprove(userId, before);
    const mustDifferFrom = verb === 'disburse' ? (['createdBy', 'decidedBy'] as const) : (['createdBy'] as const);
    if (!(await this.applications.transition(id, from, to, update, { userId, mustDifferFrom }))) {
      const current = await this.get(id);
      throw separationRefusal(current, userId, verb) ?? conflict(current);
    }
    const after = await this.get(id);
    const changed = changedFields(before, after);
    this.audit(context, `application.${verb}`, id, changed.before, changed.after, update.updatedAt);
    return after;
  }

  /**
   * The schedule of a new quote or application. Refuses (422) terms the schedule cannot spread and
   * a principal the up-front fees would consume: product validation refuses such fees, but a
   * version approved before that rule may still be in force.
   */
  private scheduleOrRuleError(
    productId: string,
    product: VersionOf<LoanProduct>,
    principalNgwee: number,
    instalmentCount: number,
    startDate: string,
  ): RepaymentSchedule {
    let schedule: RepaymentSchedule;
    try {
      schedule = scheduleFor(product.payload, principalNgwee, instalmentCount, startDate);
    } catch (error) {
      if (error instanceof ScheduleError) throw new BusinessRuleError(error.message);
      throw error;
    }
    if (schedule.netDisbursementNgwee <= 0n) {
      throw new BusinessRuleError(
        `up-front fees of ${schedule.upfrontFeesNgwee} ngwee leave a net disbursement of ${schedule.netDisbursementNgwee} ngwee ` +
          `on principalNgwee ${principalNgwee} under loan product "${productId}" version ${product.version} ` +
          '(allowed: fees below the principal; a config_admin must correct the product)',
      );
    }
    return schedule;
  }

  /** The regular instalment, as a monthly amount, may take at most 40% of monthly income. */
  private checkAffordability(schedule: RepaymentSchedule, product: LoanProduct, monthlyIncomeNgwee: number): void {
    const monthlyEquivalentTimes12 = schedule.regularPaymentNgwee * PERIODS_PER_YEAR[product.repaymentFrequency];
    const limitTimes12 = (BigInt(monthlyIncomeNgwee) * 12n * MAX_DEBT_TO_INCOME_BPS) / 10_000n;
    if (monthlyEquivalentTimes12 > limitTimes12) {
      throw new BusinessRuleError(
        `regular instalment of ${schedule.regularPaymentNgwee} ngwee (${product.repaymentFrequency}) exceeds 40% of ` +
          `monthly income ${monthlyIncomeNgwee} ngwee (allowed: a monthly equivalent up to ${limitTimes12 / 12n})`,
      );
    }
  }

  /**
   * With a branch directory in force, new applications go only to a listed branch that accepts
   * them (an identity may still carry a code the directory does not know, or one being closed).
   */
  private async assertBranchTakesApplications(branch: string): Promise<void> {
    const directory = await this.configuration.currentBranches();
    if (directory === undefined) return;
    const listed = directory.payload.branches.find((candidate) => candidate.code === branch);
    if (listed?.acceptsApplications === true) return;
    const open = directory.payload.branches.filter((candidate) => candidate.acceptsApplications).map((candidate) => candidate.code);
    throw new BusinessRuleError(
      `branch "${branch}" ${listed === undefined ? 'is not in' : 'does not accept new applications under'} branch directory version ${directory.version} ` +
        `(allowed: ${open.length === 0 ? 'none' : open.join(', ')})`,
    );
  }

  /** Compliance: at most `maxActiveApplicationsPerApplicant` submitted, approved or disbursed applications per NRC. */
  private async assertApplicantBelowActiveLimit(nationalId: string): Promise<void> {
    const compliance = await this.configuration.currentCompliance();
    if (compliance === undefined) return;
    const limit = compliance.payload.maxActiveApplicationsPerApplicant;
    const active = await this.applications.countActiveForApplicant(nationalId);
    if (active < limit) return;
    throw new BusinessRuleError(
      `applicant ${maskNationalId(nationalId)} already has ${active} submitted, approved or disbursed application${active === 1 ? '' : 's'} ` +
        `(allowed: fewer than ${limit} under compliance settings version ${compliance.version})`,
    );
  }

  /**
   * The approval authority matrix must give `userId` a limit covering the principal for the
   * application's product, risk grade and branch (403 otherwise; 409 before any matrix is
   * approved); and with the compliance setting on, an identity document must be on file (422).
   */
  private async assertMayApprove(userId: string, application: ApplicationRecord): Promise<void> {
    const matrix = await this.configuration.currentAuthorityMatrix();
    const limit = approvalLimitFor(matrix.payload, userId, application);
    if (application.principalNgwee > limit) {
      throw new ForbiddenError(
        `user "${userId}" may not approve loan application "${application.id}" of principalNgwee ${application.principalNgwee} ` +
          `(product "${application.productId}", risk grade ${application.riskGrade}, branch "${application.branch}"): ` +
          `approval authority matrix version ${matrix.version} allows ${limit === 0 ? 'this user no approvals there' : `up to ${limit}`}`,
      );
    }
    const compliance = await this.configuration.currentCompliance();
    if (compliance?.payload.identityDocumentRequiredForApproval !== true) return;
    const documents = await this.documents.listForApplication(application.id);
    if (documents.some((document) => document.kind === 'identity_copy')) return;
    throw new BusinessRuleError(
      `loan application "${application.id}" has no identity_copy document; compliance settings version ${compliance.version} ` +
        'require the applicant\'s NRC copy before approval (upload one with kind=identity_copy)',
    );
  }

  private audit(context: ServiceContext, action: string, id: string, before: unknown, after: unknown, at: string): void {
    writeAuditLog(context.log, { actor: context.identity.userId, action, entity: { type: 'loan_application', id }, before, after }, at);
  }
}
