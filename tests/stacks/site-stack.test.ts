import { Testing } from 'cdktf';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { SiteStack } from '../../stacks/site-stack';
import { siteClusterFixture } from '../support/fixtures';

function siteStack() {
  return new SiteStack(Testing.app(), {
    environmentName: 'test',
    siteName: 'kitwe',
    layer: 'base',
    cluster: { kind: 'api-endpoint', endpoint: 'https://api.test.kitwe.lms.co.zm:6443' },
    state: { kind: 's3', endpoint: 'https://state.test.kitwe.lms.co.zm', bucket: 'state-kitwe', region: 'zm-kitwe-1' },
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
});
