import { problemsAfter } from '../../support/environments';

const FILE = 'environments/production.ts';

describe('data sovereignty: every registry, endpoint and domain in Zambia', () => {
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

  test('DNS domain outside Zambia', () => {
    expect(problemsAfter((env) => (env.sites.lusaka.dnsDomain = 'lms.example.com'))).toEqual([
      `${FILE}: sites.lusaka.dnsDomain: "lms.example.com" is not a DNS domain in an approved in-country domain (allowed: *.lms.co.zm)`,
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
});
