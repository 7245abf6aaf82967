import { NAMESPACE_NODE_POOLS } from '../../../environments/schema';
import { problemsAfter } from '../../support/environments';

const FILE = 'environments/production.ts';

/** Sets a namespace's CPU requests and limits together, so only the capacity rule can object. */
function quotaCpu(env: any, site: string, role: string, cpu: string): void {
  Object.assign(env.sites[site].sizing.namespaces[role], { requestsCpu: cpu, limitsCpu: cpu });
}

/** Sets a namespace's memory requests and limits together. */
function quotaMemory(env: any, site: string, role: string, memory: string): void {
  Object.assign(env.sites[site].sizing.namespaces[role], { requestsMemory: memory, limitsMemory: memory });
}

function quota(env: any, site: string, role: string, cpu: string, memory: string): void {
  quotaCpu(env, site, role, cpu);
  quotaMemory(env, site, role, memory);
}

describe('namespace quota requests within the node pools meant for the namespace', () => {
  test('the pools each namespace runs on', () => {
    expect(NAMESPACE_NODE_POOLS).toEqual({
      platform: [['general']],
      data: [['data'], ['general']],
      security: [['general']],
      observability: [['general']],
      'node-agents': [['system', 'general', 'data']],
      apps: [['general']],
    });
  });

  test('data: the data pools', () => {
    expect(problemsAfter((env) => quota(env, 'lusaka', 'data', '64', '400Gi'))).toEqual([
      `${FILE}: sites.lusaka.sizing.namespaces.data.requestsCpu: "64" is above the 48 cores of the node pools for the data namespace (data: 3 x 16 cores) (allowed: at most 48)`,
      `${FILE}: sites.lusaka.sizing.namespaces.data.requestsMemory: "400Gi" is above the 384 GiB of the node pools for the data namespace (data: 3 x 128 GiB) (allowed: at most 384Gi)`,
    ]);
  });

  test('exactly the capacity is accepted; one millicore or one MiB more is not', () => {
    expect(problemsAfter((env) => quota(env, 'lusaka', 'data', '48', '384Gi'))).toEqual([]);
    expect(problemsAfter((env) => quota(env, 'lusaka', 'data', '48001m', '393217Mi'))).toEqual([
      `${FILE}: sites.lusaka.sizing.namespaces.data.requestsCpu: "48001m" is above the 48 cores of the node pools for the data namespace (data: 3 x 16 cores) (allowed: at most 48)`,
      `${FILE}: sites.lusaka.sizing.namespaces.data.requestsMemory: "393217Mi" is above the 384 GiB of the node pools for the data namespace (data: 3 x 128 GiB) (allowed: at most 384Gi)`,
    ]);
  });

  test('data on a site without data pools: the general pools', () => {
    expect(
      problemsAfter((env) => {
        env.sites.kitwe.nodePools = env.sites.kitwe.nodePools.filter((pool: { purpose: string }) => pool.purpose !== 'data');
      }),
    ).toEqual([
      `${FILE}: sites.kitwe.sizing.namespaces.data.requestsMemory: "192Gi" is above the 96 GiB of the node pools for the data namespace (general: 3 x 32 GiB) (allowed: at most 96Gi)`,
    ]);
    expect(problemsAfter((env) => quota(env, 'lusaka', 'data', '9', '33Gi'), 'dev')).toEqual([
      `environments/dev.ts: sites.lusaka.sizing.namespaces.data.requestsCpu: "9" is above the 8 cores of the node pools for the data namespace (all: 1 x 8 cores) (allowed: at most 8)`,
      `environments/dev.ts: sites.lusaka.sizing.namespaces.data.requestsMemory: "33Gi" is above the 32 GiB of the node pools for the data namespace (all: 1 x 32 GiB) (allowed: at most 32Gi)`,
    ]);
  });

  test('node-agents: every pool', () => {
    expect(problemsAfter((env) => quota(env, 'lusaka', 'node-agents', '93', '561Gi'))).toEqual([
      `${FILE}: sites.lusaka.sizing.namespaces.node-agents.requestsCpu: "93" is above the 92 cores of the node pools for the node-agents namespace (system: 3 x 4 cores, general: 4 x 8 cores, data: 3 x 16 cores) (allowed: at most 92)`,
      `${FILE}: sites.lusaka.sizing.namespaces.node-agents.requestsMemory: "561Gi" is above the 560 GiB of the node pools for the node-agents namespace (system: 3 x 16 GiB, general: 4 x 32 GiB, data: 3 x 128 GiB) (allowed: at most 560Gi)`,
    ]);
    expect(problemsAfter((env) => quota(env, 'lusaka', 'node-agents', '92', '560Gi'))).toEqual([]);
  });

  test('every other namespace: the general pools, per site', () => {
    expect(
      problemsAfter((env) => {
        quota(env, 'lusaka', 'apps', '32', '128Gi');
        quota(env, 'kitwe', 'apps', '32', '128Gi');
        quotaMemory(env, 'kitwe', 'observability', '97Gi');
      }),
    ).toEqual([
      `${FILE}: sites.kitwe.sizing.namespaces.observability.requestsMemory: "97Gi" is above the 96 GiB of the node pools for the observability namespace (general: 3 x 32 GiB) (allowed: at most 96Gi)`,
      `${FILE}: sites.kitwe.sizing.namespaces.apps.requestsCpu: "32" is above the 24 cores of the node pools for the apps namespace (general: 3 x 8 cores) (allowed: at most 24)`,
      `${FILE}: sites.kitwe.sizing.namespaces.apps.requestsMemory: "128Gi" is above the 96 GiB of the node pools for the apps namespace (general: 3 x 32 GiB) (allowed: at most 96Gi)`,
    ]);
  });

  test('a namespace with no pool to run on', () => {
    expect(
      problemsAfter((env) => {
        env.sites.kitwe.nodePools = [{ name: 'db', purpose: 'data', nodeCount: 1, cpuCores: 8, memoryGiB: 64 }];
        env.sites.lusaka.nodePools[0].purpose = 'system';
      }, 'dev'),
    ).toEqual([
      'environments/dev.ts: sites.lusaka.sizing.namespaces.platform.requestsCpu: "2" is above the 0 cores of the node pools for the platform namespace (no node pool with purpose general) (allowed: at most 0)',
      'environments/dev.ts: sites.lusaka.sizing.namespaces.platform.requestsMemory: "4Gi" is above the 0 GiB of the node pools for the platform namespace (no node pool with purpose general) (allowed: at most 0Gi)',
      'environments/dev.ts: sites.lusaka.sizing.namespaces.data.requestsCpu: "2" is above the 0 cores of the node pools for the data namespace (no node pool with purpose data or general) (allowed: at most 0)',
      'environments/dev.ts: sites.lusaka.sizing.namespaces.data.requestsMemory: "8Gi" is above the 0 GiB of the node pools for the data namespace (no node pool with purpose data or general) (allowed: at most 0Gi)',
      'environments/dev.ts: sites.lusaka.sizing.namespaces.security.requestsCpu: "500m" is above the 0 cores of the node pools for the security namespace (no node pool with purpose general) (allowed: at most 0)',
      'environments/dev.ts: sites.lusaka.sizing.namespaces.security.requestsMemory: "1Gi" is above the 0 GiB of the node pools for the security namespace (no node pool with purpose general) (allowed: at most 0Gi)',
      'environments/dev.ts: sites.lusaka.sizing.namespaces.observability.requestsCpu: "4" is above the 0 cores of the node pools for the observability namespace (no node pool with purpose general) (allowed: at most 0)',
      'environments/dev.ts: sites.lusaka.sizing.namespaces.observability.requestsMemory: "10Gi" is above the 0 GiB of the node pools for the observability namespace (no node pool with purpose general) (allowed: at most 0Gi)',
      'environments/dev.ts: sites.lusaka.sizing.namespaces.apps.requestsCpu: "1" is above the 0 cores of the node pools for the apps namespace (no node pool with purpose general) (allowed: at most 0)',
      'environments/dev.ts: sites.lusaka.sizing.namespaces.apps.requestsMemory: "2Gi" is above the 0 GiB of the node pools for the apps namespace (no node pool with purpose general) (allowed: at most 0Gi)',
      'environments/dev.ts: sites.kitwe.sizing.namespaces.platform.requestsCpu: "2" is above the 0 cores of the node pools for the platform namespace (no node pool with purpose general) (allowed: at most 0)',
      'environments/dev.ts: sites.kitwe.sizing.namespaces.platform.requestsMemory: "4Gi" is above the 0 GiB of the node pools for the platform namespace (no node pool with purpose general) (allowed: at most 0Gi)',
      'environments/dev.ts: sites.kitwe.sizing.namespaces.security.requestsCpu: "500m" is above the 0 cores of the node pools for the security namespace (no node pool with purpose general) (allowed: at most 0)',
      'environments/dev.ts: sites.kitwe.sizing.namespaces.security.requestsMemory: "1Gi" is above the 0 GiB of the node pools for the security namespace (no node pool with purpose general) (allowed: at most 0Gi)',
      'environments/dev.ts: sites.kitwe.sizing.namespaces.observability.requestsCpu: "4" is above the 0 cores of the node pools for the observability namespace (no node pool with purpose general) (allowed: at most 0)',
      'environments/dev.ts: sites.kitwe.sizing.namespaces.observability.requestsMemory: "10Gi" is above the 0 GiB of the node pools for the observability namespace (no node pool with purpose general) (allowed: at most 0Gi)',
      'environments/dev.ts: sites.kitwe.sizing.namespaces.apps.requestsCpu: "1" is above the 0 cores of the node pools for the apps namespace (no node pool with purpose general) (allowed: at most 0)',
      'environments/dev.ts: sites.kitwe.sizing.namespaces.apps.requestsMemory: "2Gi" is above the 0 GiB of the node pools for the apps namespace (no node pool with purpose general) (allowed: at most 0Gi)',
    ]);
  });

  test('reported together with problems elsewhere; never computed from pools that failed to parse', () => {
    expect(
      problemsAfter((env) => {
        quotaCpu(env, 'lusaka', 'data', '64');
        env.sites.lusaka.registry = 'docker.io';
        env.sites.kitwe.nodePools[2].cpuCores = 'sixteen';
        quotaCpu(env, 'kitwe', 'data', '64');
      }),
    ).toEqual([
      `${FILE}: sites.lusaka.registry: "docker.io" is not an approved in-country registry (allowed: registry.lms.co.zm)`,
      `${FILE}: sites.lusaka.sizing.namespaces.data.requestsCpu: "64" is above the 48 cores of the node pools for the data namespace (data: 3 x 16 cores) (allowed: at most 48)`,
      `${FILE}: sites.kitwe.nodePools[2].cpuCores: "sixteen" is not a number (allowed: number)`,
    ]);
  });
});

