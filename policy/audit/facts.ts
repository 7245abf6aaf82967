import { imageRegistryHost } from '../rules/approved-registry';
import { field, isRecord, objectKey } from '../objects';
import { evaluateContainers } from '../workloads';
import type { ObjectRef, Violation } from '../types';
import { compare, objectsOf, releasesOf, stringsIn, type EnvironmentPlan, type PlanObject } from './plan';

/**
 * Facts the audit rules and the inventory read from a synthesized plan: images, hosts,
 * schedules. Pure functions over the parsed plan.
 */

/** What the audit knows besides the plan: where data may live, and the environment's targets. */
export interface AuditContext {
  /** Registry hosts images may come from, e.g. `registry.lms.co.zm`. */
  readonly approvedRegistries: readonly string[];
  /** DNS domains (and subdomains) endpoints, charts and state may use, e.g. `lms.co.zm`. */
  readonly approvedDomains: readonly string[];
  /** The environment's tier: some rules hold only in production. */
  readonly tier: 'development' | 'staging' | 'production';
  /** The environment's recovery point objective, in minutes (from its environment file). */
  readonly recoveryPointMinutes: number;
  /** The environment's recovery time objective, in minutes. */
  readonly recoveryTimeMinutes: number;
  /**
   * Where each pinned image comes from, by `<repository>@<digest>` (the path under the
   * registry host): its upstream and whether the digest was read from the in-country
   * registry (`registry`) or is a stand-in not yet recorded (`stand-in`), from
   * constructs/versions.ts.
   */
  readonly imageProvenance: Readonly<Record<string, { readonly upstream: string; readonly digestSource: string }>>;
}

/** The provenance of an image reference, `undefined` when constructs/versions.ts does not pin it. */
export function provenanceOf(image: string, context: AuditContext): { readonly upstream: string; readonly digestSource: string } | undefined {
  const withoutHost = image.includes('/') && /[.:]/.test(image.split('/')[0]!) ? image.slice(image.indexOf('/') + 1) : image;
  const key = withoutHost.replace(/:[^/@]+@/, '@');
  return Object.prototype.hasOwnProperty.call(context.imageProvenance, key) ? context.imageProvenance[key] : undefined;
}

/** One image reference found in the plan, with where it was found. */
export interface ImageUse {
  readonly image: string;
  readonly subject: ObjectRef;
  /** Path inside the object or the release's values. */
  readonly path: string;
}

/**
 * Every image the plan names: containers and init containers of every workload, `spec.image`
 * of custom resources (Elasticsearch, Kibana, Logstash, Beat), and in Helm values every
 * `image: <reference>` string and every `{ registry?, repository, tag?, digest? }` block.
 */
export function imagesOf(plan: EnvironmentPlan): ImageUse[] {
  const uses: ImageUse[] = [];
  for (const { object, ref } of objectsOf(plan)) {
    evaluateContainers([object], ({ path, container }) => {
      uses.push({ image: typeof container.image === 'string' ? container.image : String(container.image), subject: ref, path: `${path}.image` });
      return [];
    });
    const image = field(object.spec, 'image');
    if (typeof image === 'string') uses.push({ image, subject: ref, path: 'spec.image' });
  }
  for (const release of releasesOf(plan)) {
    for (const found of helmValueImages(release.values)) uses.push({ ...found, subject: release.ref, path: `values.${found.path}` });
  }
  return uses;
}

