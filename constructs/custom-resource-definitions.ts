import type { Construct } from 'constructs';
import { customResourceDefinitionFor, customResourceDefinitions, type CrdSetName } from '../charts-ts/custom-resource-definitions';
import { PlatformComponent, type KubeObject } from './platform-component';
import { PlatformError, formatValue } from './platform-error';

/** A custom resource kind by API version and kind, as cdk8s bindings' `GVK` give it. */
export interface CustomResourceKind {
  readonly apiVersion: string;
  readonly kind: string;
}

export interface CustomResourceDefinitionsProps {
  /**
   * The custom resource kinds later layers of the site write, e.g. `ServiceMonitor.GVK`
   * from `charts-ts/imports`. Each is installed from its vendored, pinned CRD
   * (vendor/crds/, with provenance).
   */
  readonly kinds?: readonly CustomResourceKind[];
  /**
   * Vendored sets installed whole: an operator watches every kind of its API, and one
   * whose CRD is missing never starts, so an operator's CRDs go in together. A kind in
   * `kinds` that a set also defines is installed once, from the set.
   * @default - none
   */
  readonly sets?: readonly CrdSetName[];
  /**
   * Where a CRD's conversion webhook answers on this site, by CRD name, when the operator is
   * installed elsewhere than upstream's install assumes (e.g. MetalLB in `lms-node-agents`,
   * not `metallb-system`). Only the Service reference changes.
   * @default - as upstream
   */
  readonly conversionServices?: Readonly<Record<string, { readonly namespace: string; readonly name: string }>>;
}

/**
 * The CustomResourceDefinitions a site needs before later layers can be planned: the
 * kubernetes provider reads a custom resource's schema at plan time, so the CRDs are applied
 * by an earlier stack than the objects that use them.
 */
export class CustomResourceDefinitions extends PlatformComponent {
  /** `monitoring.coreos.com/ServiceMonitor`: every kind installed, sorted. */
  public readonly kinds: readonly string[];
  public readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: CustomResourceDefinitionsProps) {
    super(scope, id);
    const byName = new Map<string, KubeObject>();
    for (const set of props.sets ?? []) {
      let definitions: readonly KubeObject[];
      try {
        definitions = customResourceDefinitions(set) as unknown as readonly KubeObject[];
      } catch (error) {
        throw new PlatformError(`CustomResourceDefinitions ${this.node.path}: sets: ${(error as Error).message.replace(/^custom resource definitions: /, '')}`);
      }
      for (const definition of definitions) byName.set(definition.metadata.name, definition);
    }
    const fromSets = new Set(byName.keys());
    for (const wanted of props.kinds ?? []) {
      let definition: KubeObject;
      try {
        definition = customResourceDefinitionFor(wanted.apiVersion, wanted.kind) as unknown as KubeObject;
      } catch (error) {
        throw new PlatformError(`CustomResourceDefinitions ${this.node.path}: kinds: ${(error as Error).message.replace(/^custom resource definitions: /, '')}`);
      }
      // A kind a named set installs keeps the set's CRD: ECK's install set and the complete
      // schemas its bindings come from define the same kinds.
      if (fromSets.has(definition.metadata.name)) continue;
      if (byName.has(definition.metadata.name)) {
        throw PlatformError.invalidProp(`CustomResourceDefinitions ${this.node.path}`, 'kinds', `${wanted.apiVersion} ${wanted.kind}`, 'each kind once');
      }
      byName.set(definition.metadata.name, definition);
    }
    for (const [name, service] of Object.entries(props.conversionServices ?? {})) {
      const definition = byName.get(name);
      const webhook = (definition?.spec as { conversion?: { strategy?: string; webhook?: { clientConfig?: { service?: Record<string, unknown> } } } } | undefined)?.conversion;
      if (!definition || webhook?.strategy !== 'Webhook' || !webhook.webhook?.clientConfig?.service) {
        throw PlatformError.invalidProp(`CustomResourceDefinitions ${this.node.path}`, 'conversionServices', name, 'a CRD installed here whose conversion is a webhook Service');
      }
      const spec = definition.spec as Record<string, unknown>;
      byName.set(name, {
        ...definition,
        spec: {
          ...spec,
          conversion: { ...webhook, webhook: { ...webhook.webhook, clientConfig: { ...webhook.webhook.clientConfig, service: { ...webhook.webhook.clientConfig.service, namespace: service.namespace, name: service.name } } } },
        },
      });
    }
    this.objects = [...byName.keys()].sort().map((name) => byName.get(name)!);
    this.kinds = this.objects.map((crd) => `${(crd.spec as { group: string }).group}/${(crd.spec as { names: { kind: string } }).names.kind}`);
    if (this.objects.length === 0) {
      throw new PlatformError(`CustomResourceDefinitions ${this.node.path}: kinds and sets: ${formatValue([])} is not allowed (allowed: at least one custom resource kind or vendored set)`);
    }
  }
}
