import { z } from 'zod';
import { RUN_ALWAYS, duration, parsedFields, strict } from './common';
import { containerResources, volumeSize } from './monitoring';
import { cronSchedule } from './vault';
import { LOG_CLASSES, type LogClass } from '../../constructs/log-classes';

export { LOG_CLASSES, type LogClass };

/** Requests, limits and volume of one kind of Elasticsearch node. */
const nodeSet = (count: z.ZodInt) =>
  strict({
    /** Nodes of this kind at each site. */
    count,
    /** Each node's volume for its data (masters keep the cluster state only). */
    volumeSize,
    /** Requests and limits of each node's container; Elasticsearch's heap is half the memory limit. */
    resources: containerResources,
  });

/** The environment's centralised logs at each site (the same settings at both). */
export const logging = strict({
  elasticsearch: strict({
    /**
     * Dedicated master-eligible nodes: an odd number so a majority survives a node loss
     * (3 in production).
     */
    masters: nodeSet(z.int().min(1).max(5)).superRefine((settings, ctx) => {
      if (parsedFields(ctx)(['count']) && settings.count % 2 === 0) {
        ctx.addIssue({ code: 'custom', path: ['count'], message: `${settings.count} master-eligible nodes elect no master when half of them are gone (allowed: an odd number, 1, 3 or 5)` });
      }
    }, RUN_ALWAYS),
    /** Data and ingest nodes, holding the log indices (2 or more in production: a replica of every shard). */
    data: nodeSet(z.int().min(1).max(12)),
  }),
  kibana: strict({
    /** Kibana instances at each site; they keep no state of their own. */
    replicas: z.int().min(1).max(3),
  }),
  logstash: strict({
    /** Logstash instances at each site, each taking a share of the Filebeat connections. */
    replicas: z.int().min(1).max(6),
    /** Each instance's persistent queue, which holds events while Elasticsearch is slow or down. */
    queueVolumeSize: volumeSize,
    resources: containerResources,
  }),
  /**
   * How long each class of log is kept in Elasticsearch, counted from the day its index
   * rolled over (at most a day after it was written). Audit is kept longest.
   */
  retention: strict(Object.fromEntries(LOG_CLASSES.map((logClass) => [logClass, duration])) as Record<LogClass, typeof duration>).superRefine((retention, ctx) => {
    const parsed = parsedFields(ctx);
    if (!parsed(...LOG_CLASSES.map((logClass) => [logClass]))) return;
    for (const logClass of LOG_CLASSES) {
      if (logClass !== 'audit' && retention[logClass].isLongerThan(retention.audit)) {
        ctx.addIssue({ code: 'custom', path: [logClass], message: `"${retention[logClass]}" is longer than the audit retention "${retention.audit}" (allowed: at most the audit retention; audit logs are kept longest)` });
      }
    }
  }, RUN_ALWAYS),
  snapshots: strict({
    /** When each site's snapshot of every log data stream goes to its `es-snapshots` bucket (cron, UTC). */
    schedule: cronSchedule,
    /** How long snapshots are kept in the bucket (Elasticsearch's snapshot lifecycle deletes older ones). */
    retention: duration,
  }),
});

export type LoggingSettings = z.output<typeof logging>;
