import { LOG_CLASSES, type LogClass } from './log-classes';
import {
  BLANK_LINE_PATTERN,
  CLASSIFICATION_RULES,
  DEFAULT_LOG_CLASS,
  JSON_LINE_PATTERN,
  JSON_TARGET,
  NATIONAL_ID_MASK,
  NATIONAL_ID_PATTERN,
  UNMASKED_CLASSES,
} from './log-classification';
import { LOGGING_NAMES, LOGSTASH_BEATS_PORT, dataStreamDataset } from './logging-names';
import { logstashEnvironmentVariable, logstashRegex, logstashString } from './logstash-syntax';
import { siteNamespaces } from './namespaces';
import { PlatformError } from './platform-error';
import { isDnsLabel } from './tls-certificate';

/**
 * The `clusterName` of the Logstash resource's `elasticsearchRefs` entry for the `logs`
 * cluster. ECK gives the Logstash pods `<CLUSTERNAME>_ES_HOSTS`, `_ES_USER`, `_ES_PASSWORD`
 * (from the association's Secret) and `_ES_SSL_CERTIFICATE_AUTHORITY` (the CA file it mounts),
 * the cluster name upper-cased with `-` as `_`.
 * @see https://github.com/elastic/cloud-on-k8s/blob/main/pkg/controller/logstash/env.go
 */
export const LOGSTASH_ELASTICSEARCH_CLUSTER_NAME = 'lms';
export const LOGSTASH_ELASTICSEARCH_ENV = {
  hosts: 'LMS_ES_HOSTS',
  user: 'LMS_ES_USER',
  password: 'LMS_ES_PASSWORD',
  certificateAuthority: 'LMS_ES_SSL_CERTIFICATE_AUTHORITY',
} as const;

/**
 * Where the Logstash pods mount the Beats input's certificate Secret (`tls.crt`, `tls.key`,
 * `ca.crt`): a certificate of the site's internal CA for the Beats Service's name. The Beats
 * input reads only PKCS#8 keys, so the Certificate sets `privateKey.encoding: PKCS8`.
 * @see https://www.elastic.co/docs/reference/logstash/plugins/plugins-inputs-beats#plugins-inputs-beats-ssl_key
 */
export const LOGSTASH_BEATS_TLS_DIRECTORY = '/usr/share/logstash/beats-tls';
export const LOGSTASH_BEATS_TLS = {
  certificate: `${LOGSTASH_BEATS_TLS_DIRECTORY}/tls.crt`,
  key: `${LOGSTASH_BEATS_TLS_DIRECTORY}/tls.key`,
  certificateAuthority: `${LOGSTASH_BEATS_TLS_DIRECTORY}/ca.crt`,
} as const;

/** Where the Filebeat pods mount their client certificate Secret (same internal CA): Logstash accepts no connection without it. */
export const FILEBEAT_LOGSTASH_TLS_DIRECTORY = '/usr/share/filebeat/logstash-tls';
export const FILEBEAT_LOGSTASH_TLS = {
  certificate: `${FILEBEAT_LOGSTASH_TLS_DIRECTORY}/tls.crt`,
  key: `${FILEBEAT_LOGSTASH_TLS_DIRECTORY}/tls.key`,
  certificateAuthority: `${FILEBEAT_LOGSTASH_TLS_DIRECTORY}/ca.crt`,
} as const;

/** The field every event gets with the site that shipped it. */
export const SITE_FIELD = 'site';
/** The pipeline's id. */
export const LOGS_PIPELINE_ID = 'lms-logs';

/** One entry of the Logstash resource's `spec.pipelines` (`pipeline.id`, `config.string`). */
export interface LogstashPipeline {
  readonly pipelineId: string;
  readonly config: string;
}

export interface LogstashPipelinesProps {
  /** `production`: the namespace of every data stream (`logs-lms.<class>-production`). */
  readonly environmentName: string;
  /** `lusaka`: the `site` field of every event. */
  readonly siteName: string;
}

/** Elasticsearch's rule for a data stream namespace: lower case, no `-` (it separates the parts of the name). */
const DATA_STREAM_NAMESPACE = /^[a-z0-9_]{1,100}$/;

/**
 * The Logstash pipeline of a site: Filebeat's events in over mutual TLS, JSON lines decoded,
 * each event classed by `CLASSIFICATION_RULES`, national ids masked outside audit, and each
 * class written to its data stream in the site's Elasticsearch.
 * @throws PlatformError naming the prop, the bad value and what is allowed
 */
