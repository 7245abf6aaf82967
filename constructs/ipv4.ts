import * as ipaddr from 'ipaddr.js';

/**
 * IPv4 blocks as the network components read them (address pools, BGP peers, cross-site
 * endpoints, API server ranges): a CIDR block in canonical form (`"10.20.240.0/29"`, host bits
 * zero) or a single address (`"10.20.240.1"`, read as its `/32`).
 */
export interface Ipv4Block {
  /** First address, as a 32-bit number. */
  readonly first: number;
  /** Last address, as a 32-bit number. */
  readonly last: number;
}

function toNumber(address: ipaddr.IPv4): number {
  return address.toByteArray().reduce((total, byte) => total * 256 + byte, 0);
}

/** `"10.20.0.0/16"` as the block it covers; `undefined` when it is not a canonical IPv4 CIDR block. */
export function cidrBlock(cidr: string): Ipv4Block | undefined {
  if (typeof cidr !== 'string' || !ipaddr.IPv4.isValidCIDR(cidr)) return undefined;
  const [address, bits] = ipaddr.IPv4.parseCIDR(cidr);
  const size = 2 ** (32 - bits);
  const first = toNumber(address);
  if (first % size !== 0) return undefined;
  return { first, last: first + size - 1 };
}

/** `"10.20.240.1"` as a one-address block; `undefined` when it is not an IPv4 address in four decimal parts. */
export function addressBlock(address: string): Ipv4Block | undefined {
  if (typeof address !== 'string' || !ipaddr.IPv4.isValidFourPartDecimal(address)) return undefined;
  const value = toNumber(ipaddr.IPv4.parse(address));
  return { first: value, last: value };
}

/** Whether `outer` holds every address of `inner`. */
export function blockContains(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return outer.first <= inner.first && inner.last <= outer.last;
}

/** Whether the two blocks share an address. */
export function blocksOverlap(one: Ipv4Block, other: Ipv4Block): boolean {
  return one.first <= other.last && other.first <= one.last;
}
