import { Construct } from 'constructs';
import { PlatformError } from './platform-error';
import type { VaultConsumer } from './vault-secret';

/** A rendered Kubernetes object, as cdk8s `Chart.toJson()` returns it. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/**
 * A recorded exception to one policy rule for one object, kept visible in every synth
 * summary. `object` is `Kind/namespace/name` (namespace empty for cluster-scoped objects).
 */
export interface PolicySuppression {
  readonly ruleId: string;
  readonly object: string;
  /** Why the rule does not hold for this object: auditors read it. */
  readonly reason: string;
}

/** A pinned chart in the site's in-country chart repository. */
export interface HelmChartSource {
  /** The repository URL, e.g. `https://charts.lusaka.lms.co.zm` (the site's `chartRepository`). */
  readonly repository: string;
  /** Chart name in the repository, e.g. `cert-manager`. */
  readonly name: string;
  /** Exact chart version, e.g. `v1.19.6` (constructs/versions.ts). */
  readonly version: string;
}

/**
 * A chart the toolkit writes itself: the stack's folder carries it (`charts/<name>/`), so no
 * repository serves it and the synthesized plan holds every object it installs. Its objects
 * are printed as they are, never through Helm's template engine.
 */
export interface LocalHelmChart {
  readonly kind: 'local';
  /** Chart name, e.g. `crds-cert-manager`: also the folder name. */
  readonly name: string;
  /**
   * Chart version, e.g. `1.19.6`: the synth appends a digest of the objects as build
   * metadata (`1.19.6+1a2b3c4d5e6f`), so a changed object always upgrades the release.
   */
  readonly version: string;
  /** One line on what it installs (Chart.yaml `description`). */
  readonly description: string;
  /** The objects it installs, in order. */
  readonly objects: readonly KubeObject[];
}

/** Whether a release's chart is one the toolkit writes (else it comes from a repository). */
export function isLocalChart(chart: HelmChartSource | LocalHelmChart): chart is LocalHelmChart {
  return (chart as LocalHelmChart).kind === 'local';
}

/**
 * A Helm release a component installs. Charts never install their own CRDs: the base layer
 * applies the vendored copies (vendor/crds/), so every release skips them.
 */
export interface HelmReleaseSpec {
  /** Release name, unique in its namespace. */
  readonly name: string;
  readonly namespace: string;
  readonly chart: HelmChartSource | LocalHelmChart;
  /**
   * Adopt objects of the same names that exist without belonging to a release (Helm's
   * `--take-ownership`), e.g. CRDs an earlier version of the platform applied one by one.
   * @default false
   */
  readonly takeOwnership?: boolean;
  /**
   * The chart's values, typed by the component and rendered once, with sorted keys, so the
   * plan an auditor reads is byte-identical across runs.
   */
  readonly values: Readonly<Record<string, unknown>>;
  /**
   * Keys (`Kind/namespace/name`) of the component's own objects that must exist before the
   * release installs (e.g. a Certificate whose Secret a pod mounts). Every other object of
   * the component is applied after the release, so custom resources meet a running operator.
   * @default - none
   */
  readonly after?: readonly string[];
  /**
   * How long the apply waits for the release's workloads to be ready before it fails.
   * @default 600
   */
  readonly timeoutSeconds?: number;
  /**
   * Accepted policy findings on objects the chart renders (values cannot fix every chart),
   * each with its reason. The synth checks only the component's own objects; the release's
   * helm-template test runs the policy pack over the rendered chart with these.
   * @default - none
   */
  readonly policySuppressions?: readonly PolicySuppression[];
}

/** `Kind/namespace/name` of an object (namespace empty for cluster-scoped objects). */
export function objectKey(object: KubeObject): string {
  return `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

/**
 * What every component of the platform is: a construct that renders Kubernetes objects
 * and Helm releases and exposes the facts other components and the
 * audit need as readonly fields. A component never touches Terraform: the site stack it is
 * created in binds its objects to that stack's providers.
 */
export abstract class PlatformComponent extends Construct {
  /** Marks instances across module copies (instanceof fails across duplicated packages). */
  private static readonly MARKER = Symbol.for('lms-platform.PlatformComponent');

  /** True when `construct` is a platform component. */
  public static isPlatformComponent(construct: unknown): construct is PlatformComponent {
    return typeof construct === 'object' && construct !== null && PlatformComponent.MARKER in construct;
  }

  /** The rendered objects, in a stable order. */
  public abstract readonly objects: readonly KubeObject[];

  /**
   * The Helm releases the component installs, applied before its objects.
   * @default - none
   */
  public readonly helmReleases: readonly HelmReleaseSpec[] = [];

  /**
   * Policy rules this component's objects are exempt from, each with its reason.
   * @default - none
   */
  public readonly policySuppressions: readonly PolicySuppression[] = [];

  /**
   * The component's workloads that read secrets from the site's Vault, each with the exact
   * paths it declares: the site's Vault configuration gives each a policy and a role.
   * @default - none
   */
  public readonly vaultConsumers: readonly VaultConsumer[] = [];

  private readonly predecessors: PlatformComponent[] = [];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    Object.defineProperty(this, PlatformComponent.MARKER, { value: true });
  }

  /**
   * Applies this component only once `other` (a component of the same stack) is applied:
   * e.g. a release whose LoadBalancer Service waits for an address after the address pools,
   * or Certificates after cert-manager's webhook runs. Components of earlier layers need no
   * such call: their stacks apply first.
   */
  public applyAfter(other: PlatformComponent): void {
    if (other === this) throw new PlatformError(`${this.node.path}: applyAfter: a component cannot wait for itself`);
    if (!this.predecessors.includes(other)) this.predecessors.push(other);
  }

  /** The components this one is applied after, in the order they were named. */
  public get appliedAfter(): readonly PlatformComponent[] {
    return this.predecessors;
  }
}
