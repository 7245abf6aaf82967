import * as ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { RUN_ALWAYS, describeValue, dnsLabel, kindError, parsedFields, strict } from './common';

/**
 * A site's network as its data centre assigns it: the address ranges the site owns, the
 * load-balancer address pools MetalLB hands out (L2 or BGP), the Gateway's address, and the
 * endpoints of this site the other site's data components may reach (replication, log
 * shipping, snapshots). Addresses are IPv4, as both data centres assign them.
 */

/** An IPv4 block as `[first, last]` addresses, as 32-bit numbers. */
export interface AddressBlock {
  readonly first: number;
  readonly last: number;
}

function toNumber(address: ipaddr.IPv4): number {
  return address.toByteArray().reduce((total, byte) => total * 256 + byte, 0);
}

/** `"10.20.0.0/16"` as the block it covers; undefined when it is not a CIDR in canonical form. */
export function cidrBlock(cidr: string): AddressBlock | undefined {
  if (!ipaddr.IPv4.isValidCIDR(cidr)) return undefined;
  const [address, bits] = ipaddr.IPv4.parseCIDR(cidr);
  const size = 2 ** (32 - bits);
  const first = toNumber(address);
  if (first % size !== 0) return undefined;
  return { first, last: first + size - 1 };
}

/** `"10.20.1.7"` as a one-address block. */
export function addressBlock(address: string): AddressBlock | undefined {
  if (!ipaddr.IPv4.isValidFourPartDecimal(address)) return undefined;
  const value = toNumber(ipaddr.IPv4.parse(address));
  return { first: value, last: value };
}

export function overlaps(one: AddressBlock, other: AddressBlock): boolean {
  return one.first <= other.last && other.first <= one.last;
}

export function contains(outer: AddressBlock, inner: AddressBlock): boolean {
  return outer.first <= inner.first && inner.last <= outer.last;
}

/** An IPv4 CIDR block in canonical form: `"10.20.0.0/16"`. */
export const ipv4Cidr = z.string({ error: (issue) => `${describeValue(issue.input)} is not an IPv4 CIDR block (allowed: e.g. "10.20.0.0/16")` }).refine((value) => cidrBlock(value) !== undefined, {
  error: (issue) => `${describeValue(issue.input)} is not an IPv4 CIDR block with its host bits zero (allowed: e.g. "10.20.0.0/16", "10.20.4.240/28")`,
});

/** The private (RFC 1918) blocks: the only networks an allow-list may name. */
export const PRIVATE_BLOCKS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] as const;

/** An IPv4 CIDR block inside the private (RFC 1918) ranges. */
export const privateIpv4Cidr = ipv4Cidr.refine((value) => {
  const block = cidrBlock(value);
  // A value that is no block at all is reported once, by ipv4Cidr.
  return block === undefined || PRIVATE_BLOCKS.some((range) => contains(cidrBlock(range)!, block));
}, {
  error: (issue) => `${describeValue(issue.input)} is not inside a private network (allowed: blocks inside ${PRIVATE_BLOCKS.join(', ')})`,
});

/** One IPv4 address: `"10.20.4.241"`. */
export const ipv4Address = z.string({ error: (issue) => `${describeValue(issue.input)} is not an IPv4 address (allowed: e.g. "10.20.4.241")` }).refine((value) => addressBlock(value) !== undefined, {
  error: (issue) => `${describeValue(issue.input)} is not an IPv4 address (allowed: four decimal numbers 0-255, e.g. "10.20.4.241")`,
});

const port = z.int().min(1).max(65535);
const asn = z.int().min(1).max(4294967294);

/** A pool of LoadBalancer addresses MetalLB hands out. */
const addressPool = strict({
  /** Pool name (the IPAddressPool's name). */
  name: dnsLabel,
  /** CIDR blocks inside the site's `ranges`. */
  addresses: z.array(ipv4Cidr).min(1),
});

/** How MetalLB announces LoadBalancer addresses to the data centre's network. */
const loadBalancer = z.discriminatedUnion(
  'mode',
  [
    strict({
      /** Layer 2 (ARP): one node answers for each address; for a flat network. */
      mode: z.literal('l2'),
      addressPools: z.array(addressPool).min(1),
    }),
    strict({
      /** BGP: every node announces the addresses to the data centre's routers. */
      mode: z.literal('bgp'),
      /** The cluster's autonomous system number. */
      localAsn: asn,
      /** The routers the nodes peer with. */
      peers: z.array(strict({ address: ipv4Address, asn })).min(1),
      addressPools: z.array(addressPool).min(1),
    }),
  ],
  { error: kindError('load-balancer mode', ['l2', 'bgp'], 'mode') },
);