export function logstashPipelines(props: LogstashPipelinesProps): readonly LogstashPipeline[] {
  const where = 'logstashPipelines';
  if (typeof props.environmentName !== 'string' || !DATA_STREAM_NAMESPACE.test(props.environmentName)) {
    throw PlatformError.invalidProp(where, 'environmentName', props.environmentName, 'lower-case letters, digits and "_" (a data stream namespace has no "-"), e.g. "production"');
  }
  if (!isDnsLabel(props.siteName)) {
    throw PlatformError.invalidProp(where, 'siteName', props.siteName, 'a lower-case site name (a DNS label), e.g. "lusaka"');
  }
  const text = (value: string) => logstashString(value, where);
  const comment = (value: string) => {
    if (/[\u0000-\u001f\u007f]/.test(value)) throw PlatformError.invalidProp(where, 'comment', value, 'one line of text');
    return `# ${value}`;
  };
  const env = (name: string) => logstashEnvironmentVariable(name, where);
  const classField = '[@metadata][log_class]';
  const jsonTarget = `[${JSON_TARGET}]`;

  const setClass = (logClass: LogClass) => [`    mutate { replace => { ${text(classField)} => ${text(logClass)} "[event][dataset]" => ${text(dataStreamDataset(logClass))} } }`];
  const classification = [
    ...CLASSIFICATION_RULES.flatMap((rule, index) => [`  ${index === 0 ? 'if' : '} else if'} ${rule.when.render()} {`, `    ${comment(`${rule.logClass}: ${rule.what}`)}`, ...setClass(rule.logClass)]),
    '  } else {',
    `    # ${DEFAULT_LOG_CLASS}: everything else the site's containers write`,
    ...setClass(DEFAULT_LOG_CLASS),
    '  }',
  ];
  const masked = `${UNMASKED_CLASSES.map((logClass) => `${classField} != ${text(logClass)}`).join(' and ')} and [message] =~ ${logstashRegex(NATIONAL_ID_PATTERN, where)}`;
  const outputFor = (logClass: LogClass) => [
    '    elasticsearch {',
    `      hosts => [${env(LOGSTASH_ELASTICSEARCH_ENV.hosts)}]`,
    `      user => ${env(LOGSTASH_ELASTICSEARCH_ENV.user)}`,
    `      password => ${env(LOGSTASH_ELASTICSEARCH_ENV.password)}`,
    '      ssl_enabled => true',
    `      ssl_certificate_authorities => [${env(LOGSTASH_ELASTICSEARCH_ENV.certificateAuthority)}]`,
    '      data_stream => "true"',
    '      data_stream_type => "logs"',
    `      data_stream_dataset => ${text(dataStreamDataset(logClass))}`,
    `      data_stream_namespace => ${text(props.environmentName)}`,
    '      data_stream_auto_routing => false',
    '    }',
  ];
  const outputClasses = [...LOG_CLASSES.filter((logClass) => logClass !== DEFAULT_LOG_CLASS), DEFAULT_LOG_CLASS];

  const config = [
    '# Generated from constructs/log-classification.ts: edit the rules there, not this text.',
    'input {',
    '  beats {',
    `    port => ${LOGSTASH_BEATS_PORT}`,
    '    ssl_enabled => true',
    `    ssl_certificate => ${text(LOGSTASH_BEATS_TLS.certificate)}`,
    `    ssl_key => ${text(LOGSTASH_BEATS_TLS.key)}`,
    `    ssl_certificate_authorities => [${text(LOGSTASH_BEATS_TLS.certificateAuthority)}]`,
    '    ssl_client_authentication => "required"',
    '  }',
    '}',
    'filter {',
    '  # A blank line carries nothing.',
    `  if ![message] or [message] =~ ${logstashRegex(BLANK_LINE_PATTERN, where)} {`,
    '    drop {}',
    '  }',
    `  # A JSON object line is decoded into ${jsonTarget}; any other line stays as written in [message].`,
    `  if [message] =~ ${logstashRegex(JSON_LINE_PATTERN, where)} {`,
    `    json { source => "message" target => ${text(JSON_TARGET)} skip_on_invalid_json => true }`,
    '  }',
    ...classification,
    `  # National ids (NRC numbers) are masked outside ${UNMASKED_CLASSES.join(', ')}, in the line and in what was decoded from it.`,
    `  if ${masked} {`,
    `    mutate { gsub => ["message", ${text(NATIONAL_ID_PATTERN)}, ${text(NATIONAL_ID_MASK)}] }`,
    `    if ${jsonTarget} {`,
    `      mutate { remove_field => [${text(jsonTarget)}] }`,
    `      json { source => "message" target => ${text(JSON_TARGET)} skip_on_invalid_json => true }`,
    '    }',
    '  }',
    `  mutate { replace => { ${text(`[${SITE_FIELD}]`)} => ${text(props.siteName)} } }`,
    '}',
    'output {',
    ...outputClasses.flatMap((logClass, index) => [
      logClass === DEFAULT_LOG_CLASS ? '  } else {' : `  ${index === 0 ? 'if' : '} else if'} ${classField} == ${text(logClass)} {`,
      ...outputFor(logClass),
    ]),
    '  }',
    '}',
    '',
  ].join('\n');
  return [{ pipelineId: LOGS_PIPELINE_ID, config }];
}

