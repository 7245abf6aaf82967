import { z } from 'zod';
import { Duration } from '../../constructs/duration';
import { RUN_ALWAYS, duration, parsedFields, strict } from './common';
import { privateIpv4Cidr } from './network';
import { cpuQuantity, memoryQuantity, requestsWithinLimits } from './resources';

/** A volume size: a whole number of Mi, Gi or Ti. */
export const volumeSize = z.string().regex(/^[1-9][0-9]*(Mi|Gi|Ti)$/, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a volume size (allowed: a whole number of Mi, Gi or Ti, e.g. "100Gi")`,
});

/**
 * The longest window any platform alert reads (the loan-service SLO's slow ticket burn: 1x
 * over 3 days): Prometheus must keep at least this much, or the alert sees a shorter window
 * than it claims and fires on too little.
 */
export const LONGEST_ALERT_WINDOW = Duration.days(3);

/** Requests and limits of one container. */
export const containerResources = strict({ cpuRequest: cpuQuantity, memoryRequest: memoryQuantity, cpuLimit: cpuQuantity, memoryLimit: memoryQuantity }).superRefine(
  requestsWithinLimits(
    [
      ['cpuRequest', 'cpuLimit', 'cpu'],
      ['memoryRequest', 'memoryLimit', 'memory'],
    ],
    'Kubernetes rejects a container whose request exceeds its limit',
  ),
  RUN_ALWAYS,
);

/** The environment's metrics and alerting at each site (the same settings at both). */
export const monitoring = strict({
  prometheus: strict({
    /** Prometheus servers per site, each scraping everything (2 in production: a restart loses no alert). */
    replicas: z.int().min(1).max(3),
    /** How long samples are kept: at least the longest alert window (3d). */
    retention: duration,
    /** Each server's volume for its time-series database. */
    volumeSize,
    /** Requests and limits of each Prometheus container: memory grows with the series scraped. */
    resources: containerResources,
  }).superRefine((settings, ctx) => {
    const parsed = parsedFields(ctx);
    if (parsed(['retention']) && LONGEST_ALERT_WINDOW.isLongerThan(settings.retention)) {
      ctx.addIssue({ code: 'custom', path: ['retention'], message: `"${settings.retention}" is shorter than the longest alert window "${LONGEST_ALERT_WINDOW}" (allowed: at least "${LONGEST_ALERT_WINDOW}", so the SLO's 3-day burn-rate alert reads a full window)` });
    }
  }, RUN_ALWAYS),
  alertmanager: strict({
    /** Alertmanager replicas per site, clustered so a notification goes out once (2 or 3 in production). */
    replicas: z.int().min(1).max(3),
    /** Each replica's volume for silences and the notification log. */
    volumeSize,
    /**
     * Where the on-call pager and the ticket queue's webhooks answer (in-country, private
     * addresses): Alertmanager's NetworkPolicy lets it reach these blocks on `receiverPort`.
     */
    receiverAddressBlocks: z.array(privateIpv4Cidr).min(1),
    /** The TCP port of the receivers' webhooks. */
    receiverPort: z.int().min(1).max(65535),
  }),
  grafana: strict({
    /** Grafana replicas per site; dashboards come from code, so replicas hold no state. */
    replicas: z.int().min(1).max(3),
  }),
});

export type MonitoringSettings = z.output<typeof monitoring>;
