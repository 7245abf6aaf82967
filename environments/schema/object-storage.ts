import { z } from 'zod';
import { erasureLayout } from '../../constructs/erasure-coding';
import { RUN_ALWAYS, duration, parsedFields, positiveInt, strict } from './common';
import { cpuQuantity, memoryQuantity, requestsWithinLimits } from './resources';

/** A volume size: a whole number of Mi, Gi or Ti. */
const driveSize = z.string().regex(/^[1-9][0-9]*(Mi|Gi|Ti)$/, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a volume size (allowed: a whole number of Mi, Gi or Ti, e.g. "500Gi")`,
});

/** One MinIO server pool: a StatefulSet of `servers` pods, each with `drivesPerServer` volumes. */
const serverPool = strict({
  /** MinIO pods in the pool, each on its own node. */
  servers: positiveInt.max(32),
  /** Volumes (drives) per pod. */
  drivesPerServer: positiveInt.max(16),
  /** Size of each volume. */
  driveSize,
});

/**
 * The environment's MinIO object stores (one per site, the same layout at both, so what the
 * primary writes fits the disaster-recovery site).
 */
export const objectStorage = strict({
  /**
   * Server pools; more pools add capacity without moving data. Every pool's drives must form
   * erasure sets MinIO accepts (2-16 drives, spread evenly over the pool's servers).
   */
  pools: z.array(serverPool).min(1).max(4),
  /**
   * Parity shards per erasure set (`MINIO_STORAGE_CLASS_STANDARD=EC:<parity>`): at most half
   * a set. In production every set must keep its read and write quorum with one server (one
   * node) gone.
   */
  parity: positiveInt.max(8),
  /** Requests and limits of each MinIO server container. */
  resources: strict({ cpuRequest: cpuQuantity, memoryRequest: memoryQuantity, cpuLimit: cpuQuantity, memoryLimit: memoryQuantity }).superRefine(
    requestsWithinLimits(
      [
        ['cpuRequest', 'cpuLimit', 'cpu'],
        ['memoryRequest', 'memoryLimit', 'memory'],
      ],
      'Kubernetes rejects a container whose request exceeds its limit',
    ),
    RUN_ALWAYS,
  ),
  /**
   * The longest the disaster-recovery copy of a replicated bucket may lag the primary's:
   * what the replication heartbeat's age is held against, and part of the data-loss figure of
   * every backup that travels through replication.
   */
  replicationLagBudget: duration,
}).superRefine((settings, ctx) => {
  const parsed = parsedFields(ctx);
  if (!parsed(['pools'], ['parity'])) return;
  settings.pools.forEach((pool, index) => {
    const layout = erasureLayout(pool, settings.parity);
    const drives = pool.servers * pool.drivesPerServer;
    if (layout === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['pools', index],
        message: `${pool.servers} server(s) x ${pool.drivesPerServer} drive(s) = ${drives} drive(s) form no erasure set (allowed: a drive count with a set size of 2-16 that is a multiple or a divisor of the server count, e.g. 4 servers x 4 drives)`,
      });
      return;
    }
    if (settings.parity * 2 > layout.setSize) {
      ctx.addIssue({
        code: 'custom',
        path: ['parity'],
        message: `${settings.parity} is more than half of pool ${index}'s erasure set of ${layout.setSize} drive(s) (${pool.servers} server(s) x ${pool.drivesPerServer} drive(s)) (allowed: at most ${Math.floor(layout.setSize / 2)}, or more drives: parity ${settings.parity} needs sets of at least ${settings.parity * 2})`,
      });
    }
  });
}, RUN_ALWAYS);

export type ObjectStorageSettings = z.output<typeof objectStorage>;
