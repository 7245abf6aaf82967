import { Chart } from 'cdk8s';
import { IntOrString, KubeNetworkPolicy } from 'cdk8s-plus-28/lib/imports/k8s';
import type { Construct } from 'constructs';

/** An endpoint of a site reached from the other site: an address block and its TCP ports. */
export interface CrossSiteEndpointSpec {
  readonly name: string;
  /** CIDR block. */
  readonly address: string;
  readonly ports: readonly number[];
  readonly purpose: string;
}

export interface CrossSiteEgressChartProps {
  /** The data namespace. */
  readonly namespace: string;
  /** Pod labels of the data components that reach the other site. */
  readonly replicatingPods: Readonly<Record<string, string>>;
  /** The other site's endpoints they may reach; no egress policy when empty. */
  readonly remoteEndpoints: readonly CrossSiteEndpointSpec[];
  /** This site's endpoints the other site reaches, each with its policy's name and the labels of the pods behind it. */
  readonly localEndpoints: readonly (CrossSiteEndpointSpec & { readonly policyName: string; readonly podLabels: Readonly<Record<string, string>> })[];
  /** The other site's address ranges: where its traffic arrives from. */
  readonly remoteRanges: readonly string[];
  /** The other site's name, for the policies' descriptions. */
  readonly remoteSiteName: string;
  /** Annotation key the policies' descriptions are written under. */
  readonly purposeAnnotation: string;
  readonly egressPolicyName: string;
  /** Labels put on every object. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The network rules between a site and the other one, on this site's side: an egress
 * NetworkPolicy letting the replicating data components reach the other site's cross-site
 * endpoints (each block on its ports, nothing else), and per endpoint of this site an ingress
 * NetworkPolicy admitting the other site's ranges on that endpoint's ports.
 */
export class CrossSiteEgressChart extends Chart {
  constructor(scope: Construct, id: string, props: CrossSiteEgressChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true, labels: { ...props.labels } });
    const ports = (list: readonly number[]) => list.map((port) => ({ protocol: 'TCP', port: IntOrString.fromNumber(port) }));
    const describe = (endpoint: CrossSiteEndpointSpec) => `${endpoint.name} ${endpoint.address} TCP ${endpoint.ports.join(', ')}: ${endpoint.purpose}`;

    if (props.remoteEndpoints.length > 0) {
      new KubeNetworkPolicy(this, 'egress', {
        metadata: {
          name: props.egressPolicyName,
          annotations: { [props.purposeAnnotation]: `To ${props.remoteSiteName}: ${props.remoteEndpoints.map(describe).join('; ')}` },
        },
        spec: {
          podSelector: { matchLabels: { ...props.replicatingPods } },
          policyTypes: ['Egress'],
          egress: props.remoteEndpoints.map((endpoint) => ({ to: [{ ipBlock: { cidr: endpoint.address } }], ports: ports(endpoint.ports) })),
        },
      });
    }

    for (const endpoint of props.localEndpoints) {
      new KubeNetworkPolicy(this, `ingress-${endpoint.name}`, {
        metadata: {
          name: endpoint.policyName,
          annotations: { [props.purposeAnnotation]: `From ${props.remoteSiteName}: ${describe(endpoint)}` },
        },
        spec: {
          podSelector: { matchLabels: { ...endpoint.podLabels } },
          policyTypes: ['Ingress'],
          ingress: [{ from: props.remoteRanges.map((cidr) => ({ ipBlock: { cidr } })), ports: ports(endpoint.ports) }],
        },
      });
    }
  }
}
