import { App as Cdk8sApp } from 'cdk8s';
import type { Construct } from 'constructs';
import { CrossSiteEgressChart } from '../charts-ts/cross-site-egress-chart';
import { blockContains, blocksOverlap, cidrBlock, type Ipv4Block } from './ipv4';
import { PlatformComponent, type KubeObject } from './platform-component';
import { PlatformError, formatValue } from './platform-error';
import type { SiteCluster } from './site-cluster';

/**
 * The pod label of a data component that replicates to the other site (MinIO bucket
 * replication, SQL Server log shipping, snapshot copies): only pods carrying
 * `lms.co.zm/cross-site-replication: "true"` in the data namespace may reach the other site's
 * cross-site endpoints. Nothing else leaves the site: the baseline's default deny stays.
 */
export const CROSS_SITE_REPLICATION_LABEL = 'lms.co.zm/cross-site-replication';
/**
 * The pod label of the pods behind one of this site's cross-site endpoints, valued with the
 * endpoint's name (`lms.co.zm/cross-site-endpoint: object-storage`): only they admit the other
 * site, and only on that endpoint's ports. Their LoadBalancer Service must keep the client's
 * address (`externalTrafficPolicy: Local`), or the other site's traffic arrives from this
 * site's own nodes and the policy no longer tells the sites apart.
 */
export const CROSS_SITE_ENDPOINT_LABEL = 'lms.co.zm/cross-site-endpoint';
/** Annotation on each policy saying what crosses, where to and why (auditors read it). */
export const CROSS_SITE_PURPOSE_ANNOTATION = 'lms.co.zm/cross-site-purpose';

/** An endpoint of a site that the other site's data components reach (a site's `network.crossSiteEndpoints[]`). */
export interface CrossSiteEndpoint {
  /** What it is, e.g. `object-storage`: the value of CROSS_SITE_ENDPOINT_LABEL on its pods. */
  readonly name: string;
  /** Its address block, e.g. `10.20.240.8/32` (a LoadBalancer address of that site). */
  readonly address: string;
  /** Its TCP ports. */
  readonly ports: readonly number[];
  /** Why the other site reaches it. */
  readonly purpose: string;
}

/** The parts of a site's `network` the cross-site rules need; the environment's site network is one. */
export interface CrossSiteNetwork {
  /** The address ranges the data centre assigns to the site. */
  readonly ranges: readonly string[];
  /** The site's endpoints the other site reaches. */
  readonly crossSiteEndpoints: readonly CrossSiteEndpoint[];
}

export interface CrossSiteEgressProps {
  /** This site's cluster baseline: the data namespace and the labels come from it. */
  readonly cluster: SiteCluster;
  /** This site's address ranges: no cross-site rule may point back into them. */
  readonly localRanges: readonly string[];
  /** This site's endpoints the other site reaches: each admits the other site's ranges on its ports. */
  readonly localEndpoints: readonly CrossSiteEndpoint[];
  /** The other site's name, e.g. `kitwe`. */
  readonly remoteSiteName: string;
  /** The other site's address ranges: its traffic arrives from its nodes, inside them. */
  readonly remoteRanges: readonly string[];
  /** The other site's endpoints this site's replicating data components may reach, and nothing else. */
  readonly remoteEndpoints: readonly CrossSiteEndpoint[];
}

/**
 * The network rules between this site and the other, in the data namespace: the replicating
 * data components (CROSS_SITE_REPLICATION_LABEL) may reach the other site's cross-site
 * endpoints, each block on its ports only; the pods behind each of this site's endpoints
 * (CROSS_SITE_ENDPOINT_LABEL) admit the other site's ranges on that endpoint's ports only.
 * Everything else stays under the baseline's default deny.
 *
 * The receiving side admits the other site's `ranges`, not single addresses: a pod's traffic
 * to another site leaves its node masqueraded to the node's address, which is inside its
 * site's ranges, and arrives with that source through a LoadBalancer Service that keeps it
 * (`externalTrafficPolicy: Local`). Where a data centre routes pod addresses without
 * masquerading, those pod blocks must be inside the site's ranges too.
 */
