import { ENVIRONMENTS, problemsAfter } from '../../support/environments';

const FILE = 'environments/production.ts';

describe('environment objectStorage: MinIO pools, parity, the replication lag budget', () => {
  test('each environment states its pools and parity; production keeps one server per data node', () => {
    const settings = Object.fromEntries(ENVIRONMENTS.map((env) => [env.name, { pools: env.objectStorage.pools, parity: env.objectStorage.parity, lag: env.objectStorage.replicationLagBudget.toString() }]));
    expect(settings).toEqual({
      dev: { pools: [{ servers: 1, drivesPerServer: 4, driveSize: '2Gi' }], parity: 2, lag: '15m' },
      staging: { pools: [{ servers: 2, drivesPerServer: 2, driveSize: '50Gi' }], parity: 2, lag: '10m' },
      production: { pools: [{ servers: 3, drivesPerServer: 4, driveSize: '1Ti' }], parity: 4, lag: '5m' },
    });
  });

  test('fewer drives than the erasure coding needs', () => {
    expect(problemsAfter((env) => (env.objectStorage.pools = [{ servers: 3, drivesPerServer: 1, driveSize: '1Ti' }]))).toEqual([
      `${FILE}: objectStorage.parity: 4 is more than half of pool 0's erasure set of 3 drive(s) (3 server(s) x 1 drive(s)) (allowed: at most 1, or more drives: parity 4 needs sets of at least 8)`,
    ]);
    expect(problemsAfter((env) => (env.objectStorage.pools = [{ servers: 1, drivesPerServer: 1, driveSize: '1Ti' }]))).toEqual([
      `${FILE}: objectStorage.pools[0]: 1 server(s) x 1 drive(s) = 1 drive(s) form no erasure set (allowed: a drive count with a set size of 2-16 that is a multiple or a divisor of the server count, e.g. 4 servers x 4 drives)`,
    ]);
  });

  test('a production layout that loses its write quorum with one node gone', () => {
    expect(problemsAfter((env) => {
      env.objectStorage.pools = [{ servers: 2, drivesPerServer: 4, driveSize: '1Ti' }];
    })).toEqual([
      `${FILE}: objectStorage.pools[0]: 2 server(s) x 4 drive(s) with parity 4: losing one server takes 4 of each erasure set's 8 drives, below the read quorum 4 or write quorum 5 (allowed in production: a layout that survives the loss of one node, e.g. at least 2 servers and parity at least the drives one server holds in a set)`,
    ]);
  });

  test('more production servers than data nodes', () => {
    expect(problemsAfter((env) => (env.objectStorage.pools = [{ servers: 4, drivesPerServer: 4, driveSize: '1Ti' }]))).toEqual([
      `${FILE}: objectStorage.pools[0].servers: 4 MinIO servers do not fit the 3 node(s) of lusaka's data namespace, one server per node (allowed in production: at most 3, so losing a node loses one server)`,
      `${FILE}: objectStorage.pools[0].servers: 4 MinIO servers do not fit the 3 node(s) of kitwe's data namespace, one server per node (allowed in production: at most 3, so losing a node loses one server)`,
    ]);
  });

  test('a lag budget beyond the recovery point, and backups kept shorter than it', () => {
    expect(problemsAfter((env) => (env.objectStorage.replicationLagBudget = '2h'))).toEqual([
      `${FILE}: objectStorage.replicationLagBudget: "2h" is longer than the recovery point objective "1h" (allowed: at most the recovery point; replicated backups reach the other site within it)`,
      `${FILE}: objectives.logBackupInterval: "15m" + objectStorage.replicationLagBudget "2h" + sqlServer.restoreInterval "15m" = 150m of worst-case data loss, over the recovery point objective "1h" (allowed: a sum of at most the recovery point; shorten one of the three)`,
    ]);
    expect(problemsAfter((env) => (env.sites.kitwe.retention.backups = '30m'))).toEqual([
      `${FILE}: sites.kitwe.retention.backups: "30m" is shorter than the recovery point objective "1h" (allowed: at least the recovery point; older versions of backups expire and object locks lapse after this)`,
    ]);
  });

  test('a drive size that is not a volume size', () => {
    expect(problemsAfter((env) => (env.objectStorage.pools[0].driveSize = '1TB'))).toEqual([`${FILE}: objectStorage.pools[0].driveSize: "1TB" is not a volume size (allowed: a whole number of Mi, Gi or Ti, e.g. "500Gi")`]);
  });
});
