import { LOG_CLASSES } from './log-classes';
import { otherSiteRepositoryName } from './elasticsearch-configuration';
import { ELASTICSEARCH_HTTP_PORT, dataStreamName, elasticUserSecret, elasticsearchHttpService } from './logging-names';
import type { RunbookProcedure, RunbookStep } from './runbook-step';

/** Everything the log restore steps name, resolved by `LoggingStack`. */
export interface LogRestoreFacts {
  /** `failover` at the disaster-recovery site, `fail-back` at the primary. */
  readonly procedure: RunbookProcedure;
  readonly environmentName: string;
  /** The site whose Elasticsearch takes the restore (its kubectl function in the runbook has its name). */
  readonly restoreAt: string;
  /** The site whose snapshots are restored. */
  readonly snapshotsOf: string;
  /** Elasticsearch's namespace. */
  readonly namespace: string;
  /** The replicated bucket, and the key prefix each site's snapshots are under (its name). */
  readonly bucket: string;
  /** The Secret whose `ca.crt` verifies Elasticsearch's HTTP certificate. */
  readonly caSecret: string;
  /** When `snapshotsOf` takes its snapshots (cron, UTC). */
  readonly schedule: string;
}

/**
 * The data stream a class of `from`'s logs is restored under at the other site, beside that
 * site's own (which has the same name): `logs-lms.audit-production.from-lusaka`, still matched
 * by the class's index template, so it keeps the class's retention.
 */
export function restoredDataStreamName(logClass: (typeof LOG_CLASSES)[number], environmentName: string, from: string): string {
  return `${dataStreamName(logClass, environmentName)}.from-${from}`;
}

/**
 * The runbook steps that make `snapshotsOf`'s logs searchable at `restoreAt`: find the newest
 * of its replicated snapshots (the Elasticsearch setup registered them read-only), restore the newest snapshot's log data
 * streams under names of their own, and check. Logs do not serve loans, so the steps come after
 * the public name has moved (`finish`), outside the recovery time.
 */
export function logRestoreRunbookSteps(facts: LogRestoreFacts): RunbookStep[] {
  const { procedure, restoreAt: at, snapshotsOf: from, namespace: ns, environmentName: env } = facts;
  const At = title(at);
  const From = title(from);
  const repository = otherSiteRepositoryName(from);
  const service = elasticsearchHttpService();
  const base = { procedure, phase: 'finish' as const };
  const curl = `curl --fail-with-body --silent --show-error --cacert es-ca.crt --resolve ${service}.${ns}.svc:${ELASTICSEARCH_HTTP_PORT}:127.0.0.1 -u "elastic:$ES_PASSWORD"`;
  const api = `https://${service}.${ns}.svc:${ELASTICSEARCH_HTTP_PORT}`;
  const pattern = `logs-lms\\\\.([a-z]+)-${env}`;

  const connect = [
    'set -euo pipefail',
    'umask 077',
    `${at} -n ${ns} get secret ${facts.caSecret} -o jsonpath='{.data.ca\\.crt}' | base64 -d > es-ca.crt`,
    `ES_PASSWORD="$(${at} -n ${ns} get secret ${elasticUserSecret()} -o jsonpath='{.data.elastic}' | base64 -d)"`,
    `${at} -n ${ns} port-forward service/${service} ${ELASTICSEARCH_HTTP_PORT}:${ELASTICSEARCH_HTTP_PORT} >/dev/null &`,
    'sleep 3',
  ];

  const register: RunbookStep = {
    ...base,
    id: 'logs.list-peer-snapshots',
    order: 10,
    title: `List ${From}'s replicated log snapshots at ${At}`,
    expectedMinutes: 5,
    body: [
      `${From}'s Elasticsearch took a snapshot of every log data stream on schedule \`${facts.schedule}\` into bucket \`${facts.bucket}\` under \`${from}/\`; bucket replication copied them to ${At}'s object store, where ${At}'s Elasticsearch setup registered them as the read-only repository \`${repository}\`. With \`kubectl\` and \`curl\`, in an empty working directory:`,
      '',
      '```sh',
      ...connect,
      `${curl} "${api}/_snapshot/${repository}/_all?sort=start_time&order=desc&size=3&verbose=false"`,
      '```',
      '',
      `The snapshot listed first is the newest ${At} can restore. An empty list means replication has delivered none: ${From}'s logs are lost up to the first snapshot that arrives; carry on with the failover and escalate.`,
    ].join('\n'),
  };

  const restore: RunbookStep = {
    ...base,
    id: 'logs.restore-peer-snapshot',
    order: 20,
    title: `Restore ${From}'s newest log snapshot at ${At}`,
    expectedMinutes: 30,
    body: [
      `Restore the log data streams of the newest snapshot under their own names: each ends in \`.from-${from}\` (e.g. \`${restoredDataStreamName('audit', env, from)}\`), so ${At}'s own streams are untouched and the class's template still gives each its retention. In the same shell:`,
      '',
      '```sh',
      `newest="$(${curl} "${api}/_snapshot/${repository}/_all?sort=start_time&order=desc&size=1&verbose=false" | sed -n 's/.*"snapshot":"\\([^"]*\\)".*/\\1/p' | head -n 1)"`,
      'test -n "$newest"',
      `${curl} -X POST "${api}/_snapshot/${repository}/$newest/_restore?wait_for_completion=false" -H 'Content-Type: application/json' -d '{"indices":"logs-lms.*-${env}","include_global_state":false,"rename_pattern":"${pattern}","rename_replacement":"logs-lms.$1-${env}.from-${from}"}'`,
      `${curl} "${api}/_cat/recovery?active_only=true&v"`,
      '```',
      '',
      'Repeat the last command until it lists nothing: the restore is done.',
    ].join('\n'),
  };

  const verify: RunbookStep = {
    ...base,
    id: 'logs.verify-restore',
    order: 30,
    title: `Check ${From}'s logs are searchable at ${At}`,
    expectedMinutes: 5,
    body: [
      'In the same shell:',
      '',
      '```sh',
      ...LOG_CLASSES.map((logClass) => `${curl} "${api}/${restoredDataStreamName(logClass, env, from)}/_count"`),
      '```',
      '',
      `Each answers with a count; the audit stream's newest \`@timestamp\` is no older than the snapshot schedule allows. Kibana at ${At} searches them with the data view \`logs-lms.*\`.`,
    ].join('\n'),
  };

  return [register, restore, verify];
}

function title(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
