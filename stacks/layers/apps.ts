import { LoanService } from '../../constructs/loan-service';
import type { SiteStack } from '../site-stack';
import type { BaseLayer } from './base';
import { platformPeers } from './platform-peers';
import type { SiteInputs } from './site-inputs';

/** What the apps layer holds. */
export interface AppsLayer {
  readonly stack: SiteStack;
  readonly loanService: LoanService;
}

/** The apps layer of a site: the loan management workloads. */
export function buildAppsLayer(stack: SiteStack, { environment, siteName, site }: SiteInputs, base: BaseLayer): AppsLayer {
  const peers = platformPeers(base, siteName);
  const loanService = new LoanService(stack, 'loan-service', {
    cluster: base.cluster,
    siteRole: site.role,
    registry: site.registry,
    sizing: site.workloads.loanService,
    database: { server: peers.sqlServer, name: 'lms', user: 'loan_service' },
    documentStore: { store: peers.objectStore, bucket: 'loan-documents' },
    secrets: { vault: peers.vault, role: 'loan-service', kvPath: `kv/data/${environment.name}/loan-service` },
    callers: [peers.ingressController],
    metrics: peers.metrics,
  });
  return { stack, loanService };
}
