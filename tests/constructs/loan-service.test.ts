import { LoanService } from '../../constructs/loan-service';
import { PlatformError } from '../../constructs/platform-error';
import { VERSIONS } from '../../constructs/versions';
import { VAULT_AGENT_RESOURCES } from '../../constructs/vault-values';
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
    expect(pod.volumes.map((volume: { name: string }) => volume.name)).toEqual(['tmp', 'trusted-ca', 'vault-token']);
    expect(pod.volumes.slice(0, 2)).toEqual([
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
      // The site CA, which signs the object store's certificate: only `ca.crt` of the Secret.
      { name: 'trusted-ca', secret: { secretName: 'object-store-trust', items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } },
    ]);
    expect(pod.priorityClassName).toBe('lms-apps');
    expect(pod.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'loan-service' } } },
    ]);
  });

  test('only the Vault agent gets a service-account token, from a projected volume the injector mounts into its containers alone', () => {
    const service = loanServiceFixture();
    const template = objectOfKind(service, 'Deployment').spec.template;
    // Neither the service account nor the pod hands the kubelet's token to every container.
    expect(objectOfKind(service, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    expect(template.spec.automountServiceAccountToken).toBe(false);
    // The injector takes the volume the annotation names; no container of the pod mounts it, so
    // the injector mounts it at /var/run/secrets/vault.hashicorp.com/serviceaccount in its init
    // and sidecar agent containers only, and the agent logs in with <that folder>/<path>.
    const volumeName = template.metadata.annotations['vault.hashicorp.com/agent-service-account-token-volume-name'];
    expect(volumeName).toBe('vault-token');
    expect(template.spec.volumes.filter((volume: { name: string }) => volume.name === volumeName)).toEqual([
      // No audience: the API server's own, the one Vault's TokenReview checks while the role names none.
      // The kubelet renews the token at 80 % of its hour; the agent rereads the file at each login.
      { name: 'vault-token', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } },
    ]);
    const mounts = template.spec.containers.flatMap((container: { volumeMounts?: { name: string; mountPath: string }[] }) => container.volumeMounts ?? []);
    expect(mounts.filter((mount: { name: string; mountPath: string }) => mount.name === volumeName || mount.mountPath.includes('serviceaccount'))).toEqual([]);
    expect(template.spec.initContainers).toBeUndefined();
  });

  test('the Vault agent containers get the requests and limits the namespace budget counts for them', () => {
    const service = loanServiceFixture();
    const annotations = objectOfKind(service, 'Deployment').spec.template.metadata.annotations;
    expect(VAULT_AGENT_RESOURCES).toEqual({ cpuRequest: '25m', cpuLimit: '250m', memoryRequest: '64Mi', memoryLimit: '128Mi' });
    expect(annotations).toMatchObject({
      'vault.hashicorp.com/agent-requests-cpu': '25m',
      'vault.hashicorp.com/agent-limits-cpu': '250m',
      'vault.hashicorp.com/agent-requests-mem': '64Mi',
      'vault.hashicorp.com/agent-limits-mem': '128Mi',
    });
    // The budget: the service container plus one agent per pod (the init agent runs before the sidecar, never beside it).
    expect(service.podBudget.perPod).toEqual({ cpuRequest: '275m', cpuLimit: '1250m', memoryRequest: '320Mi', memoryLimit: '640Mi' });
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
      METRICS_PORT: '9464',
      SHUTDOWN_DELAY_MS: '5000',
    });
  });

  test('tokens are checked against the identity provider it is given', () => {
    expect(loanServiceFixture().containerEnv).toMatchObject({
      AUTH_MODE: 'jwt',
      AUTH_JWT_ISSUER: 'https://id.test.lms.co.zm/realms/lms-test',
      AUTH_JWT_AUDIENCE: 'loan-service',
      AUTH_JWKS_URL: 'https://id.test.lms.co.zm/realms/lms-test/protocol/openid-connect/certs',
    });
  });

  test('network policy: callers in on the API port, Prometheus on the metrics port; out to the referenced database, store, Vault, identity provider and DNS only', () => {
    const spec = objectOfKind(loanServiceFixture(), 'NetworkPolicy').spec;
    const peer = (to: any) =>
      to.ipBlock ? to.ipBlock.cidr : `${to.namespaceSelector.matchLabels['kubernetes.io/metadata.name']}/${Object.values(to.podSelector.matchLabels)[0]}`;
    const peers = (rules: any[], side: 'from' | 'to') => rules.map((rule) => `${rule[side].map(peer).join('+')}:${rule.ports.map((p: any) => `${p.protocol}${p.port}`).join(',')}`);
    expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(peers(spec.ingress, 'from')).toEqual(['lms-platform/gateway:TCP8080', 'lms-observability/prometheus:TCP9464']);
    expect(peers(spec.egress, 'to')).toEqual(['lms-data/mssql:TCP1433', 'lms-data/s3:TCP9000', 'lms-security/vault:TCP8200', '10.60.0.0/28:TCP443', 'kube-system/kube-dns:UDP53,TCP53']);
  });

  test('the JWKS port is the one its URL names', () => {
    const props = loanServiceFixtureProps(siteClusterFixture());
    const service = loanServiceFixture({ identityProvider: { ...props.identityProvider, jwksUrl: 'https://id.test.lms.co.zm:8443/certs', addressBlocks: ['10.60.0.0/28', '10.60.16.0/28'] } });
    expect(objectOfKind(service, 'NetworkPolicy').spec.egress[3]).toEqual({
      to: [{ ipBlock: { cidr: '10.60.0.0/28' } }, { ipBlock: { cidr: '10.60.16.0/28' } }],
      ports: [{ protocol: 'TCP', port: 8443 }],
    });
  });

  test('the container names both ports; the Service forwards both; Prometheus scrapes the metrics port, probes stay on the API port', () => {
    const service = loanServiceFixture();
    const container = objectOfKind(service, 'Deployment').spec.template.spec.containers[0];
    expect(container.ports).toEqual([
      { containerPort: 8080, name: 'http' },
      { containerPort: 9464, name: 'metrics' },
    ]);
    expect([container.livenessProbe.httpGet.port, container.readinessProbe.httpGet.port, container.startupProbe.httpGet.port]).toEqual([8080, 8080, 8080]);
    expect(objectOfKind(service, 'Service').spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 8080 },
      { name: 'metrics', port: 9464, targetPort: 9464 },
    ]);
    expect(objectOfKind(service, 'ServiceMonitor').spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s', scrapeTimeout: '10s' }]);
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
    for (const runAsUser of [0, 1000, 9999, 10000.5]) {
      expect(() => loanServiceFixture({ runAsUser })).toThrow(
        new PlatformError(
          `LoanService test-lusaka-apps/loan-service: runAsUser: ${runAsUser} is not allowed (allowed: a whole number from 10000 to 2147483647, e.g. the image's own 10001: ids below 10000 belong to the node's users and root)`,
        ),
      );
    }
    expect(loanServiceFixture({ runAsUser: 10000 }).runAsUser).toBe(10000);
    const provider = props.identityProvider;
    const where = 'LoanService test-lusaka-apps/loan-service';
    expect(() => loanServiceFixture({ identityProvider: { ...provider, issuer: 'http://id.test.lms.co.zm/realms/lms-test' } })).toThrow(
      new PlatformError(`${where}: identityProvider.issuer: "http://id.test.lms.co.zm/realms/lms-test" is not allowed (allowed: an https:// URL without credentials, query or fragment; tokens and keys travel encrypted)`),
    );
    expect(() => loanServiceFixture({ identityProvider: { ...provider, jwksUrl: 'certs' } })).toThrow(
      new PlatformError(`${where}: identityProvider.jwksUrl: "certs" is not allowed (allowed: an https:// URL without credentials, query or fragment; tokens and keys travel encrypted)`),
    );
    expect(() => loanServiceFixture({ identityProvider: { ...provider, audience: 'loan service' } })).toThrow(
      new PlatformError(`${where}: identityProvider.audience: "loan service" is not allowed (allowed: the aud claim the service accepts: 1-255 printable characters without spaces, e.g. "loan-service")`),
    );
    expect(() => loanServiceFixture({ identityProvider: { ...provider, addressBlocks: [] } })).toThrow(
      new PlatformError(`${where}: identityProvider.addressBlocks: [] is not allowed (allowed: at least one IPv4 block: the pods reach the JWKS only there)`),
    );
    expect(() => loanServiceFixture({ identityProvider: { ...provider, addressBlocks: ['10.60.0.1/28'] } })).toThrow(
      new PlatformError(`${where}: identityProvider.addressBlocks[0]: "10.60.0.1/28" is not allowed (allowed: IPv4 blocks with their host bits zero, e.g. "10.60.0.0/28")`),
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
