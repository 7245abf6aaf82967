import { SiteCluster } from '../../constructs/site-cluster';
import type { SiteStack } from '../site-stack';
import type { SiteInputs } from './site-inputs';

/** What the base layer gives the layers after it. */
export interface BaseLayer {
  readonly stack: SiteStack;
  /** The site's baseline: namespaces, labels, quotas, PriorityClasses. */
  readonly cluster: SiteCluster;
}

/** The base layer of a site: the cluster baseline. */
export function buildBaseLayer(stack: SiteStack, { environment, siteName, site }: SiteInputs): BaseLayer {
  const cluster = new SiteCluster(stack, 'site', {
    environmentName: environment.name,
    siteName,
    kubernetesVersion: site.kubernetesVersion,
    namespaceQuotas: site.sizing.namespaces,
    containerDefaults: site.sizing.containerDefaults,
  });
  return { stack, cluster };
}
