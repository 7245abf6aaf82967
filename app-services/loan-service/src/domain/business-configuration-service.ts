import type { z } from 'zod';
import { requireRole } from '../auth/identity';
import { isUniqueViolation } from '../db/unique-violation';
import { writeAuditLog } from '../observability/audit-log';
import type { ServiceMetrics } from '../observability/service-metrics';
import type { ConfigType, ConfigVersionRecord, ConfigVersionRepository } from '../repositories/config-version-repository';
import { type AuthorityMatrix, authorityMatrixSchema } from './authority-matrix';
import { type BranchDirectory, branchDirectorySchema } from './branch-directory';
import { type ComplianceSettings, complianceSettingsSchema } from './compliance-settings';
import { type ConfigChange, diffPayloads } from './config-diff';
import { BusinessRuleError, ConflictError, ForbiddenError, NotFoundError } from './domain-errors';
import { type LoanProduct, loanProductSchema, storedLoanProductSchema } from './loan-product';
import { type RiskGrades, riskGradesSchema } from './risk-grades';
import type { Clock, ServiceContext } from './service-context';

/** Risk grades have a single configuration key. */
export const RISK_GRADES_KEY = 'default';
/** The key of every configuration of which there is one (risk grades, authority matrix, branches, compliance). */
export const SINGLE_KEY = RISK_GRADES_KEY;

/** The rules a version must meet when it is proposed, checked again when it is approved. */
export const PROPOSAL_SCHEMAS: Readonly<Record<ConfigType, z.ZodType>> = {
  loan_product: loanProductSchema,
  risk_grades: riskGradesSchema,
  authority_matrix: authorityMatrixSchema,
  branches: branchDirectorySchema,
  compliance: complianceSettingsSchema,
};

/** Human names for error messages. */
const DESCRIPTIONS: Readonly<Record<ConfigType, string>> = {
  loan_product: 'loan product',
  risk_grades: 'risk grades',
  authority_matrix: 'approval authority matrix',
  branches: 'branch directory',
  compliance: 'compliance settings',
};

/** The differences of one version from another of the same key. */
export interface VersionDiff {
  readonly version: number;
  /** The version compared against; null when there is none (the first version: everything is added). */
  readonly against: number | null;
  readonly changes: ConfigChange[];
}

/** A configuration version whose payload has been validated against its schema. */
export interface VersionOf<Payload> extends Omit<ConfigVersionRecord, 'payload'> {
  readonly payload: Payload;
}

/**
 * Versioned business configuration under maker-checker control: a `config_admin` proposes a
 * version, a different `config_admin` approves or rejects it. Every version is kept; the
 * highest approved version of a key is the one in force.
 */
export class BusinessConfigurationService {
  constructor(
    private readonly versions: ConfigVersionRepository,
    private readonly metrics: ServiceMetrics,
    private readonly clock: Clock,
  ) {}

  /** The loan product in force, or 404. */
  async currentProduct(productId: string): Promise<VersionOf<LoanProduct>> {
    const current = await this.versions.findCurrent('loan_product', productId);
    if (current === undefined) {
      throw new NotFoundError(`loan product "${productId}" has no approved version`);
    }
    return { ...current, payload: storedLoanProductSchema.parse(current.payload) };
  }

  /** Every loan product in force. */
  async currentProducts(): Promise<VersionOf<LoanProduct>[]> {
    const current = await this.versions.listCurrent('loan_product');
    return current.map((record) => ({ ...record, payload: storedLoanProductSchema.parse(record.payload) }));
  }

  /** The risk grades in force; 409 when none has been approved yet, since applications cannot be graded. */
  async currentRiskGrades(): Promise<VersionOf<RiskGrades>> {
    const current = await this.versions.findCurrent('risk_grades', RISK_GRADES_KEY);
    if (current === undefined) {
      throw new ConflictError('no risk grades have been approved yet; a config_admin must propose and another approve them');
    }
    return { ...current, payload: riskGradesSchema.parse(current.payload) };
  }

