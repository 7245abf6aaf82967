import { customResourceDefinitions } from '../../charts-ts/custom-resource-definitions';
import { BgpAdvertisement } from '../../charts-ts/imports/bgpadvertisement-metallb.io';
import { BgpPeerV1Beta2 } from '../../charts-ts/imports/bgppeer-metallb.io';
import { Certificate } from '../../charts-ts/imports/certificate-cert-manager.io';
import { ClusterIssuer } from '../../charts-ts/imports/clusterissuer-cert-manager.io';
import { Elasticsearch } from '../../charts-ts/imports/elasticsearch.k8s.elastic.co';
import { Gateway } from '../../charts-ts/imports/gateway-gateway.networking.k8s.io';
import { GatewayClass } from '../../charts-ts/imports/gatewayclass-gateway.networking.k8s.io';
import { HttpRoute } from '../../charts-ts/imports/httproute-gateway.networking.k8s.io';
import { IpAddressPool } from '../../charts-ts/imports/ipaddresspool-metallb.io';
import { Issuer } from '../../charts-ts/imports/issuer-cert-manager.io';
import { L2Advertisement } from '../../charts-ts/imports/l2advertisement-metallb.io';
import { Middleware } from '../../charts-ts/imports/middleware-traefik.io';
import { PrometheusRule } from '../../charts-ts/imports/prometheusrule-monitoring.coreos.com';
import { ReferenceGrant } from '../../charts-ts/imports/referencegrant-gateway.networking.k8s.io';
import { ServiceMonitor } from '../../charts-ts/imports/servicemonitor-monitoring.coreos.com';
import { TlsOption } from '../../charts-ts/imports/tlsoption-traefik.io';
import { Testing } from 'cdktf';
import { CustomResourceDefinitions } from '../../constructs/custom-resource-definitions';
import { isLocalChart, type KubeObject, type LocalHelmChart } from '../../constructs/platform-component';
import { PlatformError } from '../../constructs/platform-error';
import { PLATFORM_CUSTOM_RESOURCE_KINDS, PLATFORM_OPERATOR_CRD_SETS, formerCrdAddresses } from '../../stacks/layers/base';
import { localChartVersion } from '../../stacks/local-chart';
import { buildPlatform } from '../../stacks/platform';
import { environmentNamed } from '../support/environments';
import { testScope } from '../support/fixtures';
import { helmTemplate } from '../support/helm';
import { describeWithTools } from '../support/tools';

const build = (kinds: ConstructorParameters<typeof CustomResourceDefinitions>[2]['kinds']) => new CustomResourceDefinitions(testScope(), 'crds', { kinds });

