/** The data services the observability pack holds to metrics and alerts. */
import { judge, notApplicable } from '../objects';
import type { ObjectRef, Violation } from '../types';
import type { EnvironmentPlan } from './plan';

/** The platform's data services: how to recognise each, its scrape target and the metrics its alerts watch. */
export const DATA_SERVICES: readonly { readonly name: string; readonly matches: (kind: string, namespace: string, name: string) => boolean; readonly monitor: RegExp; readonly metric: RegExp }[] = [
  { name: 'MinIO', matches: (kind, namespace, name) => kind === 'StatefulSet' && namespace === 'lms-data' && name.startsWith('minio-pool-'), monitor: /^minio$/, metric: /\bminio_|\blms_object_store_replication_/ },
  { name: 'SQL Server', matches: (kind, namespace, name) => kind === 'StatefulSet' && namespace === 'lms-data' && name === 'sql-server', monitor: /^sql-server/, metric: /\blms_sql_/ },
  { name: 'Vault', matches: (kind, namespace, name) => kind === 'HelmRelease' && namespace === 'lms-security' && name === 'vault', monitor: /^vault$/, metric: /\bvault_|job="vault/ },
  { name: 'Elasticsearch', matches: (kind) => kind === 'Elasticsearch', monitor: /^elasticsearch-exporter$/, metric: /\belasticsearch_/ },
];

/** A data service the table does not know: a StatefulSet in lms-data or lms-security. */
function unknownDataService(kind: string, namespace: string): boolean {
  return kind === 'StatefulSet' && (namespace === 'lms-data' || namespace === 'lms-security');
}

export function judgeServices(plan: EnvironmentPlan, check: (service: (typeof DATA_SERVICES)[number], site: string) => Violation[]) {
  return plan.stacks.flatMap((stack) => {
    const refs: ObjectRef[] = [...stack.objects.map(({ ref }) => ref), ...stack.releases.map(({ ref }) => ref)];
    return refs.flatMap((ref) => {
      const service = DATA_SERVICES.find((candidate) => candidate.matches(ref.kind, ref.namespace, ref.name));
      if (!service) {
        return unknownDataService(ref.kind, ref.namespace) ? judge(ref, [{ path: 'kind', value: ref.kind, allowed: 'a data service the observability pack knows (add it to DATA_SERVICES with its monitor and metrics)' }]) : [notApplicable(ref)];
      }
      return judge(ref, check(service, stack.site));
    });
  });
}

