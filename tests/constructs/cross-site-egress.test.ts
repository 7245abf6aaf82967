import { CrossSiteEgress, crossSiteEgressProps, type CrossSiteEgressProps, type CrossSiteNetwork } from '../../constructs/cross-site-egress';
import { addressBlock, blockContains, cidrBlock } from '../../constructs/ipv4';
import type { KubeObject } from '../../constructs/platform-component';
import { PlatformError } from '../../constructs/platform-error';
import { selectorMatches } from '../../policy/objects';
import { siteClusterFixture, testScope } from '../support/fixtures';
import { validateKubeObject } from '../support/kube-schema';

const STORAGE_PURPOSE = 'MinIO bucket replication';
const LUSAKA: CrossSiteNetwork = {
  ranges: ['10.10.0.0/16'],
  crossSiteEndpoints: [{ name: 'object-storage', address: '10.10.240.8/32', ports: [9000], purpose: STORAGE_PURPOSE }],
};
const KITWE: CrossSiteNetwork = {
  ranges: ['10.20.0.0/16', '10.21.0.0/24'],
  crossSiteEndpoints: [
    { name: 'object-storage', address: '10.20.240.8/32', ports: [9000], purpose: STORAGE_PURPOSE },
    { name: 'log-shipping', address: '10.21.0.16/29', ports: [1433, 5022], purpose: 'SQL Server log shipping' },
  ],
};

const sides = crossSiteEgressProps({ lusaka: LUSAKA, kitwe: KITWE });
const lusakaProps = (overrides: Partial<CrossSiteEgressProps> = {}): CrossSiteEgressProps => ({ cluster: siteClusterFixture(), ...sides.lusaka, ...overrides });
const egress = (overrides: Partial<CrossSiteEgressProps> = {}) => new CrossSiteEgress(testScope('test-lusaka-traffic'), 'cross-site-egress', lusakaProps(overrides));
const WHERE = 'CrossSiteEgress test-lusaka-traffic/cross-site-egress';
const policy = (component: CrossSiteEgress, name: string) => component.objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === name) as any;

describe('crossSiteEgressProps', () => {
  test('each site reaches the other\'s endpoints and admits the other\'s ranges on its own', () => {
    expect(sides).toEqual({
      lusaka: { localRanges: LUSAKA.ranges, localEndpoints: LUSAKA.crossSiteEndpoints, remoteSiteName: 'kitwe', remoteRanges: KITWE.ranges, remoteEndpoints: KITWE.crossSiteEndpoints },
      kitwe: { localRanges: KITWE.ranges, localEndpoints: KITWE.crossSiteEndpoints, remoteSiteName: 'lusaka', remoteRanges: LUSAKA.ranges, remoteEndpoints: LUSAKA.crossSiteEndpoints },
    });
  });

  test('anything but two sites is refused', () => {
    expect(() => crossSiteEgressProps({ lusaka: LUSAKA })).toThrow(new PlatformError('crossSiteEgressProps: networks: ["lusaka"] is not allowed (allowed: exactly two sites, each reaching the other)'));
    expect(() => crossSiteEgressProps({ lusaka: LUSAKA, kitwe: KITWE, ndola: KITWE })).toThrow(
      new PlatformError('crossSiteEgressProps: networks: ["kitwe","lusaka","ndola"] is not allowed (allowed: exactly two sites, each reaching the other)'),
    );
  });
});

