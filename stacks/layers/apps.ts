import { LoanService } from '../../constructs/loan-service';
import { loanServiceRoute } from '../../constructs/loan-service-route';
import type { GatewayRoute } from '../../constructs/gateway-route';
import { checkNamespaceBudget } from '../../constructs/namespace-budget';
import { VaultSecret } from '../../constructs/vault-secret';
import type { SiteStack } from '../site-stack';
import type { BaseLayer } from './base';
import { platformPeers } from './platform-peers';
import { LOAN_SERVICE_LOGIN } from './data';
import type { SiteInputs } from './site-inputs';
import type { DataLayer } from './data';
import type { SecurityLayer } from './security';
import type { TrafficLayer } from './traffic';

/** What the apps layer holds. */
export interface AppsLayer {
  readonly stack: SiteStack;
  readonly loanService: LoanService;
  /** The loan-service's public HTTPS route on the site's Gateway. */
  readonly route: GatewayRoute;
}

/** The apps layer of a site: the loan management workloads, published through the site's Gateway. */
export function buildAppsLayer(stack: SiteStack, { environment, siteName, site }: SiteInputs, base: BaseLayer, traffic: TrafficLayer, security: SecurityLayer, data: DataLayer): AppsLayer {
  const peers = platformPeers(base, siteName);
  const loanService = new LoanService(stack, 'loan-service', {
    cluster: base.cluster,
    siteRole: site.role,
    registry: site.registry,
    image: environment.pins.loanService,
    sizing: site.workloads.loanService,
    database: data.sqlServer.database(LOAN_SERVICE_LOGIN),
    documentStore: { store: data.minio.endpoint, bucket: 'documents', credentials: data.loanServiceUser.credentials },
    secrets: { vault: security.vault.endpoint, secret: VaultSecret.kv(environment.name, 'loan-service') },
    callers: [traffic.gateway.peer],
    metrics: peers.metrics,
    identityProvider: {
      issuer: environment.identityProvider.issuer,
      audience: environment.identityProvider.audience,
      // The provider's keys from its node at this site's data centre.
      jwksUrl: environment.identityProvider.jwks[siteName].url,
      addressBlocks: environment.identityProvider.jwks[siteName].addressBlocks,
    },
  });
  checkNamespaceBudget(`apps layer ${stack.node.id}`, loanService.namespace, site.sizing.namespaces.apps, [loanService.podBudget]);
  const route = loanServiceRoute(stack, 'loan-service-route', { gateway: traffic.gateway, loanService, limits: environment.traffic.loanServiceRoute });
  return { stack, loanService, route };
}
