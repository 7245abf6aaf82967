import { dataServicesAlerted } from '../rules/data-services-alerted';
import { dataServicesMonitored } from '../rules/data-services-monitored';
import { logsFromEveryNamespace } from '../rules/logs-from-every-namespace';
import type { AuditPack } from '../types';

/** Observability: every data service measured and alerted on, every namespace's logs collected. */
export const OBSERVABILITY_PACK: AuditPack = {
  name: 'observability',
  title: 'Observability',
  description: 'Metrics, alert rules and log collection, read from the ServiceMonitors, PodMonitors, PrometheusRules and the Filebeat resource of each site.',
  rules: [
    { id: 'LMS-OBS-001', level: 'error', title: 'Metrics scraped from every data service', why: 'A data service nobody measures fails unseen; its metrics also feed the capacity and recovery evidence.', check: dataServicesMonitored },
    { id: 'LMS-OBS-002', level: 'error', title: 'Alert rules for every data service', why: 'Metrics only help when a rule turns a failure into a page within the objectives.', check: dataServicesAlerted },
    { id: 'LMS-OBS-003', level: 'error', title: 'Logs collected from every namespace', why: 'Audit trails and incident analysis need every workload\'s logs in the log store, kept in Zambia.', check: logsFromEveryNamespace },
  ],
};
