import { CronSchedule } from './cron-schedule';
import { Duration } from './duration';
import { logMappings, LOG_FIELD_LIMIT, type LogMappings } from './elasticsearch-mappings';
import { LOGGING_NAMES, LOG_CLASSES, dataStreamName, indexTemplateName, lifecyclePolicyName, type LogClass } from './logging-names';
import { PlatformError, formatValue } from './platform-error';
import { quartzCron } from './quartz-cron';
import type { ObjectStoreEndpoint } from './service-references';
import { isDnsLabel } from './tls-certificate';

/**
 * Elasticsearch's configuration as data: the exact JSON bodies of the REST requests that set
 * up a site's log cluster (lifecycle policies, templates, the snapshot repository and the
 * snapshot lifecycle policy), built from the environment's `logging` settings. The setup Job
 * PUTs them in `elasticsearchRequests` order; every one is idempotent.
 */

/** Marks every object the platform writes, so people in Kibana see it is managed as code. */
export const MANAGED_META = { managed_by: 'lms-platform', managed: true } as const;

/** Built-in `logs` template's priority: each class template must outrank it for `logs-lms.*`. */
export const BUILT_IN_LOGS_TEMPLATE_PRIORITY = 100;
/** The class templates' priority, above the built-in `logs` template. */
export const LOG_CLASS_TEMPLATE_PRIORITY = 200;
/** The component template every class template is composed of. */
export const LOGS_COMPONENT_TEMPLATE = 'lms-logs-mappings';

/** When a backing index rolls over: each day, or sooner at this primary shard size. */
export const ROLLOVER = { maxAge: Duration.days(1), maxPrimaryShardSize: '50gb' } as const;
/**
 * Audit indices become read-only and are force-merged to one segment this long after rollover:
 * nothing writes to them again, and years of retention take less disk and heap.
 */
export const AUDIT_WARM_AFTER = Duration.days(1);
/** Elasticsearch refuses snapshot schedules more frequent than `slm.minimum_interval` (15m by default). */
export const SLM_MINIMUM_INTERVAL = Duration.minutes(15);
/** Snapshots kept whatever their age, so a long outage of the schedule never leaves none. */
export const SNAPSHOT_MIN_COUNT = 5;

/**
 * `PUT _ilm/policy/<name>`.
 * @see https://www.elastic.co/guide/en/elasticsearch/reference/current/ilm-put-lifecycle.html
 * @see https://www.elastic.co/guide/en/elasticsearch/reference/current/ilm-index-lifecycle.html
 */
export interface LifecyclePolicyBody {
  readonly policy: {
    readonly _meta: Readonly<Record<string, unknown>>;
    readonly phases: {
      readonly hot: { readonly min_age: '0ms'; readonly actions: { readonly rollover: { readonly max_age: string; readonly max_primary_shard_size: string } } };
      readonly warm?: { readonly min_age: string; readonly actions: { readonly readonly: Record<string, never>; readonly forcemerge: { readonly max_num_segments: 1 } } };
      readonly delete: { readonly min_age: string; readonly actions: { readonly delete: Record<string, never> } };
    };
  };
}

/**
 * `PUT _component_template/<name>`.
 * @see https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-component-template.html
 */
export interface ComponentTemplateBody {
  readonly template: { readonly settings: Readonly<Record<string, unknown>>; readonly mappings: LogMappings };
  readonly _meta: Readonly<Record<string, unknown>>;
}

/**
 * `PUT _index_template/<name>`: a composable template that makes matching names data streams.
 * @see https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-put-template.html
 */
export interface IndexTemplateBody {
  readonly index_patterns: readonly string[];
  readonly data_stream: Record<string, never>;
  readonly composed_of: readonly string[];
  readonly priority: number;
  readonly template: { readonly settings: Readonly<Record<string, unknown>> };
  readonly _meta: Readonly<Record<string, unknown>>;
}

/**
 * `PUT _snapshot/<repository>` of type `s3`. Endpoint, protocol, path style and region are not
 * repository settings but the S3 client's (`snapshotClientSettings`, in the nodes' configuration);
 * the keys are the client's secure settings, in the keystore.
 * @see https://www.elastic.co/docs/api/elasticsearch/operation/operation-snapshot-create-repository
 * @see https://elastic.co/docs/reference/elasticsearch/configuration-reference/s3-repository-settings
 */