describe('CrossSiteEgress', () => {
  test('renders, in the data namespace, one egress policy and an ingress policy per local endpoint', () => {
    const component = egress();
    expect(component.objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'NetworkPolicy/lms-data/cross-site-egress',
      'NetworkPolicy/lms-data/cross-site-ingress-object-storage',
    ]);
    for (const object of component.objects) validateKubeObject(object);
    expect(component.objects.every((o) => (o.metadata as any).labels['lms.co.zm/site'] === 'lusaka')).toBe(true);
    expect(component.namespace).toBe('lms-data');
    expect(component.policySuppressions).toEqual([]);
    expect(component.helmReleases).toEqual([]);
  });

  test('replicating data components reach the other site\'s endpoints, each block on its own ports, and nothing else', () => {
    const component = egress();
    expect(policy(component, 'cross-site-egress').spec).toEqual({
      podSelector: { matchLabels: { 'lms.co.zm/cross-site-replication': 'true' } },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ ipBlock: { cidr: '10.20.240.8/32' } }], ports: [{ protocol: 'TCP', port: 9000 }] },
        { to: [{ ipBlock: { cidr: '10.21.0.16/29' } }], ports: [{ protocol: 'TCP', port: 1433 }, { protocol: 'TCP', port: 5022 }] },
      ],
    });
    expect(policy(component, 'cross-site-egress').metadata.annotations).toEqual({
      'lms.co.zm/cross-site-purpose': 'To kitwe: object-storage 10.20.240.8/32 TCP 9000: MinIO bucket replication; log-shipping 10.21.0.16/29 TCP 1433, 5022: SQL Server log shipping',
    });
    expect(component.replicatingPodLabels).toEqual({ 'lms.co.zm/cross-site-replication': 'true' });
  });

  test('the pods behind each local endpoint admit the other site\'s ranges on that endpoint\'s ports only', () => {
    const component = egress();
    expect(policy(component, 'cross-site-ingress-object-storage')).toMatchObject({
      metadata: { annotations: { 'lms.co.zm/cross-site-purpose': 'From kitwe: object-storage 10.10.240.8/32 TCP 9000: MinIO bucket replication' } },
      spec: {
        podSelector: { matchLabels: { 'lms.co.zm/cross-site-endpoint': 'object-storage' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ ipBlock: { cidr: '10.20.0.0/16' } }, { ipBlock: { cidr: '10.21.0.0/24' } }], ports: [{ protocol: 'TCP', port: 9000 }] }],
      },
    });
    expect(CrossSiteEgress.endpointPodLabels('object-storage')).toEqual({ 'lms.co.zm/cross-site-endpoint': 'object-storage' });
  });

  test('the other side mirrors it: Kitwe reaches Lusaka\'s endpoint and admits Lusaka on both of its own', () => {
    const kitwe = new CrossSiteEgress(testScope('test-kitwe-traffic'), 'cross-site-egress', { cluster: siteClusterFixture({ siteName: 'kitwe' }), ...sides.kitwe });
    expect(policy(kitwe, 'cross-site-egress').spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.10.240.8/32' } }], ports: [{ protocol: 'TCP', port: 9000 }] }]);
    expect(policy(kitwe, 'cross-site-ingress-log-shipping').spec).toEqual({
      podSelector: { matchLabels: { 'lms.co.zm/cross-site-endpoint': 'log-shipping' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '10.10.0.0/16' } }], ports: [{ protocol: 'TCP', port: 1433 }, { protocol: 'TCP', port: 5022 }] }],
    });
  });

  test('no endpoints on the other side: no egress policy at all, the default deny holds; none here: no ingress policy', () => {
    const component = egress({ remoteEndpoints: [], localEndpoints: [] });
    expect(component.objects).toEqual([]);
  });
});

/**
 * What Kubernetes lets through for a pod of the data namespace and an address outside the
 * cluster, under the given NetworkPolicies (ipBlock peers and TCP ports: what these policies
 * use; a pod or namespace selector never matches an outside address). No policy selecting the
 * pod for the direction lets everything through; otherwise one rule of one of them must match.
 */
