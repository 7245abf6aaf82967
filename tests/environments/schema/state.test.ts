import { ENVIRONMENTS, problemsAfter } from '../../support/environments';

const FILE = 'environments/production.ts';

describe('Terraform state, one backend per site', () => {
  test('production keeps each site\'s state at that site, in a bucket of its own', () => {
    const production = ENVIRONMENTS.find((env) => env.name === 'production')!;
    expect(production.sites.lusaka.state).toEqual({ kind: 's3', endpoint: 'https://state.prod.lusaka.lms.co.zm', bucket: 'lms-terraform-state-production-lusaka', region: 'zm-lusaka-1' });
    expect(production.sites.kitwe.state).toEqual({ kind: 's3', endpoint: 'https://state.prod.kitwe.lms.co.zm', bucket: 'lms-terraform-state-production-kitwe', region: 'zm-kitwe-1' });
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
});
