import { z } from 'zod';
import { NAMESPACE_ROLES, type NamespaceRole } from '../../constructs/namespaces';
import { NODE_POOL_PURPOSES, type NodePool, type NodePoolPurpose } from './node-pools';
import { cpuMillisOf, memoryMiBOf } from './resources';

/**
 * Which node pools each baseline namespace's pods run on, by pool purpose: a list of choices,
 * of which the first the site has at least one pool for is used.
 *
 * - `data` (SQL Server, MinIO): the `data` pools; a site without any (dev) uses `general`.
 * - `node-agents` (node-exporter, Filebeat, the MetalLB speaker): DaemonSets, so every pool.
 * - every other namespace: the `general` pools.
 *
 * A namespace's ResourceQuota may not request more CPU or memory than these pools have.
 */
export const NAMESPACE_NODE_POOLS: Readonly<Record<NamespaceRole, readonly (readonly NodePoolPurpose[])[]>> = {
  platform: [['general']],
  data: [['data'], ['general']],
  security: [['general']],
  observability: [['general']],
  'node-agents': [NODE_POOL_PURPOSES],
  apps: [['general']],
};

/** The pools `role`'s pods run on at a site with `pools` (see `NAMESPACE_NODE_POOLS`). */
export function poolsFor(role: NamespaceRole, pools: readonly NodePool[]): readonly NodePool[] {
  for (const purposes of NAMESPACE_NODE_POOLS[role]) {
    const chosen = pools.filter((pool) => purposes.includes(pool.purpose));
    if (chosen.length > 0) return chosen;
  }
  return [];
}

/** What a site's capacity rule reads. */
interface SiteCapacity {
  readonly nodePools: readonly NodePool[];
  readonly sizing: { readonly namespaces: Readonly<Record<NamespaceRole, { readonly requestsCpu: string; readonly requestsMemory: string }>> };
}

/**
 * The capacity rule of a site: each namespace's ResourceQuota requests (CPU, memory) at most
 * the sum over its node pools of nodeCount x cpuCores and nodeCount x memoryGiB. `parsed`
 * says which fields (relative to the site) parsed.
 */
export function checkNamespaceCapacity(
  site: SiteCapacity,
  ctx: z.core.$RefinementCtx<unknown>,
  parsed: (...reads: readonly (readonly PropertyKey[])[]) => boolean,
): void {
  if (!parsed(['nodePools'])) return;
  for (const role of NAMESPACE_ROLES) {
    const pools = poolsFor(role, site.nodePools);
    const none = `no node pool with purpose ${NAMESPACE_NODE_POOLS[role].flat().join(' or ')}`;
    const where = ['sizing', 'namespaces', role];

    const cores = pools.reduce((sum, pool) => sum + pool.nodeCount * pool.cpuCores, 0);
    const requestsCpu = parsed([...where, 'requestsCpu']) ? site.sizing.namespaces[role].requestsCpu : undefined;
    if (requestsCpu !== undefined && cpuMillisOf(requestsCpu) > cores * 1000) {
      const each = pools.map((pool) => `${pool.name}: ${pool.nodeCount} x ${pool.cpuCores} ${plural(pool.cpuCores, 'core')}`).join(', ') || none;
      ctx.addIssue({
        code: 'custom',
        path: [...where, 'requestsCpu'],
        message: `${JSON.stringify(requestsCpu)} is above the ${cores} ${plural(cores, 'core')} of the node pools for the ${role} namespace (${each}) (allowed: at most ${cores})`,
      });
    }

    const gibibytes = pools.reduce((sum, pool) => sum + pool.nodeCount * pool.memoryGiB, 0);
    const requestsMemory = parsed([...where, 'requestsMemory']) ? site.sizing.namespaces[role].requestsMemory : undefined;
    if (requestsMemory !== undefined && memoryMiBOf(requestsMemory) > gibibytes * 1024) {
      const each = pools.map((pool) => `${pool.name}: ${pool.nodeCount} x ${pool.memoryGiB} GiB`).join(', ') || none;
      ctx.addIssue({
        code: 'custom',
        path: [...where, 'requestsMemory'],
        message: `${JSON.stringify(requestsMemory)} is above the ${gibibytes} GiB of the node pools for the ${role} namespace (${each}) (allowed: at most ${gibibytes}Gi)`,
      });
    }
  }
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}

/** What the workload-quota rule of a site reads. */
interface SiteWorkloads {
  readonly sizing: { readonly namespaces: { readonly apps: Readonly<Record<'requestsCpu' | 'limitsCpu' | 'requestsMemory' | 'limitsMemory', string>> } };
  readonly workloads: { readonly loanService: { readonly replicas: number } & Readonly<Record<'cpuRequest' | 'cpuLimit' | 'memoryRequest' | 'memoryLimit', string>> };
}

/**
 * The workload-quota rule of a site: the apps namespace's ResourceQuota holds the
 * loan-service at its primary replica count (every site may be promoted), requests and
 * limits alike; otherwise the quota admission refuses pods and a rollout never completes.
 */
export function checkWorkloadQuota(site: SiteWorkloads, ctx: z.core.$RefinementCtx<unknown>, parsed: (...reads: readonly (readonly PropertyKey[])[]) => boolean): void {
  const quota = ['sizing', 'namespaces', 'apps'];
  const sizing = ['workloads', 'loanService'];
  const rows = [
    ['requestsCpu', 'cpuRequest', cpuMillisOf, 'm'],
    ['limitsCpu', 'cpuLimit', cpuMillisOf, 'm'],
    ['requestsMemory', 'memoryRequest', memoryMiBOf, 'Mi'],
    ['limitsMemory', 'memoryLimit', memoryMiBOf, 'Mi'],
  ] as const;
  if (!parsed([...sizing, 'replicas'])) return;
  const replicas = site.workloads.loanService.replicas;
  for (const [quotaField, podField, amount, unit] of rows) {
    if (!parsed([...quota, quotaField], [...sizing, podField])) continue;
    const available = amount(site.sizing.namespaces.apps[quotaField]);
    const perPod = amount(site.workloads.loanService[podField]);
    if (replicas * perPod > available) {
      ctx.addIssue({
        code: 'custom',
        path: [...quota, quotaField],
        message: `${JSON.stringify(site.sizing.namespaces.apps[quotaField])} cannot hold the loan-service at its ${replicas} primary replicas, ${replicas} x ${perPod}${unit} = ${replicas * perPod}${unit} (allowed: at least ${replicas * perPod}${unit})`,
      });
    }
  }
}
