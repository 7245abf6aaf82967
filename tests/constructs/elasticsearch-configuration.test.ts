import { Duration } from '../../constructs/duration';
import {
  BUILT_IN_LOGS_TEMPLATE_PRIORITY,
  componentTemplateBody,
  elasticsearchRequests,
  indexTemplateBody,
  lifecyclePolicyBody,
  snapshotClientSettings,
  snapshotPolicyBody,
  snapshotRepositoryBody,
} from '../../constructs/elasticsearch-configuration';
import { LOG_CLASSES, dataStreamName, lifecyclePolicyName } from '../../constructs/logging-names';
import { PlatformError } from '../../constructs/platform-error';
import { ENVIRONMENTS, environmentNamed } from '../support/environments';

const WHERE = 'ElasticsearchSetup test-lusaka-observability/elasticsearch-setup: settings';

function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(PlatformError);
    return (error as Error).message;
  }
  throw new Error('expected a PlatformError');
}

/** Elasticsearch's simple wildcard match of an index pattern (`*` any run of characters). */
function matches(pattern: string, name: string): boolean {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(name);
}

const requestsOf = (name: string) => {
  const logging = environmentNamed(name).logging;
  return elasticsearchRequests({ siteName: 'lusaka', otherSiteName: 'kitwe', retention: logging.retention, snapshots: logging.snapshots, dataNodes: logging.elasticsearch.data.count }, WHERE);
};

describe('lifecycle policies', () => {
  test.each(ENVIRONMENTS.flatMap((environment) => LOG_CLASSES.map((logClass) => [environment.name, logClass] as const)))('%s %s: rolled over daily or at 50gb, deleted at the environment\'s retention', (name, logClass) => {
    const retention = environmentNamed(name).logging.retention[logClass];
    const request = requestsOf(name).find((candidate) => candidate.path === `_ilm/policy/${lifecyclePolicyName(logClass)}`)!;
    expect(request.body).toEqual(lifecyclePolicyBody(logClass, retention, WHERE));
    const phases = (request.body as ReturnType<typeof lifecyclePolicyBody>).policy.phases;
    expect(phases.hot).toEqual({ min_age: '0ms', actions: { rollover: { max_age: '1d', max_primary_shard_size: '50gb' } } });
    expect(phases.delete).toEqual({ min_age: retention.toString(), actions: { delete: {} } });
    expect(Object.keys(phases)).toEqual(logClass === 'audit' ? ['hot', 'warm', 'delete'] : ['hot', 'delete']);
  });

  test('production keeps application logs 90 days and audit logs 1825, the audit indices read-only and merged a day after rollover', () => {
    const production = requestsOf('production');
    const phases = (path: string) => (production.find((request) => request.path === path)!.body as ReturnType<typeof lifecyclePolicyBody>).policy.phases;
    expect(phases('_ilm/policy/lms-logs-application').delete.min_age).toBe('90d');
    expect(phases('_ilm/policy/lms-logs-audit')).toEqual({
      hot: { min_age: '0ms', actions: { rollover: { max_age: '1d', max_primary_shard_size: '50gb' } } },
      warm: { min_age: '1d', actions: { readonly: {}, forcemerge: { max_num_segments: 1 } } },
      delete: { min_age: '1825d', actions: { delete: {} } },
    });
  });

  test('refuses an audit retention no longer than the day after which audit indices become read-only', () => {
    expect(errorOf(() => lifecyclePolicyBody('audit', Duration.days(1), WHERE))).toBe(
      `${WHERE}: retention.audit: "1d" is not allowed (allowed: longer than 1d, the age after rollover at which audit indices become read-only)`,
    );
    expect(lifecyclePolicyBody('system', Duration.days(1), WHERE).policy.phases.delete.min_age).toBe('1d');
  });
});

