import { z } from 'zod';
import { BucketNameSchema, SiteSchema, SITES } from './bucket-name';
import { parseConfig, readJsonFile, SENTENCE, strictObject } from './config-file';
import { ConfigurationError } from '../errors';

export const HEARTBEAT_MODES = ['writer', 'reader'] as const;
export type HeartbeatMode = (typeof HEARTBEAT_MODES)[number];

export const DEFAULT_INTERVAL_SECONDS = 60;
const INTERVAL_ALLOWED = 'a whole number of seconds from 1 to 3600';

export const HeartbeatConfigSchema = strictObject(
  {
    site: SiteSchema,
    sourceSite: SiteSchema.optional(),
    replicatedBuckets: z
      .array(BucketNameSchema, { error: 'a list of bucket names' })
      .min(1, { error: 'a list of at least one bucket name' }),
    intervalSeconds: z
      .int({ error: INTERVAL_ALLOWED })
      .min(1, { error: INTERVAL_ALLOWED })
      .max(3600, { error: INTERVAL_ALLOWED })
      .default(DEFAULT_INTERVAL_SECONDS),
  },
  'an object {"site", "sourceSite", "replicatedBuckets", "intervalSeconds"}',
).superRefine((config, context) => {
  const seen = new Set<string>();
  config.replicatedBuckets.forEach((bucket, index) => {
    if (seen.has(bucket)) {
      context.addIssue({ code: 'custom', path: ['replicatedBuckets', index], message: 'is listed twice (allowed: each bucket once)', params: SENTENCE });
    }
    seen.add(bucket);
  });
});

export type HeartbeatConfig = z.output<typeof HeartbeatConfigSchema>;

/**
 * Reads and validates the replication-heartbeat config file. A reader needs `sourceSite`, the
 * other site, whose writer puts the heartbeats that replication brings here.
 */
export function loadHeartbeatConfig(file: string, mode: HeartbeatMode): HeartbeatConfig {
  const config = parseConfig(HeartbeatConfigSchema, readJsonFile(file), file);
  if (mode === 'reader') {
    if (config.sourceSite === undefined) {
      throw new ConfigurationError([`${file}: sourceSite: missing (required with --mode reader; allowed: ${SITES.join(', ')})`]);
    }
    if (config.sourceSite === config.site) {
      const other = SITES.filter((site) => site !== config.site).join(', ');
      throw new ConfigurationError([
        `${file}: sourceSite: "${config.sourceSite}" is the reading site itself (allowed: ${other}, the site whose writer puts the heartbeats)`,
      ]);
    }
  }
  return config;
}
