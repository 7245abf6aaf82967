import { Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { PlatformComponent, type HelmReleaseSpec, type KubeObject } from '../../constructs/platform-component';
import { renderValues } from '../../stacks/helm-releases';
import { SiteStack } from '../../stacks/site-stack';

/** A component with the releases and objects it is given. */
class Given extends PlatformComponent {
  constructor(
    scope: Construct,
    id: string,
    public readonly objects: readonly KubeObject[],
    public override readonly helmReleases: readonly HelmReleaseSpec[],
  ) {
    super(scope, id);
  }
}

const CHART = { repository: 'https://charts.kitwe.lms.co.zm', name: 'example', version: '1.2.3' };
const RELEASE: HelmReleaseSpec = { name: 'example', namespace: 'lms-platform', chart: CHART, values: { replicas: 2, image: { registry: 'registry.lms.co.zm', digest: 'sha256:0' }, args: ['--b', '--a'] } };
const SECRET_NEEDED: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'needed-first', namespace: 'lms-platform' }, data: { a: '1' } };
const CUSTOM: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-release', namespace: 'lms-platform' }, data: { b: '2' } };

function siteStack() {
  return new SiteStack(Testing.app(), {
    environmentName: 'test',
    siteName: 'kitwe',
    layer: 'base',
    cluster: { kind: 'api-endpoint', endpoint: 'https://api.test.kitwe.lms.co.zm:6443' },
    state: { kind: 's3', endpoint: 'https://state.test.kitwe.lms.co.zm', bucket: 'state-kitwe', region: 'zm-kitwe-1' },
    registry: 'registry.lms.co.zm',
  });
}

function synthesized(stack: SiteStack): { resource: Record<string, Record<string, Record<string, unknown>>> } {
  return JSON.parse(Testing.synth(stack));
}

describe('Helm releases of components', () => {
  test('values render as YAML with sorted keys, lists kept in order', () => {
    expect(renderValues(RELEASE.values)).toBe(['args:', '  - "--b"', '  - "--a"', 'image:', '  digest: sha256:0', '  registry: registry.lms.co.zm', 'replicas: 2', ''].join('\n'));
  });

  test('one helm_release per release on the site\'s helm provider: pinned chart, CRDs skipped, waited for, rolled back on failure', () => {
    const stack = siteStack();
    new Given(stack, 'given', [], [RELEASE]);
    stack.bindComponents();
    const releases = synthesized(stack).resource.helm_release;
    expect(Object.values(releases)).toEqual([
      {
        provider: 'helm.kitwe',
        name: 'example',
        namespace: 'lms-platform',
        repository: 'https://charts.kitwe.lms.co.zm',
        chart: 'example',
        version: '1.2.3',
        values: [renderValues(RELEASE.values)],
        skip_crds: true,
        create_namespace: false,
        wait: true,
        atomic: true,
        cleanup_on_fail: true,
        timeout: 600,
        max_history: 5,
      },
    ]);
  });

  test('objects follow their component\'s releases, except those a release names in `after`, which go first', () => {
    const stack = siteStack();
    new Given(stack, 'given', [SECRET_NEEDED, CUSTOM], [{ ...RELEASE, after: ['ConfigMap/lms-platform/needed-first'], timeoutSeconds: 120 }]);
    stack.bindComponents();
    const { resource } = synthesized(stack);
    const [releaseId] = Object.keys(resource.helm_release);
    const release = resource.helm_release[releaseId];
    const manifests = resource.kubernetes_manifest;
    const first = Object.keys(manifests).find((id) => id.includes('needed-first'))!;
    const later = Object.keys(manifests).find((id) => id.includes('after-release'))!;
    expect(release.timeout).toBe(120);
    expect(release.depends_on).toEqual([`kubernetes_manifest.${first}`]);
    expect(manifests[later].depends_on).toEqual([`helm_release.${releaseId}`]);
    expect(manifests[first].depends_on).toBeUndefined();
  });

  test('a release naming an object its component does not render', () => {
    const stack = siteStack();
    new Given(stack, 'given', [CUSTOM], [{ ...RELEASE, after: ['Secret/lms-platform/tls'] }]);
    expect(() => stack.bindComponents()).toThrow(
      'test-kitwe-base/given: helmReleases "lms-platform/example": after: "Secret/lms-platform/tls" is not an object of the component (allowed: ConfigMap/lms-platform/after-release)',
    );
  });

  test('the same release twice in one component', () => {
    const stack = siteStack();
    new Given(stack, 'given', [], [RELEASE, RELEASE]);
    expect(() => stack.bindComponents()).toThrow('test-kitwe-base/given/releases: helmReleases: "lms-platform/example" is installed twice (allowed: each namespace/name once)');
  });

  test('a component applied after another of its stack depends on every resource of it', () => {
    const stack = siteStack();
    const pools = new Given(stack, 'pools', [SECRET_NEEDED], [RELEASE]);
    const gateway = new Given(stack, 'gateway', [CUSTOM], []);
    gateway.applyAfter(pools);
    gateway.applyAfter(pools);
    stack.bindComponents();
    const { resource } = synthesized(stack);
    const releaseId = Object.keys(resource.helm_release)[0];
    const poolObject = Object.keys(resource.kubernetes_manifest).find((id) => id.startsWith('pools_'))!;
    const gatewayObject = Object.keys(resource.kubernetes_manifest).find((id) => id.startsWith('gateway_'))!;
    expect(resource.kubernetes_manifest[gatewayObject].depends_on).toEqual([`helm_release.${releaseId}`, `kubernetes_manifest.${poolObject}`]);
  });

  test('a component cannot wait for itself, nor for a component of another stack', () => {
    const stack = siteStack();
    const one = new Given(stack, 'one', [CUSTOM], []);
    expect(() => one.applyAfter(one)).toThrow('test-kitwe-base/one: applyAfter: a component cannot wait for itself');
    const elsewhere = new Given(siteStack(), 'elsewhere', [SECRET_NEEDED], []);
    one.applyAfter(elsewhere);
    expect(() => stack.bindComponents()).toThrow(
      'test-kitwe-base/one: applyAfter: "test-kitwe-base/elsewhere" is not a component of stack test-kitwe-base (allowed: components of the same stack; an earlier layer\'s stack already applies first)',
    );
  });
});
