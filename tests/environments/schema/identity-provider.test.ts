import { ENVIRONMENTS, problemsAfter } from '../../support/environments';

const FILE = 'environments/production.ts';
const KEYS_PATH = '/realms/lms-production/protocol/openid-connect/certs';

describe('environment identity provider: issuer, audience, each site\'s keys', () => {
  test('each environment names one in-country issuer, and keys at each site\'s own data centre', () => {
    expect(Object.fromEntries(ENVIRONMENTS.map((env) => [env.name, env.identityProvider]))).toEqual({
      dev: {
        issuer: 'https://id.dev.lms.co.zm/realms/lms-dev',
        audience: 'loan-service',
        jwks: {
          lusaka: { url: 'https://id.dev.lusaka.lms.co.zm/realms/lms-dev/protocol/openid-connect/certs', addressBlocks: ['10.62.0.0/28'] },
          kitwe: { url: 'https://id.dev.kitwe.lms.co.zm/realms/lms-dev/protocol/openid-connect/certs', addressBlocks: ['10.62.16.0/28'] },
        },
      },
      production: {
        issuer: 'https://id.lms.co.zm/realms/lms-production',
        audience: 'loan-service',
        jwks: {
          lusaka: { url: `https://id.prod.lusaka.lms.co.zm${KEYS_PATH}`, addressBlocks: ['10.60.0.0/28'] },
          kitwe: { url: `https://id.prod.kitwe.lms.co.zm${KEYS_PATH}`, addressBlocks: ['10.60.16.0/28'] },
        },
      },
      staging: {
        issuer: 'https://id.staging.lms.co.zm/realms/lms-staging',
        audience: 'loan-service',
        jwks: {
          lusaka: { url: 'https://id.staging.lusaka.lms.co.zm/realms/lms-staging/protocol/openid-connect/certs', addressBlocks: ['10.61.0.0/28'] },
          kitwe: { url: 'https://id.staging.kitwe.lms.co.zm/realms/lms-staging/protocol/openid-connect/certs', addressBlocks: ['10.61.16.0/28'] },
        },
      },
    });
  });

  test('an issuer outside Zambia, keys over plain http, a query, not a URL', () => {
    expect(
      problemsAfter((env) => {
        env.identityProvider.issuer = 'https://login.example.com/lms';
        env.identityProvider.jwks.kitwe.url = `http://id.prod.kitwe.lms.co.zm${KEYS_PATH}`;
      }),
    ).toEqual([
      `${FILE}: identityProvider.issuer: "https://login.example.com/lms" is not an approved in-country URL (allowed: https://<host in *.lms.co.zm>[:port][/path])`,
      `${FILE}: identityProvider.jwks.kitwe.url: "http://id.prod.kitwe.lms.co.zm${KEYS_PATH}" does not use https (allowed: https://<host in *.lms.co.zm>[:port][/path])`,
    ]);
    expect(problemsAfter((env) => (env.identityProvider.jwks.lusaka.url = 'https://id.prod.lusaka.lms.co.zm/certs?realm=lms'))).toEqual([
      `${FILE}: identityProvider.jwks.lusaka.url: "https://id.prod.lusaka.lms.co.zm/certs?realm=lms" must not carry a query, fragment or credentials (allowed: https://<host in *.lms.co.zm>[:port][/path])`,
    ]);
    expect(problemsAfter((env) => (env.identityProvider.issuer = 'id.lms.co.zm'))).toEqual([
      `${FILE}: identityProvider.issuer: "id.lms.co.zm" is not a URL (allowed: https://<host in *.lms.co.zm>[:port][/path])`,
    ]);
  });

  test('keys fetched from outside the site\'s own domain: the site would depend on the other', () => {
    expect(problemsAfter((env) => (env.identityProvider.jwks.kitwe.url = `https://id.prod.lusaka.lms.co.zm${KEYS_PATH}`))).toEqual([
      `${FILE}: identityProvider.jwks.kitwe.url: "https://id.prod.lusaka.lms.co.zm${KEYS_PATH}" is not in the site's dnsDomain "prod.kitwe.lms.co.zm" (allowed: https://<host in *.prod.kitwe.lms.co.zm>/..., so the site verifies tokens with the other site gone)`,
    ]);
    // The rule reads only values that parsed: a bad URL is reported once.
    expect(problemsAfter((env) => (env.identityProvider.jwks.kitwe.url = 'ftp://id.prod.kitwe.lms.co.zm/certs'))).toEqual([
      `${FILE}: identityProvider.jwks.kitwe.url: "ftp://id.prod.kitwe.lms.co.zm/certs" does not use https (allowed: https://<host in *.lms.co.zm>[:port][/path])`,
    ]);
  });

  test('an audience with a space, public or missing addresses, a missing site, a missing provider', () => {
    expect(
      problemsAfter((env) => {
        env.identityProvider.audience = 'loan service';
        env.identityProvider.jwks.lusaka.addressBlocks = ['8.8.8.0/24'];
        env.identityProvider.jwks.kitwe.addressBlocks = [];
      }),
    ).toEqual([
      `${FILE}: identityProvider.audience: "loan service" is not a token audience (allowed: 1-255 printable characters without spaces, e.g. "loan-service")`,
      `${FILE}: identityProvider.jwks.lusaka.addressBlocks[0]: "8.8.8.0/24" is not inside a private network (allowed: blocks inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)`,
      `${FILE}: identityProvider.jwks.kitwe.addressBlocks: [] is too small (allowed: at least 1 entries)`,
    ]);
    expect(problemsAfter((env) => delete env.identityProvider.jwks.kitwe)).toEqual([
      `${FILE}: identityProvider.jwks.kitwe: is required (allowed: an object with url, addressBlocks)`,
    ]);
    expect(problemsAfter((env) => delete env.identityProvider)).toEqual([
      `${FILE}: identityProvider: is required (allowed: an object with issuer, audience, jwks)`,
    ]);
  });
});
