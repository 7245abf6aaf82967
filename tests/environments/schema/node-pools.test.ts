import { problemsAfter } from '../../support/environments';

const FILE = 'environments/production.ts';

describe('node pools', () => {
  test('two pools with one name', () => {
    expect(problemsAfter((env) => (env.sites.lusaka.nodePools[1].name = 'system'))).toEqual([
      `${FILE}: sites.lusaka.nodePools[1].name: "system" is used by two node pools (allowed: unique names)`,
    ]);
  });

  test('no pool at all', () => {
    expect(problemsAfter((env) => (env.sites.lusaka.nodePools = []))).toEqual([`${FILE}: sites.lusaka.nodePools: [] is too small (allowed: at least 1 entries)`]);
  });

  test('an unknown purpose', () => {
    expect(problemsAfter((env) => (env.sites.lusaka.nodePools[2].purpose = 'gpu'))).toEqual([
      `${FILE}: sites.lusaka.nodePools[2].purpose: "gpu" is not allowed (allowed: system, general, data)`,
    ]);
  });
});
