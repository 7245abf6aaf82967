import { field, isRecord } from '../objects';
import { imagesOf, inCluster, pinnedByDigest, provenanceOf, registryOf, urlsIn, type AuditContext } from './facts';
import { bucketsAt, replicatedBucketsAt } from './rules/business-buckets-replicated';
import { compare, objectsOf, type EnvironmentPlan } from './plan';

/** What an environment is made of, as auditors list it: images, volumes, buckets, exposed endpoints, Vault paths. */
export interface Inventory {
  readonly images: readonly { readonly image: string; readonly registry: string; readonly digest?: string; readonly upstream: string; readonly digestSource: string; readonly sites: readonly string[]; readonly usedBy: readonly string[] }[];
  readonly volumes: readonly { readonly site: string; readonly owner: string; readonly claim: string; readonly size: string; readonly copies: number }[];
  readonly buckets: readonly { readonly site: string; readonly bucket: string; readonly objectLock: string; readonly replicatedTo?: string }[];
  readonly endpoints: readonly { readonly site: string; readonly kind: string; readonly name: string; readonly address: string; readonly detail: string }[];
  readonly vaultPaths: readonly { readonly site: string; readonly path: string; readonly capabilities: readonly string[]; readonly policy: string; readonly readers: readonly string[] }[];
}

export function buildInventory(plan: EnvironmentPlan, context: AuditContext): Inventory {
  return { images: images(plan, context), volumes: volumes(plan), buckets: buckets(plan), endpoints: endpoints(plan), vaultPaths: vaultPaths(plan) };
}

function images(plan: EnvironmentPlan, context: AuditContext): Inventory['images'] {
  const byImage = new Map<string, { sites: Set<string>; usedBy: Set<string> }>();
  for (const use of imagesOf(plan)) {
    const entry = byImage.get(use.image) ?? { sites: new Set(), usedBy: new Set() };
    const stack = plan.stacks.find((candidate) => candidate.name === use.subject.stack);
    if (stack) entry.sites.add(stack.site);
    entry.usedBy.add(`${use.subject.kind} ${use.subject.namespace ? `${use.subject.namespace}/` : ''}${use.subject.name}`);
    byImage.set(use.image, entry);
  }
  return [...byImage.entries()]
    .sort(([a], [b]) => compare(a, b))
    .map(([image, entry]) => ({
      image,
      registry: registryOf(image) ?? '(unreadable)',
      ...(pinnedByDigest(image) ? { digest: image.slice(image.indexOf('@') + 1) } : {}),
      upstream: provenanceOf(image, context)?.upstream ?? '(not in constructs/versions.ts)',
      digestSource: provenanceOf(image, context)?.digestSource ?? 'unknown',
      sites: [...entry.sites].sort(compare),
      usedBy: [...entry.usedBy].sort(compare),
    }));
}

