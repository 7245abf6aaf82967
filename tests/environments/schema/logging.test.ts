import { ENVIRONMENTS, problemsAfter } from '../../support/environments';

const FILE = 'environments/production.ts';

describe('environment logging: Elasticsearch node sets, retention per log class, snapshots', () => {
  test('each environment states its node sets, retention per class and snapshot schedule', () => {
    const settings = Object.fromEntries(
      ENVIRONMENTS.map((env) => [
        env.name,
        {
          nodes: [env.logging.elasticsearch.masters.count, env.logging.elasticsearch.data.count, env.logging.elasticsearch.data.volumeSize],
          retention: Object.fromEntries(Object.entries(env.logging.retention).map(([logClass, kept]) => [logClass, kept.toString()])),
          snapshots: [env.logging.snapshots.schedule, env.logging.snapshots.retention.toString()],
        },
      ]),
    );
    expect(settings).toEqual({
      dev: { nodes: [1, 1, '20Gi'], retention: { application: '7d', system: '7d', security: '30d', audit: '90d' }, snapshots: ['30 2 * * *', '14d'] },
      staging: { nodes: [3, 2, '200Gi'], retention: { application: '14d', system: '14d', security: '90d', audit: '365d' }, snapshots: ['30 * * * *', '30d'] },
      production: { nodes: [3, 3, '1Ti'], retention: { application: '90d', system: '30d', security: '365d', audit: '1825d' }, snapshots: ['15 * * * *', '90d'] },
    });
  });

  test('an even number of master-eligible nodes', () => {
    expect(problemsAfter((env) => (env.logging.elasticsearch.masters.count = 4))).toEqual([
      `${FILE}: logging.elasticsearch.masters.count: 4 master-eligible nodes elect no master when half of them are gone (allowed: an odd number, 1, 3 or 5)`,
    ]);
  });

  test('production needs three masters and two data nodes; dev may run one of each', () => {
    expect(problemsAfter((env) => {
      env.logging.elasticsearch.masters.count = 1;
      env.logging.elasticsearch.data.count = 1;
    })).toEqual([
      `${FILE}: logging.elasticsearch.masters.count: 1 loses the log cluster with one master node (allowed in production: 3 or 5 master-eligible nodes)`,
      `${FILE}: logging.elasticsearch.data.count: 1 keeps no replica of any log shard (allowed in production: at least 2 data nodes)`,
    ]);
    expect(problemsAfter((env) => (env.logging.elasticsearch.data.count = 1), 'staging')).toEqual([]);
  });

  test('a class kept longer than audit', () => {
    expect(problemsAfter((env) => {
      env.logging.retention.security = '3650d';
      env.logging.retention.application = '2000d';
    })).toEqual([
      `${FILE}: logging.retention.application: "2000d" is longer than the audit retention "1825d" (allowed: at most the audit retention; audit logs are kept longest)`,
      `${FILE}: logging.retention.security: "3650d" is longer than the audit retention "1825d" (allowed: at most the audit retention; audit logs are kept longest)`,
    ]);
  });

  test('bad values name the field and what is allowed', () => {
    expect(problemsAfter((env) => {
      (env.logging.retention as Record<string, unknown>).debug = '1d';
      env.logging.snapshots.schedule = 'hourly';
      env.logging.elasticsearch.data.volumeSize = '1TB';
    })).toEqual([
      `${FILE}: logging.elasticsearch.data.volumeSize: "1TB" is not a volume size (allowed: a whole number of Mi, Gi or Ti, e.g. "100Gi")`,
      `${FILE}: logging.retention.debug: unknown key (allowed: application, system, security, audit)`,
      `${FILE}: logging.snapshots.schedule: "hourly" is not a cron schedule (allowed: five fields "minute hour day-of-month month day-of-week" of numbers, ranges, lists, steps and *, e.g. "0 * * * *")`,
    ]);
  });
});
