import { z } from 'zod';
import { branchCodeSchema } from '../domain/application-access';
import { MAX_NGWEE, productIdSchema } from '../domain/loan-product';
import { plainTextSchema } from '../domain/plain-text';
import { isIsoDate } from '../money/due-dates';
import { APPLICATION_STATUSES } from '../repositories/application-repository';
import { DOCUMENT_KINDS } from '../repositories/document-repository';

/** Zambian National Registration Card number, e.g. `123456/78/1`. */
export const nationalIdSchema = z.string().regex(/^\d{6}\/\d{2}\/\d$/, 'must be an NRC number like 123456/78/1');

const isoDateSchema = z.string().refine(isIsoDate, 'must be a calendar date written YYYY-MM-DD');
const uuidSchema = z.string().uuid();

export const productParamsSchema = z.object({ productId: productIdSchema });
export const productVersionParamsSchema = z.object({ productId: productIdSchema, version: z.coerce.number().int().min(1) });
export const riskGradesVersionParamsSchema = z.object({ version: z.coerce.number().int().min(1) });
export const applicationParamsSchema = z.object({ applicationId: uuidSchema });
export const documentParamsSchema = z.object({ applicationId: uuidSchema, documentId: uuidSchema });

export const rejectionSchema = z.object({ reason: plainTextSchema({ min: 1, max: 1000, tooShort: 'a rejection needs a reason' }) }).strict();

export const newApplicationSchema = z
  .object({
    productId: productIdSchema,
    applicant: z
      .object({
        nationalId: nationalIdSchema,
        fullName: plainTextSchema({ min: 1, max: 200 }),
        monthlyIncomeNgwee: z.number().int().min(0).max(MAX_NGWEE),
      })
      .strict(),
    creditScore: z.number().int().min(0).max(1000),
    principalNgwee: z.number().int().min(1).max(MAX_NGWEE),
    instalmentCount: z.number().int().min(1).max(520),
    startDate: isoDateSchema.optional(),
    /** Defaults to the loan officer's only branch; required of an officer of several. */
    branch: branchCodeSchema.optional(),
  })
  .strict();

export const applicationListQuerySchema = z
  .object({
    status: z.enum(APPLICATION_STATUSES).optional(),
    branch: branchCodeSchema.optional(),
    productId: productIdSchema.optional(),
    applicant: nationalIdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(200).optional(),
  })
  .strict();

export const scheduleRequestSchema = z
  .object({
    productId: productIdSchema,
    principalNgwee: z.number().int().min(1).max(MAX_NGWEE),
    instalmentCount: z.number().int().min(1).max(520),
    startDate: isoDateSchema,
  })
  .strict();

export const documentUploadQuerySchema = z.object({ kind: z.enum(DOCUMENT_KINDS) }).strict();

export const applicationSchema = z.object({
  id: z.string(),
  branch: z.string(),
  productId: z.string(),
  productVersion: z.number().int(),
  applicantNationalId: z.string(),
  applicantName: z.string(),
  applicantMonthlyIncomeNgwee: z.number().int(),
  creditScore: z.number().int(),
  riskGrade: z.string(),
  riskGradesVersion: z.number().int(),
  principalNgwee: z.number().int(),
  instalmentCount: z.number().int(),
  startDate: z.string(),
  totalRepayableNgwee: z.number().int(),
  status: z.enum(APPLICATION_STATUSES),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  rejectionReason: z.string().nullable(),
  disbursedBy: z.string().nullable(),
  disbursedAt: z.string().nullable(),
});

/** An application in a list or search result: the NRC masked (`******\/78/1`). */
export const applicationSummarySchema = applicationSchema.extend({
  applicantNationalId: z.string().describe('masked NRC, e.g. ******/78/1; the full value only on GET /v1/applications/{applicationId}'),
});

export const applicationPageSchema = z.object({ items: z.array(applicationSummarySchema), nextCursor: z.string().nullable() });

export const scheduleSchema = z.object({
  method: z.string(),
  frequency: z.string(),
  regularPaymentNgwee: z.number().int(),
  totalPrincipalNgwee: z.number().int(),
  totalInterestNgwee: z.number().int(),
  totalRepayableNgwee: z.number().int(),
  upfrontFeesNgwee: z.number().int(),
  netDisbursementNgwee: z.number().int(),
  instalments: z.array(
    z.object({
      number: z.number().int(),
      dueDate: z.string(),
      principalNgwee: z.number().int(),
      interestNgwee: z.number().int(),
      paymentNgwee: z.number().int(),
      closingBalanceNgwee: z.number().int(),
    }),
  ),
});

export const configVersionSchema = z.object({
  key: z.string(),
  version: z.number().int(),
  status: z.enum(['proposed', 'approved', 'rejected']),
  payload: z.unknown(),
  proposedBy: z.string(),
  proposedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  rejectionReason: z.string().nullable(),
});

export const configDiffSchema = z.object({
  version: z.number().int(),
  against: z.number().int().nullable(),
  changes: z.array(
    z.object({ path: z.string(), change: z.enum(['added', 'removed', 'changed']), before: z.unknown(), after: z.unknown() }),
  ),
});

/** `?against=N`: the version to compare with (default: the highest approved version below). */
export const diffQuerySchema = z.object({ against: z.coerce.number().int().min(1).optional() }).strict();

export const documentSchema = z.object({
  id: z.string(),
  applicationId: z.string(),
  kind: z.enum(DOCUMENT_KINDS),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  uploadedBy: z.string(),
  uploadedAt: z.string(),
});
