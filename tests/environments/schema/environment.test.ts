import { checkEnvironment } from '../../../environments/load';
import { DATA_SOVEREIGNTY, OPERATIONS_PLAN } from '../../../environments/schema';
import { ENVIRONMENTS, problemsAfter } from '../../support/environments';

const FILE = 'environments/production.ts';

describe('the committed environments', () => {
  test('dev, staging and production parse, in promotion order', () => {
    expect(ENVIRONMENTS.map((env) => env.name)).toEqual(['dev', 'staging', 'production']);
  });

  test.each(ENVIRONMENTS.map((env) => [env.name, env] as const))('%s has lusaka and kitwe, exactly one primary', (_name, env) => {
    expect(Object.keys(env.sites)).toEqual(['lusaka', 'kitwe']);
    expect(Object.values(env.sites).filter((site) => site.role === 'primary')).toHaveLength(1);
  });

  test.each(ENVIRONMENTS.map((env) => [env.name, env] as const))('%s pulls every image from an approved registry', (_name, env) => {
    for (const site of Object.values(env.sites)) {
      expect(DATA_SOVEREIGNTY.approvedRegistries).toContain(site.registry);
    }
  });

  test('production meets the operations plan: RPO 1h, RTO 4h, 99.9 %, daily full backups', () => {
    const production = ENVIRONMENTS.find((env) => env.name === 'production')!;
    expect(production.objectives.recoveryPoint.totalSeconds).toBe(OPERATIONS_PLAN.recoveryPoint.totalSeconds);
    expect(production.objectives.recoveryTime.toString()).toBe('4h');
    expect(production.objectives.availabilityPercent).toBe(99.9);
    expect(production.objectives.fullBackupSchedule).toBe('daily');
  });
});

describe('the environment as a whole', () => {
  test('wrong type', () => {
    expect(problemsAfter((env) => (env.sites.lusaka.nodePools[0].nodeCount = 'three'))).toEqual([
      `${FILE}: sites.lusaka.nodePools[0].nodeCount: "three" is not a number (allowed: number)`,
    ]);
  });

  test('not an object at all', () => {
    expect(checkEnvironment(42, FILE).problems).toEqual([`${FILE}: (top level): 42 is not an object (allowed: an object with name, tier, objectives, traffic, vault, objectStorage, sqlServer, monitoring, logging, identityProvider, sites)`]);
  });

  test('unknown key lists the allowed keys', () => {
    expect(problemsAfter((env) => (env.sites.kitwe.colour = 'blue'))).toEqual([
      `${FILE}: sites.kitwe.colour: unknown key (allowed: role, dataCentre, cluster, kubernetesVersion, nodePools, storageClasses, registry, chartRepository, dnsDomain, network, state, sizing, workloads, retention)`,
    ]);
  });

  test('missing site', () => {
    expect(problemsAfter((env) => delete env.sites.kitwe)).toEqual([`${FILE}: sites.kitwe: is required (allowed: an object with role, dataCentre, cluster, kubernetesVersion, nodePools, storageClasses, registry, chartRepository, dnsDomain, network, state, sizing, workloads, retention)`]);
  });

  test('unknown enum value and unsupported Kubernetes version', () => {
    expect(
      problemsAfter((env) => {
        env.tier = 'prod';
        env.sites.kitwe.kubernetesVersion = '1.19';
      }),
    ).toEqual([
      `${FILE}: tier: "prod" is not allowed (allowed: development, staging, production)`,
      `${FILE}: sites.kitwe.kubernetesVersion: "1.19" is not allowed (allowed: 1.28, 1.29, 1.30, 1.31)`,
    ]);
  });

  test('two primaries', () => {
    expect(problemsAfter((env) => (env.sites.kitwe.role = 'primary'))).toEqual([
      `${FILE}: sites: 2 primary sites (lusaka, kitwe) (allowed: exactly one site with role "primary", the other "disaster-recovery")`,
    ]);
  });

  test('no primary', () => {
    expect(problemsAfter((env) => (env.sites.lusaka.role = 'disaster-recovery'))).toEqual([
      `${FILE}: sites: 0 primary sites (none) (allowed: exactly one site with role "primary", the other "disaster-recovery")`,
    ]);
  });

  test('swapping the roles (a failover) keeps exactly one primary', () => {
    expect(
      problemsAfter((env) => {
        env.sites.lusaka.role = 'disaster-recovery';
        env.sites.kitwe.role = 'primary';
      }),
    ).toEqual([]);
  });

  test('production with a single loan-service replica', () => {
    expect(problemsAfter((env) => (env.sites.kitwe.workloads.loanService.replicas = 1))).toEqual([
      `${FILE}: sites.kitwe.workloads.loanService.replicas: 1 leaves no replica during a node failure or rollout (allowed in production: at least 2)`,
    ]);
  });

  test('outside production a single loan-service replica is accepted', () => {
    expect(problemsAfter((env) => (env.sites.kitwe.workloads.loanService.replicas = 1), 'staging')).toEqual([]);
  });

  test('cross-field rules report together with unrelated problems', () => {
    expect(
      problemsAfter((env) => {
        env.sites.kitwe.registry = 'docker.io';
        env.sites.kitwe.state.endpoint = 'https://state.prod.lusaka.lms.co.zm';
        env.sites.lusaka.state = { kind: 'local', directory: '.terraform-state' };
        env.objectives.availabilityPercent = 'high';
      }),
    ).toEqual([
      `${FILE}: objectives.availabilityPercent: "high" is not a number (allowed: number)`,
      `${FILE}: sites.kitwe.registry: "docker.io" is not an approved in-country registry (allowed: registry.lms.co.zm)`,
      `${FILE}: sites.kitwe.state.endpoint: "https://state.prod.lusaka.lms.co.zm" is not in the site's dnsDomain "prod.kitwe.lms.co.zm" (allowed: https://<host in *.prod.kitwe.lms.co.zm>, so the site's state survives the loss of the other site)`,
      `${FILE}: sites.lusaka.state.kind: "local" keeps production state on one machine (allowed in production: s3)`,
    ]);
  });

  test('a rule never reads a field that failed to parse', () => {
    expect(
      problemsAfter((env) => {
        env.objectives.recoveryPoint = 'soon';
        env.sites.kitwe.state.endpoint = 'ftp://state';
        env.tier = 'prod';
      }),
    ).toEqual([
      `${FILE}: tier: "prod" is not allowed (allowed: development, staging, production)`,
      `${FILE}: objectives.recoveryPoint: "soon" is not a duration (allowed: a whole number followed by s, m, h or d, e.g. "15m", "1h", "30d")`,
      `${FILE}: sites.kitwe.state.endpoint: "ftp://state" does not use https (allowed: https://<host in *.lms.co.zm>[:port])`,
    ]);
  });

  test('name that does not match the file', () => {
    expect(problemsAfter((env) => (env.name = 'prod'))).toEqual([`${FILE}: name: "prod" does not match the file name (allowed: "production")`]);
  });

  test('no default export', () => {
    expect(checkEnvironment(undefined, FILE).problems).toEqual([
      `${FILE}: has no default export (allowed: export default { name: "production", ... } satisfies EnvironmentInput)`,
    ]);
  });
});
