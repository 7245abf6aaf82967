import type { Construct } from 'constructs';
import { crdSetParts, customResourceDefinitions, vendoredDefinitionFor, type CrdSetName } from '../charts-ts/custom-resource-definitions';
import { PlatformComponent, type HelmReleaseSpec, type KubeObject } from './platform-component';
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

/** Namespace of the CRD releases' Helm records: one every cluster has before anything is applied. */
export const CRD_RELEASE_NAMESPACE = 'kube-system';

/** How long an apply waits for a release's CRDs to be established. */
const CRD_RELEASE_TIMEOUT_SECONDS = 300;

/**
 * The CustomResourceDefinitions a site needs before later layers can be planned: the
 * kubernetes provider reads a custom resource's schema at plan time, so the CRDs are applied
 * by an earlier stack than the objects that use them.
 *
 * They are installed as one Helm release per vendored set (`crds-<project>`, in
 * `kube-system`), from a chart the stack's folder carries (`charts/crds-<project>/`), not as
 * one `kubernetes_manifest` each: the kubernetes provider converts every object through its
 * OpenAPI type on each plan, which for CRDs of hundreds of kilobytes made the base layer the
 * slowest stack to plan, apply and destroy; Helm applies them as they are and waits until
 * each is established. The release name carries no version, so a new set upgrades it in place.
 * `takeOwnership` adopts CRDs that an earlier version of the platform applied one by one.
 */
export class CustomResourceDefinitions extends PlatformComponent {
  /** `monitoring.coreos.com/ServiceMonitor`: every kind installed, sorted. */
  public readonly kinds: readonly string[];
  /** Every CRD installed, sorted by name. */
  public readonly definitions: readonly KubeObject[];
  /** The releases install the CRDs: the component applies no object of its own. */
  public readonly objects: readonly KubeObject[] = [];
  public readonly helmReleases: readonly HelmReleaseSpec[];

  constructor(scope: Construct, id: string, props: CustomResourceDefinitionsProps) {
    super(scope, id);
    const byName = new Map<string, KubeObject>();
    const setOf = new Map<string, CrdSetName>();
    for (const set of props.sets ?? []) {
      let definitions: readonly KubeObject[];
      try {
        definitions = customResourceDefinitions(set) as unknown as readonly KubeObject[];
      } catch (error) {
        throw new PlatformError(`CustomResourceDefinitions ${this.node.path}: sets: ${(error as Error).message.replace(/^custom resource definitions: /, '')}`);
      }
      for (const definition of definitions) {
        byName.set(definition.metadata.name, definition);
        setOf.set(definition.metadata.name, set);
      }
    }
    const fromSets = new Set(byName.keys());
    for (const wanted of props.kinds ?? []) {
      let found: { readonly set: CrdSetName; readonly definition: KubeObject };
      try {
        found = vendoredDefinitionFor(wanted.apiVersion, wanted.kind) as unknown as { readonly set: CrdSetName; readonly definition: KubeObject };
      } catch (error) {
        throw new PlatformError(`CustomResourceDefinitions ${this.node.path}: kinds: ${(error as Error).message.replace(/^custom resource definitions: /, '')}`);
      }
      const definition = found.definition;
      if (fromSets.has(definition.metadata.name)) continue;
      if (byName.has(definition.metadata.name)) {
        throw PlatformError.invalidProp(`CustomResourceDefinitions ${this.node.path}`, 'kinds', `${wanted.apiVersion} ${wanted.kind}`, 'each kind once');
      }
      byName.set(definition.metadata.name, definition);
      setOf.set(definition.metadata.name, found.set);
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
    this.definitions = [...byName.keys()].sort().map((name) => byName.get(name)!);
    this.kinds = this.definitions.map((crd) => `${(crd.spec as { group: string }).group}/${(crd.spec as { names: { kind: string } }).names.kind}`);
    if (this.definitions.length === 0) {
      throw new PlatformError(`CustomResourceDefinitions ${this.node.path}: kinds and sets: ${formatValue([])} is not allowed (allowed: at least one custom resource kind or vendored set)`);
    }
    const bySet = new Map<CrdSetName, KubeObject[]>();
    for (const definition of this.definitions) {
      const set = setOf.get(definition.metadata.name)!;
      bySet.set(set, [...(bySet.get(set) ?? []), definition]);
    }
    this.helmReleases = [...bySet.keys()].sort().map((set) => {
      const { project: setProject, version } = crdSetParts(set);
      // `traefik-helm-chart` -> `traefik`, `eck-operator-crds` -> `eck-operator`.
      const project = setProject.replace(/-(helm-chart|crds)$/, '');
      return {
        name: `crds-${project}`,
        namespace: CRD_RELEASE_NAMESPACE,
        chart: { kind: 'local', name: `crds-${project}`, version, description: `CustomResourceDefinitions of ${project} ${version} (vendor/crds/${set})`, objects: bySet.get(set)! },
        values: {},
        takeOwnership: true,
        timeoutSeconds: CRD_RELEASE_TIMEOUT_SECONDS,
      } satisfies HelmReleaseSpec;
    });
  }
}
