import { z } from 'zod';

/** What the bucket name rules allow, as error messages say it. */
export const BUCKET_NAME_ALLOWED =
  '3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, no "..", not an IP address, no xn-- or sthree- prefix, no -s3alias or --ol-s3 suffix';

/**
 * S3 bucket naming rules (MinIO applies the same).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export function isValidBucketName(name: string): boolean {
  return (
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d{1,3}(\.\d{1,3}){3}$/.test(name) &&
    !name.startsWith('xn--') &&
    !name.startsWith('sthree-') &&
    !name.endsWith('-s3alias') &&
    !name.endsWith('--ol-s3')
  );
}

export const BucketNameSchema = z
  .string({ error: BUCKET_NAME_ALLOWED })
  .refine(isValidBucketName, { error: BUCKET_NAME_ALLOWED });

/** The two sites of the platform. */
export const SITES = ['lusaka', 'kitwe'] as const;
export type Site = (typeof SITES)[number];
export const SiteSchema = z.enum(SITES, { error: SITES.join(', ') });
