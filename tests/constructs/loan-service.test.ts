import { Testing, TerraformStack } from 'cdktf';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { LoanService, type LoanServiceProps } from '../../constructs/loan-service';
import { PlatformError } from '../../constructs/platform-error';
import { SiteCluster } from '../../constructs/site-cluster';
import { SiteProviders } from '../../constructs/site-providers';
import { VERSIONS } from '../../constructs/versions';
import { SITE_NAMES, type SiteName } from '../../environments/schema';
import { siteClusterProps } from '../../stacks/platform';
import { ENVIRONMENTS, environmentNamed } from '../support/environments';
import { validateCustomResource, validateKubeObject } from '../support/kube-schema';

function loanService(environmentName: string, siteName: SiteName, overrides: Partial<LoanServiceProps> = {}) {
  const environment = environmentNamed(environmentName);
  const site = environment.sites[siteName];
  const app = Testing.app();
  const base = new TerraformStack(app, `${environmentName}-${siteName}-base`);
  const cluster = new SiteCluster(base, 'site', siteClusterProps(environment, siteName));
  const apps = new TerraformStack(app, `${environmentName}-${siteName}-apps`);
  const service = new LoanService(apps, 'loan-service', {
    environmentName,
    cluster,
    providers: new SiteProviders(apps, 'providers', { siteName, cluster: site.cluster }),
    siteRole: site.role,
    registry: site.registry,
    sizing: site.workloads.loanService,
    ...overrides,
  });
  return { service, apps, synthesized: Testing.synth(apps) };
}

const objectOfKind = (service: LoanService, kind: string) => service.objects.find((o) => o.kind === kind) as any;

