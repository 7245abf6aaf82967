import type { EckOperator } from '../../constructs/eck-operator';
import { ECK_METRICS_PORT, ECK_WEBHOOK_PORT } from '../../constructs/eck-operator';
import type { KubeObject } from '../../constructs/platform-component';
import { VERSIONS } from '../../constructs/versions';
import { checkPolicies } from '../../policy';
import { eckOperatorFixture } from '../support/eck-operator';
import { helmTemplate, imagesOf } from '../support/helm';
import { describeWithTools } from '../support/tools';

const REGISTRY = 'registry.lms.co.zm';
const key = (object: KubeObject) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;

describeWithTools('eck-operator release as helm renders it', ['helm', 'chartDir'], (tools) => {
  let operator: EckOperator;
  let rendered: KubeObject[];
  const named = (kind: string, name: string) => rendered.find((object) => object.kind === kind && object.metadata.name === name) as any;
  const config = () => named('ConfigMap', 'elastic-operator').data['eck.yaml'] as string;

  beforeAll(() => {
    operator = eckOperatorFixture();
    rendered = helmTemplate(tools.helm, tools.chartDir, operator.helmReleases[0]!, { apiVersions: ['monitoring.coreos.com/v1'] });
  });

  test('the chart accepts the values and renders the operator alone: no CRD, no namespace, nothing outside the observability namespace but cluster-scoped RBAC and the webhook configuration', () => {
    expect(rendered.map(key).sort()).toEqual([
      'ClusterRole//elastic-operator',
      'ClusterRole//elastic-operator-edit',
      'ClusterRole//elastic-operator-view',
      'ClusterRoleBinding//elastic-operator',
      'ConfigMap/lms-observability/elastic-operator',
      'PodMonitor/lms-observability/elastic-operator',
      'Service/lms-observability/elastic-operator-webhook',
      'ServiceAccount/lms-observability/elastic-operator',
      'StatefulSet/lms-observability/elastic-operator',
      'ValidatingWebhookConfiguration//elastic-operator.lms-observability.k8s.elastic.co',
    ]);
    expect(rendered.filter((object) => object.kind === 'CustomResourceDefinition' || object.kind === 'Namespace').map(key)).toEqual([]);
  });

  test('every image comes from the site registry by digest; the Elastic images the operator names come from it too; no public registry is named anywhere', () => {
    expect(imagesOf(rendered).map((found) => found.image)).toEqual([`${REGISTRY}/eck/eck-operator:3.5.0@${VERSIONS.images.eckOperator.digest}`]);
    expect(config()).toContain(`container-registry: ${REGISTRY}\n`);
    expect(config()).toContain('ubi-only: false\n');
    const text = JSON.stringify(rendered);
    for (const publicRegistry of ['docker.elastic.co', 'quay.io', 'docker.io', 'ghcr.io', 'gcr.io', 'registry.k8s.io']) expect([publicRegistry, text.includes(publicRegistry)]).toEqual([publicRegistry, false]);
  });

  test('the webhook configuration trusts the cert-manager certificate: CA injected from it, no CA bundle or certificate Secret of the chart; the operator mounts its Secret and manages no certificates', () => {
    const webhook = named('ValidatingWebhookConfiguration', 'elastic-operator.lms-observability.k8s.elastic.co');
    expect(webhook.metadata.annotations).toEqual({ 'cert-manager.io/inject-ca-from': `lms-observability/${operator.webhookCertificate.name}` });
    const clientConfigs = (webhook.webhooks as any[]).map((entry) => entry.clientConfig);
    expect(clientConfigs.length).toBeGreaterThan(10);
    expect(clientConfigs.filter((clientConfig) => 'caBundle' in clientConfig || clientConfig.service.name !== 'elastic-operator-webhook' || clientConfig.service.namespace !== 'lms-observability')).toEqual([]);
    expect([...new Set((webhook.webhooks as any[]).map((entry) => entry.failurePolicy))]).toEqual(['Ignore']);
    expect([...new Set((webhook.webhooks as any[]).map((entry) => JSON.stringify(entry.namespaceSelector)))]).toEqual([
      JSON.stringify({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['lms-observability', 'lms-node-agents'] }] }),
    ]);
    expect(rendered.filter((object) => object.kind === 'Secret').map(key)).toEqual([]);
    // The certificate is valid for the name the API server calls: the webhook Service in the namespace.
    expect(operator.webhookCertificate.dnsNames).toContain(`${named('Service', 'elastic-operator-webhook').metadata.name}.lms-observability.svc`);
    expect(named('Service', 'elastic-operator-webhook').spec.ports).toEqual([{ name: 'https', port: 443, targetPort: ECK_WEBHOOK_PORT }]);
    const pod = named('StatefulSet', 'elastic-operator').spec.template.spec;
    expect(pod.volumes).toEqual(expect.arrayContaining([{ name: 'cert', secret: { defaultMode: 420, secretName: operator.webhookCertificate.secretName } }]));
    expect(config()).toContain('manage-webhook-certs: false\n');
    expect(config()).toContain('enable-webhook: true\n');
  });

  test('the operator manages the observability and node-agents namespaces only, with telemetry off', () => {
    expect(config()).toContain('namespaces: [lms-observability,lms-node-agents]\n');
    expect(config()).toContain('operator-namespace: lms-observability\n');
    expect(config()).toContain('disable-telemetry: true\n');
    expect(config()).toContain('enable-leader-election: true\n');
  });

  test('a restricted pod: non-root, RuntimeDefault seccomp, no privilege escalation, no capabilities, read-only root, requests and limits', () => {
    const statefulSet = named('StatefulSet', 'elastic-operator');
    const pod = statefulSet.spec.template.spec;
    expect(statefulSet.spec.replicas).toBe(1);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1001, runAsGroup: 1001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers.map((container: any) => container.securityContext)).toEqual([
      { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
    ]);
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '150Mi' }, limits: { cpu: '1', memory: '1Gi' } });
    expect(pod.priorityClassName).toBe('lms-platform');
    expect(pod.hostNetwork).toBeUndefined();
  });

  test("the pods carry the labels the operator's NetworkPolicy selects, on the ports it opens; the PodMonitor the site's Prometheus selects scrapes them", () => {
    const template = named('StatefulSet', 'elastic-operator').spec.template;
    const policy = operator.objects.find((object) => object.kind === 'NetworkPolicy') as any;
    expect(template.metadata.labels).toEqual(expect.objectContaining(policy.spec.podSelector.matchLabels));
    expect(template.metadata.labels).toEqual(expect.objectContaining(operator.podLabels));
    expect(template.spec.containers[0].ports.map((port: any) => `${port.name} ${port.containerPort}`)).toEqual([`metrics ${ECK_METRICS_PORT}`, `https-webhook ${ECK_WEBHOOK_PORT}`]);
    const opened = (policy.spec.ingress as any[]).flatMap((rule) => rule.ports.map((port: any) => port.port)).sort();
    expect(opened).toEqual([ECK_METRICS_PORT, ECK_WEBHOOK_PORT].sort());
    const podMonitor = named('PodMonitor', 'elastic-operator');
    expect(podMonitor.metadata.labels).toEqual(expect.objectContaining({ 'lms.co.zm/scrape': 'true' }));
    expect(template.metadata.labels).toEqual(expect.objectContaining(podMonitor.spec.selector.matchLabels));
    // Prometheus' own interval and timeout apply.
    expect(podMonitor.spec.podMetricsEndpoints).toEqual([{ port: 'metrics', path: '/metrics' }]);
    expect(podMonitor.spec.namespaceSelector).toEqual({ matchNames: ['lms-observability'] });
    // The webhook Service reaches the same pods.
    expect(template.metadata.labels).toEqual(expect.objectContaining(named('Service', 'elastic-operator-webhook').spec.selector));
  });

  test('the policy pack finds nothing in the rendered chart and the component objects but what the release records, with its reasons', () => {
    const release = operator.helmReleases[0]!;
    const unsuppressed = checkPolicies([...rendered, ...operator.objects], { approvedRegistries: [REGISTRY] }, [...operator.policySuppressions]);
    expect(unsuppressed.findings.map((finding) => `${finding.ruleId} ${finding.object.kind}/${finding.object.namespace}/${finding.object.name} ${finding.path}`)).toEqual([
      'LMS-K8S-009 StatefulSet/lms-observability/elastic-operator spec.template.spec.containers[0].livenessProbe',
      'LMS-K8S-009 StatefulSet/lms-observability/elastic-operator spec.template.spec.containers[0].readinessProbe',
    ]);
    const report = checkPolicies([...rendered, ...operator.objects], { approvedRegistries: [REGISTRY] }, [...operator.policySuppressions, ...(release.policySuppressions ?? [])]);
    expect(report.findings.filter((finding) => finding.suppressedBecause === undefined).map((finding) => `${finding.ruleId} ${finding.object.kind}/${finding.object.namespace}/${finding.object.name} ${finding.path}`)).toEqual([]);
  });
});
