import { checkEnvironment } from '../../environments/load';
import { DATA_SOVEREIGNTY, OPERATIONS_PLAN, type EnvironmentInput } from '../../environments/schema';
import { ENVIRONMENTS, rawEnvironment } from '../support/environments';

const FILE = 'environments/production.ts';

/** Problems for the production file after `mutate`. */
function problemsAfter(mutate: (env: any) => void, name: 'dev' | 'staging' | 'production' = 'production'): string[] {
  const raw = rawEnvironment(name) as EnvironmentInput;
  mutate(raw);
  return checkEnvironment(raw, `environments/${name}.ts`).problems;
}

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

  test('production keeps each site\'s state at that site, in a bucket of its own', () => {
    const production = ENVIRONMENTS.find((env) => env.name === 'production')!;
    expect(production.sites.lusaka.state).toEqual({ kind: 's3', endpoint: 'https://state.prod.lusaka.lms.co.zm', bucket: 'lms-terraform-state-production-lusaka', region: 'zm-lusaka-1' });
    expect(production.sites.kitwe.state).toEqual({ kind: 's3', endpoint: 'https://state.prod.kitwe.lms.co.zm', bucket: 'lms-terraform-state-production-kitwe', region: 'zm-kitwe-1' });
  });
});

describe('invalid environments: one exact line per problem', () => {
  test('wrong type', () => {
    expect(problemsAfter((env) => (env.sites.lusaka.nodePools[0].nodeCount = 'three'))).toEqual([
      `${FILE}: sites.lusaka.nodePools[0].nodeCount: "three" is not a number (allowed: number)`,
    ]);
  });

  test('unknown key lists the allowed keys', () => {
    expect(problemsAfter((env) => (env.sites.kitwe.colour = 'blue'))).toEqual([
      `${FILE}: sites.kitwe.colour: unknown key (allowed: role, dataCentre, cluster, kubernetesVersion, nodePools, storageClasses, registry, dnsDomain, state, sizing, workloads, retention)`,
    ]);
  });

  test('missing site', () => {
    expect(problemsAfter((env) => delete env.sites.kitwe)).toEqual([`${FILE}: sites.kitwe: is required (allowed: an object with role, dataCentre, cluster, kubernetesVersion, nodePools, storageClasses, registry, dnsDomain, state, sizing, workloads, retention)`]);
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

  test('registry outside Zambia', () => {
    expect(problemsAfter((env) => (env.sites.kitwe.registry = 'docker.io'))).toEqual([
      `${FILE}: sites.kitwe.registry: "docker.io" is not an approved in-country registry (allowed: registry.lms.co.zm)`,
    ]);
  });

  test('cluster endpoint outside Zambia', () => {
    expect(problemsAfter((env) => (env.sites.lusaka.cluster.endpoint = 'https://k8s.eu-west-1.example.com'))).toEqual([
      `${FILE}: sites.lusaka.cluster.endpoint: "https://k8s.eu-west-1.example.com" is not an approved in-country endpoint (allowed: https://<host in *.lms.co.zm>)`,
    ]);
  });

  test('state endpoint over plain http', () => {
    expect(problemsAfter((env) => (env.sites.lusaka.state.endpoint = 'http://state.prod.lusaka.lms.co.zm'))).toEqual([
      `${FILE}: sites.lusaka.state.endpoint: "http://state.prod.lusaka.lms.co.zm" does not use https (allowed: https://<host in *.lms.co.zm>[:port])`,
    ]);
  });

  test('endpoint with credentials in it', () => {
    expect(problemsAfter((env) => (env.sites.lusaka.state.endpoint = 'https://admin:secret@state.prod.lusaka.lms.co.zm'))).toEqual([
      `${FILE}: sites.lusaka.state.endpoint: "https://admin:secret@state.prod.lusaka.lms.co.zm" must be a bare endpoint, without path, query or credentials (allowed: https://<host>[:port])`,
    ]);
  });

  test('DNS domain outside Zambia', () => {
    expect(problemsAfter((env) => (env.sites.lusaka.dnsDomain = 'lms.example.com'))).toEqual([
      `${FILE}: sites.lusaka.dnsDomain: "lms.example.com" is not a DNS domain in an approved in-country domain (allowed: *.lms.co.zm)`,
    ]);
  });

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

  test('log backups less frequent than the recovery point', () => {
    expect(problemsAfter((env) => (env.objectives.logBackupInterval = '2h'))).toEqual([
      `${FILE}: objectives.logBackupInterval: "2h" is longer than the recovery point "1h" (allowed: at most the recovery point)`,
    ]);
  });

  test('production with a single loan-service replica', () => {
    expect(problemsAfter((env) => (env.sites.kitwe.workloads.loanService.replicas = 1))).toEqual([
      `${FILE}: sites.kitwe.workloads.loanService.replicas: 1 leaves no replica during a node failure or rollout (allowed in production: at least 2)`,
    ]);
  });

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

  test('one state backend for the whole environment, as files used to have it', () => {
    expect(
      problemsAfter((env) => {
        env.state = env.sites.lusaka.state;
        delete env.sites.lusaka.state;
        delete env.sites.kitwe.state;
      }),
    ).toEqual([
      `${FILE}: sites.lusaka.state: is required (allowed: an object with kind s3, local)`,
      `${FILE}: sites.kitwe.state: is required (allowed: an object with kind s3, local)`,
      `${FILE}: state: a state backend for the whole environment is no longer accepted (allowed: one per site, as sites.lusaka.state and sites.kitwe.state, so either site can be planned and applied with the other gone)`,
    ]);
  });

  test('a top-level state next to the per-site ones is still refused', () => {
    expect(problemsAfter((env) => (env.state = { kind: 'local', directory: '.terraform-state' }), 'dev')).toEqual([
      `environments/dev.ts: state: a state backend for the whole environment is no longer accepted (allowed: one per site, as sites.lusaka.state and sites.kitwe.state, so either site can be planned and applied with the other gone)`,
    ]);
  });

  test('state backend that is not an object, or of an unknown kind', () => {
    expect(
      problemsAfter((env) => {
        env.sites.lusaka.state = 's3://state';
        env.sites.kitwe.state = { kind: 'gcs', bucket: 'x' };
      }),
    ).toEqual([
      `${FILE}: sites.lusaka.state: "s3://state" is not an object (allowed: an object with kind s3, local)`,
      `${FILE}: sites.kitwe.state.kind: "gcs" is not a state backend kind (allowed: s3, local)`,
    ]);
  });

  test('a site\'s state endpoint at the other site', () => {
    expect(problemsAfter((env) => (env.sites.kitwe.state.endpoint = 'https://state.prod.lusaka.lms.co.zm'))).toEqual([
      `${FILE}: sites.kitwe.state.endpoint: "https://state.prod.lusaka.lms.co.zm" is not in the site's dnsDomain "prod.kitwe.lms.co.zm" (allowed: https://<host in *.prod.kitwe.lms.co.zm>, so the site's state survives the loss of the other site)`,
    ]);
  });

  test('a state endpoint on the site\'s own domain itself, or a deeper subdomain, is inside it', () => {
    expect(
      problemsAfter((env) => {
        env.sites.lusaka.state.endpoint = 'https://prod.lusaka.lms.co.zm:9000';
        env.sites.kitwe.state.endpoint = 'https://minio.state.prod.kitwe.lms.co.zm';
      }),
    ).toEqual([]);
  });

  test('a look-alike domain is not inside the site\'s domain', () => {
    expect(problemsAfter((env) => (env.sites.kitwe.state.endpoint = 'https://state.notprod.kitwe.lms.co.zm'))).toEqual([
      `${FILE}: sites.kitwe.state.endpoint: "https://state.notprod.kitwe.lms.co.zm" is not in the site's dnsDomain "prod.kitwe.lms.co.zm" (allowed: https://<host in *.prod.kitwe.lms.co.zm>, so the site's state survives the loss of the other site)`,
    ]);
  });

  test('both sites in one state bucket', () => {
    const shared = (env: any) => {
      // Nested domains are the only way one endpoint can be inside both sites' domains.
      env.sites.lusaka.dnsDomain = 'lms.co.zm';
      env.sites.lusaka.state.endpoint = 'https://state.prod.kitwe.lms.co.zm';
      env.sites.lusaka.state.bucket = 'lms-terraform-state-production-kitwe';
    };
    expect(problemsAfter(shared)).toEqual([
      `${FILE}: sites.kitwe.state: bucket "lms-terraform-state-production-kitwe" at "https://state.prod.kitwe.lms.co.zm" also holds the state of lusaka (allowed: a state store of the site's own, so losing one site never loses the other's state)`,
    ]);
    expect(
      problemsAfter((env) => {
        shared(env);
        env.sites.lusaka.state.bucket = 'lms-terraform-state-production-lusaka';
      }),
    ).toEqual([]);
  });

  test('production on local state, per site', () => {
    expect(problemsAfter((env) => (env.sites.kitwe.state = { kind: 'local', directory: '.terraform-state' }))).toEqual([
      `${FILE}: sites.kitwe.state.kind: "local" keeps production state on one machine (allowed in production: s3)`,
    ]);
  });

  test('dev and staging may keep local state', () => {
    expect(problemsAfter((env) => (env.sites.kitwe.state = { kind: 'local', directory: '.terraform-state' }), 'staging')).toEqual([]);
  });

  test('local state outside the project', () => {
    expect(problemsAfter((env) => (env.sites.lusaka.state.directory = '/var/lib/state'), 'dev')).toEqual([
      `environments/dev.ts: sites.lusaka.state.directory: "/var/lib/state" is not a relative directory inside the project (allowed: e.g. ".terraform-state")`,
    ]);
    expect(problemsAfter((env) => (env.sites.kitwe.state.directory = '../state'), 'dev')).toEqual([
      `environments/dev.ts: sites.kitwe.state.directory: "../state" is not a relative directory inside the project (allowed: e.g. ".terraform-state")`,
    ]);
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

  test('bad cluster access kind', () => {
    expect(problemsAfter((env) => (env.sites.kitwe.cluster = { kind: 'token', token: 'x' }))).toEqual([
      `${FILE}: sites.kitwe.cluster.kind: "token" is not a cluster access kind (allowed: kubeconfig-context, api-endpoint)`,
    ]);
  });

  test('quantities and duplicate node pools', () => {
    expect(
      problemsAfter((env) => {
        env.sites.lusaka.sizing.namespaces.apps.requestsMemory = '4GB';
        env.sites.lusaka.sizing.containerDefaults.cpuLimit = 'two';
        env.sites.lusaka.nodePools[1].name = 'system';
      }),
    ).toEqual([
      `${FILE}: sites.lusaka.nodePools[1].name: "system" is used by two node pools (allowed: unique names)`,
      `${FILE}: sites.lusaka.sizing.namespaces.apps.requestsMemory: "4GB" is not a memory quantity (allowed: a whole number with Mi, Gi or Ti, e.g. "512Mi", "4Gi")`,
      `${FILE}: sites.lusaka.sizing.containerDefaults.cpuLimit: "two" is not a CPU quantity (allowed: cores such as "2" or "0.5", or millicores such as "500m")`,
    ]);
  });

  test('a CPU quantity below one millicore is refused in the file, with its field path', () => {
    expect(
      problemsAfter((env) => {
        env.sites.kitwe.workloads.loanService.cpuRequest = '0.0001';
        env.sites.lusaka.sizing.namespaces.security.limitsCpu = '0';
      }),
    ).toEqual([
      `${FILE}: sites.lusaka.sizing.namespaces.security.limitsCpu: "0" is not a whole number of millicores above 0 (allowed: e.g. "250m", "1")`,
      `${FILE}: sites.kitwe.workloads.loanService.cpuRequest: "0.0001" is not a whole number of millicores above 0 (allowed: e.g. "250m", "1")`,
    ]);
  });

  test('quantities written as numbers', () => {
    expect(
      problemsAfter((env) => {
        env.sites.lusaka.workloads.loanService.cpuLimit = 1;
        env.sites.lusaka.workloads.loanService.memoryLimit = 512;
      }),
    ).toEqual([
      `${FILE}: sites.lusaka.workloads.loanService.cpuLimit: 1 is not a CPU quantity (allowed: cores such as "2" or "0.5", or millicores such as "500m")`,
      `${FILE}: sites.lusaka.workloads.loanService.memoryLimit: 512 is not a memory quantity (allowed: a whole number with Mi, Gi or Ti, e.g. "512Mi", "4Gi")`,
    ]);
  });

  test('fractions of a core that are whole millicores are accepted', () => {
    expect(problemsAfter((env) => (env.sites.kitwe.workloads.loanService.cpuRequest = '0.125'))).toEqual([]);
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
