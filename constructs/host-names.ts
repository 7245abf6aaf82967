import * as ipaddr from 'ipaddr.js';

/**
 * Checks on the names and addresses the traffic components are given: DNS labels and host
 * names, in-country domains, what a certificate's DNS names cover, IPv4 blocks. Pure
 * functions; the components turn a `false` into a PlatformError that names the prop.
 */

/** A DNS label as Kubernetes names take it: `loan-service`. */
export function isDnsLabel(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value);
}

/** A fully qualified host name of lower-case labels: `loans.lms.co.zm` (no wildcard, no trailing dot). */
export function isHostName(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 253 && value.split('.').length >= 2 && value.split('.').every(isDnsLabel);
}

/** `host` is `domain` or one of its subdomains. */
export function inDomain(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

/** `host` lies in one of `domains` (each with its subdomains). */
export function inAnyDomain(host: string, domains: readonly string[]): boolean {
  return domains.some((domain) => inDomain(host, domain));
}

/** `*.lms.co.zm, ...`: how an error message lists the approved domains. */
export function domainsText(domains: readonly string[]): string {
  return domains.map((domain) => `*.${domain}`).join(', ');
}

/**
 * Whether a certificate DNS name serves `host`, as a TLS client checks it: the same name, or
 * a wildcard `*.<rest>` where `host` is exactly one label in front of `<rest>`.
 */
export function dnsNameCovers(dnsName: string, host: string): boolean {
  if (dnsName === host) return true;
  if (!dnsName.startsWith('*.')) return false;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === dnsName.slice(2);
}

/** An IPv4 block in canonical form (host bits zero): `10.50.0.0/24`. */
export function isIpv4Cidr(value: unknown): value is string {
  if (typeof value !== 'string' || !ipaddr.IPv4.isValidCIDR(value)) return false;
  const [address, bits] = ipaddr.IPv4.parseCIDR(value);
  return ipaddr.IPv4.networkAddressFromCIDR(value).toString() === address.toString() && value === `${address.toString()}/${bits}`;
}

/** One IPv4 address in dotted decimal: `10.10.240.1`. */
export function isIpv4Address(value: unknown): value is string {
  return typeof value === 'string' && ipaddr.IPv4.isValidFourPartDecimal(value);
}

/** Whether the IPv4 `address` lies in the canonical block `cidr`. */
export function cidrContains(cidr: string, address: string): boolean {
  return ipaddr.IPv4.parse(address).match(ipaddr.IPv4.parseCIDR(cidr));
}
