import { Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { PlatformComponent, type KubeObject, type PolicySuppression } from '../../constructs/platform-component';
import { PlatformError } from '../../constructs/platform-error';
import { SiteStack } from '../../stacks/site-stack';
import { siteClusterFixture } from '../support/fixtures';

/** A component rendering the objects it is given. */
class GivenObjects extends PlatformComponent {
  constructor(scope: Construct, id: string, public readonly objects: readonly KubeObject[], public override readonly policySuppressions: readonly PolicySuppression[] = []) {
    super(scope, id);
  }
}

/** A Deployment that breaks the restricted pack three ways: root user, a public image without digest, no resources. */
const BROKEN: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'broken', namespace: 'lms-apps' },
  spec: {
    selector: { matchLabels: { app: 'broken' } },
    template: {
      metadata: { labels: { app: 'broken' } },
      spec: {
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'main',
            image: 'docker.io/library/nginx:1.27',
            securityContext: { runAsUser: 0, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            livenessProbe: { tcpSocket: { port: 80 } },
            readinessProbe: { tcpSocket: { port: 80 } },
          },
        ],
      },
    },
  },
};
const POLICY: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'broken', namespace: 'lms-apps' },
  spec: { podSelector: { matchLabels: { app: 'broken' } }, policyTypes: ['Ingress'] },
};

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

describe('SiteStack', () => {
  test('is named <environment>-<site>-<layer> and owns one aliased provider pair and its backend', () => {
    const stack = siteStack();
    stack.bindComponents();
    const parsed = JSON.parse(Testing.synth(stack));
    expect(stack.node.id).toBe('test-kitwe-base');
    expect(parsed.provider).toEqual({
      kubernetes: [{ alias: 'kitwe', host: 'https://api.test.kitwe.lms.co.zm:6443' }],
      helm: [{ alias: 'kitwe', kubernetes: { host: 'https://api.test.kitwe.lms.co.zm:6443' } }],
    });
    expect(parsed.terraform.backend.s3).toMatchObject({ bucket: 'state-kitwe', key: 'test-kitwe-base.tfstate', endpoints: { s3: 'https://state.test.kitwe.lms.co.zm' } });
  });

  test('binds every component created in it to its kubernetes provider, once', () => {
    const stack = siteStack();
    const cluster = siteClusterFixture({ siteName: 'kitwe' }, stack);
    expect(stack.components).toEqual([cluster]);
    stack.bindComponents();
    stack.bindComponents();
    const synthesized = Testing.synth(stack);
    const manifests = Object.values(JSON.parse(synthesized).resource.kubernetes_manifest as Record<string, { provider: string }>);
    expect(manifests).toHaveLength(cluster.objects.length);
    expect(new Set(manifests.map((m) => m.provider))).toEqual(new Set(['kubernetes.kitwe']));
    expect(synthesized).toHaveResourceWithProperties(Manifest, { manifest: expect.objectContaining({ kind: 'PriorityClass' }) });
  });

  test('a deliberately broken object fails binding with the rule id, the object and the field', () => {
    const stack = siteStack();
    new GivenObjects(stack, 'broken', [BROKEN, POLICY]);
    const expected = [
      'policy check failed (7 errors; fix each, or suppress it with a reason; rules: policy/RULES.md):',
      '  test-kitwe-base: LMS-K8S-001 Containers run as a non-root user: Deployment lms-apps/broken: spec.template.spec.containers[0].securityContext.runAsUser: 0 (allowed: a whole number above 0 (0 is root))',
    ];
    let thrown: unknown;
    try {
      stack.bindComponents();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PlatformError);
    const lines = (thrown as Error).message.split('\n');
    expect(lines.slice(0, 2)).toEqual(expected);
    const container = 'Deployment lms-apps/broken: spec.template.spec.containers[0]';
    const resources = 'LMS-K8S-008 CPU and memory requests and limits, each request within its limit';
    expect(lines.slice(2)).toEqual([
      `  test-kitwe-base: LMS-K8S-006 Images come from the site's approved registry: ${container}.image: "docker.io/library/nginx:1.27" (allowed: an image from registry.lms.co.zm)`,
      `  test-kitwe-base: LMS-K8S-007 Images pinned by digest: ${container}.image: "docker.io/library/nginx:1.27" (allowed: an image pinned by digest: <image>@sha256:<64 hex digits>)`,
      `  test-kitwe-base: ${resources}: ${container}.resources.requests.cpu: undefined (allowed: a cpu quantity above 0, e.g. "250m" or "1")`,
      `  test-kitwe-base: ${resources}: ${container}.resources.limits.cpu: undefined (allowed: a cpu quantity above 0, e.g. "250m" or "1")`,
      `  test-kitwe-base: ${resources}: ${container}.resources.requests.memory: undefined (allowed: a memory quantity above 0, e.g. "256Mi" or "1Gi")`,
      `  test-kitwe-base: ${resources}: ${container}.resources.limits.memory: undefined (allowed: a memory quantity above 0, e.g. "256Mi" or "1Gi")`,
    ]);
    expect(stack.policyReport).toBeUndefined();
  });

  test('a component\'s suppression with a reason keeps the finding in the report, marked suppressed', () => {
    const stack = siteStack();
    const image = { ...BROKEN, spec: JSON.parse(JSON.stringify((BROKEN as any).spec)) } as any;
    image.spec.template.spec.containers[0] = {
      ...image.spec.template.spec.containers[0],
      image: 'registry.lms.co.zm/nginx:1.27@sha256:' + 'a'.repeat(64),
      securityContext: { runAsUser: 10001, allowPrivilegeEscalation: false, readOnlyRootFilesystem: false, capabilities: { drop: ['ALL'] } },
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
    };
    new GivenObjects(stack, 'writable', [image, POLICY], [{ ruleId: 'LMS-K8S-005', object: 'Deployment/lms-apps/broken', reason: 'nginx writes its cache under /var/cache' }]);
    const report = stack.bindComponents();
    expect(report.findings.map((f) => [f.ruleId, f.path, f.suppressedBecause])).toEqual([
      ['LMS-K8S-005', 'spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem', 'nginx writes its cache under /var/cache'],
    ]);
  });
});
