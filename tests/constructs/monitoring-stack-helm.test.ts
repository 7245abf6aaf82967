import type { KubeObject } from '../../constructs/platform-component';
import { GRAFANA_ADMIN_FILES, NODE_EXPORTER_POD_LABELS, type MonitoringStack } from '../../constructs/monitoring-stack';
import { VERSIONS } from '../../constructs/versions';
import { checkPolicies } from '../../policy';
import { helmTemplate, imagesOf } from '../support/helm';
import { monitoringStackFixture } from '../support/monitoring';
import { describeWithTools } from '../support/tools';

const REGISTRY = 'registry.lms.co.zm';
const pinned = (name: keyof typeof VERSIONS.images) => `${REGISTRY}/${VERSIONS.images[name].repository}:${VERSIONS.images[name].tag}@${VERSIONS.images[name].digest}`;
const key = (object: KubeObject) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;

describeWithTools('kube-prometheus-stack release as helm renders it', ['helm', 'chartDir'], (tools) => {
  let monitoring: MonitoringStack;
  let rendered: KubeObject[];
  const named = (kind: string, name: string) => rendered.find((object) => object.kind === kind && object.metadata.name === name) as any;

  beforeAll(() => {
    monitoring = monitoringStackFixture();
    rendered = helmTemplate(tools.helm, tools.chartDir, monitoring.helmReleases[0]!, { apiVersions: ['monitoring.coreos.com/v1', 'cert-manager.io/v1'] });
  });

  test('the chart accepts the values and renders the operator, Prometheus, Alertmanager, Grafana, kube-state-metrics and node-exporter; nothing in kube-system, node-exporter in node-agents', () => {
    expect(rendered.filter((object) => ['StatefulSet', 'Deployment', 'DaemonSet', 'Prometheus', 'Alertmanager', 'ThanosRuler', 'Job'].includes(object.kind)).map(key).sort()).toEqual([
      'Alertmanager/lms-observability/monitoring-alertmanager',
      'DaemonSet/lms-node-agents/monitoring-prometheus-node-exporter',
      'Deployment/lms-observability/monitoring-grafana',
      'Deployment/lms-observability/monitoring-kube-state-metrics',
      'Deployment/lms-observability/monitoring-operator',
      'Prometheus/lms-observability/monitoring-prometheus',
    ]);
    const namespaces = [...new Set(rendered.map((object) => object.metadata.namespace).filter((namespace) => namespace !== undefined))].sort();
    expect(namespaces).toEqual(['lms-node-agents', 'lms-observability']);
    // No chart rules or dashboards: every alert is a typed platform rule, every dashboard the platform's.
    expect(rendered.filter((object) => object.kind === 'PrometheusRule').map(key)).toEqual([]);
    expect(rendered.filter((object) => object.kind === 'ConfigMap' && (object.metadata.labels as Record<string, string> | undefined)?.grafana_dashboard !== undefined).map(key)).toEqual([]);
  });

  test('every image comes from the site registry by digest, the config reloader and Thanos default included; no public registry is named anywhere', () => {
    expect(imagesOf(rendered).map((found) => found.image).sort()).toEqual(
      [pinned('nodeExporter'), pinned('grafanaSidecar'), pinned('grafanaSidecar'), pinned('grafana'), pinned('kubeStateMetrics'), pinned('prometheusOperator')].sort(),
    );
    expect(named('Prometheus', 'monitoring-prometheus').spec.image).toBe(pinned('prometheus'));
    expect(named('Alertmanager', 'monitoring-alertmanager').spec.image).toBe(pinned('alertmanager'));
    const args = named('Deployment', 'monitoring-operator').spec.template.spec.containers[0].args as string[];
    expect(args).toEqual(expect.arrayContaining([`--prometheus-config-reloader=${pinned('prometheusConfigReloader')}`, `--thanos-default-base-image=${pinned('thanos')}`]));
    const text = JSON.stringify(rendered);
    for (const publicRegistry of ['quay.io', 'docker.io', 'ghcr.io', 'gcr.io', 'registry.k8s.io']) expect([publicRegistry, text.includes(publicRegistry)]).toEqual([publicRegistry, false]);
  });

  test('Prometheus: replicas, retention and volume from the settings; rules and scrape targets selected by the platform labels from every namespace; site and environment on every series', () => {
    const spec = named('Prometheus', 'monitoring-prometheus').spec;
    expect([spec.replicas, spec.retention, spec.storage.volumeClaimTemplate.spec.resources.requests.storage]).toEqual([2, '15d', '100Gi']);
    expect(spec.ruleSelector).toEqual({ matchLabels: { 'lms.co.zm/rules': 'true' } });
    for (const field of ['serviceMonitorSelector', 'podMonitorSelector', 'probeSelector']) expect([field, spec[field]]).toEqual([field, { matchLabels: { 'lms.co.zm/scrape': 'true' } }]);
    for (const field of ['ruleNamespaceSelector', 'serviceMonitorNamespaceSelector', 'podMonitorNamespaceSelector', 'probeNamespaceSelector']) expect([field, spec[field]]).toEqual([field, {}]);
    expect(spec.externalLabels).toEqual({ environment: 'test', site: 'lusaka' });
    expect(spec.podMetadata.labels).toEqual(monitoring.podLabels.prometheus);
    expect(spec.alerting.alertmanagers).toEqual([expect.objectContaining({ name: 'monitoring-alertmanager', namespace: 'lms-observability' })]);
  });

  test('Alertmanager: clustered replicas, the platform routing in its Secret, receiver URLs from the Vault agent, no secret in the configuration', () => {
    const spec = named('Alertmanager', 'monitoring-alertmanager').spec;
    expect(spec.replicas).toBe(3);
    const secret = named('Secret', 'alertmanager-monitoring-alertmanager');
    const configuration = Buffer.from(secret.data['alertmanager.yaml'], 'base64').toString('utf8');
    expect(configuration).toContain('url_file: /vault/secrets/on-call-pager-url');
    expect(configuration).toContain('url_file: /vault/secrets/tickets-url');
    expect(configuration).not.toMatch(/https?:\/\//);
    const annotations = spec.podMetadata.annotations as Record<string, string>;
    expect(annotations['vault.hashicorp.com/role']).toBe('alertmanager');
    expect(annotations['vault.hashicorp.com/agent-inject-template-on-call-pager-url']).toBe('{{- with secret "kv/data/test/alert-receivers" -}}{{ .Data.data.on_call_pager_url }}{{- end -}}');
    expect(spec.volumes).toEqual([{ name: 'vault-token', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } }]);
  });

  test('Grafana: admin credentials from files the Vault agent writes, so the chart renders no admin Secret; dashboards only from labelled ConfigMaps', () => {
    const pod = named('Deployment', 'monitoring-grafana').spec.template;
    const grafana = pod.spec.containers.find((container: any) => container.name === 'grafana');
    const env = Object.fromEntries((grafana.env as { name: string; value?: string }[]).map((entry) => [entry.name, entry.value]));
    expect([env.GF_SECURITY_ADMIN_USER__FILE, env.GF_SECURITY_ADMIN_PASSWORD__FILE]).toEqual([`/vault/secrets/${GRAFANA_ADMIN_FILES.user}`, `/vault/secrets/${GRAFANA_ADMIN_FILES.password}`]);
    expect(Object.keys(env)).not.toContain('GF_SECURITY_ADMIN_PASSWORD');
    expect(rendered.filter((object) => object.kind === 'Secret').map(key)).toEqual(['Secret/lms-observability/alertmanager-monitoring-alertmanager']);
    expect(pod.metadata.annotations['vault.hashicorp.com/role']).toBe('grafana');
    // The Vault roles are bound to the service accounts the chart runs these pods as.
    expect(pod.spec.serviceAccountName).toBe(monitoring.vaultConsumers.find((consumer) => consumer.role === 'grafana')!.serviceAccount);
    expect(named('Alertmanager', 'monitoring-alertmanager').spec.serviceAccountName).toBe(monitoring.vaultConsumers.find((consumer) => consumer.role === 'alertmanager')!.serviceAccount);
    expect(pod.metadata.annotations['vault.hashicorp.com/agent-inject-template-grafana-admin-password']).toBe('{{- with secret "kv/data/test/grafana-admin" -}}{{ .Data.data.password }}{{- end -}}');
    expect(pod.spec.volumes).toEqual(expect.arrayContaining([{ name: 'vault-token', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } }]));
    const sidecar = pod.spec.containers.find((container: any) => container.name === 'grafana-sc-dashboard');
    const sidecarEnv = Object.fromEntries((sidecar.env as { name: string; value?: string }[]).map((entry) => [entry.name, entry.value]));
    expect([sidecarEnv.LABEL, sidecarEnv.LABEL_VALUE, sidecarEnv.NAMESPACE, sidecarEnv.FOLDER_ANNOTATION]).toEqual(['grafana_dashboard', '1', 'ALL', 'grafana_folder']);
  });

  test('the admission webhook certificate comes from the site\'s internal CA through cert-manager; no certgen Job', () => {
    const certificate = named('Certificate', 'monitoring-admission');
    expect(certificate.spec.issuerRef).toEqual({ name: 'lms-test-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' });
    expect(rendered.filter((object) => object.kind === 'Issuer' || object.kind === 'Job').map(key)).toEqual([]);
    const webhook = named('ValidatingWebhookConfiguration', 'monitoring-admission');
    expect(webhook.metadata.annotations['cert-manager.io/inject-ca-from']).toBe('lms-observability/monitoring-admission');
  });

  test('the NetworkPolicies select the pods the chart renders, on the ports they open', () => {
    const deployment = (name: string) => named('Deployment', name).spec.template;
    expect(deployment('monitoring-grafana').metadata.labels).toEqual(expect.objectContaining(monitoring.podLabels.grafana));
    expect(deployment('monitoring-operator').metadata.labels).toEqual(expect.objectContaining(monitoring.podLabels.operator));
    expect(deployment('monitoring-kube-state-metrics').metadata.labels).toEqual(expect.objectContaining(monitoring.podLabels.kubeStateMetrics));
    expect(deployment('monitoring-operator').spec.containers[0].ports.map((port: any) => port.containerPort)).toEqual([10250]);
    expect(deployment('monitoring-grafana').spec.containers.find((container: any) => container.name === 'grafana').ports.map((port: any) => port.containerPort)).toEqual(expect.arrayContaining([3000]));
    expect(deployment('monitoring-kube-state-metrics').spec.containers[0].ports.map((port: any) => port.containerPort).sort()).toEqual([8080, 8081]);
    expect(named('DaemonSet', 'monitoring-prometheus-node-exporter').spec.template.metadata.labels).toEqual(expect.objectContaining(NODE_EXPORTER_POD_LABELS));
    expect(named('DaemonSet', 'monitoring-prometheus-node-exporter').spec.template.spec.containers[0].ports.map((port: any) => port.containerPort)).toEqual([9100]);
    const policies = monitoring.objects.filter((object) => object.kind === 'NetworkPolicy').map(key).sort();
    expect(policies).toEqual([
      'NetworkPolicy/lms-node-agents/monitoring-node-exporter',
      'NetworkPolicy/lms-observability/monitoring-alertmanager',
      'NetworkPolicy/lms-observability/monitoring-grafana',
      'NetworkPolicy/lms-observability/monitoring-kube-state-metrics',
      'NetworkPolicy/lms-observability/monitoring-operator',
      'NetworkPolicy/lms-observability/monitoring-prometheus',
    ]);
  });

  test('the policy pack finds nothing in the rendered chart and the component objects but what the release records, with its reasons', () => {
    const release = monitoring.helmReleases[0]!;
    expect(release.policySuppressions?.map((suppression) => `${suppression.ruleId} ${suppression.object}`)).toEqual(['LMS-K8S-009 Deployment/lms-observability/monitoring-grafana']);
    const grafana = named('Deployment', 'monitoring-grafana').spec.template.spec.containers.find((container: any) => container.name === 'grafana');
    expect([grafana.readinessProbe.httpGet.path, grafana.livenessProbe.httpGet.path]).toEqual(['/api/health', '/api/health']);
    const unsuppressed = checkPolicies([...rendered, ...monitoring.objects], { approvedRegistries: [REGISTRY] }, [...monitoring.policySuppressions]);
    expect(unsuppressed.findings.map((finding) => `${finding.ruleId} ${finding.object.kind}/${finding.object.namespace}/${finding.object.name} ${finding.path}`)).toEqual([
      'LMS-K8S-009 Deployment/lms-observability/monitoring-grafana spec.template.spec.containers[0].livenessProbe',
      'LMS-K8S-009 Deployment/lms-observability/monitoring-grafana spec.template.spec.containers[0].readinessProbe',
      'LMS-K8S-009 Deployment/lms-observability/monitoring-grafana spec.template.spec.containers[1].livenessProbe',
      'LMS-K8S-009 Deployment/lms-observability/monitoring-grafana spec.template.spec.containers[1].readinessProbe',
    ]);
    const report = checkPolicies([...rendered, ...monitoring.objects], { approvedRegistries: [REGISTRY] }, [...monitoring.policySuppressions, ...(release.policySuppressions ?? [])]);
    expect(report.findings.filter((finding) => finding.suppressedBecause === undefined).map((finding) => `${finding.ruleId} ${finding.object.kind}/${finding.object.namespace}/${finding.object.name} ${finding.path}`)).toEqual([]);
  });
});
