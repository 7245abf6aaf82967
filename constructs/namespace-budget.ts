import type { NamespaceQuota } from './site-cluster';
import type { ContainerResources } from './cert-manager-values';
import { PlatformError, formatValue } from './platform-error';
import { cpuMillis, memoryMiB } from './quantities';

/** What one kind of pod of a component takes from its namespace's quota. */
export interface PodBudget {
  /** Who they are, for people: `Vault servers`. */
  readonly what: string;
  /** Pods at once, surge pods of a rolling update included. */
  readonly pods: number;
  /** One pod's effective requests and limits (the sum of its containers, or its largest init container if more). */
  readonly perPod: ContainerResources;
  /**
   * Storage one pod's PersistentVolumeClaims request, and how many claims it has.
   * @default - none
   */
  readonly volumes?: { readonly claims: number; readonly storage: string };
}

/** The sum of several containers' requests and limits, in millicores and MiB. */
export function sumResources(where: string, resources: readonly ContainerResources[]): ContainerResources {
  const total = (field: keyof ContainerResources, parse: (q: string, w: string) => number, unit: string) =>
    `${resources.reduce((sum, item) => sum + parse(item[field], `${where}: ${field}`), 0)}${unit}`;
  return { cpuRequest: total('cpuRequest', cpuMillis, 'm'), cpuLimit: total('cpuLimit', cpuMillis, 'm'), memoryRequest: total('memoryRequest', memoryMiB, 'Mi'), memoryLimit: total('memoryLimit', memoryMiB, 'Mi') };
}

/** The larger of two containers' figures, field by field: a pod's effective need with init containers. */
export function maxResources(where: string, a: ContainerResources, b: ContainerResources): ContainerResources {
  const larger = (field: keyof ContainerResources, parse: (q: string, w: string) => number, unit: string) =>
    `${Math.max(parse(a[field], `${where}: ${field}`), parse(b[field], `${where}: ${field}`))}${unit}`;
  return { cpuRequest: larger('cpuRequest', cpuMillis, 'm'), cpuLimit: larger('cpuLimit', cpuMillis, 'm'), memoryRequest: larger('memoryRequest', memoryMiB, 'Mi'), memoryLimit: larger('memoryLimit', memoryMiB, 'Mi') };
}

/**
 * The pods of a namespace must fit its ResourceQuota, or the API server refuses pods (and a
 * StatefulSet's volume claims) and the workloads never start. Checked at synth, naming every
 * pod that counts.
 *
 * @throws PlatformError naming the namespace, the quota field, its value, what the pods need and which pods
 */
export function checkNamespaceBudget(where: string, namespace: string, quota: NamespaceQuota, budgets: readonly PodBudget[]): void {
  const figures = [
    { field: 'requestsCpu', figure: 'cpuRequest', unit: 'm', parse: cpuMillis, what: 'CPU requests' },
    { field: 'limitsCpu', figure: 'cpuLimit', unit: 'm', parse: cpuMillis, what: 'CPU limits' },
    { field: 'requestsMemory', figure: 'memoryRequest', unit: 'Mi', parse: memoryMiB, what: 'memory requests' },
    { field: 'limitsMemory', figure: 'memoryLimit', unit: 'Mi', parse: memoryMiB, what: 'memory limits' },
  ] as const;
  const quotaField = (field: string) => `${where}: namespace ${namespace} quota ${field}`;
  for (const check of figures) {
    const have = check.parse(quota[check.field], quotaField(check.field));
    const each = budgets.map((budget) => ({ budget, value: check.parse(budget.perPod[check.figure], `${where}: ${budget.what}: ${check.figure}`) }));
    const needed = each.reduce((sum, { budget, value }) => sum + budget.pods * value, 0);
    if (have < needed) {
      const parts = each.map(({ budget, value }) => `${budget.what} ${budget.pods} x ${value}${check.unit}`).join(', ');
      throw new PlatformError(
        `${quotaField(check.field)}: ${formatValue(quota[check.field])} is below the ${needed}${check.unit} of ${check.what} of its pods (${parts}) (allowed: at least ${needed}${check.unit}, or the quota refuses pods and they never start)`,
      );
    }
  }
  const pods = budgets.reduce((sum, budget) => sum + budget.pods, 0);
  if (quota.pods < pods) {
    throw new PlatformError(
      `${quotaField('pods')}: ${quota.pods} is below its ${pods} pods (${budgets.map((budget) => `${budget.what} ${budget.pods}`).join(', ')}) (allowed: at least ${pods}, or the quota refuses pods and they never start)`,
    );
  }
  const claimed = budgets.filter((budget) => budget.volumes);
  const claims = claimed.reduce((sum, budget) => sum + budget.pods * budget.volumes!.claims, 0);
  if (quota.persistentVolumeClaims < claims) {
    throw new PlatformError(
      `${quotaField('persistentVolumeClaims')}: ${quota.persistentVolumeClaims} is below its ${claims} volume claims (${claimed.map((budget) => `${budget.what} ${budget.pods} x ${budget.volumes!.claims}`).join(', ')}) (allowed: at least ${claims}, or the quota refuses the claims and the pods never start)`,
    );
  }
  const storage = claimed.reduce((sum, budget) => sum + budget.pods * memoryMiB(budget.volumes!.storage, `${where}: ${budget.what}: storage`), 0);
  const haveStorage = memoryMiB(quota.requestsStorage, quotaField('requestsStorage'));
  if (haveStorage < storage) {
    throw new PlatformError(
      `${quotaField('requestsStorage')}: ${formatValue(quota.requestsStorage)} is below the ${storage}Mi its volume claims request (${claimed.map((budget) => `${budget.what} ${budget.pods} x ${budget.volumes!.storage}`).join(', ')}) (allowed: at least ${storage}Mi, or the quota refuses the claims and the pods never start)`,
    );
  }
}
