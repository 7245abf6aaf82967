import { judge } from '../../objects';
import { field } from '../../objects';
import { inDomain, subject } from '../facts';
import type { AuditCheck } from '../types';

/**
 * Every stack keeps its Terraform state in-country, at its own site: an `s3` backend whose
 * endpoint is https in an approved domain and names the stack's site (and not the other
 * site) as a label of its host, in a bucket that does not name the other site.
 */
export const stateAtOwnSite: AuditCheck = (plan, context) => {
  const sites = [...new Set(plan.stacks.map((stack) => stack.site))];
  return plan.stacks.flatMap((stack) => {
    const backend = stack.backend;
    const allowed = `an s3 backend at https://<host in ${context.approvedDomains.map((domain) => `*.${domain}`).join(', ')} naming ${stack.site}>`;
    if (!backend) return judge(subject('TerraformBackend', 'none', stack.name), [{ path: 'terraform.backend', value: undefined, allowed }]);
    if (backend.type !== 's3') return judge(backend.ref, [{ path: 'terraform.backend', value: backend.type, allowed }]);
    const endpoint = field(field(backend.config, 'endpoints'), 's3') ?? field(backend.config, 'endpoint');
    const url = typeof endpoint === 'string' && URL.canParse(endpoint) ? new URL(endpoint) : undefined;
    const labels = url ? url.hostname.split('.') : [];
    const others = sites.filter((site) => site !== stack.site);
    const ok = url !== undefined && url.protocol === 'https:' && context.approvedDomains.some((domain) => inDomain(url.hostname, domain)) && labels.includes(stack.site) && !others.some((site) => labels.includes(site));
    const bucket = field(backend.config, 'bucket');
    const bucketOk = typeof bucket === 'string' && !others.some((site) => bucket.split(/[^a-z0-9]+/).includes(site));
    return judge(backend.ref, [
      ...(ok ? [] : [{ path: 'terraform.backend.s3.endpoints.s3', value: endpoint, allowed }]),
      ...(bucketOk ? [] : [{ path: 'terraform.backend.s3.bucket', value: bucket, allowed: `a state bucket of ${stack.site}, not naming ${others.join(', ')}` }]),
    ]);
  });
};