  /** The approval authority matrix in force; 409 when none has been approved, since no application can then be approved. */
  async currentAuthorityMatrix(): Promise<VersionOf<AuthorityMatrix>> {
    const current = await this.versions.findCurrent('authority_matrix', SINGLE_KEY);
    if (current === undefined) {
      throw new ConflictError('no approval authority matrix has been approved yet; a config_admin must propose and another approve one');
    }
    return { ...current, payload: authorityMatrixSchema.parse(current.payload) };
  }

  /** The branch directory in force, or undefined before the first is approved. */
  async currentBranches(): Promise<VersionOf<BranchDirectory> | undefined> {
    const current = await this.versions.findCurrent('branches', SINGLE_KEY);
    return current === undefined ? undefined : { ...current, payload: branchDirectorySchema.parse(current.payload) };
  }

  /** The compliance settings in force, or undefined before the first is approved. */
  async currentCompliance(): Promise<VersionOf<ComplianceSettings> | undefined> {
    const current = await this.versions.findCurrent('compliance', SINGLE_KEY);
    return current === undefined ? undefined : { ...current, payload: complianceSettingsSchema.parse(current.payload) };
  }

  /** The version of a key in force, whatever its type, or undefined. */
  async findCurrent(configType: ConfigType, configKey: string): Promise<ConfigVersionRecord | undefined> {
    return this.versions.findCurrent(configType, configKey);
  }

  /** Every key of a type that has at least one version, by key. */
  async listKeys(configType: ConfigType): Promise<string[]> {
    return this.versions.listKeys(configType);
  }

  /**
   * What `version` changes against `against`, or by default against the highest approved
   * version below it (for a pending proposal: the version in force).
   *
   * @throws NotFoundError (404) when either version does not exist.
   */
  async diff(configType: ConfigType, configKey: string, version: number, against?: number): Promise<VersionDiff> {
    const versions = await this.listVersions(configType, configKey);
    const target = versions.find((candidate) => candidate.version === version);
    if (target === undefined) throw new NotFoundError(`${DESCRIPTIONS[configType]} "${configKey}" version ${version} does not exist`);
    let base: ConfigVersionRecord | undefined;
    if (against === undefined) {
      base = versions.filter((candidate) => candidate.status === 'approved' && candidate.version < version).at(-1);
    } else {
      base = versions.find((candidate) => candidate.version === against);
      if (base === undefined) throw new NotFoundError(`${DESCRIPTIONS[configType]} "${configKey}" version ${against} does not exist`);
    }
    return { version, against: base?.version ?? null, changes: diffPayloads(base?.payload ?? {}, target.payload) };
  }

  /** Every version of one key, oldest first; empty when it has none. */
  async listVersionsOrNone(configType: ConfigType, configKey: string): Promise<ConfigVersionRecord[]> {
    return this.versions.listVersions(configType, configKey);
  }

  /** Every version of one key, oldest first; 404 when the key has none. */
  async listVersions(configType: ConfigType, configKey: string): Promise<ConfigVersionRecord[]> {
    const versions = await this.versions.listVersions(configType, configKey);
    if (versions.length === 0) throw new NotFoundError(`${DESCRIPTIONS[configType]} "${configKey}" has no versions`);
    return versions;
  }

  /**
   * The products and branches a matrix names that do not exist: a product without an approved
   * version, a branch missing from the branch directory in force (when there is one). A typo
   * would otherwise grant nothing, silently.
   */
  private async unknownReferences(matrix: AuthorityMatrix): Promise<string[]> {
    const directory = await this.currentBranches();
    const branches = directory?.payload.branches.map((branch) => branch.code);
    const products = new Set((await this.versions.listCurrent('loan_product')).map((product) => product.configKey));
    const problems: string[] = [];
    matrix.rules.forEach((rule, index) => {
      if (rule.productId !== '*' && !products.has(rule.productId)) {
        problems.push(`rules[${index}].productId: loan product "${rule.productId}" has no approved version`);
      }
      if (rule.branch !== '*' && branches !== undefined && !branches.includes(rule.branch)) {
        problems.push(`rules[${index}].branch: "${rule.branch}" is not in branch directory version ${directory?.version} (allowed: ${branches.join(', ')}, or *)`);
      }
    });
    return problems;
  }

