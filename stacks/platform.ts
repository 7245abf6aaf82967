import type { App } from 'cdktf';
import { SITE_NAMES, type Environment, type SiteName } from '../environments/schema';
import { wireSites } from './cross-site';
import { buildAppsLayer, buildBaseLayer, buildTrafficLayer, type AppsLayer, type BaseLayer, type Layer, type SiteInputs, type TrafficLayer } from './layers';
import { SiteStack } from './site-stack';

/** The layers built for one site, each with its stack. */
export interface SiteLayers {
  readonly base: BaseLayer;
  readonly traffic: TrafficLayer;
  readonly apps: AppsLayer;
}

/**
 * Builds every stack of every environment into `app`: both sites of an environment, layer
 * by layer, then the cross-site wiring pass between them. Keyed `<environment>-<site>`.
 */
export function buildPlatform(app: App, environments: readonly Environment[]): Map<string, SiteLayers> {
  const built = new Map<string, SiteLayers>();
  for (const environment of environments) {
    const sites = Object.fromEntries(SITE_NAMES.map((siteName) => [siteName, buildSite(app, { environment, siteName, site: environment.sites[siteName] })])) as Record<SiteName, SiteLayers>;
    wireSites(environment, sites);
    for (const siteName of SITE_NAMES) built.set(`${environment.name}-${siteName}`, sites[siteName]);
  }
  for (const site of built.values()) for (const layer of Object.values(site)) layer.stack.bindComponents();
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
  const apps = buildAppsLayer(stack('apps', [base.stack, traffic.stack]), inputs, base, traffic);
  return { base, traffic, apps };
}
