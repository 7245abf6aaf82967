import { ServiceMonitor } from '../../charts-ts/imports/servicemonitor-monitoring.coreos.com';
import { PrometheusRule } from '../../charts-ts/imports/prometheusrule-monitoring.coreos.com';
import { CustomResourceDefinitions } from '../../constructs/custom-resource-definitions';
import { PlatformError } from '../../constructs/platform-error';
import { testScope } from '../support/fixtures';

const build = (kinds: ConstructorParameters<typeof CustomResourceDefinitions>[2]['kinds']) => new CustomResourceDefinitions(testScope(), 'crds', { kinds });

describe('CustomResourceDefinitions', () => {
  test('renders the vendored CRD of each kind, sorted by name', () => {
    const crds = build([ServiceMonitor.GVK, PrometheusRule.GVK]);
    expect(crds.objects.map((o) => [o.kind, o.metadata.name])).toEqual([
      ['CustomResourceDefinition', 'prometheusrules.monitoring.coreos.com'],
      ['CustomResourceDefinition', 'servicemonitors.monitoring.coreos.com'],
    ]);
    expect(crds.kinds).toEqual(['monitoring.coreos.com/PrometheusRule', 'monitoring.coreos.com/ServiceMonitor']);
    expect(crds.objects[1]).not.toHaveProperty('status');
  });

  test('a kind no vendored CRD defines, a kind twice, or none at all is rejected', () => {
    expect(() => build([{ apiVersion: 'example.com/v1', kind: 'Widget' }])).toThrow(
      /^CustomResourceDefinitions test-lusaka-base\/crds: kinds: "example.com\/v1 Widget" is defined by no vendored CRD \(allowed: .*monitoring.coreos.com\/ServiceMonitor.*\)$/,
    );
    expect(() => build([ServiceMonitor.GVK, ServiceMonitor.GVK])).toThrow(
      new PlatformError('CustomResourceDefinitions test-lusaka-base/crds: kinds: "monitoring.coreos.com/v1 ServiceMonitor" is not allowed (allowed: each kind once)'),
    );
    expect(() => build([])).toThrow(new PlatformError('CustomResourceDefinitions test-lusaka-base/crds: kinds: [] is not allowed (allowed: at least one custom resource kind)'));
  });
});
