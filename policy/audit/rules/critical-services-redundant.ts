import { field, judge, notApplicable, selectorMatches, stringMap } from '../../objects';
import type { Violation } from '../../types';
import { primarySiteOf } from '../plan';
import type { AuditCheck } from '../types';

/** Whether a workload is a critical service: any Deployment or StatefulSet of the applications, a StatefulSet (a data store) of the data and security layers. */
export function isCriticalWorkload(kind: string, namespace: string): boolean {
  return (namespace === 'lms-apps' && (kind === 'Deployment' || kind === 'StatefulSet')) || (kind === 'StatefulSet' && (namespace === 'lms-data' || namespace === 'lms-security'));
}

/**
 * In production, every critical service at the primary runs at least 2 replicas under a
 * PodDisruptionBudget: Deployments and StatefulSets of lms-apps, StatefulSets of lms-data and lms-security
 * (an HPA's minReplicas counts), the Vault release (`server.ha.replicas`, its chart's
 * budget on) and every Elasticsearch node set (ECK's default budget on).
 */
export const criticalServicesRedundant: AuditCheck = (plan, context) => {
  const primary = primarySiteOf(plan);
  return plan.stacks.flatMap((stack) => {
    const applies = context.tier === 'production' && stack.site === primary;
    const siteObjects = plan.stacks.filter((other) => other.site === stack.site).flatMap((other) => other.objects.map(({ object }) => object));
    return [
      ...stack.objects.flatMap(({ object, ref }) => {
        const workload = isCriticalWorkload(object.kind, object.metadata.namespace ?? '');
        if (!applies || !(workload || object.kind === 'Elasticsearch')) return [notApplicable(ref)];
        const violations: Violation[] = [];
        if (object.kind === 'Elasticsearch') {
          const nodeSets = field(object.spec, 'nodeSets');
          (Array.isArray(nodeSets) ? nodeSets : []).forEach((nodeSet, index) => {
            const count = field(nodeSet, 'count');
            if (typeof count !== 'number' || count < 2) violations.push({ path: `spec.nodeSets[${index}].count`, value: count, allowed: 'at least 2' });
          });
          if (field(object.spec, 'podDisruptionBudget') !== undefined && field(field(object.spec, 'podDisruptionBudget'), 'spec') === undefined) violations.push({ path: 'spec.podDisruptionBudget', value: field(object.spec, 'podDisruptionBudget'), allowed: "ECK's default budget" });
          return judge(ref, violations);
        }
        const hpa = siteObjects.find((candidate) => candidate.kind === 'HorizontalPodAutoscaler' && candidate.metadata.namespace === object.metadata.namespace && field(field(candidate.spec, 'scaleTargetRef'), 'name') === object.metadata.name);
        const replicas = field(object.spec, 'replicas') ?? field(hpa?.spec, 'minReplicas');
        if (typeof replicas !== 'number' || replicas < 2) violations.push({ path: hpa ? 'HorizontalPodAutoscaler spec.minReplicas' : 'spec.replicas', value: replicas, allowed: 'at least 2' });
        const labels = stringMap(field(field(field(object.spec, 'template'), 'metadata'), 'labels')) ?? {};
        const budget = siteObjects.some((candidate) => candidate.kind === 'PodDisruptionBudget' && candidate.metadata.namespace === object.metadata.namespace && selectorMatches(field(candidate.spec, 'selector'), labels));
        if (!budget) violations.push({ path: 'PodDisruptionBudget', value: undefined, allowed: 'a PodDisruptionBudget selecting its pods' });
        return judge(ref, violations);
      }),
      ...stack.releases.flatMap((release) => {
        if (!applies || release.chart !== 'vault') return [notApplicable(release.ref)];
        const ha = field(field(release.values, 'server'), 'ha');
        const violations: Violation[] = [];
        const replicas = field(ha, 'replicas');
        if (field(ha, 'enabled') !== true || typeof replicas !== 'number' || replicas < 2) violations.push({ path: 'values.server.ha', value: ha === undefined ? undefined : { enabled: field(ha, 'enabled'), replicas }, allowed: 'enabled with at least 2 replicas' });
        if (field(field(ha, 'disruptionBudget'), 'enabled') === false) violations.push({ path: 'values.server.ha.disruptionBudget.enabled', value: false, allowed: "true (the chart's default)" });
        return judge(release.ref, violations);
      }),
    ];
  });
};
