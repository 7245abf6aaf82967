import { z } from 'zod';
import { kindError, strict } from './common';
import { inCountryEndpoint } from './sovereignty';

/** Where Terraform keeps a site's state: an in-country S3-compatible store, or a local folder. */
export const stateBackend = z.discriminatedUnion(
  'kind',
  [
    strict({
      kind: z.literal('s3'),
      /** The in-country S3-compatible (MinIO) endpoint holding Terraform state. */
      endpoint: inCountryEndpoint,
      bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
        error: (issue) => `${JSON.stringify(issue.input)} is not a bucket name (allowed: 3-63 lower-case letters, digits, "." and "-")`,
      }),
      /** Region name the MinIO server is configured with. */
      region: z.string().min(1),
    }),
    strict({
      kind: z.literal('local'),
      /**
       * Directory for state files, relative to the project root (never absolute, so
       * synthesized output is the same on every machine).
       */
      directory: z.string().regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._/-]+$/, {
        error: (issue) => `${JSON.stringify(issue.input)} is not a relative directory inside the project (allowed: e.g. ".terraform-state")`,
      }),
    }),
  ],
  { error: kindError('state backend kind', ['s3', 'local']) },
);
