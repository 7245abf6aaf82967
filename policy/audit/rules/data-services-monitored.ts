import type { AuditCheck } from '../types';
import { judgeServices } from '../data-services';

/** Every data service is scraped at its site: a ServiceMonitor or PodMonitor named for it. */
export const dataServicesMonitored: AuditCheck = (plan) =>
  judgeServices(plan, (service, site) => {
    const monitored = plan.stacks
      .filter((stack) => stack.site === site)
      .flatMap((stack) => stack.objects)
      .some(({ object }) => (object.kind === 'ServiceMonitor' || object.kind === 'PodMonitor') && service.monitor.test(object.metadata.name));
    return monitored ? [] : [{ path: 'ServiceMonitor', value: undefined, allowed: `a ServiceMonitor or PodMonitor named ${service.monitor.source} at ${site}` }];
  });

