import { TerraformStack, type App } from 'cdktf';
import { LoanService } from '../constructs/loan-service';
import { SiteCluster, type SiteClusterProps } from '../constructs/site-cluster';
import { SiteProviders } from '../constructs/site-providers';
import { SITE_NAMES, type Environment, type SiteName } from '../environments/schema';
import { stackName, type Layer } from './layers';
import { configureStateBackend } from './state-backend';

/** The stacks built for one site, by layer. */
export type SiteStacks = Readonly<Record<Layer, TerraformStack>>;

/**
 * Builds every stack of every environment and site into `app`: the one platform
 * definition, applied to each environment object.
 */
export function buildPlatform(app: App, environments: readonly Environment[]): Map<string, SiteStacks> {
  const built = new Map<string, SiteStacks>();
  for (const environment of environments) {
    for (const siteName of SITE_NAMES) {
      built.set(`${environment.name}-${siteName}`, buildSite(app, environment, siteName));
    }
  }
  return built;
}

/** What SiteCluster needs of one site of an environment. */
export function siteClusterProps(environment: Environment, siteName: SiteName): SiteClusterProps {
  const site = environment.sites[siteName];
  return {
    environmentName: environment.name,
    siteName,
    cluster: site.cluster,
    kubernetesVersion: site.kubernetesVersion,
    namespaceQuotas: site.sizing.namespaces,
    containerDefaults: site.sizing.containerDefaults,
  };
}

function buildSite(app: App, environment: Environment, siteName: SiteName): SiteStacks {
  const site = environment.sites[siteName];
  const layerStack = (layer: Layer): TerraformStack => {
    const name = stackName(environment.name, siteName, layer);
    const stack = new TerraformStack(app, name);
    configureStateBackend(stack, name, environment.state);
    return stack;
  };

  const base = layerStack('base');
  const cluster = new SiteCluster(base, 'site', siteClusterProps(environment, siteName));

  const apps = layerStack('apps');
  apps.addDependency(base);
  new LoanService(apps, 'loan-service', {
    environmentName: environment.name,
    cluster,
    providers: new SiteProviders(apps, 'providers', { siteName, cluster: site.cluster }),
    siteRole: site.role,
    registry: site.registry,
    sizing: site.workloads.loanService,
  });

  return { base, apps };
}