  /** The maker step: records a proposed version. Only one proposal per key may wait at a time. */
  async propose<Schema extends z.ZodType>(
    context: ServiceContext,
    configType: ConfigType,
    configKey: string,
    payload: z.output<Schema>,
  ): Promise<ConfigVersionRecord> {
    requireRole(context.identity, 'config_admin');
    if (await this.versions.hasPendingProposal(configType, configKey)) {
      throw new ConflictError(
        `${DESCRIPTIONS[configType]} "${configKey}" already has a proposed version awaiting approval; ` +
          'approve or reject it before proposing another',
      );
    }
    const now = this.clock().toISOString();
    let proposed: ConfigVersionRecord;
    try {
      proposed = await this.versions.propose(configType, configKey, payload, context.identity.userId, now);
    } catch (error) {
      // Two makers numbered the same version at once (possible on SQL Server with several replicas).
      if (isUniqueViolation(error)) {
        throw new ConflictError(`${DESCRIPTIONS[configType]} "${configKey}" received another proposal at the same time; reload and retry`);
      }
      throw error;
    }
    this.metrics.configVersionsProposed.inc();
    writeAuditLog(
      context.log,
      {
        actor: context.identity.userId,
        action: `config.${configType}.propose`,
        entity: { type: configType, id: `${configKey}@${proposed.version}` },
        before: null,
        after: proposed,
      },
      now,
    );
    return proposed;
  }

  /** The checker step: approve or reject a proposed version; the proposer may not decide. */
  async decide(
    context: ServiceContext,
    configType: ConfigType,
    configKey: string,
    version: number,
    decision: { approve: true } | { approve: false; reason: string },
  ): Promise<ConfigVersionRecord> {
    requireRole(context.identity, 'config_admin');
    const name = `${DESCRIPTIONS[configType]} "${configKey}" version ${version}`;
    const before = await this.versions.findVersion(configType, configKey, version);
    if (before === undefined) throw new NotFoundError(`${name} does not exist`);
    if (before.status !== 'proposed') {
      throw new ConflictError(`${name} is already ${before.status}; only a proposed version can be approved or rejected`);
    }
    if (before.proposedBy === context.identity.userId) {
      throw new ForbiddenError(
        `${name} was proposed by "${before.proposedBy}", who cannot also ${decision.approve ? 'approve' : 'reject'} it ` +
          '(maker-checker: a different config_admin must decide)',
      );
    }
    if (decision.approve) {
      // A version proposed before a rule was added must not come into force without meeting it.
      const checked = PROPOSAL_SCHEMAS[configType].safeParse(before.payload);
      if (!checked.success) {
        const problems = checked.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`);
        throw new BusinessRuleError(`${name} breaks the ${DESCRIPTIONS[configType]} rules and cannot be approved: ${problems.join('; ')}`);
      }
      if (configType === 'authority_matrix') {
        const unknown = await this.unknownReferences(authorityMatrixSchema.parse(before.payload));
        if (unknown.length > 0) throw new BusinessRuleError(`${name} names what does not exist and cannot be approved: ${unknown.join('; ')}`);
      }
    }
    const now = this.clock().toISOString();
    const decided = await this.versions.decide(configType, configKey, version, {
      status: decision.approve ? 'approved' : 'rejected',
      decidedBy: context.identity.userId,
      decidedAt: now,
      rejectionReason: decision.approve ? null : decision.reason,
    });
    if (!decided) throw new ConflictError(`${name} was decided by someone else at the same time`);
    const after = await this.versions.findVersion(configType, configKey, version);
    if (after === undefined) throw new NotFoundError(`${name} does not exist`);
    if (decision.approve) this.metrics.configVersionsApproved.inc();
    writeAuditLog(
      context.log,
      {
        actor: context.identity.userId,
        action: `config.${configType}.${decision.approve ? 'approve' : 'reject'}`,
        entity: { type: configType, id: `${configKey}@${version}` },
        before,
        after,
      },
      now,
    );
    return after;
  }
}
