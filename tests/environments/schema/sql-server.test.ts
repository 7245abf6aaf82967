import { ENVIRONMENTS, problemsAfter } from '../../support/environments';

const FILE = 'environments/production.ts';

describe('environment sqlServer: edition, memory, sizes, and the recovery point the settings allow', () => {
  test('each environment states its edition, memory, restore sizing and standby mode', () => {
    const settings = Object.fromEntries(
      ENVIRONMENTS.map((env) => [env.name, [env.sqlServer.edition, env.sqlServer.resources.memoryLimit, env.sqlServer.databaseSize, env.sqlServer.restoreInterval.toString(), env.sqlServer.standbyMode]]),
    );
    expect(settings).toEqual({
      dev: ['Developer', '4Gi', '2Gi', '1h', 'norecovery'],
      staging: ['Standard', '8Gi', '20Gi', '15m', 'standby'],
      production: ['Enterprise', '32Gi', '200Gi', '15m', 'norecovery'],
    });
  });

  test('memory below the 4Gi SQL Server 2022 on Linux needs', () => {
    expect(problemsAfter((env) => {
      env.sqlServer.resources.memoryRequest = '2Gi';
      env.sqlServer.resources.memoryLimit = '3Gi';
    })).toEqual([`${FILE}: sqlServer.resources.memoryLimit: "3Gi" is below the 4Gi SQL Server 2022 on Linux needs (allowed: at least "4Gi")`]);
  });

  test('Express cannot back up to S3; Developer is not licensed for production', () => {
    expect(problemsAfter((env) => (env.sqlServer.edition = 'Express'), 'dev')).toEqual([
      'environments/dev.ts: sqlServer.edition: "Express" cannot back up to S3, and log shipping goes through the replicated sql-backups bucket (allowed: Standard, Enterprise, or Developer outside production)',
    ]);
    expect(problemsAfter((env) => (env.sqlServer.edition = 'Developer'))).toEqual([`${FILE}: sqlServer.edition: "Developer" is not licensed for production (allowed in production: Standard or Enterprise)`]);
    expect(problemsAfter((env) => (env.sqlServer.edition = 'Web'))).toEqual([`${FILE}: sqlServer.edition: "Web" is not a SQL Server edition (allowed: Developer, Express, Standard, Enterprise)`]);
  });

  test('log backup interval plus replication lag budget plus restore interval over the recovery point', () => {
    expect(problemsAfter((env) => (env.sqlServer.restoreInterval = '1h'))).toEqual([
      `${FILE}: objectives.logBackupInterval: "15m" + objectStorage.replicationLagBudget "5m" + sqlServer.restoreInterval "1h" = 80m of worst-case data loss, over the recovery point objective "1h" (allowed: a sum of at most the recovery point; shorten one of the three)`,
    ]);
    // 30m + 10m + 15m fits the hour; restores every 30m do not.
    expect(problemsAfter((env) => (env.objectives.logBackupInterval = '30m'), 'staging')).toEqual([]);
    expect(problemsAfter((env) => {
      env.objectives.logBackupInterval = '30m';
      env.sqlServer.restoreInterval = '30m';
    }, 'staging')).toEqual([
      'environments/staging.ts: objectives.logBackupInterval: "30m" + objectStorage.replicationLagBudget "10m" + sqlServer.restoreInterval "30m" = 70m of worst-case data loss, over the recovery point objective "1h" (allowed: a sum of at most the recovery point; shorten one of the three)',
    ]);
  });

  test('a database larger than its volume', () => {
    expect(problemsAfter((env) => (env.sqlServer.databaseSize = '2Ti'))).toEqual([`${FILE}: sqlServer.databaseSize: "2Ti" does not fit the "1Ti" volume (allowed: at most volumeSize)`]);
  });
});
