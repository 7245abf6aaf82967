import { ENVIRONMENTS, problemsAfter } from '../../support/environments';

const FILE = 'environments/production.ts';

describe('environment traffic: public host, certificates, operations network, DNS failover', () => {
  test('production: the bank\'s CA signs the public certificate; the public name fails over by signed dynamic update', () => {
    const production = ENVIRONMENTS.find((env) => env.name === 'production')!;
    expect(JSON.parse(JSON.stringify(production.traffic))).toEqual({
      publicHost: 'loans.lms.co.zm',
      publicCertificate: { issuer: 'external-ca', caSecretName: 'bank-issuing-ca' },
      certificates: { rootValidity: '3650d', validity: '90d', renewBefore: '30d' },
      operationsNetworks: ['10.50.0.0/24'],
      loanServiceRoute: { maxRequestBodyMiB: 10, ratePerSecond: 20, burst: 50 },
      dnsFailover: { zone: 'lms.co.zm', ttlSeconds: 60, update: 'rfc2136', server: 'ns1.lms.co.zm', tsigKeyVaultPath: 'kv/production/dns-failover' },
    });
  });

  test('a public host name outside the approved in-country domains', () => {
    expect(problemsAfter((env) => (env.traffic.publicHost = 'loans.example.com'))).toEqual([
      `${FILE}: traffic.publicHost: "loans.example.com" is not a host name in an approved in-country domain (allowed: *.lms.co.zm)`,
    ]);
  });

  test('a public host outside the failover zone', () => {
    expect(problemsAfter((env) => (env.traffic.dnsFailover.zone = 'prod.lusaka.lms.co.zm'))).toEqual([
      `${FILE}: traffic.publicHost: "loans.lms.co.zm" is not in the failover zone "prod.lusaka.lms.co.zm" (allowed: a host name in *.prod.lusaka.lms.co.zm)`,
    ]);
  });

  test('a certificate lifetime shorter than its renewal window, and a root that dies before its certificates', () => {
    expect(
      problemsAfter((env) => {
        env.traffic.certificates = { rootValidity: '60d', validity: '90d', renewBefore: '90d' };
      }),
    ).toEqual([
      `${FILE}: traffic.certificates.validity: "90d" is not longer than renewBefore "90d" (allowed: a lifetime longer than its renewal window, or every certificate would be renewed forever)`,
      `${FILE}: traffic.certificates.rootValidity: "60d" is not longer than validity "90d" (allowed: a root that outlives the certificates it signs)`,
    ]);
  });

  test('an unknown public certificate issuer, and an external CA without its Secret', () => {
    expect(problemsAfter((env) => (env.traffic.publicCertificate = { issuer: 'letsencrypt' }))).toEqual([
      `${FILE}: traffic.publicCertificate.issuer: "letsencrypt" is not a public certificate issuer (allowed: internal-ca, external-ca)`,
    ]);
    expect(problemsAfter((env) => (env.traffic.publicCertificate = { issuer: 'external-ca' }))).toEqual([
      `${FILE}: traffic.publicCertificate.caSecretName: is required (allowed: string)`,
    ]);
  });

  test('an operations network open to everyone, not a CIDR block, or missing', () => {
    expect(problemsAfter((env) => (env.traffic.operationsNetworks = ['0.0.0.0/0', 'ops']))).toEqual([
      `${FILE}: traffic.operationsNetworks[0]: "0.0.0.0/0" is not inside a private network (allowed: blocks inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)`,
      `${FILE}: traffic.operationsNetworks[1]: "ops" is not an IPv4 CIDR block with its host bits zero (allowed: e.g. "10.20.0.0/16", "10.20.4.240/28")`,
    ]);
    expect(problemsAfter((env) => (env.traffic.operationsNetworks = []))).toEqual([`${FILE}: traffic.operationsNetworks: [] is too small (allowed: at least 1 entries)`]);
  });

  test('route limits and DNS TTL out of range', () => {
    expect(
      problemsAfter((env) => {
        env.traffic.loanServiceRoute.maxRequestBodyMiB = 100;
        env.traffic.dnsFailover.ttlSeconds = 5;
        env.traffic.dnsFailover.update = 'external-dns';
      }),
    ).toEqual([
      `${FILE}: traffic.loanServiceRoute.maxRequestBodyMiB: 100 is too big (allowed: <= 64)`,
      `${FILE}: traffic.dnsFailover.ttlSeconds: 5 is too small (allowed: >= 30)`,
      `${FILE}: traffic.dnsFailover.update: "external-dns" is not allowed (allowed: manual, rfc2136)`,
    ]);
  });

  test('dev and staging change the public record by hand at the zone\'s primary server, with no TSIG key', () => {
    for (const name of ['dev', 'staging']) {
      const env = ENVIRONMENTS.find((candidate) => candidate.name === name)!;
      expect(env.traffic.dnsFailover).toEqual({ zone: 'lms.co.zm', ttlSeconds: name === 'dev' ? 300 : 60, update: 'manual', server: 'ns1.lms.co.zm' });
    }
  });

  test('a dynamic update without the TSIG key\'s Vault path, and a manual change with one', () => {
    expect(problemsAfter((env) => delete env.traffic.dnsFailover.tsigKeyVaultPath)).toEqual([
      `${FILE}: traffic.dnsFailover.tsigKeyVaultPath: is required with update "rfc2136" (allowed: the Vault KV path of the TSIG key the server accepts updates signed with, e.g. "kv/production/dns-failover")`,
    ]);
    expect(problemsAfter((env) => (env.traffic.dnsFailover.tsigKeyVaultPath = 'kv/staging/dns-failover'), 'staging')).toEqual([
      `environments/staging.ts: traffic.dnsFailover.tsigKeyVaultPath: "kv/staging/dns-failover" is not used with update "manual" (allowed: no tsigKeyVaultPath; the DNS administrators change the record by hand)`,
    ]);
  });

  test('a TSIG key path outside the environment\'s own secrets: the site\'s Vault would not hold it, and no policy would grant it', () => {
    expect(problemsAfter((env) => (env.traffic.dnsFailover.tsigKeyVaultPath = 'kv/staging/dns-failover'))).toEqual([
      `${FILE}: traffic.dnsFailover.tsigKeyVaultPath: "kv/staging/dns-failover" is not a secret of environment "production" (allowed: "<mount>/production/<name>" or "<mount>/production/<workload>/<name>", e.g. "kv/production/dns-failover"; a site's Vault holds its own environment's secrets only)`,
    ]);
    expect(problemsAfter((env) => (env.traffic.dnsFailover.tsigKeyVaultPath = 'kv/production/dns/keys/primary'))).toEqual([
      `${FILE}: traffic.dnsFailover.tsigKeyVaultPath: "kv/production/dns/keys/primary" is not a secret of environment "production" (allowed: "<mount>/production/<name>" or "<mount>/production/<workload>/<name>", e.g. "kv/production/dns-failover"; a site's Vault holds its own environment's secrets only)`,
    ]);
  });

  test('a TSIG key path that is no Vault KV path, and a name server outside the approved domains', () => {
    expect(
      problemsAfter((env) => {
        env.traffic.dnsFailover.tsigKeyVaultPath = '/kv/data/Production';
        env.traffic.dnsFailover.server = 'ns1.example.net';
      }),
    ).toEqual([
      `${FILE}: traffic.dnsFailover.server: "ns1.example.net" is not a host name in an approved in-country domain (allowed: *.lms.co.zm)`,
      `${FILE}: traffic.dnsFailover.tsigKeyVaultPath: "/kv/data/Production" is not a Vault KV path (allowed: <mount>/<path> in lower case, e.g. "kv/production/dns-failover")`,
    ]);
    expect(problemsAfter((env) => delete env.traffic.dnsFailover.server)).toEqual([`${FILE}: traffic.dnsFailover.server: is required (allowed: string)`]);
  });
});
