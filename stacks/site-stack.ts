import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { PlatformComponent } from '../constructs/platform-component';
import type { StateBackend } from '../environments/schema';
import { KubernetesObjects } from './kubernetes-objects';
import { stackName, type Layer } from './layers/order';
import { SiteProviders, type ClusterAccess } from './site-providers';
import { configureStateBackend } from './state-backend';

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
}

/**
 * One layer of one site: `<environment>-<site>-<layer>`. It owns the stack's state backend
 * and its one pair of providers (kubernetes, helm), and binds to them every component created
 * in it, so components never see Terraform and a stack can only ever reach its own site.
 */
export class SiteStack extends TerraformStack {
  public readonly siteName: string;
  public readonly layer: Layer;
  public readonly providers: SiteProviders;
  private bound = false;

  constructor(scope: Construct, props: SiteStackProps) {
    super(scope, stackName(props.environmentName, props.siteName, props.layer));
    this.siteName = props.siteName;
    this.layer = props.layer;
    configureStateBackend(this, this.node.id, props.state);
    this.providers = new SiteProviders(this, 'providers', { siteName: props.siteName, cluster: props.cluster });
  }

  /** Every component created in this stack, in construct-tree order. */
  public get components(): readonly PlatformComponent[] {
    return this.node.findAll().filter((construct): construct is PlatformComponent => PlatformComponent.isPlatformComponent(construct));
  }

  /**
   * Binds every component's objects to this stack's kubernetes provider, one
   * `kubernetes_manifest` per object. Called once, after the layer has created its components.
   */
  public bindComponents(): void {
    if (this.bound) return;
    this.bound = true;
    for (const component of this.components) {
      new KubernetesObjects(component, 'objects', { provider: this.providers.kubernetes, objects: component.objects });
    }
  }
}
