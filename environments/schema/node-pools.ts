import { z } from 'zod';
import { dnsLabel, positiveInt, strict } from './common';

/** What runs on a node pool: `system` (control add-ons), `general` (apps, platform), `data` (databases, storage). */
export const NODE_POOL_PURPOSES = ['system', 'general', 'data'] as const;
export type NodePoolPurpose = (typeof NODE_POOL_PURPOSES)[number];

const nodePool = strict({
  name: dnsLabel,
  purpose: z.enum(NODE_POOL_PURPOSES),
  nodeCount: positiveInt,
  cpuCores: positiveInt,
  memoryGiB: positiveInt,
});

/** A site's node pools, with unique names. */
export const nodePools = z
  .array(nodePool)
  .min(1)
  .superRefine((pools, ctx) => {
    const seen = new Set<string>();
    pools.forEach((pool, index) => {
      if (seen.has(pool.name)) {
        ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `${JSON.stringify(pool.name)} is used by two node pools (allowed: unique names)` });
      }
      seen.add(pool.name);
    });
  });

export type NodePool = z.output<typeof nodePool>;
