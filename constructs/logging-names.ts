import { LOG_CLASSES, type LogClass } from './log-classes';

/**
 * The names the logging stack's parts find each other by: the ECK resources, the Services and
 * Secrets the ECK operator creates for them, and the data streams, lifecycle policies and
 * templates each log class is written to. One place, so Filebeat, Logstash, the Elasticsearch
 * setup, the alerts and the runbook agree.
 */
export const LOGGING_NAMES = {
  /** The `Elasticsearch` resource (ECK names its Services and Secrets after it). */
  elasticsearch: 'logs',
  /** The `Kibana` resource. */
  kibana: 'logs',
  /** The `Logstash` resource. */
  logstash: 'logs',
  /** The `Beat` resource running Filebeat on every node (in the node-agents namespace: it reads host paths). */
  filebeat: 'filebeat',
  /** The snapshot repository registered in Elasticsearch (the site's `es-snapshots` bucket). */
  snapshotRepository: 'es-snapshots',
  /** The snapshot lifecycle policy that takes the scheduled snapshots. */
  snapshotPolicy: 'lms-scheduled',
} as const;

/** Elasticsearch's HTTPS port, and the port Logstash's Beats input listens on (TLS). */
export const ELASTICSEARCH_HTTP_PORT = 9200;
export const LOGSTASH_BEATS_PORT = 5044;

/** ECK's Service for the Elasticsearch HTTP API: `<name>-es-http`. */
export function elasticsearchHttpService(name: string = LOGGING_NAMES.elasticsearch): string {
  return `${name}-es-http`;
}

/** ECK's Secret holding the `elastic` superuser's password (key `elastic`). */
export function elasticUserSecret(name: string = LOGGING_NAMES.elasticsearch): string {
  return `${name}-es-elastic-user`;
}

/** ECK's Secret holding the CA certificate (`ca.crt`) of the Elasticsearch HTTP endpoint. */
export function elasticsearchHttpCaSecret(name: string = LOGGING_NAMES.elasticsearch): string {
  return `${name}-es-http-certs-public`;
}

/** The data stream a class is written to: `logs-lms.audit-production` (type `logs`, dataset `lms.<class>`, namespace the environment). */
export function dataStreamName(logClass: LogClass, environmentName: string): string {
  return `logs-${dataStreamDataset(logClass)}-${environmentName}`;
}

/** The data stream's dataset: `lms.audit`. */
export function dataStreamDataset(logClass: LogClass): string {
  return `lms.${logClass}`;
}

/** The index lifecycle policy of a class: `lms-logs-audit`. */
export function lifecyclePolicyName(logClass: LogClass): string {
  return `lms-logs-${logClass}`;
}

/** The composable index template of a class: `lms-logs-audit`, matching `logs-lms.audit-*`. */
export function indexTemplateName(logClass: LogClass): string {
  return `lms-logs-${logClass}`;
}

export { LOG_CLASSES, type LogClass };