export class CrossSiteEgress extends PlatformComponent {
  public readonly namespace: string;
  /** Pod labels of the data components that may reach the other site. */
  public readonly replicatingPodLabels: Readonly<Record<string, string>>;
  public readonly remoteSiteName: string;
  public readonly remoteEndpoints: readonly CrossSiteEndpoint[];
  public readonly localEndpoints: readonly CrossSiteEndpoint[];
  public readonly remoteRanges: readonly string[];
  public readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: CrossSiteEgressProps) {
    super(scope, id);
    const where = `CrossSiteEgress ${this.node.path}`;
    this.namespace = props.cluster.namespaces.data;
    if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(props.remoteSiteName)) {
      throw PlatformError.invalidProp(where, 'remoteSiteName', props.remoteSiteName, 'a site name such as "kitwe" (a DNS label)');
    }
    this.remoteSiteName = props.remoteSiteName;
    const localRanges = checkedRanges(where, 'localRanges', props.localRanges);
    const remoteRanges = checkedRanges(where, 'remoteRanges', props.remoteRanges);
    props.remoteRanges.forEach((cidr, index) => {
      const clash = props.localRanges.find((local) => blocksOverlap(cidrBlock(local)!, remoteRanges[index]!));
      if (clash !== undefined) {
        throw new PlatformError(`${where}: remoteRanges[${index}]: ${formatValue(cidr)} overlaps this site's range ${formatValue(clash)} (allowed: ranges of the other site only, so no cross-site rule opens traffic inside this site)`);
      }
    });
    this.remoteRanges = [...props.remoteRanges];
    this.remoteEndpoints = checkedEndpoints(where, 'remoteEndpoints', props.remoteEndpoints, remoteRanges, props.remoteRanges, 'remoteRanges');
    this.localEndpoints = checkedEndpoints(where, 'localEndpoints', props.localEndpoints, localRanges, props.localRanges, 'localRanges');
    this.replicatingPodLabels = { [CROSS_SITE_REPLICATION_LABEL]: 'true' };

    const chart = new CrossSiteEgressChart(new Cdk8sApp(), 'cross-site', {
      namespace: this.namespace,
      replicatingPods: this.replicatingPodLabels,
      remoteEndpoints: this.remoteEndpoints,
      localEndpoints: this.localEndpoints.map((endpoint) => ({ ...endpoint, policyName: `cross-site-ingress-${endpoint.name}`, podLabels: CrossSiteEgress.endpointPodLabels(endpoint.name) })),
      remoteRanges: this.remoteRanges,
      remoteSiteName: this.remoteSiteName,
      purposeAnnotation: CROSS_SITE_PURPOSE_ANNOTATION,
      egressPolicyName: 'cross-site-egress',
      labels: props.cluster.labels,
    });
    this.objects = chart.toJson() as KubeObject[];
  }

  /** The labels the pods behind the endpoint named `endpoint` carry. */
  public static endpointPodLabels(endpoint: string): Readonly<Record<string, string>> {
    return { [CROSS_SITE_ENDPOINT_LABEL]: endpoint };
  }
}

/** Props of the two sites' CrossSiteEgress components (all but `cluster`), keyed by site name. */
export type CrossSiteEgressSiteProps = Omit<CrossSiteEgressProps, 'cluster'>;

/**
 * The cross-site rules of both sites of an environment, from their networks: each site may
 * reach the other's endpoints and admits the other's ranges on its own. Exactly two sites.
 * @throws PlatformError for any other number of sites
 */
export function crossSiteEgressProps<S extends string>(networks: Readonly<Record<S, CrossSiteNetwork>>): Record<S, CrossSiteEgressSiteProps> {
  const names = Object.keys(networks).sort() as S[];
  if (names.length !== 2) {
    throw new PlatformError(`crossSiteEgressProps: networks: ${formatValue(names)} is not allowed (allowed: exactly two sites, each reaching the other)`);
  }
  const [one, other] = names as [S, S];
  const side = (local: S, remote: S): CrossSiteEgressSiteProps => ({
    localRanges: networks[local].ranges,
    localEndpoints: networks[local].crossSiteEndpoints,
    remoteSiteName: remote,
    remoteRanges: networks[remote].ranges,
    remoteEndpoints: networks[remote].crossSiteEndpoints,
  });
  return { [one]: side(one, other), [other]: side(other, one) } as Record<S, CrossSiteEgressSiteProps>;
}

function checkedRanges(where: string, prop: string, ranges: readonly string[]): Ipv4Block[] {
  if (ranges.length === 0) throw PlatformError.invalidProp(where, prop, ranges, 'at least one CIDR block');
  return ranges.map((cidr, index) => {
    const block = cidrBlock(cidr);
    if (!block) throw new PlatformError(`${where}: ${prop}[${index}]: ${formatValue(cidr)} is not an IPv4 CIDR block (allowed: e.g. "10.20.0.0/16", host bits zero)`);
    return block;
  });
}

function checkedEndpoints(where: string, prop: string, endpoints: readonly CrossSiteEndpoint[], ranges: readonly Ipv4Block[], rangesText: readonly string[], rangesProp: string): CrossSiteEndpoint[] {
  return endpoints.map((endpoint, index) => {
    const at = `${prop}[${index}]`;
    if (!/^[a-z0-9]([a-z0-9-]{0,42}[a-z0-9])?$/.test(endpoint.name)) {
      throw PlatformError.invalidProp(where, `${at}.name`, endpoint.name, 'a DNS label of at most 44 characters, e.g. "object-storage" (it names a NetworkPolicy and labels pods)');
    }
    if (endpoints.slice(0, index).some((earlier) => earlier.name === endpoint.name)) {
      throw new PlatformError(`${where}: ${at}.name: ${formatValue(endpoint.name)} names two endpoints (allowed: each name once)`);
    }
    const block = cidrBlock(endpoint.address);
    if (!block) throw new PlatformError(`${where}: ${at}.address: ${formatValue(endpoint.address)} is not an IPv4 CIDR block (allowed: e.g. "10.20.240.8/32", host bits zero)`);
    if (!ranges.some((range) => blockContains(range, block))) {
      throw new PlatformError(`${where}: ${at}.address: ${formatValue(endpoint.address)} is outside ${rangesProp} (allowed: blocks inside ${rangesText.join(', ')})`);
    }
    if (endpoint.ports.length === 0) throw PlatformError.invalidProp(where, `${at}.ports`, endpoint.ports, 'at least one TCP port');
    endpoint.ports.forEach((port, portIndex) => {
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw PlatformError.invalidProp(where, `${at}.ports[${portIndex}]`, port, 'a TCP port, 1-65535');
    });
    if (!endpoint.purpose?.trim()) throw PlatformError.invalidProp(where, `${at}.purpose`, endpoint.purpose, 'a sentence saying why the other site reaches it');
    return { name: endpoint.name, address: endpoint.address, ports: [...endpoint.ports], purpose: endpoint.purpose };
  });
}