function volumes(plan: EnvironmentPlan): Inventory['volumes'] {
  const rows: Inventory['volumes'][number][] = [];
  for (const stack of plan.stacks) {
    for (const { object } of stack.objects) {
      const owner = `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
      if (object.kind === 'StatefulSet') {
        const replicas = field(object.spec, 'replicas');
        for (const template of (field(object.spec, 'volumeClaimTemplates') as unknown[] | undefined) ?? []) {
          rows.push({ site: stack.site, owner, claim: String(field(field(template, 'metadata'), 'name')), size: String(field(field(field(field(template, 'spec'), 'resources'), 'requests'), 'storage')), copies: typeof replicas === 'number' ? replicas : 1 });
        }
      } else if (object.kind === 'PersistentVolumeClaim') {
        rows.push({ site: stack.site, owner, claim: object.metadata.name, size: String(field(field(field(object.spec, 'resources'), 'requests'), 'storage')), copies: 1 });
      } else if (object.kind === 'Elasticsearch') {
        for (const nodeSet of (field(object.spec, 'nodeSets') as unknown[] | undefined) ?? []) {
          const count = field(nodeSet, 'count');
          for (const template of (field(nodeSet, 'volumeClaimTemplates') as unknown[] | undefined) ?? []) {
            rows.push({ site: stack.site, owner: `${owner} nodeSet ${String(field(nodeSet, 'name'))}`, claim: String(field(field(template, 'metadata'), 'name')), size: String(field(field(field(field(template, 'spec'), 'resources'), 'requests'), 'storage')), copies: typeof count === 'number' ? count : 1 });
          }
        }
      }
    }
    for (const release of stack.releases) {
      const owner = `HelmRelease ${release.namespace}/${release.name}`;
      if (release.chart === 'vault') {
        const server = field(release.values, 'server');
        const replicas = field(field(server, 'ha'), 'replicas');
        for (const key of ['dataStorage', 'auditStorage']) {
          const storage = field(server, key);
          if (field(storage, 'enabled') === true) rows.push({ site: stack.site, owner, claim: key, size: String(field(storage, 'size')), copies: typeof replicas === 'number' ? replicas : 1 });
        }
      }
      for (const found of claimTemplatesIn(release.values, 'values')) rows.push({ site: stack.site, owner, claim: found.path, size: found.size, copies: found.copies });
    }
  }
  return rows.sort((a, b) => compare(`${a.site} ${a.owner} ${a.claim}`, `${b.site} ${b.owner} ${b.claim}`));
}

/** `volumeClaimTemplate` blocks in Helm values (Prometheus, Alertmanager storage specs), with the replicas beside them. */
function claimTemplatesIn(value: unknown, path: string, replicas = 1): { path: string; size: string; copies: number }[] {
  if (!isRecord(value)) return [];
  const here = typeof value.replicas === 'number' ? value.replicas : replicas;
  return Object.keys(value)
    .sort(compare)
    .flatMap((key) => {
      const child = value[key];
      if (key === 'volumeClaimTemplate') {
        const size = field(field(field(field(child, 'spec'), 'resources'), 'requests'), 'storage');
        return size === undefined ? [] : [{ path: `${path}.${key}`, size: String(size), copies: here }];
      }
      return claimTemplatesIn(child, `${path}.${key}`, here);
    });
}

function buckets(plan: EnvironmentPlan): Inventory['buckets'] {
  const sites = [...new Set(plan.stacks.map((stack) => stack.site))].sort(compare);
  return sites.flatMap((site) => {
    const replicated = replicatedBucketsAt(plan, site);
    const target = plan.stacks
      .filter((stack) => stack.site === site)
      .flatMap((stack) => stack.objects)
      .filter(({ object }) => /^object-store-replication/.test(object.metadata.name))
      .flatMap(({ object }) => urlsIn(object))
      .find((use) => !inCluster(use.host))?.host;
    const config = plan.stacks.filter((stack) => stack.site === site).flatMap((stack) => stack.objects).find(({ object }) => object.kind === 'ConfigMap' && object.metadata.name === 'object-store-buckets');
    let locks = new Map<string, string>();
    try {
      const parsed = JSON.parse(String(field(field(config?.object, 'data'), 'buckets.json')));
      locks = new Map((field(parsed, 'buckets') as unknown[]).map((bucket) => [String(field(bucket, 'name')), field(bucket, 'objectLock') ? `${String(field(field(bucket, 'objectLock'), 'mode'))} ${String(field(field(bucket, 'objectLock'), 'days'))} d` : 'none']));
    } catch {
      // An unreadable list shows as no buckets; LMS-BC-004 reports it.
    }
    return (bucketsAt(plan, site) ?? []).map((bucket) => ({ site, bucket, objectLock: locks.get(bucket) ?? 'none', ...(replicated.includes(bucket) ? { replicatedTo: target ?? '(target not found)' } : {}) }));
  });
}

function endpoints(plan: EnvironmentPlan): Inventory['endpoints'] {
  const rows: Inventory['endpoints'][number][] = [];
  for (const { object, ref } of objectsOf(plan)) {
    const site = plan.stacks.find((stack) => stack.name === ref.stack)?.site ?? '';
    const name = `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
    if (object.kind === 'Service' && ['LoadBalancer', 'NodePort'].includes(String(field(object.spec, 'type')))) {
      const ports = ((field(object.spec, 'ports') as unknown[] | undefined) ?? []).map((port) => String(field(port, 'port'))).join(', ');
      const address = field(field(object.metadata, 'annotations'), 'metallb.io/loadBalancerIPs');
      rows.push({ site, kind: `Service (${String(field(object.spec, 'type'))})`, name, address: typeof address === 'string' ? address : '(assigned at deploy)', detail: `ports ${ports}` });
    }
    if (object.kind === 'Gateway') {
      for (const listener of (field(object.spec, 'listeners') as unknown[] | undefined) ?? []) {
        rows.push({ site, kind: 'Gateway listener', name: `${name} ${String(field(listener, 'name'))}`, address: String(field(listener, 'hostname') ?? '(any host)'), detail: `${String(field(listener, 'protocol'))} ${String(field(listener, 'port'))}` });
      }
    }
    if (object.kind === 'HTTPRoute') rows.push({ site, kind: 'HTTPRoute', name, address: ((field(object.spec, 'hostnames') as unknown[] | undefined) ?? []).map(String).join(', '), detail: 'routed by the Gateway' });
  }
  for (const stack of plan.stacks) {
    for (const release of stack.releases) {
      if (JSON.stringify(release.values).includes('"LoadBalancer"')) rows.push({ site: stack.site, kind: 'HelmRelease (LoadBalancer Service)', name: `${release.namespace}/${release.name}`, address: '(from the site address pools)', detail: `chart ${release.chart}` });
    }
  }
  return rows.sort((a, b) => compare(`${a.site} ${a.kind} ${a.name}`, `${b.site} ${b.kind} ${b.name}`));
}

function vaultPaths(plan: EnvironmentPlan): Inventory['vaultPaths'] {
  return plan.stacks
    .flatMap((stack) =>
      stack.vaultPolicies.flatMap((policy) => {
        const readers = stack.vaultRoles
          .filter((role) => role.policies.includes(policy.name))
          .flatMap((role) => role.namespaces.flatMap((namespace) => role.serviceAccounts.map((account) => `${namespace}/${account} (role ${role.name})`)))
          .sort(compare);
        return policy.paths.map((rule) => ({ site: stack.site, path: rule.path, capabilities: rule.capabilities, policy: policy.name, readers: readers.length > 0 ? readers : ['(operators only: no workload role)'] }));
      }),
    )
    .sort((a, b) => compare(`${a.site} ${a.path} ${a.policy}`, `${b.site} ${b.path} ${b.policy}`));
}
