import type { App } from 'cdktf';
import { SITE_NAMES, type Environment, type SiteName } from '../environments/schema';
import { wireSites } from './cross-site';
import {
  LAYERS,
  buildAppsLayer,
  buildBaseLayer,
  buildDataLayer,
  buildObservabilityLayer,
  buildSecurityLayer,
  buildTrafficLayer,
  type AppsLayer,
  type BaseLayer,
  type DataLayer,
  type Layer,
  type ObservabilityLayer,
  type SecurityLayer,
  type SiteInputs,
  type TrafficLayer,
} from './layers';
import { SiteStack } from './site-stack';
import { VaultConfigStack, operatorTasksOf } from './vault-config-stack';

/** The layers built for one site, each with its stack. */
export interface SiteLayers {
  readonly base: BaseLayer;
  readonly traffic: TrafficLayer;
  readonly security: SecurityLayer;
  readonly data: DataLayer;
  readonly observability: ObservabilityLayer;
  readonly apps: AppsLayer;
}

/** Everything built for one site: its layers, and its Vault configuration stack. */
export interface SitePlatform extends SiteLayers {
  /** The site's `vault-config` stack: a policy and role for every consumer of every layer. */
  readonly vaultConfig: VaultConfigStack;
}

/** The site's layer stacks, in apply order. */
export function layerStacks(site: SiteLayers): SiteStack[] {
  return LAYERS.map((layer) => site[layer].stack);
}

/**
 * Builds every stack of every environment into `app`: both sites of an environment, layer
 * by layer, then the cross-site wiring pass between them, then each site's Vault
 * configuration from the consumers its layers declare. Keyed `<environment>-<site>`.
 */
export function buildPlatform(app: App, environments: readonly Environment[]): Map<string, SitePlatform> {
  const built = new Map<string, SitePlatform>();
  for (const environment of environments) {
    const sites = Object.fromEntries(SITE_NAMES.map((siteName) => [siteName, buildSite(app, { environment, siteName, site: environment.sites[siteName] })])) as Record<SiteName, SiteLayers>;
    wireSites(environment, sites);
    for (const siteName of SITE_NAMES) {
      const layers = sites[siteName];
      const consumers = layerStacks(layers).flatMap((stack) => stack.components.flatMap((component) => component.vaultConsumers));
      const vaultConfig = new VaultConfigStack(app, { environmentName: environment.name, siteName, state: environment.sites[siteName].state, vault: layers.security.vault, consumers, operatorTasks: operatorTasksOf(environment) });
      vaultConfig.addDependency(layers.security.stack);
      built.set(`${environment.name}-${siteName}`, { ...layers, vaultConfig });
    }
  }
  for (const site of built.values()) for (const stack of layerStacks(site)) stack.bindComponents();
  return built;
}

function buildSite(app: App, inputs: SiteInputs): SiteLayers {
  const stack = (layer: Layer, after: readonly SiteStack[] = []) => {
    const { environment, siteName, site } = inputs;
    const created = new SiteStack(app, { environmentName: environment.name, siteName, layer, cluster: site.cluster, state: site.state, registry: site.registry });
    for (const dependency of after) created.addDependency(dependency);
    return created;
  };
  const base = buildBaseLayer(stack('base'), inputs);
  const traffic = buildTrafficLayer(stack('traffic', [base.stack]), inputs, base);
  const security = buildSecurityLayer(stack('security', [base.stack, traffic.stack]), inputs, base, traffic);
  const data = buildDataLayer(stack('data', [base.stack, traffic.stack, security.stack]), inputs, base, traffic, security);
  const observability = buildObservabilityLayer(stack('observability', [base.stack, traffic.stack, security.stack]), inputs, base, traffic, security, data);
  const apps = buildAppsLayer(stack('apps', [base.stack, traffic.stack, security.stack, data.stack, observability.stack]), inputs, base, traffic, security, data);
  return { base, traffic, security, data, observability, apps };
}
