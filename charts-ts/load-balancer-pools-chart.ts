import { Chart } from 'cdk8s';
import { IntOrString, KubeNetworkPolicy, type NetworkPolicyPeer, type NetworkPolicyPort } from 'cdk8s-plus-28/lib/imports/k8s';
import type { Construct } from 'constructs';
import { BgpAdvertisement } from './imports/bgpadvertisement-metallb.io';
import { BgpPeerV1Beta2 } from './imports/bgppeer-metallb.io';
import { IpAddressPool } from './imports/ipaddresspool-metallb.io';
import { L2Advertisement } from './imports/l2advertisement-metallb.io';

/** A pool of LoadBalancer addresses, resolved. */
export interface AddressPoolSpec {
  /** IPAddressPool name. */
  readonly name: string;
  /** CIDR blocks. */
  readonly addresses: readonly string[];
  /** Whether MetalLB hands the pool's addresses to Services that ask for no address. */
  readonly autoAssign: boolean;
}

/** A router the speakers open a BGP session to. */
export interface BgpRouterSpec {
  /** BGPPeer name. */
  readonly name: string;
  readonly address: string;
  readonly asn: number;
}

/** How the addresses are announced: ARP on the node network, or BGP to the data centre's routers. */
export type AnnouncementSpec = { readonly mode: 'l2' } | { readonly mode: 'bgp'; readonly localAsn: number; readonly routers: readonly BgpRouterSpec[] };

/** Pods selected by namespace and labels. */
export interface PodPeer {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
}

export interface LoadBalancerPoolsChartProps {
  /** Namespace of the MetalLB release: every MetalLB object lives there. */
  readonly namespace: string;
  readonly pools: readonly AddressPoolSpec[];
  readonly announcement: AnnouncementSpec;
  /** Name of the L2Advertisement or BGPAdvertisement that announces every pool. */
  readonly advertisementName: string;
  /** Pod labels of the controller and the speaker, as the chart renders them. */
  readonly controllerLabels: Readonly<Record<string, string>>;
  readonly speakerLabels: Readonly<Record<string, string>>;
  /** NetworkPolicy names. */
  readonly controllerPolicyName: string;
  readonly speakerPolicyName: string;
  /** Where the API server answers (its webhook calls come from there too). */
  readonly apiServer: { readonly addressBlocks: readonly string[]; readonly port: number };
  /** The controller's admission webhook port. */
  readonly webhookPort: number;
  /** The HTTPS metrics port of the controller and the speaker. */
  readonly metricsPort: number;
  /** The speakers' memberlist port (TCP and UDP). */
  readonly memberlistPort: number;
  /** Node addresses: where the other speakers (host network) talk from. */
  readonly nodeAddresses: readonly string[];
  /** Who scrapes the metrics port. */
  readonly metricsScraper: PodPeer;
  /** Labels put on every object. */
  readonly labels: Readonly<Record<string, string>>;
}

/** BGP's TCP port. */
export const BGP_PORT = 179;

/**
 * MetalLB's configuration and network rules at one site: one IPAddressPool per pool, one
 * L2Advertisement (l2) or one BGPPeer per router and a BGPAdvertisement (bgp) naming every
 * pool, and a NetworkPolicy each for the controller and the speaker.
 */
export class LoadBalancerPoolsChart extends Chart {
  constructor(scope: Construct, id: string, props: LoadBalancerPoolsChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true, labels: { ...props.labels } });

    for (const pool of props.pools) {
      new IpAddressPool(this, `pool-${pool.name}`, {
        metadata: { name: pool.name },
        spec: { addresses: [...pool.addresses], autoAssign: pool.autoAssign },
      });
    }
    const ipAddressPools = props.pools.map((pool) => pool.name);
    if (props.announcement.mode === 'l2') {
      new L2Advertisement(this, 'l2-advertisement', { metadata: { name: props.advertisementName }, spec: { ipAddressPools } });
    } else {
      for (const router of props.announcement.routers) {
        new BgpPeerV1Beta2(this, `bgp-peer-${router.name}`, {
          metadata: { name: router.name },
          spec: { myAsn: props.announcement.localAsn, peerAsn: router.asn, peerAddress: router.address },
        });
      }
      new BgpAdvertisement(this, 'bgp-advertisement', { metadata: { name: props.advertisementName }, spec: { ipAddressPools } });
    }

    const tcp = (port: number): NetworkPolicyPort => ({ protocol: 'TCP', port: IntOrString.fromNumber(port) });
    const udp = (port: number): NetworkPolicyPort => ({ protocol: 'UDP', port: IntOrString.fromNumber(port) });
    const blocks = (cidrs: readonly string[]): NetworkPolicyPeer[] => cidrs.map((cidr) => ({ ipBlock: { cidr } }));
    const apiServer = blocks(props.apiServer.addressBlocks);
    const scraper: NetworkPolicyPeer = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': props.metricsScraper.namespace } },
      podSelector: { matchLabels: { ...props.metricsScraper.podLabels } },
    };

    new KubeNetworkPolicy(this, 'controller-network-policy', {
      metadata: { name: props.controllerPolicyName },
      spec: {
        podSelector: { matchLabels: { ...props.controllerLabels } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          // The API server calls the validating webhook from its own address.
          { from: apiServer, ports: [tcp(props.webhookPort)] },
          { from: [scraper], ports: [tcp(props.metricsPort)] },
        ],
        egress: [{ to: apiServer, ports: [tcp(props.apiServer.port)] }],
      },
    });

    const nodes = blocks(props.nodeAddresses);
    const memberlist = [tcp(props.memberlistPort), udp(props.memberlistPort)];
    const routers = props.announcement.mode === 'bgp' ? props.announcement.routers : [];
    new KubeNetworkPolicy(this, 'speaker-network-policy', {
      metadata: { name: props.speakerPolicyName },
      spec: {
        podSelector: { matchLabels: { ...props.speakerLabels } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          { from: nodes, ports: memberlist },
          { from: [scraper], ports: [tcp(props.metricsPort)] },
        ],
        egress: [
          { to: nodes, ports: memberlist },
          { to: apiServer, ports: [tcp(props.apiServer.port)] },
          ...(routers.length > 0 ? [{ to: blocks(routers.map((router) => `${router.address}/32`)), ports: [tcp(BGP_PORT)] }] : []),
        ],
      },
    });
  }
}