export interface SnapshotRepositoryBody {
  readonly type: 's3';
  readonly settings: { readonly bucket: string; readonly client: 'default'; readonly base_path: string; readonly readonly?: true };
}

/**
 * `PUT _slm/policy/<name>`.
 * @see https://www.elastic.co/guide/en/elasticsearch/reference/current/slm-api-put-policy.html
 */
export interface SnapshotPolicyBody {
  readonly schedule: string;
  readonly name: string;
  readonly repository: string;
  readonly config: { readonly indices: readonly string[]; readonly include_global_state: true; readonly ignore_unavailable: false };
  readonly retention: { readonly expire_after: string; readonly min_count: number; readonly max_count: number };
}

/**
 * The lifecycle of one class's backing indices: written while hot and rolled over daily (or at
 * 50gb a primary shard), deleted `retention` after rollover; audit indices are made read-only
 * and force-merged a day after rollover.
 * @param retention the environment's `logging.retention.<class>`
 * @throws PlatformError for an audit retention not longer than AUDIT_WARM_AFTER (Elasticsearch refuses a delete phase before the warm one)
 */
export function lifecyclePolicyBody(logClass: LogClass, retention: Duration, where: string): LifecyclePolicyBody {
  if (logClass === 'audit' && !retention.isLongerThan(AUDIT_WARM_AFTER)) {
    throw new PlatformError(
      `${where}: retention.audit: ${formatValue(retention.toString())} is not allowed (allowed: longer than ${AUDIT_WARM_AFTER}, the age after rollover at which audit indices become read-only)`,
    );
  }
  return {
    policy: {
      _meta: { ...MANAGED_META, description: `Logs of class ${logClass}: rolled over daily, deleted ${retention} after rollover` },
      phases: {
        hot: { min_age: '0ms', actions: { rollover: { max_age: ROLLOVER.maxAge.toString(), max_primary_shard_size: ROLLOVER.maxPrimaryShardSize } } },
        ...(logClass === 'audit' ? { warm: { min_age: AUDIT_WARM_AFTER.toString(), actions: { readonly: {}, forcemerge: { max_num_segments: 1 as const } } } } : {}),
        delete: { min_age: retention.toString(), actions: { delete: {} } },
      },
    },
  };
}

/** The component template with the shared mappings (see `elasticsearch-mappings.ts`). */
export function componentTemplateBody(): ComponentTemplateBody {
  return {
    template: {
      settings: { 'index.mapping.total_fields.limit': LOG_FIELD_LIMIT, 'index.mapping.total_fields.ignore_dynamic_beyond_limit': true },
      mappings: logMappings(),
    },
    _meta: { ...MANAGED_META, description: 'Fields every class of platform log maps' },
  };
}

/** `logs-lms.audit-*`: every environment's data stream of the class, and no other class's. */
export function indexPattern(logClass: LogClass): string {
  return `${dataStreamName(logClass, '')}*`;
}

/**
 * The template of one class's data streams: its lifecycle policy, one primary shard (rollover
 * keeps shards under 50gb), and a replica of it when there are two or more data nodes to hold
 * one (on one node a replica could never be assigned and the cluster would stay yellow).
 * Audit indices are compressed harder: they are kept for years and rarely read.
 * @param dataNodes the environment's `logging.elasticsearch.data.count`
 */
export function indexTemplateBody(logClass: LogClass, dataNodes: number, where: string): IndexTemplateBody {
  if (!Number.isInteger(dataNodes) || dataNodes < 1) {
    throw PlatformError.invalidProp(where, 'elasticsearch.data.count', dataNodes, 'a whole number of data nodes, 1 or more');
  }
  return {
    index_patterns: [indexPattern(logClass)],
    data_stream: {},
    composed_of: [LOGS_COMPONENT_TEMPLATE],
    priority: LOG_CLASS_TEMPLATE_PRIORITY,
    template: {
      settings: {
        'index.lifecycle.name': lifecyclePolicyName(logClass),
        'index.number_of_shards': 1,
        'index.number_of_replicas': dataNodes >= 2 ? 1 : 0,
        ...(logClass === 'audit' ? { 'index.codec': 'best_compression' } : {}),
      },
    },
    _meta: { ...MANAGED_META, description: `Data streams of log class ${logClass}` },
  };
}

