import { LoadBalancerPools, type LoadBalancerPoolsProps } from '../../constructs/load-balancer-pools';
import { PlatformError } from '../../constructs/platform-error';
import { VERSIONS } from '../../constructs/versions';
import { renderValues } from '../../stacks/helm-releases';
import { QUOTA_FIXTURE, siteClusterFixture, testScope } from '../support/fixtures';
import { validateCustomResource, validateKubeObject } from '../support/kube-schema';

const BGP_NETWORK: LoadBalancerPoolsProps['network'] = {
  ranges: ['10.10.0.0/16'],
  loadBalancer: {
    mode: 'bgp',
    localAsn: 64512,
    peers: [{ address: '10.10.0.1', asn: 64500 }, { address: '10.10.0.2', asn: 64500 }],
    addressPools: [{ name: 'public', addresses: ['10.10.240.0/29'] }, { name: 'replication', addresses: ['10.10.240.8/29'] }],
  },
  gatewayAddress: '10.10.240.1',
};

const L2_NETWORK: LoadBalancerPoolsProps['network'] = {
  ranges: ['10.12.0.0/16'],
  loadBalancer: { mode: 'l2', addressPools: [{ name: 'public', addresses: ['10.12.240.0/29'] }, { name: 'replication', addresses: ['10.12.240.8/29'] }] },
  gatewayAddress: '10.12.240.1',
};

function props(overrides: Partial<LoadBalancerPoolsProps> = {}): LoadBalancerPoolsProps {
  return {
    cluster: siteClusterFixture(),
    network: BGP_NETWORK,
    registry: 'registry.lms.co.zm',
    chartRepository: 'https://charts.lusaka.lms.co.zm',
    sizing: { nodeCount: 3, namespaceQuota: QUOTA_FIXTURE },
    metrics: { peer: { namespace: 'lms-observability', podLabels: { 'app.kubernetes.io/name': 'prometheus' }, port: 9090 }, serviceMonitorLabels: { 'lms.co.zm/scrape': 'true' } },
    ...overrides,
  };
}

const pools = (overrides: Partial<LoadBalancerPoolsProps> = {}) => new LoadBalancerPools(testScope('test-lusaka-traffic'), 'load-balancer-pools', props(overrides));
const build = (overrides: Partial<LoadBalancerPoolsProps>) => () => pools(overrides);
const WHERE = 'LoadBalancerPools test-lusaka-traffic/load-balancer-pools';
const objectNamed = (component: LoadBalancerPools, kind: string, name: string) => component.objects.find((o) => o.kind === kind && o.metadata.name === name) as any;
const kinds = (component: LoadBalancerPools) => component.objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
const release = (component: LoadBalancerPools) => component.helmReleases[0]!;
const values = (component: LoadBalancerPools) => release(component).values as any;

