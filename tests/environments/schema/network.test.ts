import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadEnvironments } from '../../../environments/load';
import { ENVIRONMENTS, PROJECT_ROOT, problemsAfter } from '../../support/environments';

const FILE = 'environments/production.ts';

describe('site networks: ranges, load-balancer pools, gateway address, cross-site endpoints', () => {
  test('production: BGP at both sites, a public and a replication pool each, the Gateway in the public pool', () => {
    const production = ENVIRONMENTS.find((env) => env.name === 'production')!;
    expect(production.sites.lusaka.network).toEqual({
      ranges: ['10.10.0.0/16'],
      loadBalancer: {
        mode: 'bgp',
        localAsn: 64512,
        peers: [
          { address: '10.10.0.1', asn: 64500 },
          { address: '10.10.0.2', asn: 64500 },
        ],
        addressPools: [
          { name: 'public', addresses: ['10.10.240.0/29'] },
          { name: 'replication', addresses: ['10.10.240.8/29'] },
        ],
      },
      gatewayAddress: '10.10.240.1',
      crossSiteEndpoints: [
        { name: 'object-storage', address: '10.10.240.8/32', ports: [9000], purpose: 'MinIO bucket replication: documents, SQL Server backups and logs, Vault and Elasticsearch snapshots' },
      ],
    });
    expect(production.sites.kitwe.network.ranges).toEqual(['10.20.0.0/16']);
  });

  test('addresses that are not CIDR blocks or addresses', () => {
    expect(
      problemsAfter((env) => {
        env.sites.lusaka.network.ranges = ['10.10.0.1/16'];
        env.sites.kitwe.network.gatewayAddress = '10.20.240.300';
        env.sites.kitwe.network.loadBalancer.addressPools[0].addresses = ['lusaka'];
      }),
    ).toEqual([
      `${FILE}: sites.lusaka.network.ranges[0]: "10.10.0.1/16" is not an IPv4 CIDR block with its host bits zero (allowed: e.g. "10.20.0.0/16", "10.20.4.240/28")`,
      `${FILE}: sites.kitwe.network.loadBalancer.addressPools[0].addresses[0]: "lusaka" is not an IPv4 CIDR block with its host bits zero (allowed: e.g. "10.20.0.0/16", "10.20.4.240/28")`,
      `${FILE}: sites.kitwe.network.gatewayAddress: "10.20.240.300" is not an IPv4 address (allowed: four decimal numbers 0-255, e.g. "10.20.4.241")`,
    ]);
  });

  test('a pool outside the site\'s declared ranges', () => {
    expect(problemsAfter((env) => (env.sites.kitwe.network.loadBalancer.addressPools[1].addresses = ['10.30.240.8/29']))).toEqual([
      `${FILE}: sites.kitwe.network.loadBalancer.addressPools[1].addresses[0]: "10.30.240.8/29" is outside the site's ranges (allowed: blocks inside 10.20.0.0/16)`,
    ]);
  });

  test('pools of one site that overlap, and a pool name used twice', () => {
    expect(
      problemsAfter((env) => {
        env.sites.lusaka.network.loadBalancer.addressPools[1] = { name: 'public', addresses: ['10.10.240.0/28'] };
      }),
    ).toEqual([
      `${FILE}: sites.lusaka.network.loadBalancer.addressPools[1].name: "public" names two pools (allowed: each pool name once)`,
      `${FILE}: sites.lusaka.network.loadBalancer.addressPools[1].addresses[0]: "10.10.240.0/28" overlaps "10.10.240.0/29" of pool "public" (allowed: pools that do not overlap)`,
    ]);
  });

  test('address pools that overlap between the two sites', () => {
    expect(
      problemsAfter((env) => {
        env.sites.kitwe.network.ranges = ['10.20.0.0/16', '10.10.240.0/24'];
        env.sites.kitwe.network.loadBalancer.addressPools[1].addresses = ['10.10.240.8/29'];
      }),
    ).toEqual([
      `${FILE}: sites.kitwe.network.ranges[1]: "10.10.240.0/24" overlaps "10.10.0.0/16" of lusaka (allowed: each site's own address ranges)`,
      `${FILE}: sites.kitwe.network.loadBalancer.addressPools[1].addresses[0]: "10.10.240.8/29" overlaps "10.10.240.8/29" of lusaka pool "replication" (allowed: address pools no other site uses)`,
    ]);
  });

  test('the Gateway address in no pool, and a cross-site endpoint outside the ranges', () => {
    expect(
      problemsAfter((env) => {
        env.sites.lusaka.network.gatewayAddress = '10.10.1.1';
        env.sites.lusaka.network.crossSiteEndpoints[0].address = '10.20.240.8/32';
      }),
    ).toEqual([
      `${FILE}: sites.lusaka.network.gatewayAddress: "10.10.1.1" is in no address pool (allowed: an address inside 10.10.240.0/29, 10.10.240.8/29)`,
      `${FILE}: sites.lusaka.network.crossSiteEndpoints[0].address: "10.20.240.8/32" is outside the site's ranges (allowed: blocks inside 10.10.0.0/16)`,
    ]);
  });

  test('an unknown load-balancer mode, and BGP without peers', () => {
    expect(
      problemsAfter((env) => {
        env.sites.lusaka.network.loadBalancer.mode = 'ospf';
        env.sites.kitwe.network.loadBalancer.peers = [];
      }),
    ).toEqual([
      `${FILE}: sites.lusaka.network.loadBalancer.mode: "ospf" is not a load-balancer mode (allowed: l2, bgp)`,
      `${FILE}: sites.kitwe.network.loadBalancer.peers: [] is too small (allowed: at least 1 entries)`,
    ]);
  });

  test('address pools that overlap between environments fail the load, naming both', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-pools-'));
    try {
      for (const name of ['dev', 'staging', 'production']) {
        let text = fs.readFileSync(path.join(PROJECT_ROOT, 'environments', `${name}.ts`), 'utf8').replace(/from '\.\/schema'/g, `from '${path.join(PROJECT_ROOT, 'environments/schema')}'`);
        if (name === 'staging') text = text.replace("ranges: ['10.11.0.0/16']", "ranges: ['10.11.0.0/16', '10.10.240.0/24']").replace("{ name: 'replication', addresses: ['10.11.240.8/29'] }", "{ name: 'replication', addresses: ['10.10.240.8/30'] }");
        fs.writeFileSync(path.join(directory, `${name}.ts`), text);
      }
      expect(() => loadEnvironments(directory, { relativeTo: directory })).toThrow(
        [
          'invalid environment configuration (1 problem):',
          '  staging.ts: sites.lusaka.network.loadBalancer.addressPools[1].addresses[0]: "10.10.240.8/30" overlaps "10.10.240.8/29" of production lusaka pool "replication" (allowed: address pools no other environment uses)',
        ].join('\n'),
      );
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('the site chart repository', () => {
  test('outside the site\'s own domain, or not in-country', () => {
    expect(problemsAfter((env) => (env.sites.kitwe.chartRepository = 'https://charts.prod.lusaka.lms.co.zm'))).toEqual([
      `${FILE}: sites.kitwe.chartRepository: "https://charts.prod.lusaka.lms.co.zm" is not in the site's dnsDomain "prod.kitwe.lms.co.zm" (allowed: https://<host in *.prod.kitwe.lms.co.zm>, so the site installs its charts with the other site gone)`,
    ]);
    expect(problemsAfter((env) => (env.sites.kitwe.chartRepository = 'https://charts.jetstack.io'))).toEqual([
      `${FILE}: sites.kitwe.chartRepository: "https://charts.jetstack.io" is not an approved in-country endpoint (allowed: https://<host in *.lms.co.zm>)`,
    ]);
  });
});
