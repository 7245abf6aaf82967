import type { SiteName } from '../../environments/schema';

/**
 * The layers of one site, in apply order. Each layer is its own Terraform stack with its
 * own state, so a failed apply stops at that layer and never leaves another half-done, and
 * an earlier layer installs the CustomResourceDefinitions a later one's objects need at plan
 * time. Each layer is built by its module in `stacks/layers/`.
 *
 * - `base`: the cluster baseline (namespaces, policies, quotas, PriorityClasses) and the
 *   CustomResourceDefinitions of the operators the platform uses.
 * - `traffic`: certificates (cert-manager and each site's CA), load-balancer addresses
 *   (MetalLB) and the ingress Gateway (Traefik), which every later TLS endpoint uses.
 * - `security`: Vault, where every workload's secrets come from.
 * - `data`: MinIO, its buckets and the Vault snapshots into them (credentials from Vault);
 *   the cross-site wiring pass adds bucket replication and its heartbeat.
 * - `observability`: metrics and alerting (Prometheus through its operator, Alertmanager,
 *   Grafana); the cross-site pass adds the rules and dashboards built from every component.
 * - `apps`: the loan management workloads, which use what the earlier layers created.
 *
 * Vault's own configuration is not a layer: it talks to Vault, not to the API server, and is
 * applied once Vault is initialised and unsealed (see `vaultConfigStackName`).
 */
export const LAYERS = ['base', 'traffic', 'security', 'data', 'observability', 'apps'] as const;
export type Layer = (typeof LAYERS)[number];

/** `production-lusaka-base`: stable, because it names the stack's Terraform state. */
export function stackName(environmentName: string, siteName: SiteName | string, layer: Layer): string {
  return `${environmentName}-${siteName}-${layer}`;
}

/** `production-lusaka-vault-config`: the site's Vault configuration, its own stack and state. */
export function vaultConfigStackName(environmentName: string, siteName: SiteName | string): string {
  return `${environmentName}-${siteName}-vault-config`;
}
