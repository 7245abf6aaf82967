import type { ReconcileConfig } from '../config/reconcile-config';
import type { BucketActionType, BucketStore } from './bucket-state';
import { planBucket } from './plan-bucket';

/** The line printed for one bucket: what was done, and why it stopped if it failed. */
export interface BucketResult {
  readonly bucket: string;
  readonly actions: readonly BucketActionType[];
  readonly error?: string;
}

/**
 * Brings every bucket of the config to its desired state, one after the other: observe, plan,
 * apply the planned actions in order. A bucket that fails stops at that point and the next
 * bucket goes on. Calls `report` once per bucket; returns every result.
 */
export async function reconcileBuckets(
  config: ReconcileConfig,
  store: BucketStore,
  report: (result: BucketResult) => void,
): Promise<BucketResult[]> {
  const results: BucketResult[] = [];
  for (const desired of config.buckets) {
    const done: BucketActionType[] = [];
    let result: BucketResult;
    try {
      const actions = planBucket(desired, await store.observe(desired.name));
      for (const action of actions) {
        await store.apply(desired.name, action);
        done.push(action.type);
      }
      result = { bucket: desired.name, actions: done };
    } catch (error) {
      result = { bucket: desired.name, actions: done, error: error instanceof Error ? error.message : String(error) };
    }
    report(result);
    results.push(result);
  }
  return results;
}