/** The port of Filebeat's HTTP endpoint (stats), on localhost only: for an exec probe, never scraped from outside. */
export const FILEBEAT_HTTP_PORT = 5066;
/** The environment variable the Filebeat DaemonSet sets to its node's name (`spec.nodeName`): `add_kubernetes_metadata` reads only that node's pods. */
export const FILEBEAT_NODE_NAME_ENV = 'NODE_NAME';
/** Where the kubelet links every container's log on each node. */
export const CONTAINER_LOG_DIRECTORY = '/var/log/containers';

export interface FilebeatConfigProps {
  /** The Logstash Beats Service's DNS name, `logs-ls-beats.lms-observability.svc`: Logstash's certificate must carry it. */
  readonly logstashHost: string;
}

const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * The `spec.config` of the Filebeat `Beat`: every container's log on the node, with the
 * pod's Kubernetes metadata, to Logstash over mutual TLS. Filebeat's own lines are not read:
 * each would be shipped, and while Logstash refuses them each failure would log another.
 * Its own monitoring is off (Prometheus watches the pipeline); its HTTP endpoint listens on
 * localhost for a probe.
 * @see https://www.elastic.co/docs/reference/beats/filebeat/running-on-kubernetes
 * @throws PlatformError naming the prop, the bad value and what is allowed
 */
export function filebeatConfig(props: FilebeatConfigProps): Readonly<Record<string, unknown>> {
  if (typeof props.logstashHost !== 'string' || !DNS_NAME.test(props.logstashHost)) {
    throw PlatformError.invalidProp('filebeatConfig', 'logstashHost', props.logstashHost, 'a DNS name without port, e.g. "logs-ls-beats.lms-observability.svc"');
  }
  // Container log files are <pod>_<namespace>_<container>-<id>.log; the Beat's pods are <beat>-beat-filebeat-<suffix>.
  const ownLog = `^${CONTAINER_LOG_DIRECTORY}/${LOGGING_NAMES.filebeat}-beat-filebeat-[a-z0-9]+_${siteNamespaces()['node-agents']}_filebeat-[0-9a-f]+\\.log$`;
  return {
    'filebeat.inputs': [
      {
        type: 'filestream',
        id: 'kubernetes-container-logs',
        paths: [`${CONTAINER_LOG_DIRECTORY}/*.log`],
        prospector: { scanner: { symlinks: true, exclude_files: [ownLog] } },
        parsers: [{ container: { stream: 'all', format: 'auto' } }],
        processors: [
          {
            add_kubernetes_metadata: {
              host: `\${${FILEBEAT_NODE_NAME_ENV}}`,
              matchers: [{ logs_path: { logs_path: `${CONTAINER_LOG_DIRECTORY}/` } }],
            },
          },
        ],
      },
    ],
    'output.logstash': {
      hosts: [`${props.logstashHost}:${LOGSTASH_BEATS_PORT}`],
      loadbalance: true,
      ssl: {
        enabled: true,
        verification_mode: 'full',
        certificate_authorities: [FILEBEAT_LOGSTASH_TLS.certificateAuthority],
        certificate: FILEBEAT_LOGSTASH_TLS.certificate,
        key: FILEBEAT_LOGSTASH_TLS.key,
      },
    },
    'monitoring.enabled': false,
    'http.enabled': true,
    'http.host': 'localhost',
    'http.port': FILEBEAT_HTTP_PORT,
  };
}