describe('LoadBalancerPools', () => {
  test('one release of the pinned chart from the site repository, in the node-agents namespace, after its NetworkPolicies', () => {
    const component = pools();
    expect(component.helmReleases).toHaveLength(1);
    expect(release(component)).toMatchObject({
      name: 'metallb',
      namespace: 'lms-node-agents',
      chart: { repository: 'https://charts.lusaka.lms.co.zm', name: 'metallb', version: VERSIONS.charts.metallb.version },
      after: ['NetworkPolicy/lms-node-agents/metallb-controller', 'NetworkPolicy/lms-node-agents/metallb-speaker'],
    });
    expect(VERSIONS.charts.metallb.version).toBe('0.16.1');
    expect(release(component).timeoutSeconds).toBeUndefined();
    expect(component.namespace).toBe('lms-node-agents');
  });

  test('native mode: neither the frr-k8s subchart nor the FRR sidecar, no CRDs from the chart, webhooks failing closed', () => {
    const chartValues = values(pools());
    expect(chartValues.frrk8s).toEqual({ enabled: false, external: false });
    expect(chartValues.speaker.frr).toEqual({ enabled: false });
    expect(chartValues.crds).toEqual({ enabled: false, validationFailurePolicy: 'Fail' });
    expect(chartValues.controller.webhookMode).toBe('enabled');
    expect(chartValues.networkpolicies).toEqual({ enabled: false });
    expect(chartValues.loadBalancerClass).toBe('');
  });

  test('both images from the site registry, pinned by digest (the digest rides in the tag the chart appends)', () => {
    const chartValues = values(pools({ registry: 'registry.lms.co.zm' }));
    expect(chartValues.controller.image).toEqual({
      repository: 'registry.lms.co.zm/metallb/controller',
      tag: `v0.16.1@${VERSIONS.images.metallbController.digest}`,
      pullPolicy: 'IfNotPresent',
    });
    expect(chartValues.speaker.image).toEqual({
      repository: 'registry.lms.co.zm/metallb/speaker',
      tag: `v0.16.1@${VERSIONS.images.metallbSpeaker.digest}`,
      pullPolicy: 'IfNotPresent',
    });
  });

  test('the controller runs restricted; the speaker runs as root with RuntimeDefault seccomp, at node-critical priority', () => {
    const chartValues = values(pools());
    expect(chartValues.controller.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } });
    expect(chartValues.controller.priorityClassName).toBe('lms-platform');
    expect(chartValues.speaker.securityContext).toEqual({ runAsNonRoot: false, runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } });
    expect(chartValues.speaker.priorityClassName).toBe('system-node-critical');
    expect(chartValues.speaker.memberlist).toEqual({ enabled: true, mlBindPort: 7946 });
    expect(chartValues.prometheus).toEqual({
      metricsPort: 9120,
      scrapeAnnotations: false,
      rbacPrometheus: false,
      podMonitor: { enabled: false },
      serviceMonitor: {
        enabled: true,
        speaker: { additionalLabels: { 'lms.co.zm/scrape': 'true' }, tlsConfig: { insecureSkipVerify: true } },
        controller: { additionalLabels: { 'lms.co.zm/scrape': 'true' }, tlsConfig: { insecureSkipVerify: true } },
      },
      prometheusRule: { enabled: false },
    });
    // The site labels, without the chart's own managed-by.
    expect(chartValues.speaker.labels).toEqual({ 'app.kubernetes.io/part-of': 'lms-platform', 'lms.co.zm/environment': 'test', 'lms.co.zm/site': 'lusaka' });
  });

  test('requests and limits: the defaults, or the sizing given', () => {
    expect(values(pools()).controller.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } });
    expect(values(pools()).speaker.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } });
    const sized = pools({ sizing: { nodeCount: 3, namespaceQuota: QUOTA_FIXTURE, speaker: { cpuRequest: '50m', memoryRequest: '64Mi', cpuLimit: '200m', memoryLimit: '128Mi' } } });
    expect(values(sized).speaker.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } });
    expect(sized.speakerResources).toEqual({ cpuRequest: '50m', memoryRequest: '64Mi', cpuLimit: '200m', memoryLimit: '128Mi' });
  });

  test('the speaker running as root is the one recorded policy exception, on the release', () => {
    const suppressions = release(pools()).policySuppressions ?? [];
    expect(suppressions.map(({ ruleId, object }) => `${ruleId} ${object}`)).toEqual(['LMS-K8S-001 DaemonSet/lms-node-agents/metallb-speaker']);
    expect(suppressions[0]!.reason).toMatch(/^The MetalLB speaker answers ARP .* CAP_NET_RAW .* only to UID 0 .* so the speaker runs as root\./);
    // The synth's own check sees only the component's objects, which all comply.
    expect(pools().policySuppressions).toEqual([]);
  });

  test('values render the same text every time', () => {
    expect(renderValues(values(pools()))).toBe(renderValues(values(pools())));
  });

  test('BGP: an IPAddressPool per pool, handing out nothing unasked, a BGPPeer per router and one BGPAdvertisement', () => {
    const component = pools();
    expect(kinds(component)).toEqual([
      'IPAddressPool/lms-node-agents/public',
      'IPAddressPool/lms-node-agents/replication',
      'BGPPeer/lms-node-agents/router-10-10-0-1',
      'BGPPeer/lms-node-agents/router-10-10-0-2',
      'BGPAdvertisement/lms-node-agents/lms-address-pools',
      'NetworkPolicy/lms-node-agents/metallb-controller',
      'NetworkPolicy/lms-node-agents/metallb-speaker',
    ]);
    expect(objectNamed(component, 'IPAddressPool', 'public')).toMatchObject({ apiVersion: 'metallb.io/v1beta1', spec: { addresses: ['10.10.240.0/29'], autoAssign: false } });
    expect(objectNamed(component, 'IPAddressPool', 'replication').spec).toEqual({ addresses: ['10.10.240.8/29'], autoAssign: false });
    expect(objectNamed(component, 'BGPPeer', 'router-10-10-0-2')).toMatchObject({ apiVersion: 'metallb.io/v1beta2', spec: { myASN: 64512, peerASN: 64500, peerAddress: '10.10.0.2' } });
    expect(objectNamed(component, 'BGPAdvertisement', 'lms-address-pools')).toMatchObject({ apiVersion: 'metallb.io/v1beta1', spec: { ipAddressPools: ['public', 'replication'] } });
    expect(component.mode).toBe('bgp');
    expect(objectNamed(component, 'IPAddressPool', 'public').metadata.labels).toMatchObject({ 'lms.co.zm/site': 'lusaka', 'app.kubernetes.io/managed-by': 'cdktf' });
  });

  test('L2: the pools and one L2Advertisement naming them all', () => {
    const component = pools({ network: L2_NETWORK });
    expect(kinds(component)).toEqual([
      'IPAddressPool/lms-node-agents/public',
      'IPAddressPool/lms-node-agents/replication',
      'L2Advertisement/lms-node-agents/lms-address-pools',
      'NetworkPolicy/lms-node-agents/metallb-controller',
      'NetworkPolicy/lms-node-agents/metallb-speaker',
    ]);
    expect(objectNamed(component, 'L2Advertisement', 'lms-address-pools')).toMatchObject({ apiVersion: 'metallb.io/v1beta1', spec: { ipAddressPools: ['public', 'replication'] } });
    expect(component.mode).toBe('l2');
  });

  test('every object validates: the MetalLB resources against the vendored CRDs, the NetworkPolicies against Kubernetes', () => {
    for (const component of [pools(), pools({ network: L2_NETWORK, autoAssignPools: ['public'] })]) {
      for (const object of component.objects) {
        if (object.apiVersion.startsWith('metallb.io/')) validateCustomResource(object);
        else validateKubeObject(object);
      }
    }
  });

  test('autoAssignPools lets a pool hand out addresses unasked', () => {
    const component = pools({ autoAssignPools: ['replication'] });
    expect(component.pools.map((pool) => [pool.name, pool.autoAssign])).toEqual([['public', false], ['replication', true]]);
    expect(objectNamed(component, 'IPAddressPool', 'replication').spec.autoAssign).toBe(true);
  });

  test('the Gateway takes its address by annotation; any pool address can be asked for', () => {
    const component = pools();
    expect(component.gatewayServiceAnnotations).toEqual({ 'metallb.io/address-pool': 'public', 'metallb.io/loadBalancerIPs': '10.10.240.1' });
    expect(component.serviceAnnotations('10.10.240.8')).toEqual({ 'metallb.io/address-pool': 'replication', 'metallb.io/loadBalancerIPs': '10.10.240.8' });
    expect(component.webhookService).toEqual({ name: 'metallb-webhook-service', namespace: 'lms-node-agents' });
  });

  test('the controller admits the webhook calls from the API server and the scrapes from Prometheus, and reaches only the API server', () => {
    const policy = objectNamed(pools(), 'NetworkPolicy', 'metallb-controller');
    const prometheus = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lms-observability' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } };
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'metallb', 'app.kubernetes.io/instance': 'metallb', 'app.kubernetes.io/component': 'controller' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [{ ipBlock: { cidr: '10.10.0.0/16' } }], ports: [{ protocol: 'TCP', port: 9443 }] },
        { from: [prometheus], ports: [{ protocol: 'TCP', port: 9120 }] },
      ],
      egress: [{ to: [{ ipBlock: { cidr: '10.10.0.0/16' } }], ports: [{ protocol: 'TCP', port: 6443 }] }],
    });
    validateKubeObject(policy);
  });

  test('speakers talk memberlist among the nodes, reach the API server and, in BGP mode, each router on 179', () => {
    const policy = objectNamed(pools(), 'NetworkPolicy', 'metallb-speaker');
    const prometheus = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lms-observability' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } };
    const nodes = [{ ipBlock: { cidr: '10.10.0.0/16' } }];
    const memberlist = [{ protocol: 'TCP', port: 7946 }, { protocol: 'UDP', port: 7946 }];
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'metallb', 'app.kubernetes.io/instance': 'metallb', 'app.kubernetes.io/component': 'speaker' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: nodes, ports: memberlist },
        { from: [prometheus], ports: [{ protocol: 'TCP', port: 9120 }] },
      ],
      egress: [
        { to: nodes, ports: memberlist },
        { to: nodes, ports: [{ protocol: 'TCP', port: 6443 }] },
        { to: [{ ipBlock: { cidr: '10.10.0.1/32' } }, { ipBlock: { cidr: '10.10.0.2/32' } }], ports: [{ protocol: 'TCP', port: 179 }] },
      ],
    });
    validateKubeObject(policy);
    const l2 = objectNamed(pools({ network: L2_NETWORK }), 'NetworkPolicy', 'metallb-speaker');
    expect(l2.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.12.0.0/16' } }], ports: memberlist },
      { to: [{ ipBlock: { cidr: '10.12.0.0/16' } }], ports: [{ protocol: 'TCP', port: 6443 }] },
    ]);
  });

  test('the API server can be named apart from the site ranges', () => {
    const component = pools({ apiServer: { addressBlocks: ['10.10.1.0/28', '10.10.1.16/28'], port: 443 } });
    const policy = objectNamed(component, 'NetworkPolicy', 'metallb-controller');
    expect(policy.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.10.1.0/28' } }, { ipBlock: { cidr: '10.10.1.16/28' } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
    expect(policy.spec.ingress[0]).toEqual({ from: [{ ipBlock: { cidr: '10.10.1.0/28' } }, { ipBlock: { cidr: '10.10.1.16/28' } }], ports: [{ protocol: 'TCP', port: 9443 }] });
    expect(component.apiServer).toEqual({ addressBlocks: ['10.10.1.0/28', '10.10.1.16/28'], port: 443 });
    expect(pools().apiServer).toEqual({ addressBlocks: ['10.10.0.0/16'], port: 6443 });
  });
});

