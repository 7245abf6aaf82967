import { CERT_MANAGER_METRICS_PORT, CERT_MANAGER_METRICS_PORT_NAME, CERT_MANAGER_WEBHOOK_PORT, type CertManager } from '../../constructs/cert-manager';
import { selectsLabels } from '../support/label-selector';
import type { KubeObject } from '../../constructs/platform-component';
import { VERSIONS } from '../../constructs/versions';
import { checkPolicies } from '../../policy';
import { certManagerFixture } from '../support/certificates';
import { helmTemplate, imagesOf } from '../support/helm';
import { describeWithTools } from '../support/tools';

const REGISTRY = 'registry.lms.co.zm';
const pinned = (name: keyof typeof VERSIONS.images) => `${REGISTRY}/${VERSIONS.images[name].repository}@${VERSIONS.images[name].digest}`;
const key = (object: KubeObject) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;

describeWithTools('cert-manager release as helm renders it', ['helm', 'chartDir'], (tools) => {
  const sizings = [
    ['default sizing', {}],
    ['one replica each', { replicas: { controller: 1, webhook: 1, cainjector: 1 } }],
  ] as const;

  describe.each(sizings)('%s', (_title, overrides) => {
    let manager: CertManager;
    let rendered: KubeObject[];
    const deployments = () => rendered.filter((object) => object.kind === 'Deployment') as any[];
    const deployment = (name: string) => rendered.find((object) => object.kind === 'Deployment' && object.metadata.name === name) as any;

    beforeAll(() => {
      manager = certManagerFixture(overrides);
      rendered = helmTemplate(tools.helm, tools.chartDir, manager.helmReleases[0]!);
    });

    test('renders the controller, webhook and cainjector; no CRDs, no startupapicheck, nothing outside lms-platform', () => {
      expect(deployments().map((object) => object.metadata.name).sort()).toEqual(['cert-manager', 'cert-manager-cainjector', 'cert-manager-webhook']);
      expect(rendered.filter((object) => object.kind === 'CustomResourceDefinition').map(key)).toEqual([]);
      expect(rendered.filter((object) => object.kind === 'Job' || object.metadata.name.includes('startupapicheck')).map(key)).toEqual([]);
      const namespaces = new Set(rendered.map((object) => object.metadata.namespace).filter((namespace) => namespace !== undefined));
      expect([...namespaces]).toEqual(['lms-platform']);
    });

    test('every image comes from the site registry by digest, the ACME solver included; no public registry is named anywhere', () => {
      expect(imagesOf(rendered).map((found) => found.image).sort()).toEqual([pinned('certManagerCainjector'), pinned('certManagerController'), pinned('certManagerWebhook')]);
      expect(deployment('cert-manager').spec.template.spec.containers[0].args).toContain(`--acme-http01-solver-image=${pinned('certManagerAcmeSolver')}`);
      const text = JSON.stringify(rendered);
      for (const publicRegistry of ['quay.io', 'docker.io', 'ghcr.io', 'gcr.io', 'registry.k8s.io']) expect(text).not.toContain(publicRegistry);
    });

    test('the policy pack finds no error in the rendered chart and the component objects, with the recorded suppressions', () => {
      const release = manager.helmReleases[0]!;
      const report = checkPolicies([...rendered, ...manager.objects], { approvedRegistries: [REGISTRY] }, [...manager.policySuppressions, ...(release.policySuppressions ?? [])]);
      const open = report.findings.filter((finding) => finding.suppressedBecause === undefined);
      expect(open).toEqual([]);
      // Each suppression covers a finding (checkPolicies throws for one that covers none).
      expect(report.findings.map((finding) => `${finding.ruleId} ${finding.object.kind}/${finding.object.namespace}/${finding.object.name} ${finding.path}`)).toEqual([
        'LMS-K8S-009 Deployment/lms-platform/cert-manager-cainjector spec.template.spec.containers[0].livenessProbe',
        'LMS-K8S-009 Deployment/lms-platform/cert-manager-cainjector spec.template.spec.containers[0].readinessProbe',
        'LMS-K8S-009 Deployment/lms-platform/cert-manager spec.template.spec.containers[0].readinessProbe',
      ]);
    });

    test('admission webhooks fail closed', () => {
      const configurations = rendered.filter((object) => object.kind === 'MutatingWebhookConfiguration' || object.kind === 'ValidatingWebhookConfiguration') as any[];
      expect(configurations.map(key).sort()).toEqual(['MutatingWebhookConfiguration//cert-manager-webhook', 'ValidatingWebhookConfiguration//cert-manager-webhook']);
      const policies = configurations.flatMap((configuration) => configuration.webhooks.map((webhook: any) => `${configuration.kind} ${webhook.name}: ${webhook.failurePolicy}`));
      expect(policies).toEqual(['MutatingWebhookConfiguration webhook.cert-manager.io: Fail', 'ValidatingWebhookConfiguration webhook.cert-manager.io: Fail']);
    });

    test('pods meet the restricted Pod Security level of lms-platform and run at the platform priority', () => {
      expect(manager.podSecurityLevel).toBe('restricted');
      for (const object of deployments()) {
        const pod = object.spec.template.spec;
        expect([object.metadata.name, pod.securityContext]).toEqual([object.metadata.name, { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }]);
        expect([object.metadata.name, pod.hostNetwork, pod.hostPID, pod.hostIPC, pod.volumes]).toEqual([object.metadata.name, undefined, undefined, undefined, undefined]);
        expect([object.metadata.name, pod.containers[0].securityContext]).toEqual([
          object.metadata.name,
          { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
        ]);
        expect([object.metadata.name, pod.priorityClassName]).toEqual([object.metadata.name, 'lms-platform']);
      }
    });

    test('replicas, budgets and resources follow the props', () => {
      const byName = { controller: 'cert-manager', webhook: 'cert-manager-webhook', cainjector: 'cert-manager-cainjector' } as const;
      for (const [workload, name] of Object.entries(byName) as [keyof typeof byName, string][]) {
        const object = deployment(name);
        expect([name, object.spec.replicas]).toEqual([name, manager.replicas[workload]]);
        const resources = manager.resources[workload];
        expect([name, object.spec.template.spec.containers[0].resources]).toEqual([
          name,
          { requests: { cpu: resources.cpuRequest, memory: resources.memoryRequest }, limits: { cpu: resources.cpuLimit, memory: resources.memoryLimit } },
        ]);
      }
      const budgets = rendered.filter((object) => object.kind === 'PodDisruptionBudget').map((object) => object.metadata.name).sort();
      const expected = (Object.entries(byName) as [keyof typeof byName, string][]).filter(([workload]) => manager.replicas[workload] > 1).map(([, name]) => name).sort();
      expect(budgets).toEqual(expected);
    });

    test('the NetworkPolicies select the pods the chart renders, on the ports the chart opens', () => {
      const pods = {
        controller: deployment('cert-manager').spec.template,
        webhook: deployment('cert-manager-webhook').spec.template,
        cainjector: deployment('cert-manager-cainjector').spec.template,
      };
      for (const [workload, template] of Object.entries(pods) as [keyof typeof pods, any][]) {
        expect([workload, template.metadata.labels]).toEqual([workload, expect.objectContaining(manager.podLabels[workload])]);
        const ports = template.spec.containers[0].ports.map((port: any) => port.containerPort);
        expect([workload, ports]).toEqual([workload, expect.arrayContaining([CERT_MANAGER_METRICS_PORT])]);
      }
      const webhookPorts = pods.webhook.spec.containers[0].ports.map((port: any) => `${port.name}:${port.containerPort}`);
      expect(webhookPorts).toContain(`https:${CERT_MANAGER_WEBHOOK_PORT}`);
      const service = rendered.find((object) => object.kind === 'Service' && object.metadata.name === 'cert-manager-webhook') as any;
      expect(service.spec.ports.find((port: any) => port.name === 'https').targetPort).toBe('https');
    });
    test('the PodMonitor selects the pods of all three workloads, on the port the chart names, and nothing else', () => {
      const monitor = manager.objects.find((object) => object.kind === 'PodMonitor') as any;
      expect(monitor.metadata.labels).toMatchObject({ 'lms.co.zm/scrape': 'true' });
      expect(monitor.metadata.namespace).toBe('lms-platform');
      const selected = deployments().filter((object) => selectsLabels(monitor.spec.selector, object.spec.template.metadata.labels));
      expect(selected.map((object) => object.metadata.name).sort()).toEqual(['cert-manager', 'cert-manager-cainjector', 'cert-manager-webhook']);
      for (const object of selected) {
        const ports = object.spec.template.spec.containers[0].ports.map((port: any) => `${port.name}:${port.containerPort}`);
        expect([object.metadata.name, ports]).toEqual([object.metadata.name, expect.arrayContaining([`${CERT_MANAGER_METRICS_PORT_NAME}:${CERT_MANAGER_METRICS_PORT}`])]);
      }
      expect(monitor.spec.podMetricsEndpoints.map((endpoint: any) => endpoint.port)).toEqual([CERT_MANAGER_METRICS_PORT_NAME]);
    });
  });
});