describe('CustomResourceDefinitions', () => {
  test('renders the vendored CRD of each kind, sorted by name', () => {
    const crds = build([ServiceMonitor.GVK, PrometheusRule.GVK]);
    expect(crds.definitions.map((o) => [o.kind, o.metadata.name])).toEqual([
      ['CustomResourceDefinition', 'prometheusrules.monitoring.coreos.com'],
      ['CustomResourceDefinition', 'servicemonitors.monitoring.coreos.com'],
    ]);
    expect(crds.kinds).toEqual(['monitoring.coreos.com/PrometheusRule', 'monitoring.coreos.com/ServiceMonitor']);
    expect(crds.definitions[1]).not.toHaveProperty('status');
  });

  test("installs the CRDs of the ingress, certificate and load-balancer kinds from their typed bindings' GVKs", () => {
    const kinds = [GatewayClass, Gateway, HttpRoute, ReferenceGrant, Certificate, Issuer, ClusterIssuer, IpAddressPool, L2Advertisement, BgpPeerV1Beta2, BgpAdvertisement, Middleware, TlsOption];
    expect(kinds.map((binding) => `${binding.GVK.apiVersion} ${binding.GVK.kind}`)).toEqual([
      'gateway.networking.k8s.io/v1 GatewayClass',
      'gateway.networking.k8s.io/v1 Gateway',
      'gateway.networking.k8s.io/v1 HTTPRoute',
      'gateway.networking.k8s.io/v1 ReferenceGrant',
      'cert-manager.io/v1 Certificate',
      'cert-manager.io/v1 Issuer',
      'cert-manager.io/v1 ClusterIssuer',
      'metallb.io/v1beta1 IPAddressPool',
      'metallb.io/v1beta1 L2Advertisement',
      'metallb.io/v1beta2 BGPPeer',
      'metallb.io/v1beta1 BGPAdvertisement',
      'traefik.io/v1alpha1 Middleware',
      'traefik.io/v1alpha1 TLSOption',
    ]);
    const crds = build(kinds.map((binding) => binding.GVK));
    expect(crds.definitions.map((o) => o.metadata.name)).toEqual([
      'bgpadvertisements.metallb.io',
      'bgppeers.metallb.io',
      'certificates.cert-manager.io',
      'clusterissuers.cert-manager.io',
      'gatewayclasses.gateway.networking.k8s.io',
      'gateways.gateway.networking.k8s.io',
      'httproutes.gateway.networking.k8s.io',
      'ipaddresspools.metallb.io',
      'issuers.cert-manager.io',
      'l2advertisements.metallb.io',
      'middlewares.traefik.io',
      'referencegrants.gateway.networking.k8s.io',
      'tlsoptions.traefik.io',
    ]);
    expect((crds.definitions[1].spec as { conversion: { strategy: string } }).conversion.strategy).toBe('Webhook');
  });

  test('a kind no vendored CRD defines, a kind twice, or none at all is rejected', () => {
    expect(() => build([{ apiVersion: 'example.com/v1', kind: 'Widget' }])).toThrow(
      /^CustomResourceDefinitions test-lusaka-base\/crds: kinds: "example.com\/v1 Widget" is defined by no vendored CRD \(allowed: .*monitoring.coreos.com\/ServiceMonitor.*\)$/,
    );
    expect(() => build([ServiceMonitor.GVK, ServiceMonitor.GVK])).toThrow(
      new PlatformError('CustomResourceDefinitions test-lusaka-base/crds: kinds: "monitoring.coreos.com/v1 ServiceMonitor" is not allowed (allowed: each kind once)'),
    );
    expect(() => build([])).toThrow(new PlatformError('CustomResourceDefinitions test-lusaka-base/crds: kinds and sets: [] is not allowed (allowed: at least one custom resource kind or vendored set)'));
  });

  test('a vendored set goes in whole (sorted by CRD name), and a kind also in a named set is installed once', () => {
    const crds = new CustomResourceDefinitions(testScope(), 'crds', { sets: ['cert-manager-1.19.6'], kinds: [Certificate.GVK, ServiceMonitor.GVK] });
    expect(crds.kinds).toEqual([
      'cert-manager.io/CertificateRequest',
      'cert-manager.io/Certificate',
      'acme.cert-manager.io/Challenge',
      'cert-manager.io/ClusterIssuer',
      'cert-manager.io/Issuer',
      'acme.cert-manager.io/Order',
      'monitoring.coreos.com/ServiceMonitor',
    ]);
  });

  test("a kind a named set also defines keeps the set's CRD: ECK's install CRD, not the complete schema its bindings come from", () => {
    const crds = new CustomResourceDefinitions(testScope(), 'crds', { sets: ['eck-operator-crds-3.5.0'], kinds: [Elasticsearch.GVK, ServiceMonitor.GVK] });
    expect(crds.definitions).toHaveLength(13);
    const elasticsearch = crds.definitions.find((crd) => crd.metadata.name === 'elasticsearches.elasticsearch.k8s.elastic.co');
    expect(customResourceDefinitions('eck-operator-crds-3.5.0')).toContain(elasticsearch);
    expect(customResourceDefinitions('eck-3.5.0')).not.toContain(elasticsearch);
  });

  test('a set that is not vendored', () => {
    expect(() => new CustomResourceDefinitions(testScope(), 'crds', { sets: ['istio-1.0' as never] })).toThrow(
      'CustomResourceDefinitions test-lusaka-base/crds: sets: set "istio-1.0" is not vendored (allowed: ',
    );
  });

  test('a conversion webhook answers where the operator is installed on the site', () => {
    const crds = new CustomResourceDefinitions(testScope(), 'crds', { sets: ['metallb-0.16.1'], conversionServices: { 'bgppeers.metallb.io': { namespace: 'lms-node-agents', name: 'metallb-webhook-service' } } });
    const bgpPeers = crds.definitions.find((crd) => crd.metadata.name === 'bgppeers.metallb.io')!;
    expect((bgpPeers.spec as any).conversion).toEqual({
      strategy: 'Webhook',
      webhook: { conversionReviewVersions: ['v1beta1', 'v1beta2'], clientConfig: { service: { namespace: 'lms-node-agents', name: 'metallb-webhook-service', path: '/convert' } } },
    });
    expect(() => new CustomResourceDefinitions(testScope(), 'crds', { sets: ['metallb-0.16.1'], conversionServices: { 'ipaddresspools.metallb.io': { namespace: 'x', name: 'y' } } })).toThrow(
      'CustomResourceDefinitions test-lusaka-base/crds: conversionServices: "ipaddresspools.metallb.io" is not allowed (allowed: a CRD installed here whose conversion is a webhook Service)',
    );
  });
});

