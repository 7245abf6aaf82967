import { alertRulesOf } from '../facts';
import type { AuditCheck } from '../types';
import { judgeServices } from '../data-services';

/** Every data service has an alert rule at its site watching its metrics. */
export const dataServicesAlerted: AuditCheck = (plan) => {
  const alerts = alertRulesOf(plan);
  return judgeServices(plan, (service, site) =>
    alerts.some((rule) => rule.site === site && service.metric.test(rule.expr)) ? [] : [{ path: 'PrometheusRule', value: undefined, allowed: `an alert at ${site} on metrics matching ${service.metric.source}` }],
  );
};
