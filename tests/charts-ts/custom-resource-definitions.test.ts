import * as fs from 'fs';
import * as path from 'path';
import {
  CRD_SETS,
  VENDORED_CRDS_DIR,
  crdSetProvenance,
  customResourceDefinitionFor,
  customResourceDefinitions,
  parseCustomResourceDefinition,
  patchCustomResourceDefinition,
  type CrdSetName,
} from '../../charts-ts/custom-resource-definitions';
import { apiServerNormalForm } from '../../constructs/api-server-normal-form';
import { PlatformError } from '../../constructs/platform-error';
import { validateKubeObject } from '../support/kube-schema';

describe.each(CRD_SETS.map((set) => [set] as const))('customResourceDefinitions(%s)', (set: CrdSetName) => {
  const definitions = customResourceDefinitions(set);

  test('returns every CRD of the set, in the order its provenance lists them', () => {
    expect(definitions.map((crd) => `${crd.spec.group}/${crd.spec.names.kind}`)).toEqual(
      crdSetProvenance(set).files.map((file) => `${file.group}/${file.kind}`),
    );
  });

  test('each is a valid apiextensions.k8s.io/v1 CustomResourceDefinition', () => {
    for (const crd of definitions) expect(() => validateKubeObject(crd)).not.toThrow();
  });

  test('each is plain data without status or creationTimestamp: a JSON round trip gives it back', () => {
    for (const crd of definitions) {
      expect(Object.keys(crd).sort()).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
      expect(crd.metadata).not.toHaveProperty('creationTimestamp');
      expect(JSON.parse(JSON.stringify(crd))).toEqual(crd);
    }
  });

  test('each reads back as applied: the API server normal form leaves it as it is (a clean Terraform re-plan)', () => {
    for (const crd of definitions) expect({ name: crd.metadata.name, normal: apiServerNormalForm(crd) }).toEqual({ name: crd.metadata.name, normal: crd });
  });

  test('parses each file once: a second call returns the same frozen objects', () => {
    const again = customResourceDefinitions(set);
    definitions.forEach((crd, index) => expect(again[index]).toBe(crd));
    expect(Object.isFrozen(definitions[0].spec.versions[0])).toBe(true);
    expect(() => {
      (definitions[0].metadata as { name: string }).name = 'changed';
    }).toThrow(TypeError);
  });
});

