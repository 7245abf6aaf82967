import { judge } from '../../objects';
import { inCluster, inDomain, otherSite, urlsIn } from '../facts';
import { siteOfStack } from '../plan';
import type { AuditCheck } from '../types';

/** Objects that carry the bucket replication's remote target. */
const REPLICATION_OBJECTS = /^object-store-replication(-[0-9a-f]+)?$/;

/**
 * Every bucket replication target is the environment's other Zambian site: the remote
 * endpoints of the replication Job, CronJob and ConfigMap are https in an approved domain
 * and name the other site as a label of their host.
 */
export const replicationInCountry: AuditCheck = (plan, context) =>
  plan.stacks.flatMap((stack) =>
    stack.objects
      .filter(({ object }) => REPLICATION_OBJECTS.test(object.metadata.name))
      .flatMap(({ object, ref }) => {
        const site = siteOfStack(plan, ref.stack) ?? stack.site;
        const target = otherSite(plan, site);
        const remote = urlsIn(object).filter((use) => !inCluster(use.host));
        const allowed = `https://<host in ${context.approvedDomains.map((domain) => `*.${domain}`).join(', ')} naming ${target ?? 'the other site'}>`;
        return judge(
          ref,
          remote
            .filter((use) => !(use.scheme === 'https' && context.approvedDomains.some((domain) => inDomain(use.host, domain)) && target !== undefined && use.host.split('.').includes(target)))
            .map((use) => ({ path: use.path, value: use.url, allowed })),
        );
      }),
  );