describe('the apps quota holds the loan-service at its primary replica count', () => {
  test('each figure too small is named with the product that does not fit', () => {
    // production: 3 replicas of 250m/1 CPU and 256Mi/512Mi.
    const problems = problemsAfter((env) => Object.assign(env.sites.kitwe.sizing.namespaces.apps, { requestsCpu: '700m', limitsCpu: '2', requestsMemory: '512Mi', limitsMemory: '1Gi' }));
    expect(problems).toEqual([
      `${FILE}: sites.kitwe.sizing.namespaces.apps.requestsCpu: "700m" cannot hold the loan-service at its 3 primary replicas, 3 x 250m = 750m (allowed: at least 750m)`,
      `${FILE}: sites.kitwe.sizing.namespaces.apps.limitsCpu: "2" cannot hold the loan-service at its 3 primary replicas, 3 x 1000m = 3000m (allowed: at least 3000m)`,
      `${FILE}: sites.kitwe.sizing.namespaces.apps.requestsMemory: "512Mi" cannot hold the loan-service at its 3 primary replicas, 3 x 256Mi = 768Mi (allowed: at least 768Mi)`,
      `${FILE}: sites.kitwe.sizing.namespaces.apps.limitsMemory: "1Gi" cannot hold the loan-service at its 3 primary replicas, 3 x 512Mi = 1536Mi (allowed: at least 1536Mi)`,
    ]);
  });

  test('exactly enough is accepted', () => {
    expect(problemsAfter((env) => Object.assign(env.sites.kitwe.sizing.namespaces.apps, { requestsCpu: '750m', limitsCpu: '3', requestsMemory: '768Mi', limitsMemory: '1536Mi' }))).toEqual([]);
  });
});