describe('index templates', () => {
  const dataStreams = ENVIRONMENTS.flatMap((environment) => LOG_CLASSES.map((logClass) => ({ logClass, name: dataStreamName(logClass, environment.name) })));

  test.each(LOG_CLASSES)('%s: matches its data stream in every environment and no other class\'s', (logClass) => {
    const template = indexTemplateBody(logClass, 3, WHERE);
    expect(template.index_patterns).toEqual([`logs-lms.${logClass}-*`]);
    for (const stream of dataStreams) {
      expect({ stream: stream.name, matched: template.index_patterns.some((pattern) => matches(pattern, stream.name)) }).toEqual({ stream: stream.name, matched: stream.logClass === logClass });
    }
    expect(template.data_stream).toEqual({});
    expect(template.composed_of).toEqual(['lms-logs-mappings']);
    expect(template.template.settings['index.lifecycle.name']).toBe(`lms-logs-${logClass}`);
  });

  test('outrank Elasticsearch\'s built-in logs template, which also matches logs-*-*', () => {
    expect(matches('logs-*-*', dataStreamName('audit', 'production'))).toBe(true);
    for (const logClass of LOG_CLASSES) expect(indexTemplateBody(logClass, 1, WHERE).priority).toBeGreaterThan(BUILT_IN_LOGS_TEMPLATE_PRIORITY);
    expect(BUILT_IN_LOGS_TEMPLATE_PRIORITY).toBe(100);
  });

  test.each([
    ['dev', 1, 0],
    ['staging', 2, 1],
    ['production', 3, 1],
  ] as const)('%s (%i data nodes): %i replica', (name, dataNodes, replicas) => {
    expect(environmentNamed(name).logging.elasticsearch.data.count).toBe(dataNodes);
    const templates = requestsOf(name).filter((request) => request.path.startsWith('_index_template/'));
    expect(templates.map((request) => (request.body as ReturnType<typeof indexTemplateBody>).template.settings['index.number_of_replicas'])).toEqual([replicas, replicas, replicas, replicas]);
  });

  test('audit indices alone are compressed harder', () => {
    expect(LOG_CLASSES.map((logClass) => indexTemplateBody(logClass, 2, WHERE).template.settings['index.codec'])).toEqual([undefined, undefined, undefined, 'best_compression']);
  });

  test('refuses a data node count that is not a whole number of 1 or more', () => {
    expect(errorOf(() => indexTemplateBody('audit', 0, WHERE))).toBe(`${WHERE}: elasticsearch.data.count: 0 is not allowed (allowed: a whole number of data nodes, 1 or more)`);
  });
});

describe('component template', () => {
  test('maps the shared fields with their types, keeps the loan-service records unindexed, and caps new fields instead of refusing documents', () => {
    const body = componentTemplateBody();
    const properties = body.template.mappings.properties;
    expect(properties['@timestamp']).toEqual({ type: 'date' });
    expect(properties.message).toEqual({ type: 'match_only_text' });
    expect(properties.kubernetes).toEqual({
      properties: { namespace: { type: 'keyword', ignore_above: 1024 }, pod: { properties: { name: { type: 'keyword', ignore_above: 1024 } } }, container: { properties: { name: { type: 'keyword', ignore_above: 1024 } } } },
    });
    expect(properties.before).toEqual({ type: 'object', enabled: false });
    expect(properties.after).toEqual({ type: 'object', enabled: false });
    expect(Object.keys(properties.vault.properties!.audit.properties!)).toEqual(['type', 'error', 'auth', 'request']);
    expect(body.template.settings).toEqual({ 'index.mapping.total_fields.limit': 2000, 'index.mapping.total_fields.ignore_dynamic_beyond_limit': true });
  });
});

describe('snapshots', () => {
  test('the repository is the site\'s own prefix of es-snapshots; the other site\'s is read-only', () => {
    expect(snapshotRepositoryBody({ bucket: 'es-snapshots', basePath: 'kitwe' }, WHERE)).toEqual({ type: 's3', settings: { bucket: 'es-snapshots', client: 'default', base_path: 'kitwe' } });
    expect(snapshotRepositoryBody({ bucket: 'es-snapshots', basePath: 'lusaka', readonly: true }, WHERE)).toEqual({
      type: 's3',
      settings: { bucket: 'es-snapshots', client: 'default', base_path: 'lusaka', readonly: true },
    });
    expect(errorOf(() => snapshotRepositoryBody({ bucket: 'es-snapshots', basePath: 'lusaka/' }, WHERE))).toBe(
      `${WHERE}: basePath: "lusaka/" is not allowed (allowed: a site name, a lower-case DNS label such as "lusaka")`,
    );
  });

  test.each([
    ['production', '0 15 * * * ?', '90d', 2160],
    ['staging', '0 30 * * * ?', '30d', 720],
    ['dev', '0 30 2 * * ?', '14d', 14],
  ] as const)('%s: the policy runs at %s and keeps %s (at most %i snapshots, never fewer than 5)', (name, schedule, expireAfter, maxCount) => {
    const policy = requestsOf(name).find((request) => request.path === '_slm/policy/lms-scheduled')!.body;
    expect(policy).toEqual({
      schedule,
      name: '<lms-lusaka-{now/d}>',
      repository: 'es-snapshots',
      config: { indices: ['logs-lms.*'], include_global_state: true, ignore_unavailable: false },
      retention: { expire_after: expireAfter, min_count: 5, max_count: maxCount },
    });
  });

  test('refuses a schedule more frequent than slm.minimum_interval', () => {
    expect(errorOf(() => snapshotPolicyBody({ siteName: 'lusaka', schedule: '*/5 * * * *', retention: Duration.days(1) }, WHERE))).toBe(
      `${WHERE}: snapshots.schedule: "*/5 * * * *" runs as often as every 5m (allowed: at most every 15m, Elasticsearch's slm.minimum_interval)`,
    );
  });

  test('keeps min_count within what one retention period holds', () => {
    expect(snapshotPolicyBody({ siteName: 'kitwe', schedule: '0 0 * * *', retention: Duration.days(3) }, WHERE).retention).toEqual({ expire_after: '3d', min_count: 3, max_count: 5 });
  });

  test('the nodes\' S3 client points at the site\'s MinIO over https, path-style, in its region', () => {
    expect(
      snapshotClientSettings({ url: 'https://minio.lms-data.svc.cluster.local:9000', region: 'zm-lusaka-1', peer: { namespace: 'lms-data', podLabels: {}, port: 9000 }, caSecretName: 'object-store-trust' }),
    ).toEqual({
      's3.client.default.endpoint': 'https://minio.lms-data.svc.cluster.local:9000',
      's3.client.default.protocol': 'https',
      's3.client.default.path_style_access': true,
      's3.client.default.region': 'zm-lusaka-1',
    });
  });
});

