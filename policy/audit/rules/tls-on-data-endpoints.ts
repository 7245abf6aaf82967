import { field, judge, notApplicable } from '../../objects';
import type { Violation } from '../../types';
import { urlsIn } from '../facts';
import type { AuditCheck } from '../types';

/** Schemes that carry data in clear text. */
const PLAIN_SCHEMES = ['http', 'ws', 'tcp'];
/** ECK resources whose HTTP endpoint is TLS unless `spec.http.tls.selfSignedCertificate.disabled`. */
const ECK_KINDS = ['Elasticsearch', 'Kibana', 'Logstash', 'ApmServer', 'EnterpriseSearch'];

/**
 * TLS on every data endpoint: no URL in the plan uses a clear-text scheme (http, ws, tcp)
 * except to the loopback address; ECK resources keep TLS on their HTTP endpoint; the Vault
 * release sets `global.tlsDisable: false` (the chart's default is clear text).
 */
export const tlsOnDataEndpoints: AuditCheck = (plan) =>
  plan.stacks.flatMap((stack) => [
    ...stack.objects.flatMap(({ object, ref }) => {
      if (object.kind === 'CustomResourceDefinition') return [notApplicable(ref)];
      const violations: Violation[] = plainUrls(object, '');
      if (ECK_KINDS.includes(object.kind) && field(field(field(field(object.spec, 'http'), 'tls'), 'selfSignedCertificate'), 'disabled') === true && field(field(field(field(object.spec, 'http'), 'tls'), 'certificate'), 'secretName') === undefined) {
        violations.push({ path: 'spec.http.tls.selfSignedCertificate.disabled', value: true, allowed: 'TLS on (a certificate, or the self-signed one)' });
      }
      const relevant = violations.length > 0 || ECK_KINDS.includes(object.kind) || urlsIn(object).length > 0;
      return relevant ? judge(ref, violations) : [notApplicable(ref)];
    }),
    ...stack.releases.flatMap((release) => {
      const violations: Violation[] = plainUrls(release.values, 'values');
      if (release.chart === 'vault' && field(field(release.values, 'global'), 'tlsDisable') !== false) violations.push({ path: 'values.global.tlsDisable', value: field(field(release.values, 'global'), 'tlsDisable'), allowed: 'false' });
      return judge(release.ref, violations);
    }),
  ]);

function plainUrls(value: unknown, prefix: string): Violation[] {
  return urlsIn(value)
    // Descriptions cite documentation; they are text, not endpoints.
    .filter((use) => PLAIN_SCHEMES.includes(use.scheme) && !['127.0.0.1', 'localhost', '::1'].includes(use.host) && !/(^|\.)description$/.test(use.path))
    .map((use) => ({ path: prefix ? `${prefix}.${use.path}` : use.path, value: use.url, allowed: 'https (or another TLS scheme), except to the loopback address' }));
}
