import { LoadBalancerPools, METALLB_PORTS, type LoadBalancerPoolsProps } from '../../constructs/load-balancer-pools';
import type { KubeObject } from '../../constructs/platform-component';
import { VERSIONS } from '../../constructs/versions';
import { checkPolicies } from '../../policy';
import { selectorMatches } from '../../policy/objects';
import { helmTemplate, imagesOf } from '../support/helm';
import { QUOTA_FIXTURE, siteClusterFixture, testScope } from '../support/fixtures';
import { describeWithTools } from '../support/tools';

const NETWORKS: Record<'bgp' | 'l2', LoadBalancerPoolsProps['network']> = {
  bgp: {
    ranges: ['10.10.0.0/16'],
    loadBalancer: { mode: 'bgp', localAsn: 64512, peers: [{ address: '10.10.0.1', asn: 64500 }], addressPools: [{ name: 'public', addresses: ['10.10.240.0/29'] }] },
    gatewayAddress: '10.10.240.1',
  },
  l2: {
    ranges: ['10.12.0.0/16'],
    loadBalancer: { mode: 'l2', addressPools: [{ name: 'public', addresses: ['10.12.240.0/29'] }] },
    gatewayAddress: '10.12.240.1',
  },
};

function component(mode: 'bgp' | 'l2'): LoadBalancerPools {
  return new LoadBalancerPools(testScope(`test-lusaka-traffic-${mode}`), 'load-balancer-pools', {
    cluster: siteClusterFixture(),
    network: NETWORKS[mode],
    registry: 'registry.lms.co.zm',
    chartRepository: 'https://charts.lusaka.lms.co.zm',
    sizing: { nodeCount: 3, namespaceQuota: QUOTA_FIXTURE },
    metrics: { peer: { namespace: 'lms-observability', podLabels: { 'app.kubernetes.io/name': 'prometheus' }, port: 9090 }, serviceMonitorLabels: { 'lms.co.zm/scrape': 'true' } },
  });
}

const key = (object: KubeObject) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;

