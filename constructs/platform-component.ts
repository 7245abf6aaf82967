import { Construct } from 'constructs';

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

/**
 * What every component of the platform is: a construct that renders Kubernetes objects
 * (and, as they arrive, Helm releases) and exposes the facts other components and the
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
   * Policy rules this component's objects are exempt from, each with its reason.
   * @default - none
   */
  public readonly policySuppressions: readonly PolicySuppression[] = [];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    Object.defineProperty(this, PlatformComponent.MARKER, { value: true });
  }
}