describe('elasticsearchRequests', () => {
  test('puts policies before the templates naming them, and the repository before the snapshot policy', () => {
    expect(requestsOf('production').map((request) => `${request.method} ${request.path} <- ${request.file}`)).toEqual([
      'PUT _ilm/policy/lms-logs-application <- ilm-lms-logs-application.json',
      'PUT _ilm/policy/lms-logs-system <- ilm-lms-logs-system.json',
      'PUT _ilm/policy/lms-logs-security <- ilm-lms-logs-security.json',
      'PUT _ilm/policy/lms-logs-audit <- ilm-lms-logs-audit.json',
      'PUT _component_template/lms-logs-mappings <- component-lms-logs-mappings.json',
      'PUT _index_template/lms-logs-application <- template-lms-logs-application.json',
      'PUT _index_template/lms-logs-system <- template-lms-logs-system.json',
      'PUT _index_template/lms-logs-security <- template-lms-logs-security.json',
      'PUT _index_template/lms-logs-audit <- template-lms-logs-audit.json',
      'PUT _snapshot/es-snapshots <- repository-es-snapshots.json',
      'PUT _snapshot/es-snapshots-kitwe <- repository-es-snapshots-kitwe.json',
      'PUT _slm/policy/lms-scheduled <- slm-lms-scheduled.json',
    ]);
  });

  test('registers the site\'s own prefix to write and the other site\'s replicated prefix to restore from', () => {
    const repositories = requestsOf('production').filter((request) => request.path.startsWith('_snapshot/'));
    expect(repositories.map((request) => [request.path, request.body])).toEqual([
      ['_snapshot/es-snapshots', { type: 's3', settings: { bucket: 'es-snapshots', client: 'default', base_path: 'lusaka' } }],
      ['_snapshot/es-snapshots-kitwe', { type: 's3', settings: { bucket: 'es-snapshots', client: 'default', base_path: 'kitwe', readonly: true } }],
    ]);
  });

  test.each(['lusaka', 'Kitwe'])('refuses %s as the other site', (otherSiteName) => {
    const logging = environmentNamed('dev').logging;
    expect(errorOf(() => elasticsearchRequests({ siteName: 'lusaka', otherSiteName, retention: logging.retention, snapshots: logging.snapshots, dataNodes: 1 }, WHERE))).toBe(
      `${WHERE}: otherSiteName: "${otherSiteName}" is not allowed (allowed: the environment's other site, a lower-case name other than "lusaka")`,
    );
  });

  test('refuses a retention that is not a Duration', () => {
    const logging = environmentNamed('dev').logging;
    const retention = { ...logging.retention, security: '30d' as unknown as Duration };
    expect(errorOf(() => elasticsearchRequests({ siteName: 'lusaka', otherSiteName: 'kitwe', retention, snapshots: logging.snapshots, dataNodes: 1 }, WHERE))).toBe(
      `${WHERE}: retention.security: "30d" is not allowed (allowed: a Duration, e.g. Duration.days(90))`,
    );
  });
});
