import { assignAddresses, poolAddresses } from './load-balancers';

function service(name: string, extra: { annotations?: Record<string, string>; spec?: Record<string, unknown>; ingress?: string[] } = {}): unknown {
  return {
    metadata: { namespace: 'lms-platform', name, annotations: extra.annotations },
    spec: { type: 'LoadBalancer', ...extra.spec },
    status: { loadBalancer: extra.ingress ? { ingress: extra.ingress.map((ip) => ({ ip })) } : {} },
  };
}

describe('poolAddresses', () => {
  test('CIDRs and ranges expand in order; avoidBuggyIPs leaves out .0 and .255', () => {
    expect(poolAddresses({ name: 'a', addresses: ['10.20.0.0/30', '10.20.1.254-10.20.2.1'] })).toEqual(['10.20.0.0', '10.20.0.1', '10.20.0.2', '10.20.0.3', '10.20.1.254', '10.20.1.255', '10.20.2.0', '10.20.2.1']);
    expect(poolAddresses({ name: 'a', addresses: ['10.20.1.254-10.20.2.1'], avoidBuggyIPs: true })).toEqual(['10.20.1.254', '10.20.2.1']);
  });

  test('IPv6 and malformed entries give no address', () => {
    expect(poolAddresses({ name: 'a', addresses: ['fd00::/120', '10.20.0.300/32', 'ten'] })).toEqual([]);
  });
});

describe('assignAddresses: what MetalLB would give pending LoadBalancer Services', () => {
  const pools = [
    { name: 'public', addresses: ['10.20.0.10-10.20.0.11'] },
    { name: 'reserved', addresses: ['10.20.9.0/31'], autoAssign: false },
  ];

  test('the first free address of the auto-assign pools, Services in namespace/name order', () => {
    expect(assignAddresses([service('web'), service('api'), service('old', { ingress: ['10.20.0.10'] })], pools)).toEqual([{ namespace: 'lms-platform', name: 'api', ip: '10.20.0.11', pool: 'public' }]);
  });

  test('an asked-for address is given from any pool that holds it; a named pool is used even without auto-assign', () => {
    expect(
      assignAddresses(
        [service('a', { annotations: { 'metallb.io/loadBalancerIPs': '10.20.9.1' } }), service('b', { spec: { loadBalancerIP: '10.20.0.11' } }), service('c', { annotations: { 'metallb.universe.tf/address-pool': 'reserved' } })],
        pools,
      ),
    ).toEqual([
      { namespace: 'lms-platform', name: 'a', ip: '10.20.9.1', pool: 'reserved' },
      { namespace: 'lms-platform', name: 'b', ip: '10.20.0.11', pool: 'public' },
      { namespace: 'lms-platform', name: 'c', ip: '10.20.9.0', pool: 'reserved' },
    ]);
  });

  test('no pool, an address no pool holds or one taken, another class, or another type: the Service stays pending', () => {
    expect(assignAddresses([service('web')], [])).toEqual([]);
    expect(
      assignAddresses(
        [
          service('outside', { annotations: { 'metallb.io/loadBalancerIPs': '192.0.2.1' } }),
          service('taken', { spec: { loadBalancerIP: '10.20.0.10' } }),
          service('other-class', { spec: { loadBalancerClass: 'example.com/lb' } }),
          service('cluster-ip', { spec: { type: 'ClusterIP' } }),
          service('holder', { ingress: ['10.20.0.10'] }),
        ],
        pools,
      ),
    ).toEqual([]);
  });
});
