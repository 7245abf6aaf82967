import { field, judge, notApplicable } from '../../objects';
import type { Violation } from '../../types';
import { inCluster, inDomain, urlsIn } from '../facts';
import type { AuditCheck } from '../types';

/**
 * Every endpoint the plan names stays inside the two Zambian sites: provider endpoints,
 * backend endpoints and every URL written in an object or Helm values point at a
 * cluster-internal name, a private address, or a host in an approved in-country domain;
 * every Gateway listener and route host name is in an approved domain.
 */
export const inCountryEndpoints: AuditCheck = (plan, context) => {
  const allowed = `a cluster-internal name, a private address, or a host in ${context.approvedDomains.map((domain) => `*.${domain}`).join(', ')}`;
  const approved = (host: string) => inCluster(host) || context.approvedDomains.some((domain) => inDomain(host, domain));
  const urlViolations = (value: unknown, prefix: string): Violation[] =>
    urlsIn(value)
      // Schema and dashboard descriptions cite documentation; they are text, not endpoints.
      .filter((use) => !approved(use.host) && !/(^|\.)description$/.test(use.path))
      .map((use) => ({ path: prefix ? `${prefix}.${use.path}` : use.path, value: use.url, allowed }));
  return plan.stacks.flatMap((stack) => [
    ...stack.providers.flatMap((provider) => {
      if (provider.endpoint === undefined) return [];
      const urls = urlsIn(provider.endpoint);
      // An endpoint given at apply time (`${var.vault_address}`) is checked where it is set, not here.
      if (typeof provider.endpoint === 'string' && provider.endpoint.startsWith('${')) return judge(provider.ref, []);
      return judge(provider.ref, urls.length === 0 ? [{ path: 'endpoint', value: provider.endpoint, allowed }] : urlViolations(provider.endpoint, 'endpoint'));
    }),
    ...(stack.backend ? judge(stack.backend.ref, urlViolations(stack.backend.config, 'config')) : []),
    ...stack.objects.flatMap(({ object, ref }) => {
      if (object.kind === 'CustomResourceDefinition') return [notApplicable(ref)];
      const hostNames: Violation[] = [];
      if (object.kind === 'Gateway' || object.kind === 'HTTPRoute' || object.kind === 'Ingress') {
        const listeners = field(object.spec, 'listeners');
        const names = [
          ...(Array.isArray(listeners) ? listeners.map((listener) => field(listener, 'hostname')) : []),
          ...((field(object.spec, 'hostnames') as unknown[] | undefined) ?? []),
          ...(((field(object.spec, 'rules') as unknown[] | undefined) ?? []).map((rule) => field(rule, 'host'))),
        ].filter((name): name is string => typeof name === 'string');
        hostNames.push(...names.filter((name) => !context.approvedDomains.some((domain) => inDomain(name.replace(/^\*\./, ''), domain))).map((name) => ({ path: 'spec (host names)', value: name, allowed: `a host in ${context.approvedDomains.map((domain) => `*.${domain}`).join(', ')}` })));
      }
      return judge(ref, [...urlViolations(object, ''), ...hostNames]);
    }),
    ...stack.releases.flatMap((release) => judge(release.ref, urlViolations(release.values, 'values'))),
  ]);
};
