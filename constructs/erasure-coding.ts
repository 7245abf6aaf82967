/**
 * MinIO's erasure coding, computed the way the server lays out its drives, so that a
 * configuration that cannot store data or would not survive the loss of a node fails at
 * synth rather than at the first write.
 *
 * MinIO splits each server pool into erasure sets of 2 to 16 drives. Of the sizes that divide
 * the pool's drive count and spread evenly over its servers (the set size is a multiple of
 * the server count, or divides it), it takes the largest. Each object is striped over one set
 * as data and parity shards: reads need `data` shards, writes `data` (or `data + 1` when
 * parity is exactly half the set).
 *
 * @see https://min.io/docs/minio/linux/operations/concepts/erasure-coding.html
 */

/** One server pool: `servers` pods, each with `drivesPerServer` volumes. */
export interface ErasurePool {
  readonly servers: number;
  readonly drivesPerServer: number;
}

/** The layout MinIO gives one pool, and what it survives. */
export interface ErasureLayout {
  readonly drives: number;
  /** Drives per erasure set. */
  readonly setSize: number;
  readonly sets: number;
  readonly parity: number;
  readonly dataShards: number;
  readonly readQuorum: number;
  readonly writeQuorum: number;
  /** Drives of one erasure set on one server: what the set loses with that server. */
  readonly drivesPerSetOnOneServer: number;
  /** Whether every set keeps its read and write quorum with any one server gone. */
  readonly survivesOneServer: boolean;
  /** Share of raw capacity left for data, 0-1. */
  readonly usableFraction: number;
}

const SET_SIZES = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16] as const;

/** The erasure set size MinIO picks for a pool, or undefined when no size 2-16 fits. */
export function erasureSetSize(pool: ErasurePool): number | undefined {
  const drives = pool.servers * pool.drivesPerServer;
  const fitting = SET_SIZES.filter((size) => drives % size === 0 && (size % pool.servers === 0 || pool.servers % size === 0));
  return fitting.length > 0 ? fitting[fitting.length - 1] : undefined;
}

/** The layout of a pool with `parity` shards per set; undefined when no set size fits. */
export function erasureLayout(pool: ErasurePool, parity: number): ErasureLayout | undefined {
  const setSize = erasureSetSize(pool);
  if (setSize === undefined) return undefined;
  const drives = pool.servers * pool.drivesPerServer;
  const dataShards = setSize - parity;
  const readQuorum = dataShards;
  const writeQuorum = parity === dataShards ? dataShards + 1 : dataShards;
  const drivesPerSetOnOneServer = setSize >= pool.servers ? setSize / pool.servers : 1;
  const left = setSize - drivesPerSetOnOneServer;
  return {
    drives,
    setSize,
    sets: drives / setSize,
    parity,
    dataShards,
    readQuorum,
    writeQuorum,
    drivesPerSetOnOneServer,
    survivesOneServer: pool.servers >= 2 && left >= readQuorum && left >= writeQuorum,
    usableFraction: dataShards / setSize,
  };
}