describe('CustomResourceDefinitions: one Helm release per vendored set', () => {
  const crds = () =>
    new CustomResourceDefinitions(testScope(), 'crds', { sets: ['cert-manager-1.19.6', 'traefik-helm-chart-41.3.0', 'eck-operator-crds-3.5.0'], kinds: [ServiceMonitor.GVK, PrometheusRule.GVK] });

  test('each set is a release named by its project (no version, so a new set upgrades it in place), in kube-system, adopting CRDs applied before', () => {
    const component = crds();
    expect(component.objects).toEqual([]);
    expect(component.helmReleases.map((release) => [release.name, release.namespace, release.chart.name, release.chart.version, release.takeOwnership])).toEqual([
      ['crds-cert-manager', 'kube-system', 'crds-cert-manager', '1.19.6', true],
      ['crds-eck-operator', 'kube-system', 'crds-eck-operator', '3.5.0', true],
      ['crds-prometheus-operator', 'kube-system', 'crds-prometheus-operator', '0.93.0', true],
      ['crds-traefik', 'kube-system', 'crds-traefik', '41.3.0', true],
    ]);
    expect(component.helmReleases.every((release) => isLocalChart(release.chart) && Object.keys(release.values).length === 0)).toBe(true);
  });

  test("every definition is in exactly one release's chart, the one of the set it comes from", () => {
    const component = crds();
    const charted = component.helmReleases.flatMap((release) => (isLocalChart(release.chart) ? release.chart.objects : []));
    expect(charted.map((crd) => crd.metadata.name).sort()).toEqual(component.definitions.map((crd) => crd.metadata.name));
    const prometheus = component.helmReleases.find((release) => release.name === 'crds-prometheus-operator')!;
    expect(isLocalChart(prometheus.chart) && prometheus.chart.objects.map((crd) => crd.metadata.name)).toEqual(['prometheusrules.monitoring.coreos.com', 'servicemonitors.monitoring.coreos.com']);
  });

  test("the chart's version carries a digest of its objects: a changed CRD changes it, the same CRDs keep it", () => {
    const [first] = crds().helmReleases;
    const chart = first.chart as LocalHelmChart;
    expect(localChartVersion(chart)).toMatch(/^1\.19\.6\+[0-9a-f]{12}$/);
    expect(localChartVersion({ ...chart })).toBe(localChartVersion(chart));
    const changed = { ...chart, objects: [{ ...chart.objects[0], metadata: { ...chart.objects[0].metadata, labels: { changed: 'yes' } } }, ...chart.objects.slice(1)] };
    expect(localChartVersion(changed)).not.toBe(localChartVersion(chart));
  });
});

describeWithTools('CRD releases as helm renders them', ['helm'], (tools) => {
  test('helm template prints every CRD of each chart exactly as vendored (nothing read as a template), in order', () => {
    const component = new CustomResourceDefinitions(testScope(), 'crds', { sets: [...PLATFORM_OPERATOR_CRD_SETS], kinds: PLATFORM_CUSTOM_RESOURCE_KINDS });
    const rendered = component.helmReleases.flatMap((release) => helmTemplate(tools.helm, '/nonexistent', release));
    expect(rendered.map((crd) => crd.metadata.name).sort()).toEqual(component.definitions.map((crd) => crd.metadata.name));
    const byName = new Map(component.definitions.map((crd) => [crd.metadata.name, crd]));
    for (const crd of rendered) expect(crd).toEqual(byName.get(crd.metadata.name));
  });
});

describe('the base layer forgets the CRDs earlier versions applied one by one', () => {
  test('a removed block (destroy = false) for the address each CRD had, and no kubernetes_manifest for any CRD', () => {
    const app = Testing.app();
    const sites = buildPlatform(app, [environmentNamed('dev')]);
    const base = sites.get('dev-lusaka')!.base;
    const synthesized = JSON.parse(Testing.synth(base.stack));
    const manifests = Object.values(synthesized.resource.kubernetes_manifest as Record<string, { manifest: KubeObject }>).map((resource) => resource.manifest.kind);
    expect(manifests).not.toContain('CustomResourceDefinition');
    expect(synthesized.removed).toHaveLength(base.customResources.definitions.length);
    expect(synthesized.removed).toContainEqual({
      from: 'kubernetes_manifest.custom-resource-definitions_objects_customresourcedefinition-agents-agent-k8s-elastic-co_447F4817',
      lifecycle: { destroy: false },
    });
    expect(formerCrdAddresses(base.customResources)).toEqual(synthesized.removed.map((block: { from: string }) => block.from));
  });
});