/** Image references in Helm values (see `imagesOf`). */
export function helmValueImages(values: unknown, path = ''): { image: string; path: string }[] {
  if (Array.isArray(values)) return values.flatMap((entry, index) => helmValueImages(entry, `${path}[${index}]`));
  if (!isRecord(values)) return [];
  const found: { image: string; path: string }[] = [];
  const repository = values.repository;
  if (typeof repository === 'string' && /(^|\.|\/)[a-z0-9._-]+$/i.test(repository) && ('tag' in values || 'digest' in values || 'sha' in values || 'registry' in values)) {
    const registry = typeof values.registry === 'string' && values.registry !== '' ? `${values.registry}/` : '';
    const tag = typeof values.tag === 'string' && values.tag !== '' ? `:${values.tag}` : '';
    // kube-prometheus-stack writes the digest's hex alone, as `sha`.
    const sha = typeof values.sha === 'string' && /^(sha256:)?[0-9a-f]{64}$/.test(values.sha) ? `@sha256:${values.sha.replace(/^sha256:/, '')}` : '';
    const digest = typeof values.digest === 'string' && values.digest !== '' ? `@${values.digest}` : sha;
    // A tag written as `1.2.3@sha256:...` already carries the digest.
    found.push({ image: `${registry}${repository}${tag}${tag.includes('@') ? '' : digest}`, path: path || '.' });
  }
  for (const key of Object.keys(values).sort(compare)) {
    const child = values[key];
    const childPath = path ? `${path}.${key}` : key;
    if (key === 'image' && typeof child === 'string') found.push({ image: child, path: childPath });
    else found.push(...helmValueImages(child, childPath));
  }
  return found;
}

/** The registry host of an image, `undefined` when the reference is malformed. */
export const registryOf = imageRegistryHost;

/** Whether an image reference names a sha256 digest. */
export function pinnedByDigest(image: string): boolean {
  return /@sha256:[0-9a-f]{64}$/.test(image);
}

/** Whether `host` is `domain` or one of its subdomains. */
export function inDomain(host: string, domain: string): boolean {
  const lower = host.toLowerCase();
  return lower === domain || lower.endsWith(`.${domain}`);
}

/**
 * Whether `host` is inside a site without being a public name: a cluster-internal service
 * name (no dot, or `.svc` / `.cluster.local`), loopback, or a private IPv4 address.
 */
