import { CertManager, type ApiServerPeer } from '../../constructs/cert-manager';
import { DATA_SOVEREIGNTY, type Site } from '../../environments/schema';
import type { SiteStack } from '../site-stack';
import type { BaseLayer } from './base';
import { platformPeers } from './platform-peers';
import type { SiteInputs } from './site-inputs';

/** What the traffic layer gives the layers after it. */
export interface TrafficLayer {
  readonly stack: SiteStack;
  /** cert-manager with the site's internal CA and the public issuer. */
  readonly certManager: CertManager;
}

/** The port the site's API server listens on: from its endpoint, 6443 when reached by kubeconfig context. */
export function apiServerPeer(site: Site): ApiServerPeer {
  const port = site.cluster.kind === 'api-endpoint' ? Number(new URL(site.cluster.endpoint).port || 443) : 6443;
  return { addressBlocks: site.network.ranges, port };
}

/**
 * The traffic layer of a site: certificates (cert-manager and the site's CA issuers), load
 * balancer addresses (MetalLB) and the ingress Gateway (Traefik). Every TLS endpoint of the
 * later layers requests its certificate from the issuers made here.
 */
export function buildTrafficLayer(stack: SiteStack, { environment, site, siteName }: SiteInputs, base: BaseLayer): TrafficLayer {
  const peers = platformPeers(base, siteName);
  const certManager = new CertManager(stack, 'cert-manager', {
    cluster: base.cluster,
    environmentName: environment.name,
    registry: site.registry,
    chartRepository: site.chartRepository,
    certificates: environment.traffic.certificates,
    publicCertificate: environment.traffic.publicCertificate,
    approvedDomains: DATA_SOVEREIGNTY.approvedDomains,
    apiServer: apiServerPeer(site),
    metrics: peers.metrics,
    replicas: environment.tier === 'development' ? { controller: 1, webhook: 1, cainjector: 1 } : undefined,
  });
  return { stack, certManager };
}