describe('LoadBalancerPools errors', () => {
  const withPools = (addressPools: any, extra: object = {}) => ({ network: { ...BGP_NETWORK, loadBalancer: { ...BGP_NETWORK.loadBalancer, addressPools, ...extra } as any } });
  const cases: [string, Partial<LoadBalancerPoolsProps>, string][] = [
    ['a chart repository over plain http', { chartRepository: 'http://charts.lusaka.lms.co.zm' }, `${WHERE}: chartRepository: "http://charts.lusaka.lms.co.zm" is not allowed (allowed: an https:// URL of the site's in-country chart repository)`],
    ['an unknown announcement mode', { network: { ...BGP_NETWORK, loadBalancer: { mode: 'ospf' } as any } }, `${WHERE}: network.loadBalancer.mode: "ospf" is not allowed (allowed: l2, bgp)`],
    ['no address pool', withPools([]), `${WHERE}: network.loadBalancer.addressPools: [] is not allowed (allowed: at least one pool)`],
    ['a pool named twice', withPools([{ name: 'public', addresses: ['10.10.240.0/29'] }, { name: 'public', addresses: ['10.10.240.8/29'] }]), `${WHERE}: network.loadBalancer.addressPools[1].name: "public" names two pools (allowed: each pool name once)`],
    ['a pool without addresses', withPools([{ name: 'public', addresses: [] }]), `${WHERE}: network.loadBalancer.addressPools[0].addresses: [] is not allowed (allowed: at least one CIDR block)`],
    ['a pool block that is no CIDR', withPools([{ name: 'public', addresses: ['10.10.240.1/29'] }]), `${WHERE}: network.loadBalancer.addressPools[0].addresses[0]: "10.10.240.1/29" is not an IPv4 CIDR block (allowed: e.g. "10.20.240.0/29", host bits zero)`],
    ['an auto-assign pool that does not exist', { autoAssignPools: ['internal'] }, `${WHERE}: autoAssignPools[0]: "internal" is not allowed (allowed: names of address pools: public, replication)`],
    ['a Gateway address outside the pools', { network: { ...BGP_NETWORK, gatewayAddress: '10.10.241.1' } }, `${WHERE}: network.gatewayAddress: "10.10.241.1" is in no address pool (allowed: an address inside 10.10.240.0/29 (public), 10.10.240.8/29 (replication))`],
    ['a site range that is no CIDR', { network: { ...BGP_NETWORK, ranges: ['10.10.0.0/33'] } }, `${WHERE}: network.ranges[0]: "10.10.0.0/33" is not an IPv4 CIDR block (allowed: e.g. "10.20.240.0/29", host bits zero)`],
    ['no API server address', { apiServer: { addressBlocks: [], port: 6443 } }, `${WHERE}: apiServer.addressBlocks: [] is not allowed (allowed: at least one CIDR block)`],
    ['an API server address that is no CIDR', { apiServer: { addressBlocks: ['api.lusaka'], port: 6443 } }, `${WHERE}: apiServer.addressBlocks[0]: "api.lusaka" is not an IPv4 CIDR block (allowed: e.g. "10.20.240.0/29", host bits zero)`],
    ['an API server port out of range', { apiServer: { addressBlocks: ['10.10.0.0/16'], port: 70000 } }, `${WHERE}: apiServer.port: 70000 is not allowed (allowed: a TCP port, 1-65535)`],
    ['a local AS number out of range', withPools(BGP_NETWORK.loadBalancer.addressPools, { localAsn: 0 }), `${WHERE}: network.loadBalancer.localAsn: 0 is not allowed (allowed: an AS number, 1-4294967294)`],
    ['BGP without routers', withPools(BGP_NETWORK.loadBalancer.addressPools, { peers: [] }), `${WHERE}: network.loadBalancer.peers: [] is not allowed (allowed: at least one router)`],
    ['a router address that is not one', withPools(BGP_NETWORK.loadBalancer.addressPools, { peers: [{ address: '10.10.0.256', asn: 64500 }] }), `${WHERE}: network.loadBalancer.peers[0].address: "10.10.0.256" is not allowed (allowed: an IPv4 address, e.g. "10.20.0.1")`],
    ['a router AS number out of range', withPools(BGP_NETWORK.loadBalancer.addressPools, { peers: [{ address: '10.10.0.1', asn: 4294967295 }] }), `${WHERE}: network.loadBalancer.peers[0].asn: 4294967295 is not allowed (allowed: an AS number, 1-4294967294)`],
    ['a router named twice', withPools(BGP_NETWORK.loadBalancer.addressPools, { peers: [{ address: '10.10.0.1', asn: 64500 }, { address: '10.10.0.1', asn: 64501 }] }), `${WHERE}: network.loadBalancer.peers[1].address: "10.10.0.1" names two routers (allowed: each router once)`],
    ['a controller CPU request that is no quantity', { sizing: { nodeCount: 3, namespaceQuota: QUOTA_FIXTURE, controller: { cpuRequest: 'lots', memoryRequest: '64Mi', cpuLimit: '1', memoryLimit: '128Mi' } } }, `${WHERE}: sizing.controller.cpuRequest: "lots" is not a CPU quantity (allowed: cores such as "2" or "0.5", or millicores such as "500m")`],
    ['a speaker request above its limit', { sizing: { nodeCount: 3, namespaceQuota: QUOTA_FIXTURE, speaker: { cpuRequest: '100m', memoryRequest: '512Mi', cpuLimit: '1', memoryLimit: '256Mi' } } }, `${WHERE}: sizing.speaker.memoryRequest: "512Mi" is above memoryLimit "256Mi" (allowed: at most the limit; Kubernetes rejects a container whose request exceeds its limit)`],
    ['no nodes', { sizing: { nodeCount: 0, namespaceQuota: QUOTA_FIXTURE } }, `${WHERE}: sizing.nodeCount: 0 is not allowed (allowed: a whole number above 0)`],
    ['a quota too small for the CPU requests', { sizing: { nodeCount: 3, namespaceQuota: { ...QUOTA_FIXTURE, requestsCpu: '200m' } } }, `${WHERE}: sizing.namespaceQuota.requestsCpu: "200m" is below the 250m of CPU requests of the MetalLB pods (3 speakers x 50m and 2 controllers x 50m, one of them the rolling-update surge) (allowed: at least 250m, or the quota refuses pods and the release never becomes ready)`],
    ['a quota too small for the CPU limits', { sizing: { nodeCount: 19, namespaceQuota: { ...QUOTA_FIXTURE, pods: 30 } } }, `${WHERE}: sizing.namespaceQuota.limitsCpu: "4" is below the 4200m of CPU limits of the MetalLB pods (19 speakers x 200m and 2 controllers x 200m, one of them the rolling-update surge) (allowed: at least 4200m, or the quota refuses pods and the release never becomes ready)`],
    ['a quota too small for the memory requests', { sizing: { nodeCount: 1, namespaceQuota: { ...QUOTA_FIXTURE, requestsMemory: '128Mi' } } }, `${WHERE}: sizing.namespaceQuota.requestsMemory: "128Mi" is below the 192Mi of memory requests of the MetalLB pods (1 speaker x 64Mi and 2 controllers x 64Mi, one of them the rolling-update surge) (allowed: at least 192Mi, or the quota refuses pods and the release never becomes ready)`],
    ['a quota too small for the memory limits', { sizing: { nodeCount: 1, namespaceQuota: { ...QUOTA_FIXTURE, limitsMemory: '256Mi' } } }, `${WHERE}: sizing.namespaceQuota.limitsMemory: "256Mi" is below the 512Mi of memory limits of the MetalLB pods (1 speaker x 256Mi and 2 controllers x 128Mi, one of them the rolling-update surge) (allowed: at least 512Mi, or the quota refuses pods and the release never becomes ready)`],
    ['a quota with too few pods', { sizing: { nodeCount: 3, namespaceQuota: { ...QUOTA_FIXTURE, pods: 4 } } }, `${WHERE}: sizing.namespaceQuota.pods: 4 is below the 5 MetalLB pods (3 speakers and 2 controllers, one of them the rolling-update surge) (allowed: at least 5, or the quota refuses pods and the release never becomes ready)`],
  ];
  test.each(cases)('%s', (_name, overrides, message) => {
    expect(build(overrides)).toThrow(PlatformError);
    expect(build(overrides)).toThrow(new PlatformError(message));
  });

  test('asking for an address no pool holds', () => {
    const component = pools();
    expect(() => component.serviceAnnotations('10.20.240.8')).toThrow(
      new PlatformError(`${WHERE}: address: "10.20.240.8" is in no address pool (allowed: an address inside 10.10.240.0/29 (public), 10.10.240.8/29 (replication))`),
    );
    expect(() => component.serviceAnnotations('not-an-address')).toThrow(
      new PlatformError(`${WHERE}: address: "not-an-address" is in no address pool (allowed: an address inside 10.10.240.0/29 (public), 10.10.240.8/29 (replication))`),
    );
  });
});