describe('customResourceDefinitionFor', () => {
  test('finds the vendored CRD of a custom resource by group and kind', () => {
    const crd = customResourceDefinitionFor('monitoring.coreos.com/v1', 'ServiceMonitor');
    expect(crd.metadata.name).toBe('servicemonitors.monitoring.coreos.com');
    expect(customResourceDefinitions('prometheus-operator-0.93.0')).toContain(crd);
    expect(customResourceDefinitionFor('elasticsearch.k8s.elastic.co/v1', 'Elasticsearch').metadata.name).toBe('elasticsearches.elasticsearch.k8s.elastic.co');
  });

  test.each([
    ['gateway.networking.k8s.io/v1', 'GatewayClass', 'gatewayclasses.gateway.networking.k8s.io', 'gateway-api-1.6.1'],
    ['gateway.networking.k8s.io/v1', 'Gateway', 'gateways.gateway.networking.k8s.io', 'gateway-api-1.6.1'],
    ['gateway.networking.k8s.io/v1', 'HTTPRoute', 'httproutes.gateway.networking.k8s.io', 'gateway-api-1.6.1'],
    ['gateway.networking.k8s.io/v1', 'GRPCRoute', 'grpcroutes.gateway.networking.k8s.io', 'gateway-api-1.6.1'],
    ['gateway.networking.k8s.io/v1beta1', 'ReferenceGrant', 'referencegrants.gateway.networking.k8s.io', 'gateway-api-1.6.1'],
    ['gateway.networking.k8s.io/v1', 'BackendTLSPolicy', 'backendtlspolicies.gateway.networking.k8s.io', 'gateway-api-1.6.1'],
    ['gateway.networking.k8s.io/v1', 'ListenerSet', 'listenersets.gateway.networking.k8s.io', 'gateway-api-1.6.1'],
    ['gateway.networking.k8s.io/v1', 'TCPRoute', 'tcproutes.gateway.networking.k8s.io', 'gateway-api-1.6.1'],
    ['gateway.networking.k8s.io/v1', 'TLSRoute', 'tlsroutes.gateway.networking.k8s.io', 'gateway-api-1.6.1'],
    ['gateway.networking.k8s.io/v1', 'UDPRoute', 'udproutes.gateway.networking.k8s.io', 'gateway-api-1.6.1'],
    ['cert-manager.io/v1', 'Certificate', 'certificates.cert-manager.io', 'cert-manager-1.19.6'],
    ['cert-manager.io/v1', 'CertificateRequest', 'certificaterequests.cert-manager.io', 'cert-manager-1.19.6'],
    ['cert-manager.io/v1', 'Issuer', 'issuers.cert-manager.io', 'cert-manager-1.19.6'],
    ['cert-manager.io/v1', 'ClusterIssuer', 'clusterissuers.cert-manager.io', 'cert-manager-1.19.6'],
    ['acme.cert-manager.io/v1', 'Order', 'orders.acme.cert-manager.io', 'cert-manager-1.19.6'],
    ['acme.cert-manager.io/v1', 'Challenge', 'challenges.acme.cert-manager.io', 'cert-manager-1.19.6'],
    ['metallb.io/v1beta1', 'IPAddressPool', 'ipaddresspools.metallb.io', 'metallb-0.16.1'],
    ['metallb.io/v1beta1', 'L2Advertisement', 'l2advertisements.metallb.io', 'metallb-0.16.1'],
    ['metallb.io/v1beta2', 'BGPPeer', 'bgppeers.metallb.io', 'metallb-0.16.1'],
    ['metallb.io/v1beta1', 'BGPAdvertisement', 'bgpadvertisements.metallb.io', 'metallb-0.16.1'],
    ['metallb.io/v1beta1', 'BFDProfile', 'bfdprofiles.metallb.io', 'metallb-0.16.1'],
    ['metallb.io/v1beta1', 'Community', 'communities.metallb.io', 'metallb-0.16.1'],
    ['metallb.io/v1beta1', 'ServiceL2Status', 'servicel2statuses.metallb.io', 'metallb-0.16.1'],
    ['metallb.io/v1beta1', 'ServiceBGPStatus', 'servicebgpstatuses.metallb.io', 'metallb-0.16.1'],
    ['metallb.io/v1beta1', 'ConfigurationState', 'configurationstates.metallb.io', 'metallb-0.16.1'],
    ['traefik.io/v1alpha1', 'Middleware', 'middlewares.traefik.io', 'traefik-helm-chart-41.3.0'],
    ['traefik.io/v1alpha1', 'TLSOption', 'tlsoptions.traefik.io', 'traefik-helm-chart-41.3.0'],
    ['traefik.io/v1alpha1', 'ServersTransport', 'serverstransports.traefik.io', 'traefik-helm-chart-41.3.0'],
    ['traefik.io/v1alpha1', 'IngressRoute', 'ingressroutes.traefik.io', 'traefik-helm-chart-41.3.0'],
    ['traefik.io/v1alpha1', 'IngressRouteTCP', 'ingressroutetcps.traefik.io', 'traefik-helm-chart-41.3.0'],
    ['traefik.io/v1alpha1', 'IngressRouteUDP', 'ingressrouteudps.traefik.io', 'traefik-helm-chart-41.3.0'],
    ['traefik.io/v1alpha1', 'MiddlewareTCP', 'middlewaretcps.traefik.io', 'traefik-helm-chart-41.3.0'],
    ['traefik.io/v1alpha1', 'ServersTransportTCP', 'serverstransporttcps.traefik.io', 'traefik-helm-chart-41.3.0'],
    ['traefik.io/v1alpha1', 'TLSStore', 'tlsstores.traefik.io', 'traefik-helm-chart-41.3.0'],
    ['traefik.io/v1alpha1', 'TraefikService', 'traefikservices.traefik.io', 'traefik-helm-chart-41.3.0'],
  ] as const)('finds %s %s: %s, stored at that version, from %s', (apiVersion, kind, name, set) => {
    const crd = customResourceDefinitionFor(apiVersion, kind);
    expect(crd.metadata.name).toBe(name);
    expect(crd.spec.versions.filter((version) => version.storage).map((version) => `${crd.spec.group}/${version.name}`)).toEqual([apiVersion]);
    expect(customResourceDefinitions(set)).toContain(crd);
  });

  test('an ECK kind with typed bindings resolves to its complete schema, pod templates included; the kinds only ECK\'s install set defines resolve there', () => {
    const elasticsearch = customResourceDefinitionFor('elasticsearch.k8s.elastic.co/v1', 'Elasticsearch');
    expect(customResourceDefinitions('eck-3.5.0')).toContain(elasticsearch);
    const installed = customResourceDefinitions('eck-operator-crds-3.5.0').find((crd) => crd.metadata.name === 'elasticsearches.elasticsearch.k8s.elastic.co')!;
    const podTemplate = (crd: typeof elasticsearch) =>
      (crd.spec.versions.find((version) => version.name === 'v1')!.schema!.openAPIV3Schema as any).properties.spec.properties.nodeSets.items.properties.podTemplate;
    expect(podTemplate(installed)).toEqual({ description: expect.any(String), type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    expect(Object.keys(podTemplate(elasticsearch).properties).sort()).toEqual(['metadata', 'spec']);
    expect(customResourceDefinitions('eck-operator-crds-3.5.0')).toContain(customResourceDefinitionFor('agent.k8s.elastic.co/v1alpha1', 'Agent'));
  });

  test("MetalLB's BGPPeer carries the conversion webhook upstream's patch adds, and nothing else changes", () => {
    const bgpPeer = customResourceDefinitionFor('metallb.io/v1beta2', 'BGPPeer');
    expect(bgpPeer.spec.conversion).toEqual({
      strategy: 'Webhook',
      webhook: {
        conversionReviewVersions: ['v1beta1', 'v1beta2'],
        clientConfig: { service: { namespace: 'metallb-system', name: 'metallb-webhook-service', path: '/convert' } },
      },
    });
    const unpatched = parseCustomResourceDefinition(
      fs.readFileSync(path.join(VENDORED_CRDS_DIR, 'metallb-0.16.1', 'metallb.io_bgppeers.yaml'), 'utf8'),
      'metallb.io_bgppeers.yaml',
      { group: 'metallb.io', kind: 'BGPPeer' },
    );
    const { conversion: _conversion, ...specWithoutConversion } = bgpPeer.spec;
    expect({ ...bgpPeer, spec: specWithoutConversion }).toEqual(unpatched);
    expect(unpatched.spec).not.toHaveProperty('conversion');
  });

  test('names every vendored kind when none defines the resource', () => {
    expect(() => customResourceDefinitionFor('monitoring.coreos.com/v1', 'Silence')).toThrow(
      new PlatformError(
        'custom resource definitions: "monitoring.coreos.com/v1 Silence" is defined by no vendored CRD (allowed: monitoring.coreos.com/AlertmanagerConfig, monitoring.coreos.com/Alertmanager, monitoring.coreos.com/PodMonitor, monitoring.coreos.com/Probe, monitoring.coreos.com/PrometheusAgent, monitoring.coreos.com/Prometheus, monitoring.coreos.com/PrometheusRule, monitoring.coreos.com/ScrapeConfig, monitoring.coreos.com/ServiceMonitor, monitoring.coreos.com/ThanosRuler, beat.k8s.elastic.co/Beat, elasticsearch.k8s.elastic.co/Elasticsearch, kibana.k8s.elastic.co/Kibana, logstash.k8s.elastic.co/Logstash, gateway.networking.k8s.io/GatewayClass, gateway.networking.k8s.io/Gateway, gateway.networking.k8s.io/HTTPRoute, gateway.networking.k8s.io/GRPCRoute, gateway.networking.k8s.io/ReferenceGrant, gateway.networking.k8s.io/BackendTLSPolicy, gateway.networking.k8s.io/ListenerSet, gateway.networking.k8s.io/TCPRoute, gateway.networking.k8s.io/TLSRoute, gateway.networking.k8s.io/UDPRoute, cert-manager.io/Certificate, cert-manager.io/CertificateRequest, cert-manager.io/Issuer, cert-manager.io/ClusterIssuer, acme.cert-manager.io/Order, acme.cert-manager.io/Challenge, metallb.io/IPAddressPool, metallb.io/L2Advertisement, metallb.io/BGPPeer, metallb.io/BGPAdvertisement, metallb.io/BFDProfile, metallb.io/Community, metallb.io/ServiceL2Status, metallb.io/ServiceBGPStatus, metallb.io/ConfigurationState, traefik.io/Middleware, traefik.io/TLSOption, traefik.io/ServersTransport, traefik.io/IngressRoute, traefik.io/IngressRouteTCP, traefik.io/IngressRouteUDP, traefik.io/MiddlewareTCP, traefik.io/ServersTransportTCP, traefik.io/TLSStore, traefik.io/TraefikService, agent.k8s.elastic.co/Agent, apm.k8s.elastic.co/ApmServer, autoops.k8s.elastic.co/AutoOpsAgentPolicy, maps.k8s.elastic.co/ElasticMapsServer, autoscaling.k8s.elastic.co/ElasticsearchAutoscaler, enterprisesearch.k8s.elastic.co/EnterpriseSearch, packageregistry.k8s.elastic.co/PackageRegistry, stackconfigpolicy.k8s.elastic.co/StackConfigPolicy)',
      ),
    );
  });
});

test('an unknown set is rejected, naming the vendored ones', () => {
  expect(() => customResourceDefinitions('prometheus-operator-0.80.0' as CrdSetName)).toThrow(
    new PlatformError(
      'custom resource definitions: set "prometheus-operator-0.80.0" is not vendored (allowed: prometheus-operator-0.93.0, eck-3.5.0, eck-operator-crds-3.5.0, gateway-api-1.6.1, cert-manager-1.19.6, metallb-0.16.1, traefik-helm-chart-41.3.0)',
    ),
  );
});

describe('parseCustomResourceDefinition', () => {
  const widgets = { group: 'example.lms.co.zm', kind: 'Widget' };
  const crdYaml = (extra = '') => `---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.lms.co.zm
  creationTimestamp: null
spec:
  group: example.lms.co.zm
  names: { kind: Widget, plural: widgets }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema: { openAPIV3Schema: { type: object } }
${extra}`;

  test('drops status and metadata.creationTimestamp, keeping everything else', () => {
    const crd = parseCustomResourceDefinition(crdYaml('status:\n  acceptedNames: { kind: "", plural: "" }\n  storedVersions: [v1]\n'), 'widgets.yaml', widgets);
    expect(crd).toEqual({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.lms.co.zm' },
      spec: {
        group: 'example.lms.co.zm',
        names: { kind: 'Widget', plural: 'widgets' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
      },
    });
    expect(() => validateKubeObject(crd)).not.toThrow();
  });

  test('rejects a file that is not one CRD of the recorded group and kind, naming the file', () => {
    expect(() => parseCustomResourceDefinition(crdYaml(), 'widgets.yaml', { group: 'example.lms.co.zm', kind: 'Gadget' })).toThrow(
      new PlatformError('widgets.yaml: spec.group/spec.names.kind: "example.lms.co.zm/Widget" is not what its provenance records (allowed: "example.lms.co.zm/Gadget")'),
    );
    expect(() => parseCustomResourceDefinition('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: widgets }\n', 'widgets.yaml', widgets)).toThrow(
      new PlatformError('widgets.yaml: apiVersion/kind: "v1 ConfigMap" is not a CRD (allowed: "apiextensions.k8s.io/v1 CustomResourceDefinition")'),
    );
    expect(() => parseCustomResourceDefinition(`${crdYaml()}---\n${crdYaml()}`, 'widgets.yaml', widgets)).toThrow(
      new PlatformError('widgets.yaml: holds 2 documents (allowed: exactly one CustomResourceDefinition)'),
    );
    expect(() => parseCustomResourceDefinition('', 'widgets.yaml', widgets)).toThrow(
      new PlatformError('widgets.yaml: holds 0 documents (allowed: exactly one CustomResourceDefinition)'),
    );
    expect(() => parseCustomResourceDefinition('spec: [unclosed\n', 'widgets.yaml', widgets)).toThrow(
      new PlatformError('widgets.yaml:2:1: is not valid YAML: unexpected end of the stream within a flow collection (allowed: one CustomResourceDefinition)'),
    );
  });

  describe('patchCustomResourceDefinition', () => {
    const widgetsCrd = () => parseCustomResourceDefinition(crdYaml('  conversion: { strategy: None }\n'), 'widgets.yaml', widgets);
    const patchYaml = (name: string, spec: string) => `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${name}\nspec:\n${spec}`;

    test('merges maps, replaces everything else and removes what the patch sets to null, leaving the original as it was', () => {
      const original = widgetsCrd();
      const patched = patchCustomResourceDefinition(
        original,
        patchYaml(
          'widgets.example.lms.co.zm',
          '  conversion:\n    strategy: Webhook\n    webhook: { conversionReviewVersions: [v1], clientConfig: { service: { namespace: lms-system, name: widgets-webhook } } }\n  names: { shortNames: [wg] }\n  scope: null\n',
        ),
        'widgets-patch.yaml',
      );
      expect(patched.spec).toEqual({
        group: 'example.lms.co.zm',
        names: { kind: 'Widget', plural: 'widgets', shortNames: ['wg'] },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
        conversion: { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'], clientConfig: { service: { namespace: 'lms-system', name: 'widgets-webhook' } } } },
      });
      expect(Object.isFrozen(patched.spec.conversion)).toBe(true);
      expect(original.spec).toEqual({ ...patched.spec, names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', conversion: { strategy: 'None' } });
    });

    test('rejects a patch for another CRD, or one that is not a CRD, naming the patch file', () => {
      expect(() => patchCustomResourceDefinition(widgetsCrd(), patchYaml('gadgets.example.lms.co.zm', '  scope: Cluster\n'), 'widgets-patch.yaml')).toThrow(
        new PlatformError('widgets-patch.yaml: metadata.name: "gadgets.example.lms.co.zm" is not the CRD its provenance patches (allowed: "widgets.example.lms.co.zm")'),
      );
      expect(() => patchCustomResourceDefinition(widgetsCrd(), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: widgets.example.lms.co.zm }\n', 'widgets-patch.yaml')).toThrow(
        new PlatformError('widgets-patch.yaml: apiVersion/kind: "v1 ConfigMap" is not a CRD (allowed: "apiextensions.k8s.io/v1 CustomResourceDefinition")'),
      );
      expect(() => patchCustomResourceDefinition(widgetsCrd(), '', 'widgets-patch.yaml')).toThrow(
        new PlatformError('widgets-patch.yaml: holds 0 documents (allowed: exactly one CustomResourceDefinition patch)'),
      );
    });
  });
});
