import { problemsAfter } from '../../support/environments';

const FILE = 'environments/production.ts';

describe('workload sizing', () => {
  test('standby above replicas, autoscaler ceiling below them', () => {
    expect(
      problemsAfter((env) => {
        env.sites.lusaka.workloads.loanService.standbyReplicas = 5;
        env.sites.lusaka.workloads.loanService.maxReplicas = 2;
      }),
    ).toEqual([
      `${FILE}: sites.lusaka.workloads.loanService.standbyReplicas: 5 is above replicas 3 (allowed: at most replicas)`,
      `${FILE}: sites.lusaka.workloads.loanService.maxReplicas: 2 is below replicas 3 (allowed: at least replicas)`,
    ]);
  });

  test('standby equal to replicas and an autoscaler ceiling equal to them are accepted', () => {
    expect(
      problemsAfter((env) => {
        env.sites.lusaka.workloads.loanService.standbyReplicas = 3;
        env.sites.lusaka.workloads.loanService.maxReplicas = 3;
      }),
    ).toEqual([]);
  });
});
