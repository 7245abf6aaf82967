import type { KubeObject } from '../../constructs/platform-component';
import { checkPolicies, formatFinding } from '../../policy';
import { helmTemplate, imagesOf } from '../support/helm';
import { ingressGatewayFixture } from '../support/gateway-fixtures';
import { describeWithTools } from '../support/tools';

/**
 * The Traefik release exactly as the deploy installs it: the real `helm template` over the
 * pinned chart package with the values the component synthesizes (the chart's
 * values.schema.json validates them), checked like every object the platform renders.
 */
describeWithTools('IngressGateway release rendered by helm template', ['helm', 'chartDir'], (tools) => {
  const gateway = ingressGatewayFixture();
  const release = gateway.helmReleases[0];
  // What the cluster reports to helm at install: policy/v1 PodDisruptionBudgets.
  const render = (values = release.values) => helmTemplate(tools.helm, tools.chartDir, { ...release, values }, { apiVersions: ['policy/v1/PodDisruptionBudget'] });
  let rendered: KubeObject[];
  beforeAll(() => {
    rendered = render();
  });
  const one = (kind: string, name: string) => {
    const found = rendered.filter((object) => object.kind === kind && object.metadata.name === name);
    expect(found).toHaveLength(1);
    return found[0] as any;
  };

  test('renders the workload, its Services, budget, RBAC and the GatewayClass, and no CRD', () => {
    expect(rendered.map((object) => `${object.kind}/${object.metadata.name}`).sort()).toEqual([
      'ClusterRole/traefik-lms-platform',
      'ClusterRoleBinding/traefik-lms-platform',
      'Deployment/traefik',
      'GatewayClass/traefik',
      'PodDisruptionBudget/traefik',
      'Service/traefik',
      'Service/traefik-metrics',
      'ServiceAccount/traefik',
    ]);
  });

  test('every image comes from the site registry, pinned by digest', () => {
    expect(imagesOf(rendered)).toEqual([{ object: 'Deployment/lms-platform/traefik', image: gateway.image.reference }]);
    expect(gateway.image.reference).toMatch(/^registry\.lms\.co\.zm\/traefik\/traefik:v3\.7\.11@sha256:[0-9a-f]{64}$/);
  });

  test('the policy pack finds nothing over the rendered release and the component\'s objects', () => {
    const report = checkPolicies([...rendered, ...gateway.objects], { approvedRegistries: ['registry.lms.co.zm'] }, gateway.policySuppressions);
    expect(report.findings.map(formatFinding)).toEqual([]);
    // The rules did judge the Deployment: every workload rule counts it as compliant.
    expect(report.rules.filter((rule) => rule.compliant === 0).map((rule) => rule.id)).toEqual([]);
    expect(gateway.policySuppressions).toEqual([]);
  });

  test('the chart renders the GatewayClass only: the Gateway is the component\'s', () => {
    expect(one('GatewayClass', 'traefik').spec).toEqual({ controllerName: 'traefik.io/gateway-controller' });
    expect(rendered.filter((object) => object.kind === 'Gateway')).toEqual([]);
    expect(gateway.objects.filter((object) => object.kind === 'Gateway').map((object) => object.metadata.name)).toEqual(['lms-gateway']);
    expect(rendered.filter((object) => object.kind === 'IngressClass')).toEqual([]);
  });

  test('the LoadBalancer Service takes the gateway address and keeps client addresses', () => {
    const service = one('Service', 'traefik');
    expect(service.metadata.annotations).toEqual({ 'metallb.io/loadBalancerIPs': '10.10.240.1', 'metallb.io/address-pool': 'public' });
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.spec.externalTrafficPolicy).toBe('Local');
    expect(service.spec.ports).toEqual([
      { port: 80, name: 'web', targetPort: 'web', protocol: 'TCP' },
      { port: 443, name: 'websecure', targetPort: 'websecure', protocol: 'TCP' },
    ]);
  });

  test('the pods are the ones the component\'s NetworkPolicy, ServiceMonitor and peer select', () => {
    const pod = one('Deployment', 'traefik').spec.template;
    for (const [key, value] of Object.entries(gateway.peer.podLabels)) expect(pod.metadata.labels[key]).toBe(value);
    const policy = gateway.objects.find((object) => object.kind === 'NetworkPolicy') as any;
    expect(policy.spec.podSelector.matchLabels).toEqual(gateway.peer.podLabels);
    const monitor = gateway.objects.find((object) => object.kind === 'ServiceMonitor') as any;
    const metricsService = one('Service', 'traefik-metrics');
    for (const [key, value] of Object.entries(monitor.spec.selector.matchLabels)) expect(metricsService.metadata.labels[key]).toBe(value);
    expect(metricsService.spec.ports).toEqual([{ port: 9100, name: 'metrics', targetPort: 'metrics', protocol: 'TCP' }]);
  });

  test('Traefik runs as the Gateway API implementation: redirect to HTTPS, JSON logs, no dashboard, no call home', () => {
    const deployment = one('Deployment', 'traefik');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.args).toEqual(
      expect.arrayContaining([
        '--global.checkNewVersion=false',
        '--entryPoints.web.address=:8000/tcp',
        '--entryPoints.websecure.address=:8443/tcp',
        '--api.dashboard=false',
        '--metrics.prometheus=true',
        '--providers.kubernetesgateway',
        '--providers.kubernetesgateway.namespaces=lms-platform,lms-apps,lms-observability,lms-security',
        '--providers.kubernetescrd',
        '--providers.kubernetescrd.namespaces=lms-platform,lms-apps,lms-observability,lms-security',
        '--providers.kubernetescrd.defaultTLSResourcesNamespace=lms-platform',
        '--core.strictTLSOptions=true',
        '--entryPoints.web.http.redirections.entryPoint.to=:443',
        '--entryPoints.web.http.redirections.entryPoint.scheme=https',
        '--entryPoints.web.http.redirections.entryPoint.permanent=true',
        '--entryPoints.websecure.http.tls=true',
        '--log.format=json',
        '--accesslog=true',
        '--accesslog.format=json',
        '--accesslog.fields.headers.defaultmode=drop',
        '--accesslog.fields.headers.names.User-Agent=keep',
        '--accesslog.fields.queryparameters.defaultmode=drop',
      ]),
    );
    expect(container.args.filter((arg: string) => /kubernetesingress|sendAnonymousUsage|api\.insecure/.test(arg))).toEqual([]);
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.priorityClassName).toBe('lms-platform');
    expect(one('PodDisruptionBudget', 'traefik')).toMatchObject({ apiVersion: 'policy/v1', spec: { maxUnavailable: 1 } });
  });

  test('the pod meets the restricted Pod Security level of lms-platform', () => {
    const spec = one('Deployment', 'traefik').spec.template.spec;
    expect(spec.securityContext).toEqual({ runAsGroup: 65532, runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true });
    expect(spec.hostNetwork).toBe(false);
    expect(spec.containers[0].ports.filter((port: { hostPort?: number }) => port.hostPort !== undefined)).toEqual([]);
  });

  test('the chart has no admission webhook whose failure policy could open a gap', () => {
    expect(rendered.filter((object) => /WebhookConfiguration$/.test(object.kind))).toEqual([]);
  });

  test('the chart\'s values schema checks the values: an unknown key fails the render', () => {
    expect(() => render({ ...release.values, logs: { access: { enabled: true } } })).toThrow(/additional properties 'logs' not allowed/);
  });
});
