import { problemsAfter } from '../../support/environments';

const FILE = 'environments/production.ts';

describe('a site', () => {
  test('bad cluster access kind', () => {
    expect(problemsAfter((env) => (env.sites.kitwe.cluster = { kind: 'token', token: 'x' }))).toEqual([
      `${FILE}: sites.kitwe.cluster.kind: "token" is not a cluster access kind (allowed: kubeconfig-context, api-endpoint)`,
    ]);
  });

  test('cluster access missing', () => {
    expect(problemsAfter((env) => delete env.sites.kitwe.cluster)).toEqual([
      `${FILE}: sites.kitwe.cluster: is required (allowed: an object with kind kubeconfig-context, api-endpoint)`,
    ]);
  });
});
