import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import type { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Construct } from 'constructs';
import { apiServerNormalForm } from '../constructs/api-server-normal-form';
import { terraformLiteral } from './terraform-literal';
import type { KubeObject } from '../constructs/platform-component';
import { PlatformError, formatValue } from '../constructs/platform-error';

export interface KubernetesObjectsProps {
  /** The provider of the site the objects are applied to. */
  readonly provider: KubernetesProvider;
  /** The objects, usually a cdk8s chart's `toJson()`. */
  readonly objects: readonly KubeObject[];
  /**
   * Kinds whose apply waits for the rollout to finish, so a failed rollout fails the apply.
   * @default - Deployment and StatefulSet
   */
  readonly waitForRolloutKinds?: readonly string[];
}

/**
 * Fields the API server writes into objects of a kind after they are applied, which
 * Terraform must accept as computed (besides the provider's default, `metadata.labels` and
 * `metadata.annotations`): a Job's controller labels its pod template and selector with the
 * Job's uid and name (`batch.kubernetes.io/controller-uid`, `batch.kubernetes.io/job-name`).
 */
export const SERVER_WRITTEN_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Job: ['metadata.labels', 'metadata.annotations', 'spec.selector', 'spec.template.metadata.labels'],
};

/** Field manager name the cluster records for every object this project applies. */
export const FIELD_MANAGER = 'lms-platform';

/**
 * The bridge from cdk8s to Terraform: one `kubernetes_manifest` resource per object, with a
 * stable construct id derived from kind, namespace and name (renaming an object replaces
 * it; nothing else does), and namespaced objects depending on their Namespace when it is
 * applied by the same stack.
 */
export class KubernetesObjects extends Construct {
  /** The Terraform resources, keyed by `kind/namespace/name`. */
  public readonly resources: ReadonlyMap<string, Manifest>;
  /**
   * The objects as applied: in the form the API server returns them (`apiServerNormalForm`),
   * so an apply reads back unchanged; renderers and audits read these.
   */
  public readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: KubernetesObjectsProps) {
    super(scope, id);
    this.objects = props.objects.map(apiServerNormalForm);
    const waitKinds = new Set(props.waitForRolloutKinds ?? ['Deployment', 'StatefulSet']);
    const resources = new Map<string, Manifest>();
    const namespaces = new Map<string, Manifest>();

    // Namespaces first so namespaced objects can depend on them.
    const ordered = [...this.objects].sort((a, b) => Number(b.kind === 'Namespace') - Number(a.kind === 'Namespace'));
    for (const object of ordered) {
      const key = objectKey(object);
      if (resources.has(key)) {
        throw new PlatformError(`${this.node.path}: objects: ${formatValue(key)} is rendered twice (allowed: each kind/namespace/name once)`);
      }
      const namespace = object.metadata.namespace;
      const manifest = new Manifest(this, constructIdFor(object), {
        provider: props.provider,
        manifest: terraformLiteral(object) as unknown as Record<string, unknown>,
        fieldManager: { name: FIELD_MANAGER, forceConflicts: false },
        wait: waitKinds.has(object.kind) ? { rollout: true } : undefined,
        computedFields: SERVER_WRITTEN_FIELDS[object.kind] ? [...SERVER_WRITTEN_FIELDS[object.kind]] : undefined,
        dependsOn: namespace && namespaces.has(namespace) ? [namespaces.get(namespace)!] : undefined,
      });
      resources.set(key, manifest);
      if (object.kind === 'Namespace') namespaces.set(object.metadata.name, manifest);
    }
    this.resources = resources;
  }
}

function objectKey(object: KubeObject): string {
  return `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

/** `NetworkPolicy` `default-deny` in `lms-apps` -> `networkpolicy-lms-apps-default-deny`. */
export function constructIdFor(object: KubeObject): string {
  return [object.kind, object.metadata.namespace, object.metadata.name]
    .filter((part): part is string => Boolean(part))
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-');
}