/** An endpoint of this site that the other site's data components reach. */
const crossSiteEndpoint = strict({
  /** What it is, e.g. `object-storage`. */
  name: dnsLabel,
  /** Its address block, inside the site's `ranges`. */
  address: ipv4Cidr,
  ports: z.array(port).min(1),
  /** Why the other site reaches it (audit reports show it). */
  purpose: z.string().min(1),
});

export const siteNetwork = strict({
  /** The address ranges the data centre assigns to this site; everything below lies inside them. */
  ranges: z.array(ipv4Cidr).min(1),
  loadBalancer,
  /** The address the site's Gateway (its public entry) takes, from one of the address pools. */
  gatewayAddress: ipv4Address,
  /**
   * The only endpoints of this site the other site's data components may reach, with their
   * ports. Nothing else crosses between sites.
   */
  crossSiteEndpoints: z.array(crossSiteEndpoint),
}).superRefine((network, ctx) => {
  const parsed = parsedFields(ctx);
  if (!parsed(['ranges'])) return;
  const ranges = network.ranges.map((cidr) => cidrBlock(cidr)!);
  const inRanges = (block: AddressBlock) => ranges.some((range) => contains(range, block));
  const rangesText = network.ranges.join(', ');
  network.ranges.forEach((cidr, index) => {
    network.ranges.slice(0, index).forEach((earlier) => {
      if (overlaps(cidrBlock(earlier)!, cidrBlock(cidr)!)) {
        ctx.addIssue({ code: 'custom', path: ['ranges', index], message: `${JSON.stringify(cidr)} overlaps ${JSON.stringify(earlier)} (allowed: ranges that do not overlap)` });
      }
    });
  });
  const pools: { name: string; cidr: string; path: (string | number)[] }[] = [];
  if (parsed(['loadBalancer'])) {
    network.loadBalancer.addressPools.forEach((pool, poolIndex) => {
      if (network.loadBalancer.addressPools.slice(0, poolIndex).some((earlier) => earlier.name === pool.name)) {
        ctx.addIssue({ code: 'custom', path: ['loadBalancer', 'addressPools', poolIndex, 'name'], message: `${JSON.stringify(pool.name)} names two pools (allowed: each pool name once)` });
      }
      pool.addresses.forEach((cidr, index) => {
        const path = ['loadBalancer', 'addressPools', poolIndex, 'addresses', index];
        if (!inRanges(cidrBlock(cidr)!)) {
          ctx.addIssue({ code: 'custom', path, message: `${JSON.stringify(cidr)} is outside the site's ranges (allowed: blocks inside ${rangesText})` });
        }
        const clash = pools.find((other) => overlaps(cidrBlock(other.cidr)!, cidrBlock(cidr)!));
        if (clash) {
          ctx.addIssue({ code: 'custom', path, message: `${JSON.stringify(cidr)} overlaps ${JSON.stringify(clash.cidr)} of pool ${JSON.stringify(clash.name)} (allowed: pools that do not overlap)` });
        }
        pools.push({ name: pool.name, cidr, path });
      });
    });
    if (parsed(['gatewayAddress'])) {
      const gateway = addressBlock(network.gatewayAddress)!;
      if (!pools.some((pool) => contains(cidrBlock(pool.cidr)!, gateway))) {
        ctx.addIssue({ code: 'custom', path: ['gatewayAddress'], message: `${JSON.stringify(network.gatewayAddress)} is in no address pool (allowed: an address inside ${pools.map((pool) => pool.cidr).join(', ')})` });
      }
    }
  }
  if (parsed(['crossSiteEndpoints'])) {
    network.crossSiteEndpoints.forEach((endpoint, index) => {
      if (!inRanges(cidrBlock(endpoint.address)!)) {
        ctx.addIssue({ code: 'custom', path: ['crossSiteEndpoints', index, 'address'], message: `${JSON.stringify(endpoint.address)} is outside the site's ranges (allowed: blocks inside ${rangesText})` });
      }
      if (network.crossSiteEndpoints.slice(0, index).some((earlier) => earlier.name === endpoint.name)) {
        ctx.addIssue({ code: 'custom', path: ['crossSiteEndpoints', index, 'name'], message: `${JSON.stringify(endpoint.name)} names two endpoints (allowed: each name once)` });
      }
    });
  }
}, RUN_ALWAYS);

export type SiteNetwork = z.output<typeof siteNetwork>;

/** Every address pool block of a site's network, with the pool it belongs to. */
export function poolBlocks(network: SiteNetwork): { readonly pool: string; readonly cidr: string; readonly index: number; readonly addressIndex: number }[] {
  return network.loadBalancer.addressPools.flatMap((pool, index) => pool.addresses.map((cidr, addressIndex) => ({ pool: pool.name, cidr, index, addressIndex })));
}