function allowed(policies: readonly KubeObject[], direction: 'Ingress' | 'Egress', podLabels: Record<string, string>, address: string, port: number): boolean {
  const selecting = policies.filter((p: any) => p.kind === 'NetworkPolicy' && p.metadata.namespace === 'lms-data' && p.spec.policyTypes.includes(direction) && selectorMatches(p.spec.podSelector, podLabels));
  if (selecting.length === 0) return true;
  const target = addressBlock(address)!;
  return selecting.some((p: any) =>
    ((direction === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []).some((rule: any) => {
      const peers = direction === 'Ingress' ? rule.from : rule.to;
      const peerMatches = peers === undefined || peers.some((peer: any) => peer.ipBlock !== undefined && blockContains(cidrBlock(peer.ipBlock.cidr)!, target) && !(peer.ipBlock.except ?? []).some((cidr: string) => blockContains(cidrBlock(cidr)!, target)));
      const portMatches = rule.ports === undefined || rule.ports.some((p: any) => (p.protocol ?? 'TCP') === 'TCP' && p.port === port);
      return peerMatches && portMatches;
    }),
  );
}

describe('CrossSiteEgress under the baseline\'s default deny', () => {
  const baseline = siteClusterFixture().objects;
  const policies = [...baseline, ...egress().objects];
  const replicating = { 'app.kubernetes.io/name': 'minio', 'lms.co.zm/cross-site-replication': 'true' };
  const plain = { 'app.kubernetes.io/name': 'sql-server' };
  const behindStorage = { 'app.kubernetes.io/name': 'minio', 'lms.co.zm/cross-site-endpoint': 'object-storage' };

  test.each([
    ['the other site\'s object storage on its port', replicating, '10.20.240.8', 9000, true],
    ['the other site\'s log-shipping block on each of its ports', replicating, '10.21.0.23', 5022, true],
    ['the other site\'s object storage on another port', replicating, '10.20.240.8', 9001, false],
    ['another address of the other site', replicating, '10.20.240.9', 9000, false],
    ['an address outside both sites', replicating, '196.46.20.10', 443, false],
    ['this site\'s own endpoint', replicating, '10.10.240.8', 9000, false],
    ['a pod without the label, to the other site\'s storage', plain, '10.20.240.8', 9000, false],
  ] as const)('egress: %s', (_name, labels, address, port, expected) => {
    expect(allowed(policies, 'Egress', { ...labels }, address, port)).toBe(expected);
  });

  test.each([
    ['a node of the other site, on the endpoint port', behindStorage, '10.20.3.7', 9000, true],
    ['the other site\'s second range', behindStorage, '10.21.0.200', 9000, true],
    ['a node of the other site, on another port', behindStorage, '10.20.3.7', 22, false],
    ['this site\'s own nodes (the policy is for the other site only)', behindStorage, '10.10.3.7', 9000, false],
    ['an address outside both sites', behindStorage, '196.46.20.10', 9000, false],
    ['a pod behind no endpoint, from the other site', plain, '10.20.3.7', 9000, false],
  ] as const)('ingress: %s', (_name, labels, address, port, expected) => {
    expect(allowed(policies, 'Ingress', { ...labels }, address, port)).toBe(expected);
  });

  test('the evaluator sees the baseline: without it, an unselected pod would be let through', () => {
    expect(allowed(egress().objects, 'Egress', { ...plain }, '196.46.20.10', 443)).toBe(true);
    expect(allowed(policies, 'Egress', { ...plain }, '196.46.20.10', 443)).toBe(false);
  });
});

describe('CrossSiteEgress errors', () => {
  const storage = LUSAKA.crossSiteEndpoints[0]!;
  const cases: [string, Partial<CrossSiteEgressProps>, string][] = [
    ['a remote site name that is no DNS label', { remoteSiteName: 'Kitwe DR' }, `${WHERE}: remoteSiteName: "Kitwe DR" is not allowed (allowed: a site name such as "kitwe" (a DNS label))`],
    ['no local range', { localRanges: [] }, `${WHERE}: localRanges: [] is not allowed (allowed: at least one CIDR block)`],
    ['a remote range that is no CIDR', { remoteRanges: ['10.20.0.1/16'] }, `${WHERE}: remoteRanges[0]: "10.20.0.1/16" is not an IPv4 CIDR block (allowed: e.g. "10.20.0.0/16", host bits zero)`],
    ['a remote range overlapping this site', { remoteRanges: ['10.0.0.0/8'] }, `${WHERE}: remoteRanges[0]: "10.0.0.0/8" overlaps this site's range "10.10.0.0/16" (allowed: ranges of the other site only, so no cross-site rule opens traffic inside this site)`],
    ['a remote endpoint outside the remote ranges', { remoteEndpoints: [{ ...storage, address: '0.0.0.0/0' }] }, `${WHERE}: remoteEndpoints[0].address: "0.0.0.0/0" is outside remoteRanges (allowed: blocks inside 10.20.0.0/16, 10.21.0.0/24)`],
    ['a remote endpoint that is no CIDR', { remoteEndpoints: [{ ...storage, address: '10.20.240.8' }] }, `${WHERE}: remoteEndpoints[0].address: "10.20.240.8" is not an IPv4 CIDR block (allowed: e.g. "10.20.240.8/32", host bits zero)`],
    ['a local endpoint outside the local ranges', { localEndpoints: [{ ...storage, address: '10.20.240.8/32' }] }, `${WHERE}: localEndpoints[0].address: "10.20.240.8/32" is outside localRanges (allowed: blocks inside 10.10.0.0/16)`],
    ['an endpoint without ports', { remoteEndpoints: [{ ...storage, address: '10.20.240.8/32', ports: [] }] }, `${WHERE}: remoteEndpoints[0].ports: [] is not allowed (allowed: at least one TCP port)`],
    ['an endpoint port out of range', { localEndpoints: [{ ...storage, ports: [9000, 0] }] }, `${WHERE}: localEndpoints[0].ports[1]: 0 is not allowed (allowed: a TCP port, 1-65535)`],
    ['an endpoint named twice', { localEndpoints: [storage, storage] }, `${WHERE}: localEndpoints[1].name: "object-storage" names two endpoints (allowed: each name once)`],
    ['an endpoint name that cannot label pods', { localEndpoints: [{ ...storage, name: 'Object Storage' }] }, `${WHERE}: localEndpoints[0].name: "Object Storage" is not allowed (allowed: a DNS label of at most 44 characters, e.g. "object-storage" (it names a NetworkPolicy and labels pods))`],
    ['an endpoint without a purpose', { localEndpoints: [{ ...storage, purpose: ' ' }] }, `${WHERE}: localEndpoints[0].purpose: " " is not allowed (allowed: a sentence saying why the other site reaches it)`],
  ];
  test.each(cases)('%s', (_name, overrides, message) => {
    expect(() => egress(overrides)).toThrow(new PlatformError(message));
  });
});
