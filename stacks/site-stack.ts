import { TerraformStack, dependable, type TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';
import { PlatformComponent, objectKey } from '../constructs/platform-component';
import { PlatformError, formatValue } from '../constructs/platform-error';
import type { StateBackend } from '../environments/schema';
import { assertNoPolicyErrors, checkPolicies, type PolicyReport } from '../policy';
import { HelmReleases } from './helm-releases';
import { KubernetesObjects } from './kubernetes-objects';
import { stackName, type Layer } from './layers/order';
import { SiteProviders, type ClusterAccess } from './site-providers';
import { configureStateBackend } from './state-backend';
import { siteKey } from './state-bootstrap';

export interface SiteStackProps {
  /** Environment name, e.g. `production`. */
  readonly environmentName: string;
  /** The site every resource of the stack is applied to, e.g. `kitwe`. */
  readonly siteName: string;
  /** The layer the stack holds. */
  readonly layer: Layer;
  /** How Terraform reaches the site's API server. */
  readonly cluster: ClusterAccess;
  /** Where the stack's Terraform state is kept: at its own site, so either site deploys alone. */
  readonly state: StateBackend;
  /** The site's in-country registry: the only one the policy pack lets images come from. */
  readonly registry: string;
}

/**
 * One layer of one site: `<environment>-<site>-<layer>`. It owns the stack's state backend
 * and its one pair of providers (kubernetes, helm), and binds to them every component created
 * in it, so components never see Terraform and a stack can only ever reach its own site.
 * Binding runs the policy pack over every object of the stack first (policy/RULES.md).
 */
export class SiteStack extends TerraformStack {
  public readonly siteName: string;
  public readonly layer: Layer;
  public readonly providers: SiteProviders;
  /** The site's in-country registry. */
  public readonly registry: string;
  private report?: PolicyReport;

  constructor(scope: Construct, props: SiteStackProps) {
    super(scope, stackName(props.environmentName, props.siteName, props.layer));
    this.siteName = props.siteName;
    this.layer = props.layer;
    this.registry = props.registry;
    configureStateBackend(this, this.node.id, props.state, siteKey(props.environmentName, props.siteName));
    this.providers = new SiteProviders(this, 'providers', { siteName: props.siteName, cluster: props.cluster });
  }

  /** Every component created in this stack, in construct-tree order. */
  public get components(): readonly PlatformComponent[] {
    return this.node.findAll().filter((construct): construct is PlatformComponent => PlatformComponent.isPlatformComponent(construct));
  }

  /** The policy report of the stack's objects, once bound. */
  public get policyReport(): PolicyReport | undefined {
    return this.report;
  }

  /**
   * Checks every component's objects against the policy pack (with the components' own
   * suppressions), then binds them to this stack's providers: one `helm_release` per Helm
   * release and one `kubernetes_manifest` per object, objects after their component's releases
   * unless a release names them in `after`. Called once, after the layer has created its components.
   *
   * @throws PlatformError naming the stack, rule, object and field of every unsuppressed error
   */
  public bindComponents(): PolicyReport {
    if (this.report) return this.report;
    const components = this.components;
    const report = checkPolicies(
      components.flatMap((component) => component.objects),
      { approvedRegistries: [this.registry] },
      components.flatMap((component) => component.policySuppressions),
    );
    assertNoPolicyErrors(this.node.id, report);
    const bound = new Map<PlatformComponent, TerraformResource[]>();
    for (const component of components) bound.set(component, this.bind(component));
    for (const component of components) {
      for (const predecessor of component.appliedAfter) {
        const resources = bound.get(predecessor);
        if (!resources) {
          throw new PlatformError(`${component.node.path}: applyAfter: ${formatValue(predecessor.node.path)} is not a component of stack ${this.node.id} (allowed: components of the same stack; an earlier layer's stack already applies first)`);
        }
        dependOn(bound.get(component)!, resources);
      }
    }
    this.report = report;
    return report;
  }

  /** Binds one component's releases and objects; returns every Terraform resource made. */
  private bind(component: PlatformComponent): TerraformResource[] {
    const releases = component.helmReleases;
    if (releases.length === 0) {
      return [...new KubernetesObjects(component, 'objects', { provider: this.providers.kubernetes, objects: component.objects }).resources.values()];
    }
    // Objects a release needs go first; every other object waits for the releases, so a
    // custom resource meets its operator (and its admission webhook) running.
    const keys = new Set(component.objects.map(objectKey));
    const before = new Set<string>();
    for (const release of releases) {
      for (const key of release.after ?? []) {
        if (!keys.has(key)) {
          throw new PlatformError(
            `${component.node.path}: helmReleases ${formatValue(`${release.namespace}/${release.name}`)}: after: ${formatValue(key)} is not an object of the component (allowed: ${[...keys].sort().join(', ') || 'none'})`,
          );
        }
        before.add(key);
      }
    }
    const first = component.objects.filter((object) => before.has(objectKey(object)));
    const rest = component.objects.filter((object) => !before.has(objectKey(object)));
    const firstObjects = first.length > 0 ? new KubernetesObjects(component, 'objects-before-releases', { provider: this.providers.kubernetes, objects: first }) : undefined;
    const installed = new HelmReleases(component, 'releases', { provider: this.providers.helm, releases });
    if (firstObjects) dependOn([...installed.resources.values()], [...firstObjects.resources.values()]);
    const objects = rest.length > 0 ? new KubernetesObjects(component, 'objects', { provider: this.providers.kubernetes, objects: rest }) : undefined;
    if (objects) dependOn([...objects.resources.values()], [...installed.resources.values()]);
    return [...(firstObjects?.resources.values() ?? []), ...installed.resources.values(), ...(objects?.resources.values() ?? [])];
  }
}

/** Adds `dependencies` to each resource's `depends_on`, keeping what it had. */
function dependOn(resources: readonly TerraformResource[], dependencies: readonly TerraformResource[]): void {
  for (const resource of resources) {
    resource.dependsOn = [...(resource.dependsOn ?? []), ...dependencies.map((dependency) => dependable(dependency))];
  }
}
