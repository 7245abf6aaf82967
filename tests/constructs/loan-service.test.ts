import { LoanService } from '../../constructs/loan-service';
import { PlatformError } from '../../constructs/platform-error';
import { VERSIONS } from '../../constructs/versions';
import { loanServiceFixture, loanServiceFixtureProps, siteClusterFixture, testScope } from '../support/fixtures';
import { validateCustomResource, validateKubeObject } from '../support/kube-schema';

const objectOfKind = (service: LoanService, kind: string) => service.objects.find((o) => o.kind === kind) as any;

describe('LoanService', () => {
  test('a primary site runs the primary replica count; a DR site a warm standby', () => {
    const primary = loanServiceFixture();
    const standby = loanServiceFixture({ siteRole: 'disaster-recovery' });
    expect([primary.replicas, primary.primaryReplicas]).toEqual([3, 3]);
    expect([standby.replicas, standby.primaryReplicas]).toEqual([1, 3]);
    expect(objectOfKind(primary, 'HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 3, maxReplicas: 6 });
    expect(objectOfKind(standby, 'HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 1, maxReplicas: 6 });
    // The autoscaler owns the replica count: an apply never resets a scaled-out Deployment.
    expect(objectOfKind(primary, 'Deployment').spec.replicas).toBeUndefined();
  });

  test('pulls the pinned image by digest from the site registry', () => {
    const container = objectOfKind(loanServiceFixture(), 'Deployment').spec.template.spec.containers[0];
    expect(container.image).toBe(`registry.lms.co.zm/lms/loan-service:${VERSIONS.images.loanService.tag}@${VERSIONS.images.loanService.digest}`);
    expect(container.imagePullPolicy).toBe('IfNotPresent');
  });

  test('the pod meets the restricted Pod Security level', () => {
    const service = loanServiceFixture();
    const pod = objectOfKind(service, 'Deployment').spec.template.spec;
    const user = service.runAsUser;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: user, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: user,
      runAsNonRoot: true,
      runAsUser: user,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(user).toBe(10001);
    expect(pod.volumes).toEqual([
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
      // The site CA, which signs the object store's certificate: only `ca.crt` of the Secret.
      { name: 'trusted-ca', secret: { secretName: 'object-store-trust', items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } },
      { name: 'vault-token', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } },
    ]);
    // Only the Vault agent gets a service-account token: the injector mounts the projected volume into its containers.
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.containers[0].volumeMounts).toEqual([
      { mountPath: '/tmp', name: 'tmp' },
      { mountPath: '/etc/lms-ca', name: 'trusted-ca', readOnly: true },
    ]);
    expect(objectOfKind(service, 'Deployment').spec.template.metadata.annotations['vault.hashicorp.com/agent-service-account-token-volume-name']).toBe('vault-token');
    expect(pod.priorityClassName).toBe('lms-apps');
    expect(pod.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'loan-service' } } },
    ]);
  });

  test('probes, resources and a rollout that never drops below the desired count', () => {
    const service = loanServiceFixture();
    const deployment = objectOfKind(service, 'Deployment');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 8080, scheme: 'HTTP' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 8080, scheme: 'HTTP' });
    expect(container.startupProbe).toMatchObject({ failureThreshold: 30, httpGet: { path: '/healthz', port: 8080 } });
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1000m', memory: '512Mi' } });
    expect(service.podResources).toEqual({ cpuRequestMillis: 250, cpuLimitMillis: 1000, memoryRequestMiB: 256, memoryLimitMiB: 512 });
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(objectOfKind(service, 'PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'loan-service' } } });
  });

  test('secrets come only from Vault files; the container environment holds none', () => {
    const service = loanServiceFixture();
    const template = objectOfKind(service, 'Deployment').spec.template;
    expect(template.metadata.annotations).toMatchObject({
      'vault.hashicorp.com/agent-inject': 'true',
      'vault.hashicorp.com/agent-init-first': 'true',
      'vault.hashicorp.com/role': 'loan-service',
      'vault.hashicorp.com/service': 'https://vault.lms-security.svc.cluster.local:8200',
      'vault.hashicorp.com/agent-inject-secret-mssql-password': 'kv/data/test/loan-service',
      'vault.hashicorp.com/agent-inject-template-mssql-password': '{{- with secret "kv/data/test/loan-service" -}}{{ .Data.data.mssql_password }}{{- end -}}',
    });
    expect(service.secretFiles.map((s) => s.file)).toEqual(['mssql-password', 'auth-jwt-secret', 's3-access-key-id', 's3-secret-access-key']);
    // The object store keys are the service's own object store user's, from its own secret.
    expect(template.metadata.annotations['vault.hashicorp.com/agent-inject-template-s3-access-key-id']).toBe(
      '{{- with secret "kv/data/test/object-store/loan-service" -}}{{ .Data.data.access_key_id }}{{- end -}}',
    );
    const env = template.spec.containers[0].env as { name: string; value: string }[];
    expect(env.map((e) => e.name).filter((name) => /PASSWORD|SECRET|ACCESS_KEY/.test(name))).toEqual(['VAULT_SECRETS_DIR']);
    expect(template.spec.terminationGracePeriodSeconds).toBe(40);
  });

  test('connection settings come from the typed references it is given', () => {
    expect(loanServiceFixture().containerEnv).toMatchObject({
      MSSQL_HOST: 'mssql.lms-data.svc.cluster.local',
      MSSQL_PORT: '1433',
      MSSQL_DATABASE: 'lms',
      MSSQL_USER: 'loan_service',
      S3_ENDPOINT: 'https://s3.lms-data.svc.cluster.local:9000',
      S3_BUCKET: 'documents',
      S3_REGION: 'zm-lusaka-1',
      VAULT_SECRETS_DIR: '/vault/secrets',
      AUTH_MODE: 'jwt',
      PORT: '8080',
      SHUTDOWN_DELAY_MS: '5000',
    });
  });

  test('network policy: in from its callers and Prometheus only; out to the referenced database, store, Vault and DNS only', () => {
    const spec = objectOfKind(loanServiceFixture(), 'NetworkPolicy').spec;
    const peers = (rules: any[], side: 'from' | 'to') =>
      rules.map((rule) => `${rule[side][0].namespaceSelector.matchLabels['kubernetes.io/metadata.name']}/${Object.values(rule[side][0].podSelector.matchLabels)[0]}:${rule.ports.map((p: any) => `${p.protocol}${p.port}`).join(',')}`);
    expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(peers(spec.ingress, 'from')).toEqual(['lms-platform/gateway:TCP8080', 'lms-observability/prometheus:TCP8080']);
    expect(peers(spec.egress, 'to')).toEqual(['lms-data/mssql:TCP1433', 'lms-data/s3:TCP9000', 'lms-security/vault:TCP8200', 'kube-system/kube-dns:UDP53,TCP53']);
  });

  test('the ServiceMonitor carries the scraper\'s selection labels', () => {
    expect(objectOfKind(loanServiceFixture(), 'ServiceMonitor').metadata.labels).toMatchObject({ 'lms.co.zm/scrape': 'true' });
  });

  test('every object validates (Kubernetes schema; ServiceMonitor against the prometheus-operator CRD)', () => {
    const service = loanServiceFixture();
    expect(service.objects.map((o) => o.kind).sort()).toEqual([
      'Deployment',
      'HorizontalPodAutoscaler',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
      'ServiceMonitor',
    ]);
    for (const object of service.objects.filter((o) => o.kind !== 'ServiceMonitor')) validateKubeObject(object);
    validateCustomResource(objectOfKind(service, 'ServiceMonitor'));
  });

  test('the CRD check can fail: a ServiceMonitor endpoint with a bad field is rejected', () => {
    const monitor = objectOfKind(loanServiceFixture(), 'ServiceMonitor');
    const broken = { ...monitor, spec: { ...monitor.spec, endpoints: [{ port: 'http', interval: 30 }] } };
    expect(() => validateCustomResource(broken)).toThrow(/ServiceMonitor lms-apps\/loan-service: \/spec\/endpoints\/0\/interval must be string/);
  });

  test('bad props are rejected, naming the prop, the value and what is allowed', () => {
    const props = loanServiceFixtureProps(siteClusterFixture());
    expect(() => loanServiceFixture({ runAsUser: 0 })).toThrow(
      new PlatformError('LoanService test-lusaka-apps/loan-service: runAsUser: 0 is not allowed (allowed: a whole number above 0: the container never runs as root)'),
    );
    expect(() => loanServiceFixture({ database: { ...props.database, server: { ...props.database.server, port: 70000 } } })).toThrow(
      new PlatformError('LoanService test-lusaka-apps/loan-service: database.server.port: 70000 is not allowed (allowed: a TCP port, 1-65535)'),
    );
    expect(() => loanServiceFixture({ documentStore: { ...props.documentStore, store: { ...props.documentStore.store, url: 'http://minio:9000' } } })).toThrow(
      new PlatformError('LoanService test-lusaka-apps/loan-service: documentStore.store.url: "http://minio:9000" is not allowed (allowed: an https:// URL; documents are encrypted in transit)'),
    );
    expect(() => loanServiceFixture({ secrets: { ...props.secrets, vault: { ...props.secrets.vault, address: 'http://vault:8200' } } })).toThrow(
      new PlatformError('LoanService test-lusaka-apps/loan-service: secrets.vault.address: "http://vault:8200" is not allowed (allowed: an https:// URL; secrets are encrypted in transit)'),
    );
    expect(() => loanServiceFixture({ sizing: { ...props.sizing, cpuRequest: 'lots' } })).toThrow(PlatformError);
  });

  test('renders nothing into Terraform itself', () => {
    const service = new LoanService(testScope('apps'), 'loan-service', loanServiceFixtureProps(siteClusterFixture()));
    expect(service.node.children).toEqual([]);
  });
});