describe('LoanService', () => {
  test('production Lusaka (primary) runs the primary replica count; Kitwe (DR) a warm standby', () => {
    const lusaka = loanService('production', 'lusaka').service;
    const kitwe = loanService('production', 'kitwe').service;
    expect(lusaka.replicas).toBe(3);
    expect(kitwe.replicas).toBe(1);
    expect(objectOfKind(lusaka, 'HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 3, maxReplicas: 8 });
    expect(objectOfKind(kitwe, 'HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 1, maxReplicas: 8 });
    // The autoscaler owns the replica count: an apply never resets a scaled-out Deployment.
    expect(objectOfKind(lusaka, 'Deployment').spec.replicas).toBeUndefined();
  });

  test('failing over is a change of roles: the same construct scales Kitwe up', () => {
    const { service } = loanService('production', 'kitwe', { siteRole: 'primary' });
    expect(service.replicas).toBe(3);
  });

  test('pulls the pinned image by digest from the site registry', () => {
    const { service } = loanService('staging', 'kitwe');
    const container = objectOfKind(service, 'Deployment').spec.template.spec.containers[0];
    expect(container.image).toBe(`registry.lms.co.zm/lms/loan-service:${VERSIONS.images.loanService.tag}@${VERSIONS.images.loanService.digest}`);
    expect(container.imagePullPolicy).toBe('IfNotPresent');
  });

  test('the pod meets the restricted Pod Security level', () => {
    const { service } = loanService('production', 'lusaka');
    const pod = objectOfKind(service, 'Deployment').spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 10001,
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.volumes).toEqual([
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
      { name: 'vault-token', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } },
    ]);
    // Only the Vault agent gets a service-account token: the injector mounts the projected volume into its containers.
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.containers[0].volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }]);
    expect(objectOfKind(service, 'Deployment').spec.template.metadata.annotations['vault.hashicorp.com/agent-service-account-token-volume-name']).toBe('vault-token');
    expect(pod.priorityClassName).toBe('lms-apps');
    expect(pod.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'loan-service' } } },
    ]);
  });

  test('probes, resources and a rollout that never drops below the desired count', () => {
    const { service } = loanService('production', 'lusaka');
    const deployment = objectOfKind(service, 'Deployment');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 8080, scheme: 'HTTP' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 8080, scheme: 'HTTP' });
    expect(container.startupProbe).toMatchObject({ failureThreshold: 30, httpGet: { path: '/healthz', port: 8080 } });
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1000m', memory: '512Mi' } });
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(objectOfKind(service, 'PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'loan-service' } } });
  });

  test('secrets come only from Vault files; the container environment holds none', () => {
    const { service } = loanService('production', 'lusaka');
    const template = objectOfKind(service, 'Deployment').spec.template;
    expect(template.metadata.annotations).toMatchObject({
      'vault.hashicorp.com/agent-inject': 'true',
      'vault.hashicorp.com/agent-init-first': 'true',
      'vault.hashicorp.com/role': 'loan-service',
      'vault.hashicorp.com/agent-inject-secret-mssql-password': 'kv/data/production/loan-service',
      'vault.hashicorp.com/agent-inject-template-mssql-password': '{{- with secret "kv/data/production/loan-service" -}}{{ .Data.data.mssql_password }}{{- end -}}',
    });
    expect(service.secretFiles.map((s) => s.file)).toEqual(['mssql-password', 's3-access-key-id', 's3-secret-access-key', 'auth-jwt-secret']);
    const env = template.spec.containers[0].env as { name: string; value: string }[];
    expect(env.map((e) => e.name).filter((name) => /PASSWORD|SECRET|ACCESS_KEY/.test(name))).toEqual(['VAULT_SECRETS_DIR']);
    expect(Object.fromEntries(env.map((e) => [e.name, e.value]))).toMatchObject({
      DATABASE_CLIENT: 'mssql',
      MSSQL_HOST: 'sql-server.lms-data.svc.cluster.local',
      DOCUMENT_STORE: 's3',
      S3_ENDPOINT: 'https://minio.lms-data.svc.cluster.local:9000',
      VAULT_SECRETS_DIR: '/vault/secrets',
      AUTH_MODE: 'jwt',
      PORT: '8080',
      SHUTDOWN_DELAY_MS: '5000',
    });
    expect(template.spec.terminationGracePeriodSeconds).toBe(40);
  });

  test('network policy: in from the ingress controller and Prometheus only; out to SQL Server, MinIO, Vault and DNS only', () => {
    const { service } = loanService('production', 'lusaka');
    const spec = objectOfKind(service, 'NetworkPolicy').spec;
    const peers = (rules: any[], side: 'from' | 'to') =>
      rules.map((rule) => `${rule[side][0].namespaceSelector.matchLabels['kubernetes.io/metadata.name']}/${Object.values(rule[side][0].podSelector.matchLabels)[0]}:${rule.ports.map((p: any) => `${p.protocol}${p.port}`).join(',')}`);
    expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(peers(spec.ingress, 'from')).toEqual(['lms-platform/ingress-nginx:TCP8080', 'lms-observability/prometheus:TCP8080']);
    expect(peers(spec.egress, 'to')).toEqual([
      'lms-data/sql-server:TCP1433',
      'lms-data/minio:TCP9000',
      'lms-security/vault:TCP8200',
      'kube-system/kube-dns:UDP53,TCP53',
    ]);
  });

  test('is applied through kubernetes_manifest on the site provider, waiting for the rollout', () => {
    const { synthesized } = loanService('production', 'kitwe');
    expect(synthesized).toHaveResourceWithProperties(Manifest, {
      provider: 'kubernetes.kitwe',
      wait: { rollout: true },
      manifest: expect.objectContaining({ kind: 'Deployment' }),
    });
  });

  test.each(ENVIRONMENTS.flatMap((env) => SITE_NAMES.map((site) => [env.name, site] as const)))(
    '%s %s: every object validates (Kubernetes schema; ServiceMonitor against the prometheus-operator CRD)',
    (environmentName, siteName) => {
      const { service } = loanService(environmentName, siteName);
      expect(service.objects.map((o) => o.kind).sort()).toEqual([
        'Deployment',
        'HorizontalPodAutoscaler',
        'NetworkPolicy',
        'PodDisruptionBudget',
        'Service',
        'ServiceAccount',
        'ServiceMonitor',
      ]);
      for (const object of service.objects) {
        if (object.kind === 'ServiceMonitor') validateCustomResource(object, 'prometheus-operator-0.93.0/monitoring.coreos.com_servicemonitors.yaml');
        else validateKubeObject(object);
      }
    },
  );

  test('the CRD check can fail: a ServiceMonitor endpoint with a bad field is rejected', () => {
    const { service } = loanService('dev', 'lusaka');
    const monitor = objectOfKind(service, 'ServiceMonitor');
    const broken = { ...monitor, spec: { ...monitor.spec, endpoints: [{ port: 'http', interval: 30 }] } };
    expect(() => validateCustomResource(broken, 'prometheus-operator-0.93.0/monitoring.coreos.com_servicemonitors.yaml')).toThrow(
      /ServiceMonitor lms-apps\/loan-service: \/spec\/endpoints\/0\/interval must be string/,
    );
  });

  test('providers of another site fail validation at synth', () => {
    const environment = environmentNamed('production');
    const app = Testing.app();
    const cluster = new SiteCluster(new TerraformStack(app, 'production-lusaka-base'), 'site', siteClusterProps(environment, 'lusaka'));
    const apps = new TerraformStack(app, 'production-lusaka-apps');
    new LoanService(apps, 'loan-service', {
      environmentName: 'production',
      cluster,
      providers: new SiteProviders(apps, 'providers', { siteName: 'kitwe', cluster: environment.sites.kitwe.cluster }),
      siteRole: 'primary',
      registry: 'registry.lms.co.zm',
      sizing: environment.sites.lusaka.workloads.loanService,
    });
    expect(() => Testing.synth(apps, true)).toThrow(
      'LoanService production-lusaka-apps/loan-service: providers: site "kitwe" is not the site of cluster "lusaka" (allowed: the providers of site "lusaka")',
    );
  });

  test('bad props are rejected, naming the prop, the value and what is allowed', () => {
    expect(() => loanService('dev', 'lusaka', { runAsUser: 0 })).toThrow(
      new PlatformError('LoanService dev-lusaka-apps/loan-service: runAsUser: 0 is not allowed (allowed: a whole number above 0: the container never runs as root)'),
    );
    expect(() => loanService('dev', 'lusaka', { database: { host: 'db', port: 70000, name: 'lms', user: 'x' } })).toThrow(
      'LoanService dev-lusaka-apps/loan-service: database.port: 70000 is not allowed (allowed: a TCP port, 1-65535)',
    );
    expect(() => loanService('dev', 'lusaka', { documentStore: { endpoint: 'http://minio:9000', bucket: 'b', region: 'r' } })).toThrow(
      'LoanService dev-lusaka-apps/loan-service: documentStore.endpoint: "http://minio:9000" is not allowed (allowed: an https:// URL; documents are encrypted in transit)',
    );
  });
});