/**
 * The site's snapshot repository: its `es-snapshots` bucket, under `<site>/`. The bucket is
 * replicated, so the other site's copy holds this site's snapshots under the same prefix, never
 * mixed with its own; a site restores the other's through a read-only repository on that prefix.
 * @param options.basePath the site whose snapshots the repository holds (`lusaka`)
 * @param options.readonly a repository only restored from: the other site's snapshots
 */
export function snapshotRepositoryBody(options: { readonly bucket: string; readonly basePath: string; readonly readonly?: boolean }, where: string): SnapshotRepositoryBody {
  if (!isDnsLabel(options.basePath)) {
    throw PlatformError.invalidProp(where, 'basePath', options.basePath, 'a site name, a lower-case DNS label such as "lusaka"');
  }
  return { type: 's3', settings: { bucket: options.bucket, client: 'default', base_path: options.basePath, ...(options.readonly ? { readonly: true as const } : {}) } };
}

/**
 * The scheduled snapshots of every log data stream, with the cluster's global state (templates,
 * lifecycle policies) so a restore brings them back too. Snapshots older than `retention` are
 * deleted, but never the newest SNAPSHOT_MIN_COUNT; `max_count` is what the schedule takes in
 * one retention period, so it never deletes a snapshot `expire_after` would keep.
 * @param schedule the environment's `logging.snapshots.schedule` (five-field cron, UTC)
 * @param retention the environment's `logging.snapshots.retention`
 * @throws PlatformError for a schedule more frequent than every 15 minutes, or one Elasticsearch's cron cannot express
 */
export function snapshotPolicyBody(options: { readonly siteName: string; readonly schedule: string; readonly retention: Duration }, where: string): SnapshotPolicyBody {
  const cron = CronSchedule.parse(options.schedule, `${where}: snapshots.schedule`);
  if (SLM_MINIMUM_INTERVAL.isLongerThan(cron.shortestInterval)) {
    throw new PlatformError(
      `${where}: snapshots.schedule: ${formatValue(options.schedule)} runs as often as every ${cron.shortestInterval} (allowed: at most every ${SLM_MINIMUM_INTERVAL}, Elasticsearch's slm.minimum_interval)`,
    );
  }
  const runsPerRetention = Math.ceil(options.retention.totalSeconds / cron.shortestInterval.totalSeconds);
  return {
    schedule: quartzCron(options.schedule, `${where}: snapshots.schedule`),
    // Date math, resolved when each snapshot starts; Elasticsearch adds a unique suffix.
    name: `<lms-${options.siteName}-{now/d}>`,
    repository: LOGGING_NAMES.snapshotRepository,
    config: { indices: ['logs-lms.*'], include_global_state: true, ignore_unavailable: false },
    retention: { expire_after: options.retention.toString(), min_count: Math.min(SNAPSHOT_MIN_COUNT, runsPerRetention), max_count: Math.max(SNAPSHOT_MIN_COUNT, runsPerRetention) },
  };
}

/**
 * The S3 client settings of every Elasticsearch node (`elasticsearch.yml`, the Elasticsearch
 * resource's `nodeSets[].config`): the site's MinIO, over https, path-style (MinIO serves
 * buckets as paths), with the region MinIO is configured with. The keys are secure settings
 * (`s3.client.default.access_key`, `.secret_key`) and come from the keystore.
 * @see https://elastic.co/docs/reference/elasticsearch/configuration-reference/s3-repository-settings
 */
export function snapshotClientSettings(store: ObjectStoreEndpoint): Readonly<Record<string, string | boolean>> {
  return {
    's3.client.default.endpoint': store.url,
    's3.client.default.protocol': 'https',
    's3.client.default.path_style_access': true,
    's3.client.default.region': store.region,
  };
}

/** One request of the setup, in order. */
export interface ElasticsearchRequest {
  readonly method: 'PUT';
  /** The API path without a leading slash: `_ilm/policy/lms-logs-audit`. */
  readonly path: string;
  /** The file of the setup's ConfigMap holding the body: `ilm-lms-logs-audit.json`. */
  readonly file: string;
  readonly body: object;
}

