import { z } from 'zod';

/**
 * Compliance settings the service applies (see the service README, "Compliance settings"):
 *
 * - `maxActiveApplicationsPerApplicant`: a submission is refused (422) when the applicant's NRC
 *   already has this many applications that are submitted, approved or disbursed, in any branch;
 * - `identityDocumentRequiredForApproval`: an application can be approved only once a document
 *   of kind `identity_copy` (the NRC copy, for know-your-customer) has been uploaded to it.
 */
export const complianceSettingsSchema = z
  .object({
    maxActiveApplicationsPerApplicant: z.number().int().min(1).max(20),
    identityDocumentRequiredForApproval: z.boolean(),
  })
  .strict();

export type ComplianceSettings = z.infer<typeof complianceSettingsSchema>;
