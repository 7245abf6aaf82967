import type { KubeClient } from './kube-client';

/** A MetalLB IPAddressPool (metallb.io/v1beta1), as far as address assignment reads it. */
export interface AddressPool {
  readonly name: string;
  /** CIDRs (`10.20.0.0/28`) or ranges (`10.20.0.5-10.20.0.9`); IPv6 entries are not simulated. */
  readonly addresses: readonly string[];
  /** @default true */
  readonly autoAssign?: boolean;
  /** Leaves out the .0 and .255 addresses. @default false */
  readonly avoidBuggyIPs?: boolean;
}

/** A load-balancer address given to one Service. */
export interface Assignment {
  readonly namespace: string;
  readonly name: string;
  readonly ip: string;
  readonly pool: string;
}

const ANNOTATION_PREFIXES = ['metallb.io/', 'metallb.universe.tf/'];

function toNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) return undefined;
  return parts.reduce((sum, part) => sum * 256 + Number(part), 0);
}

function toAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Every IPv4 address of a pool, in order (at most `limit`). */
export function poolAddresses(pool: AddressPool, limit = 4096): string[] {
  const out: string[] = [];
  for (const entry of pool.addresses) {
    let first: number | undefined;
    let last: number | undefined;
    const cidr = /^([\d.]+)\/(\d{1,2})$/.exec(entry.trim());
    const range = /^([\d.]+)\s*-\s*([\d.]+)$/.exec(entry.trim());
    if (cidr && toNumber(cidr[1]) !== undefined && Number(cidr[2]) <= 32) {
      const size = 2 ** (32 - Number(cidr[2]));
      first = Math.floor(toNumber(cidr[1])! / size) * size;
      last = first + size - 1;
    } else if (range) {
      [first, last] = [toNumber(range[1]), toNumber(range[2])];
    }
    if (first === undefined || last === undefined) continue;
    for (let value = first; value <= last && out.length < limit; value++) {
      const lastOctet = value % 256;
      if (pool.avoidBuggyIPs && (lastOctet === 0 || lastOctet === 255)) continue;
      out.push(toAddress(value));
    }
  }
  return out;
}

function annotation(service: any, name: string): string | undefined {
  const annotations = service.metadata?.annotations ?? {};
  return ANNOTATION_PREFIXES.map((prefix) => annotations[`${prefix}${name}`]).find((value) => typeof value === 'string');
}

/**
 * The addresses MetalLB's controller would give the Services of type LoadBalancer that have
 * none yet (a subset of its rules): a Service with a loadBalancerClass is not MetalLB's; an
 * address asked for (`metallb.io/loadBalancerIPs` or `spec.loadBalancerIP`) is given when a
 * pool holds it and no other Service has it; otherwise the first free address of the pool
 * named by `metallb.io/address-pool`, or of the auto-assign pools in name order. No pool, no
 * address: the Service stays pending, as on a real site.
 */
export function assignAddresses(services: readonly any[], pools: readonly AddressPool[]): Assignment[] {
  const used = new Set<string>(services.flatMap((service) => (service.status?.loadBalancer?.ingress ?? []).map((ingress: { ip?: string }) => ingress.ip).filter(Boolean)));
  const expanded = [...pools].sort((a, b) => a.name.localeCompare(b.name)).map((pool) => ({ pool, addresses: poolAddresses(pool) }));
  const assignments: Assignment[] = [];
  const pending = services
    .filter((service) => service.spec?.type === 'LoadBalancer' && !service.spec?.loadBalancerClass && (service.status?.loadBalancer?.ingress ?? []).length === 0)
    .sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  for (const service of pending) {
    const requested = (annotation(service, 'loadBalancerIPs') ?? service.spec.loadBalancerIP ?? '')
      .split(',')
      .map((ip: string) => ip.trim())
      .find((ip: string) => toNumber(ip) !== undefined);
    const poolName = annotation(service, 'address-pool');
    const candidates = expanded.filter(({ pool }) => (poolName ? pool.name === poolName : requested ? true : pool.autoAssign !== false));
    const found = candidates
      .flatMap(({ pool, addresses }) => addresses.filter((ip) => (requested ? ip === requested : true)).map((ip) => ({ pool: pool.name, ip })))
      .find(({ ip }) => !used.has(ip));
    if (!found) continue;
    used.add(found.ip);
    assignments.push({ namespace: service.metadata.namespace, name: service.metadata.name, ip: found.ip, pool: found.pool });
  }
  return assignments;
}

/**
 * Plays MetalLB's controller on a simulated site, where the MetalLB pods are kwok pods that
 * run nothing: every second it gives each pending Service of type LoadBalancer an address
 * from the site's IPAddressPools (`assignAddresses`), so Helm's wait on a chart's
 * LoadBalancer Service (Traefik's) ends as it would on a real site.
 */
export class LoadBalancerSimulator {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  /** Every address given so far, oldest first. */
  public readonly assigned: Assignment[] = [];

  constructor(private readonly client: KubeClient) {}

  public start(intervalMs = 1000): void {
    const tick = () => {
      this.running = this.assignOnce()
        .then(() => undefined)
        // A site that is starting or stopping does not answer: the next pass tries again.
        .catch(() => undefined)
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  /** One pass: reads the Services and pools, and writes the addresses it gives. */
  public async assignOnce(): Promise<Assignment[]> {
    const services = await this.client.get<{ items: any[] }>('/api/v1/services');
    if (!services.items.some((service) => service.spec?.type === 'LoadBalancer' && (service.status?.loadBalancer?.ingress ?? []).length === 0)) return [];
    const poolList = await this.client.request<{ items?: any[] }>('GET', '/apis/metallb.io/v1beta1/ipaddresspools');
    const pools: AddressPool[] = poolList.status === 200 ? (poolList.body.items ?? []).map((item) => ({ name: item.metadata.name, ...item.spec })) : [];
    const assignments = assignAddresses(services.items, pools);
    for (const assignment of assignments) {
      const response = await this.client.request(
        'PATCH',
        `/api/v1/namespaces/${assignment.namespace}/services/${assignment.name}/status`,
        { status: { loadBalancer: { ingress: [{ ip: assignment.ip, ipMode: 'VIP' }] } } },
        'application/merge-patch+json',
      );
      if (response.status === 200) this.assigned.push(assignment);
    }
    return assignments;
  }

  public async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