describeWithTools('LoadBalancerPools rendered by the real helm over the pinned chart', ['helm', 'chartDir'], (tools) => {
  describe.each(['bgp', 'l2'] as const)('%s mode', (mode) => {
    const metallb = component(mode);
    const release = metallb.helmReleases[0]!;
    let rendered: KubeObject[] = [];
    beforeAll(() => {
      rendered = helmTemplate(tools.helm, tools.chartDir, release);
    });
    const workload = (kind: string, name: string) => rendered.find((o) => o.kind === kind && o.metadata.name === name) as any;

    test('renders the controller and the speaker only: no frr-k8s, no FRR sidecar, no CRDs', () => {
      expect(rendered.filter((o) => ['Deployment', 'DaemonSet', 'StatefulSet', 'Job', 'CronJob', 'Pod'].includes(o.kind)).map(key).sort()).toEqual([
        'DaemonSet/lms-node-agents/metallb-speaker',
        'Deployment/lms-node-agents/metallb-controller',
      ]);
      expect(rendered.filter((o) => o.kind === 'CustomResourceDefinition')).toEqual([]);
      expect(rendered.filter((o) => /frr/i.test(o.metadata.name))).toEqual([]);
      expect(workload('DaemonSet', 'metallb-speaker').spec.template.spec.containers.map((c: any) => c.name)).toEqual(['speaker']);
      expect(rendered.every((o) => o.metadata.namespace === undefined || o.metadata.namespace === 'lms-node-agents')).toBe(true);
    });

    test('every image, init containers included, comes from the site registry by digest', () => {
      const images = imagesOf(rendered);
      expect(images).toEqual([
        { object: 'DaemonSet/lms-node-agents/metallb-speaker', image: `registry.lms.co.zm/metallb/speaker:v0.16.1@${VERSIONS.images.metallbSpeaker.digest}` },
        { object: 'Deployment/lms-node-agents/metallb-controller', image: `registry.lms.co.zm/metallb/controller:v0.16.1@${VERSIONS.images.metallbController.digest}` },
      ]);
      expect(images.filter(({ image }) => !/^registry\.lms\.co\.zm\/[^@]+@sha256:[0-9a-f]{64}$/.test(image))).toEqual([]);
    });

    test('the policy pack passes over the rendered release and the component\'s objects, with only the recorded exception', () => {
      const report = checkPolicies([...rendered, ...metallb.objects], { approvedRegistries: ['registry.lms.co.zm'] }, release.policySuppressions);
      expect(report.findings.filter((finding) => finding.suppressedBecause === undefined)).toEqual([]);
      expect(report.findings.map((finding) => `${finding.ruleId} ${key({ kind: finding.object.kind, metadata: { name: finding.object.name, namespace: finding.object.namespace } } as KubeObject)} ${finding.path}`)).toEqual([
        'LMS-K8S-001 DaemonSet/lms-node-agents/metallb-speaker spec.template.spec.securityContext.runAsNonRoot',
        'LMS-K8S-001 DaemonSet/lms-node-agents/metallb-speaker spec.template.spec.securityContext.runAsUser',
      ]);
    });

    test('the chart\'s ServiceMonitors carry the scrape labels and select the Services over the controller and the speakers, on the metrics port, with Prometheus\'s token', () => {
      const monitors = rendered.filter((o) => o.kind === 'ServiceMonitor') as any[];
      expect(monitors.map(key).sort()).toEqual(['ServiceMonitor/lms-node-agents/metallb-controller-monitor', 'ServiceMonitor/lms-node-agents/metallb-speaker-monitor']);
      for (const [monitor, labels] of [
        [monitors.find((m) => m.metadata.name === 'metallb-controller-monitor'), metallb.controllerLabels],
        [monitors.find((m) => m.metadata.name === 'metallb-speaker-monitor'), metallb.speakerLabels],
      ] as const) {
        expect(monitor.metadata.labels).toEqual(expect.objectContaining({ 'lms.co.zm/scrape': 'true' }));
        const service = rendered.find((o) => o.kind === 'Service' && Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => (o.metadata.labels as Record<string, string> | undefined)?.[k] === v)) as any;
        expect(Object.entries(service.spec.selector).every(([k, v]) => (labels as Record<string, string>)[k] === v)).toBe(true);
        const port = service.spec.ports.find((p: any) => p.name === monitor.spec.endpoints[0].port);
        expect([port.port, monitor.spec.endpoints[0].scheme, monitor.spec.endpoints[0].bearerTokenFile]).toEqual([METALLB_PORTS.metrics, 'https', '/var/run/secrets/kubernetes.io/serviceaccount/token']);
      }
    });

    test('every admission webhook fails closed and is served by the webhook Service the component names', () => {
      const configurations = rendered.filter((o) => o.kind === 'ValidatingWebhookConfiguration' || o.kind === 'MutatingWebhookConfiguration') as any[];
      expect(configurations.map(key)).toEqual(['ValidatingWebhookConfiguration//metallb-webhook-configuration']);
      const webhooks = configurations.flatMap((configuration) => configuration.webhooks);
      expect(webhooks.length).toBe(6);
      expect(webhooks.filter((webhook: any) => webhook.failurePolicy !== 'Fail').map((webhook: any) => webhook.name)).toEqual([]);
      expect(new Set(webhooks.map((webhook: any) => `${webhook.clientConfig.service.namespace}/${webhook.clientConfig.service.name}`))).toEqual(
        new Set([`${metallb.webhookService.namespace}/${metallb.webhookService.name}`]),
      );
      const service = workload('Service', metallb.webhookService.name);
      expect(service.spec.ports).toEqual([{ port: 443, targetPort: METALLB_PORTS.webhook }]);
    });

    test('the component\'s NetworkPolicies select the rendered pods, on the ports the chart opens', () => {
      const controller = workload('Deployment', 'metallb-controller').spec.template;
      const speaker = workload('DaemonSet', 'metallb-speaker').spec.template;
      const policy = (name: string) => metallb.objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === name) as any;
      expect(selectorMatches(policy('metallb-controller').spec.podSelector, controller.metadata.labels)).toBe(true);
      expect(selectorMatches(policy('metallb-controller').spec.podSelector, speaker.metadata.labels)).toBe(false);
      expect(selectorMatches(policy('metallb-speaker').spec.podSelector, speaker.metadata.labels)).toBe(true);
      expect(selectorMatches(policy('metallb-speaker').spec.podSelector, controller.metadata.labels)).toBe(false);
      expect(controller.spec.containers[0].ports).toEqual([
        { name: 'metricshttps', containerPort: METALLB_PORTS.metrics },
        { containerPort: METALLB_PORTS.webhook, name: 'webhook-server', protocol: 'TCP' },
      ]);
      expect(speaker.spec.containers[0].ports).toEqual([
        { name: 'metricshttps', containerPort: METALLB_PORTS.metrics },
        { name: 'memberlist-tcp', containerPort: METALLB_PORTS.memberlist, protocol: 'TCP' },
        { name: 'memberlist-udp', containerPort: METALLB_PORTS.memberlist, protocol: 'UDP' },
      ]);
    });

    test('the speaker: host network, NET_RAW only, root, node-critical; the controller at platform priority', () => {
      const speaker = workload('DaemonSet', 'metallb-speaker').spec.template.spec;
      expect(speaker.hostNetwork).toBe(true);
      expect(speaker.priorityClassName).toBe('system-node-critical');
      expect(speaker.securityContext).toEqual({ runAsNonRoot: false, runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } });
      expect(speaker.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'], add: ['NET_RAW'] } });
      const controller = workload('Deployment', 'metallb-controller').spec.template.spec;
      expect(controller.priorityClassName).toBe('lms-platform');
      expect(controller.hostNetwork).toBeUndefined();
      // No METALLB_BGP_TYPE: both run MetalLB's native BGP implementation.
      expect(controller.containers[0].env.filter((env: any) => env.name === 'METALLB_BGP_TYPE')).toEqual([]);
      expect(speaker.containers[0].env.filter((env: any) => env.name === 'METALLB_BGP_TYPE')).toEqual([]);
    });
  });
});
