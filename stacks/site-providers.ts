import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Construct } from 'constructs';
import { PlatformError } from '../constructs/platform-error';

/**
 * How Terraform reaches a site's API server: a context of the operator's kubeconfig, or the
 * API endpoint itself. Never a credential.
 */
export type ClusterAccess =
  | { readonly kind: 'kubeconfig-context'; readonly context: string }
  | { readonly kind: 'api-endpoint'; readonly endpoint: string };

export interface SiteProvidersProps {
  /** The site the providers talk to (`lusaka`); also their Terraform alias. */
  readonly siteName: string;
  /**
   * How to reach the site's API server. Credentials are never part of it: with
   * `kubeconfig-context` the providers read the kubeconfig named by KUBE_CONFIG_PATH; with
   * `api-endpoint` they read KUBE_TOKEN and KUBE_CLUSTER_CA_CERT_DATA at deploy time.
   */
  readonly cluster: ClusterAccess;
}

/**
 * The kubernetes and helm providers of one site, aliased by the site's name so a plan
 * shows which cluster every resource goes to.
 */
export class SiteProviders extends Construct {
  public readonly kubernetes: KubernetesProvider;
  public readonly helm: HelmProvider;
  /** The Terraform alias of both providers. */
  public readonly alias: string;

  constructor(scope: Construct, id: string, props: SiteProvidersProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(props.siteName)) {
      throw PlatformError.invalidProp(`SiteProviders ${this.node.path}`, 'siteName', props.siteName, 'a lower-case name starting with a letter, e.g. "lusaka"');
    }
    this.alias = props.siteName;
    const access =
      props.cluster.kind === 'kubeconfig-context'
        ? { configContext: props.cluster.context }
        : { host: props.cluster.endpoint };
    this.kubernetes = new KubernetesProvider(this, 'kubernetes', { alias: this.alias, ...access });
    this.helm = new HelmProvider(this, 'helm', { alias: this.alias, kubernetes: access });
  }
}
