import { maskNationalId } from '../domain/national-id';
import type { RepaymentSchedule } from '../money/repayment-schedule';
import type { ApplicationRecord } from '../repositories/application-repository';
import type { ConfigVersionRecord } from '../repositories/config-version-repository';
import type { DocumentRecord } from '../repositories/document-repository';

/** A schedule as JSON: bigint ngwee become numbers (always below 2^53, see MAX_NGWEE). */
export function presentSchedule(schedule: RepaymentSchedule): Record<string, unknown> {
  return {
    method: schedule.method,
    frequency: schedule.frequency,
    regularPaymentNgwee: Number(schedule.regularPaymentNgwee),
    totalPrincipalNgwee: Number(schedule.totalPrincipalNgwee),
    totalInterestNgwee: Number(schedule.totalInterestNgwee),
    totalRepayableNgwee: Number(schedule.totalRepayableNgwee),
    upfrontFeesNgwee: Number(schedule.upfrontFeesNgwee),
    netDisbursementNgwee: Number(schedule.netDisbursementNgwee),
    instalments: schedule.instalments.map((row) => ({
      number: row.number,
      dueDate: row.dueDate,
      principalNgwee: Number(row.principalNgwee),
      interestNgwee: Number(row.interestNgwee),
      paymentNgwee: Number(row.paymentNgwee),
      closingBalanceNgwee: Number(row.closingBalanceNgwee),
    })),
  };
}

/** A configuration version as JSON (the key is named by the route, e.g. productId). */
export function presentConfigVersion(record: ConfigVersionRecord): Record<string, unknown> {
  return {
    key: record.configKey,
    version: record.version,
    status: record.status,
    payload: record.payload,
    proposedBy: record.proposedBy,
    proposedAt: record.proposedAt,
    decidedBy: record.decidedBy,
    decidedAt: record.decidedAt,
    rejectionReason: record.rejectionReason,
  };
}

/** Document metadata as JSON; the storage key stays internal. */
export function presentDocument(document: DocumentRecord): Record<string, unknown> {
  const { storageKey: _internal, ...visible } = document;
  return visible;
}

/** One application in full, for a caller in its scope (GET one, and the result of a change). */
export function presentApplication(application: ApplicationRecord): Record<string, unknown> {
  return { ...application };
}

/** An application in a list or search result: the NRC masked, the rest as stored. */
export function presentApplicationSummary(application: ApplicationRecord): Record<string, unknown> {
  return { ...application, applicantNationalId: maskNationalId(application.applicantNationalId) };
}
