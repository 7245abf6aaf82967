import { CertManager } from '../../constructs/cert-manager';
import { Certificates } from '../../constructs/certificates';
import { IngressGateway, type OperationsUi } from '../../constructs/ingress-gateway';
import { LoadBalancerPools } from '../../constructs/load-balancer-pools';
import type { ApiServerPeer } from '../../constructs/service-references';
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
  /** The Gateway's certificates: the public host and each operations UI. */
  readonly gatewayCertificates: Certificates;
  /** MetalLB and the site's address pools. */
  readonly loadBalancerPools: LoadBalancerPools;
  /** Traefik and the site's Gateway. */
  readonly gateway: IngressGateway;
}

/** The operations UIs the Gateway serves at `<name>.<site dnsDomain>`, and the namespace of each one's route. */
export const OPERATIONS_UIS = [
  { name: 'grafana', role: 'observability' },
  { name: 'kibana', role: 'observability' },
  { name: 'vault', role: 'security' },
] as const;

/** Where the site's API server answers: its endpoint's port (6443 when reached by kubeconfig context), on the site's ranges. */
export function apiServerPeer(site: Site): ApiServerPeer {
  const port = site.cluster.kind === 'api-endpoint' ? Number(new URL(site.cluster.endpoint).port || 443) : 6443;
  return { addressBlocks: site.network.ranges, port };
}

/**
 * The traffic layer of a site: certificates (cert-manager and the site's CA issuers), the
 * load-balancer address pools (MetalLB), and the ingress Gateway (Traefik) behind its
 * address from a pool. Every TLS endpoint of the later
 * layers requests its certificate from the issuers made here.
 */
export function buildTrafficLayer(stack: SiteStack, { environment, site, siteName }: SiteInputs, base: BaseLayer): TrafficLayer {
  const peers = platformPeers(base, siteName);
  const namespaces = base.cluster.namespaces;
  const development = environment.tier === 'development';
  const apiServer = apiServerPeer(site);
  const certManager = new CertManager(stack, 'cert-manager', {
    cluster: base.cluster,
    environmentName: environment.name,
    registry: site.registry,
    chartRepository: site.chartRepository,
    chartVersion: environment.pins.charts.certManager,
    certificates: environment.traffic.certificates,
    publicCertificate: environment.traffic.publicCertificate,
    approvedDomains: DATA_SOVEREIGNTY.approvedDomains,
    apiServer,
    metrics: peers.metrics,
    replicas: development ? { controller: 1, webhook: 1, cainjector: 1 } : undefined,
  });

  const loadBalancerPools = new LoadBalancerPools(stack, 'load-balancer-pools', {
    cluster: base.cluster,
    network: site.network,
    registry: site.registry,
    chartRepository: site.chartRepository,
    chartVersion: environment.pins.charts.metallb,
    sizing: {
      nodeCount: site.nodePools.reduce((count, pool) => count + pool.nodeCount, 0),
      namespaceQuota: site.sizing.namespaces['node-agents'],
    },
    metrics: peers.metrics,
    apiServer,
  });

  const gatewayCertificates = new Certificates(stack, 'gateway-certificates', {
    issuers: certManager.issuers,
    requests: [
      { name: 'gateway-public', namespace: namespaces.platform, dnsNames: [environment.traffic.publicHost], issuer: 'public' },
      ...OPERATIONS_UIS.map((ui) => ({ name: `gateway-${ui.name}`, namespace: namespaces.platform, dnsNames: [`${ui.name}.${site.dnsDomain}`] })),
    ],
  });
  gatewayCertificates.applyAfter(certManager);
  const asGatewayCertificate = (name: string) => {
    const certificate = gatewayCertificates.certificate(name);
    return { secretName: certificate.secretName, dnsNames: certificate.dnsNames };
  };
  const operationsUis: OperationsUi[] = OPERATIONS_UIS.map((ui) => ({ name: ui.name, namespace: namespaces[ui.role], certificate: asGatewayCertificate(`gateway-${ui.name}`) }));

  const gateway = new IngressGateway(stack, 'ingress-gateway', {
    cluster: base.cluster,
    registry: site.registry,
    chartRepository: site.chartRepository,
    chartVersion: environment.pins.charts.traefik,
    replicas: development ? 1 : 2,
    gatewayAddress: site.network.gatewayAddress,
    addressPools: site.network.loadBalancer.addressPools,
    approvedDomains: DATA_SOVEREIGNTY.approvedDomains,
    publicHost: environment.traffic.publicHost,
    publicCertificate: asGatewayCertificate('gateway-public'),
    siteDnsDomain: site.dnsDomain,
    operationsUis,
    operationsNetworks: environment.traffic.operationsNetworks,
    apiServer,
    metrics: peers.metrics,
  });
  // Helm waits for the Gateway's LoadBalancer Service to get its address: from the pools.
  gateway.applyAfter(loadBalancerPools);
  return { stack, certManager, loadBalancerPools, gatewayCertificates, gateway };
}
