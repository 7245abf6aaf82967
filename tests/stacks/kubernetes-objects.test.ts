import { Testing, TerraformStack } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import type { KubeObject } from '../../constructs/platform-component';
import { KubernetesObjects, FIELD_MANAGER } from '../../stacks/kubernetes-objects';
import { PlatformError } from '../../constructs/platform-error';

const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lms-apps' } };
const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'loan-service', namespace: 'lms-apps' }, spec: {} };
const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'lms-other' } };

function render(objects: KubeObject[]) {
  const stack = new TerraformStack(Testing.app(), 'test');
  const provider = new KubernetesProvider(stack, 'k8s', { alias: 'lusaka' });
  new KubernetesObjects(stack, 'objects', { provider, objects });
  return JSON.parse(Testing.synth(stack)).resource.kubernetes_manifest as Record<string, any>;
}

describe('KubernetesObjects', () => {
  test('one kubernetes_manifest per object, ids from kind, namespace and name', () => {
    const resources = render([deployment, namespace]);
    expect(Object.keys(resources).map((id) => id.replace(/_[0-9A-F]{8}$/, ''))).toEqual([
      'objects_deployment-lms-apps-loan-service',
      'objects_namespace-lms-apps',
    ]);
  });

  test('applies with the project field manager, on the site provider', () => {
    const resources = render([configMap]);
    const [resource] = Object.values(resources);
    expect(resource.field_manager).toEqual({ name: FIELD_MANAGER, force_conflicts: false });
    expect(resource.provider).toBe('kubernetes.lusaka');
    expect(resource.manifest).toEqual(configMap);
  });

  test('workloads wait for their rollout; namespaced objects wait for their namespace', () => {
    const resources = Object.values(render([deployment, namespace, configMap]));
    const rendered = resources.find((r) => r.manifest.kind === 'Deployment');
    expect(rendered.wait).toEqual({ rollout: true });
    expect(rendered.depends_on).toEqual([expect.stringMatching(/^kubernetes_manifest\.objects_namespace-lms-apps_/)]);
    // The ConfigMap's namespace is not in this set, so it has no dependency.
    expect(resources.find((r) => r.manifest.kind === 'ConfigMap').depends_on).toBeUndefined();
  });

  test("a Job accepts the labels and selector its controller writes; other kinds keep the provider's default", () => {
    const job: KubeObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'reconcile', namespace: 'lms-data' }, spec: { template: { spec: {} } } };
    const resources = Object.values(render([job, deployment]));
    expect(Object.fromEntries(resources.map((resource) => [resource.manifest.kind, resource.computed_fields]))).toEqual({
      Job: ['metadata.labels', 'metadata.annotations', 'spec.selector', 'spec.template.metadata.labels'],
      Deployment: undefined,
    });
  });

  test('the same object twice is an error', () => {
    expect(() => render([namespace, { ...namespace }])).toThrow(
      new PlatformError('test/objects: objects: "Namespace//lms-apps" is rendered twice (allowed: each kind/namespace/name once)'),
    );
  });
});