export interface ElasticsearchConfigurationOptions {
  /** The site (`lusaka`): the snapshot repository's base path and the snapshots' names. */
  readonly siteName: string;
  /**
   * The environment's other site (`kitwe`): its snapshots, replicated into this site's bucket,
   * are registered read-only as `es-snapshots-<other site>`, ready to restore from.
   */
  readonly otherSiteName: string;
  /** The environment's `logging.retention`. */
  readonly retention: Readonly<Record<LogClass, Duration>>;
  /** The environment's `logging.snapshots`. */
  readonly snapshots: { readonly schedule: string; readonly retention: Duration };
  /** The environment's `logging.elasticsearch.data.count`. */
  readonly dataNodes: number;
  /**
   * The bucket snapshots go to.
   * @default 'es-snapshots'
   */
  readonly bucket?: string;
}

/**
 * The read-only repository of the other site's snapshots (`es-snapshots-lusaka` at Kitwe):
 * only the site that takes snapshots writes to a prefix; the other only restores from it.
 * @see https://www.elastic.co/guide/en/elasticsearch/reference/current/snapshots-register-repository.html
 */
export function otherSiteRepositoryName(otherSiteName: string): string {
  return `${LOGGING_NAMES.snapshotRepository}-${otherSiteName}`;
}

/** The bucket of the sites' Elasticsearch snapshots (a business bucket, replicated). */
export const ELASTICSEARCH_SNAPSHOT_BUCKET = 'es-snapshots';

/**
 * Every request of a site's setup, in the order they must run: lifecycle policies before the
 * templates naming them, the component template before the index templates composed of it,
 * the site's repository (then the other site's, read-only) before the snapshot policy using it.
 * @param where the construct path or environment field, for errors
 */
export function elasticsearchRequests(options: ElasticsearchConfigurationOptions, where: string): ElasticsearchRequest[] {
  for (const logClass of LOG_CLASSES) {
    if (!(options.retention[logClass] instanceof Duration)) {
      throw PlatformError.invalidProp(where, `retention.${logClass}`, options.retention[logClass], 'a Duration, e.g. Duration.days(90)');
    }
  }
  const bucket = options.bucket ?? ELASTICSEARCH_SNAPSHOT_BUCKET;
  if (!isDnsLabel(options.otherSiteName) || options.otherSiteName === options.siteName) {
    throw PlatformError.invalidProp(where, 'otherSiteName', options.otherSiteName, `the environment's other site, a lower-case name other than "${options.siteName}"`);
  }
  return [
    ...LOG_CLASSES.map((logClass) => ({ method: 'PUT' as const, path: `_ilm/policy/${lifecyclePolicyName(logClass)}`, file: `ilm-${lifecyclePolicyName(logClass)}.json`, body: lifecyclePolicyBody(logClass, options.retention[logClass], where) })),
    { method: 'PUT', path: `_component_template/${LOGS_COMPONENT_TEMPLATE}`, file: `component-${LOGS_COMPONENT_TEMPLATE}.json`, body: componentTemplateBody() },
    ...LOG_CLASSES.map((logClass) => ({ method: 'PUT' as const, path: `_index_template/${indexTemplateName(logClass)}`, file: `template-${indexTemplateName(logClass)}.json`, body: indexTemplateBody(logClass, options.dataNodes, where) })),
    { method: 'PUT', path: `_snapshot/${LOGGING_NAMES.snapshotRepository}`, file: `repository-${LOGGING_NAMES.snapshotRepository}.json`, body: snapshotRepositoryBody({ bucket, basePath: options.siteName }, where) },
    {
      method: 'PUT',
      path: `_snapshot/${otherSiteRepositoryName(options.otherSiteName)}`,
      file: `repository-${otherSiteRepositoryName(options.otherSiteName)}.json`,
      body: snapshotRepositoryBody({ bucket, basePath: options.otherSiteName, readonly: true }, where),
    },
    { method: 'PUT', path: `_slm/policy/${LOGGING_NAMES.snapshotPolicy}`, file: `slm-${LOGGING_NAMES.snapshotPolicy}.json`, body: snapshotPolicyBody({ siteName: options.siteName, ...options.snapshots }, where) },
  ];
}
