import { problemsAfter } from '../../support/environments';

const FILE = 'environments/production.ts';

describe('objectives', () => {
  test('RPO that is not a duration', () => {
    expect(problemsAfter((env) => (env.objectives.recoveryPoint = 'one hour'))).toEqual([
      `${FILE}: objectives.recoveryPoint: "one hour" is not a duration (allowed: a whole number followed by s, m, h or d, e.g. "15m", "1h", "30d")`,
    ]);
  });

  test('RPO given as a number', () => {
    expect(problemsAfter((env) => (env.objectives.recoveryPoint = 3600))).toEqual([
      `${FILE}: objectives.recoveryPoint: 3600 is not a duration (allowed: a whole number followed by s, m, h or d, e.g. "15m", "1h", "30d")`,
    ]);
  });

  test('production weaker than the operations plan', () => {
    expect(
      problemsAfter((env) => {
        env.objectives.recoveryPoint = '2h';
        env.objectives.recoveryTime = '8h';
        env.objectives.availabilityPercent = 99.5;
      }),
    ).toEqual([
      `${FILE}: objectives.recoveryPoint: "2h" is weaker than the operations plan (allowed in production: at most "1h")`,
      `${FILE}: objectives.recoveryTime: "8h" is weaker than the operations plan (allowed in production: at most "4h")`,
      `${FILE}: objectives.availabilityPercent: 99.5 is weaker than the operations plan (allowed in production: at least 99.9)`,
    ]);
  });

  test('outside production the objectives may be weaker than the operations plan', () => {
    expect(
      problemsAfter((env) => {
        env.objectives.recoveryTime = '8h';
        env.objectives.availabilityPercent = 99;
      }, 'staging'),
    ).toEqual([]);
  });

  test('log backups less frequent than the recovery point', () => {
    expect(problemsAfter((env) => (env.objectives.logBackupInterval = '2h'))).toEqual([
      `${FILE}: objectives.logBackupInterval: "2h" is longer than the recovery point "1h" (allowed: at most the recovery point)`,
    ]);
  });

  test('log backups exactly as often as the recovery point pass the interval rule; their sum with replication and restores is held against it next', () => {
    expect(problemsAfter((env) => (env.objectives.logBackupInterval = '1h'))).toEqual([
      'environments/production.ts: objectives.logBackupInterval: "1h" + objectStorage.replicationLagBudget "5m" + sqlServer.restoreInterval "15m" = 80m of worst-case data loss, over the recovery point objective "1h" (allowed: a sum of at most the recovery point; shorten one of the three)',
    ]);
  });

  test('the log-backup rule and the operations plan report together', () => {
    expect(
      problemsAfter((env) => {
        env.objectives.recoveryPoint = '2h';
        env.objectives.logBackupInterval = '3h';
      }),
    ).toEqual([
      `${FILE}: objectives.logBackupInterval: "3h" is longer than the recovery point "2h" (allowed: at most the recovery point)`,
      `${FILE}: objectives.recoveryPoint: "2h" is weaker than the operations plan (allowed in production: at most "1h")`,
    ]);
  });
});
