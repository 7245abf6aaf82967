import type { KubeObject, PolicySuppression } from '../constructs/platform-component';

export type { KubeObject, PolicySuppression };

/** What a rule may know besides the objects: site facts, never read from disk by the rule. */
export interface PolicyContext {
  /** Registry hosts images may come from, e.g. `registry.lms.co.zm` (the site's in-country mirror). */
  readonly approvedRegistries: readonly string[];
}

/**
 * `error` findings stop the synth (and fail `npm run audit`) unless suppressed; `warning`
 * findings are only reported; `info` findings record a fact an auditor should see.
 */
export type PolicyLevel = 'error' | 'warning' | 'info';

/** The object a result is about. `namespace` is `''` for cluster-scoped objects. */
export interface ObjectRef {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /**
   * The synthesized stack the object is in, when a rule reads a whole environment's plan
   * (the audit packs). Not part of the object's key: a suppression covers the object in
   * every stack that renders it.
   */
  readonly stack?: string;
}

/** One field that breaks a rule: where (a path inside the object), what was found and what is allowed. */
export interface Violation {
  /** e.g. `spec.template.spec.containers[0].securityContext.runAsNonRoot`. */
  readonly path: string;
  /** The value found there; `undefined` when the field is missing. */
  readonly value: unknown;
  /** What the rule accepts, e.g. `true`. */
  readonly allowed: string;
}

/** A rule's verdict on one object; an object that breaks a rule in several places has one result per place. */
export type RuleResult =
  | { readonly status: 'compliant'; readonly object: ObjectRef }
  | { readonly status: 'not-applicable'; readonly object: ObjectRef }
  | ({ readonly status: 'non-compliant'; readonly object: ObjectRef } & Violation);

/**
 * A rule's check: a pure function over every object of one stack. It returns at least one
 * result per object; a value it cannot resolve (missing, wrong type, unparseable) is
 * non-compliant, never a pass.
 */
export type RuleCheck = (objects: readonly KubeObject[], context: PolicyContext) => readonly RuleResult[];

/** A rule as a pack lists it: by default a check over one stack's Kubernetes objects. */
export interface PolicyRule<Input = readonly KubeObject[], Context = PolicyContext> {
  /** Stable id, e.g. `LMS-K8S-001`: suppressions and reports name rules by it. */
  readonly id: string;
  readonly level: PolicyLevel;
  /** What the rule requires, in a few words. */
  readonly title: string;
  /** Why it matters here; written into policy/RULES.md. */
  readonly why: string;
  readonly check: (input: Input, context: Context) => readonly RuleResult[];
}

/** A named table of rules, run together. */
export interface PolicyPack<Input = readonly KubeObject[], Context = PolicyContext> {
  /** Kebab-case name, e.g. `restricted-workloads`. */
  readonly name: string;
  readonly title: string;
  /** What the pack covers, for policy/RULES.md. */
  readonly description: string;
  readonly rules: readonly PolicyRule<Input, Context>[];
}