export function inCluster(host: string): boolean {
  const lower = host.toLowerCase();
  if (lower === 'localhost' || !lower.includes('.')) return true;
  // Public DNS names end in a letters-only top-level domain; `vault-0.vault-internal` (a pod
  // behind a headless Service) does not.
  if (!/^[a-z]+$/.test(lower.slice(lower.lastIndexOf('.') + 1)) && !/^\d+$/.test(lower.slice(lower.lastIndexOf('.') + 1))) return true;
  if (/\.svc$|\.svc\.cluster\.local$|\.cluster\.local$/.test(lower)) return true;
  const ip = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(lower);
  if (!ip) return false;
  const [a, b] = [Number(ip[1]), Number(ip[2])];
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** One URL found in a string: its scheme and host (user info and port dropped). */
export interface UrlUse {
  readonly scheme: string;
  readonly host: string;
  readonly url: string;
  readonly path: string;
}

/**
 * Every URL written in a value: `scheme://[userinfo@]host[:port]...`. Hosts still holding
 * a template (`{{`, `${`, `$VAR`) or an expansion (`{0...2}`) are reported with the template
 * removed when what remains is a name, else skipped: they are filled in at run time from
 * names the plan states elsewhere.
 */
export function urlsIn(value: unknown): UrlUse[] {
  const uses: UrlUse[] = [];
  for (const { path, text } of stringsIn(value)) {
    for (const match of text.matchAll(/\b([a-z][a-z0-9+.-]*):\/\/(?:[^@/\s"'`]*@)?([^/\s:"'`?#]+)/gi)) {
      const scheme = match[1]!.toLowerCase();
      if (!['http', 'https', 's3', 'ws', 'wss', 'tcp', 'grpc'].includes(scheme)) continue;
      const host = match[2]!;
      if (/[{}$]/.test(host)) continue;
      uses.push({ scheme, host: host.toLowerCase(), url: match[0], path });
    }
  }
  return uses;
}

/**
 * The interval, in minutes, between runs of a regular cron schedule (`*\/15 * * * *`,
 * `5-59/15 * * * *`, `47 * * * *`, `45 *\/6 * * *`, `30 1 * * *`), or `undefined` when the
 * schedule is not regular in those forms (then a rule cannot prove it and says so).
 */
export function cronIntervalMinutes(schedule: unknown): number | undefined {
  if (typeof schedule !== 'string') return undefined;
  const parts = schedule.trim().split(/\s+/);
  if (parts.length !== 5) return undefined;
  const [minute, hour, day, month, weekday] = parts as [string, string, string, string, string];
  if (day !== '*' || month !== '*' || weekday !== '*') return undefined;
  const step = (text: string, range: number) => {
    if (text === '*') return 1;
    const match = /^(?:\*|\d+-\d+|\d+)\/(\d+)$/.exec(text);
    if (match) return range % Number(match[1]) === 0 ? Number(match[1]) : undefined;
    return /^\d+$/.test(text) ? range : undefined;
  };
  const minuteStep = step(minute, 60);
  const hourStep = step(hour, 24);
  if (minuteStep === undefined || hourStep === undefined) return undefined;
  if (minuteStep < 60) return hour === '*' ? minuteStep : undefined;
  return hourStep === 24 ? 1440 : hourStep * 60;
}

/** Minutes as people read them: `15 min`, `1 h 5 min`, `1 d`. */
export function readableMinutes(minutes: number): string {
  const whole = Math.ceil(minutes);
  const parts = [[Math.floor(whole / 1440), 'd'], [Math.floor((whole % 1440) / 60), 'h'], [whole % 60, 'min']] as const;
  return parts.filter(([amount]) => amount > 0).map(([amount, unit]) => `${amount} ${unit}`).join(' ') || '0 min';
}

/** The objects of one kind and name (any namespace) at one site. */
export function findObjects(plan: EnvironmentPlan, site: string | undefined, kind: string, name?: string): PlanObject[] {
  return plan.stacks
    .filter((stack) => site === undefined || stack.site === site)
    .flatMap((stack) => stack.objects)
    .filter(({ object }) => object.kind === kind && (name === undefined || object.metadata.name === name));
}

/** Every alert rule of the environment's PrometheusRules, with the site it runs at. */
export function alertRulesOf(plan: EnvironmentPlan): { site: string; alert: string; expr: string; ref: ObjectRef }[] {
  return plan.stacks.flatMap((stack) =>
    stack.objects
      .filter(({ object }) => object.kind === 'PrometheusRule')
      .flatMap(({ object, ref }) => {
        const groups = field(object.spec, 'groups');
        return (Array.isArray(groups) ? groups : []).flatMap((group) => {
          const rules = field(group, 'rules');
          return (Array.isArray(rules) ? rules : []).flatMap((rule) => {
            const alert = field(rule, 'alert');
            const expr = field(rule, 'expr');
            return typeof alert === 'string' ? [{ site: stack.site, alert, expr: typeof expr === 'string' ? expr : String(expr), ref }] : [];
          });
        });
      }),
  );
}

/** The other site of the environment's two. */
export function otherSite(plan: EnvironmentPlan, site: string): string | undefined {
  return [...new Set(plan.stacks.map((stack) => stack.site))].find((candidate) => candidate !== site);
}

/** A synthetic subject: a fact of the environment that is no single object (`Runbook//dev-failover`). */
export function subject(kind: string, name: string, stack?: string, namespace = ''): ObjectRef {
  return { kind, namespace, name, ...(stack ? { stack } : {}) };
}

/** Groups image uses by the object or release naming them, each with the violations `judgeUse` finds. */
export function byImageSubject(uses: readonly ImageUse[], judgeUse: (use: ImageUse) => readonly Violation[]): [ObjectRef, Violation[]][] {
  const groups = new Map<string, [ObjectRef, Violation[]]>();
  for (const use of uses) {
    const key = `${use.subject.stack ?? ''} ${objectKey(use.subject)}`;
    const group = groups.get(key) ?? [use.subject, []];
    group[1].push(...judgeUse(use));
    groups.set(key, group);
  }
  return [...groups.values()];
}
