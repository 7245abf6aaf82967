import { PlatformError } from '../../constructs/platform-error';
import { objectKey, type HelmChartSource } from '../../constructs/platform-component';
import { VAULT_AUDIT_LOG, VaultCluster } from '../../constructs/vault-cluster';
import { VERSIONS } from '../../constructs/versions';
import { validateCustomResource, validateKubeObject } from '../support/kube-schema';
import { ENVIRONMENTS } from '../support/environments';
import { TRANSIT_UNSEAL, vaultClusterFixture } from '../support/vault';

const valuesOf = (vault: VaultCluster) => vault.helmReleases[0]!.values as any;
const objectNamed = (vault: VaultCluster, kind: string, name: string) => vault.objects.find((o) => o.kind === kind && o.metadata.name === name) as any;
const SERVERS = { 'app.kubernetes.io/name': 'vault', 'app.kubernetes.io/instance': 'vault', component: 'server' };
const INJECTOR = { 'app.kubernetes.io/name': 'vault-agent-injector', 'app.kubernetes.io/instance': 'vault', component: 'webhook' };
const WHERE = 'VaultCluster test-lusaka-security/vault';
const SERVER_IMAGE = `registry.lms.co.zm/hashicorp/vault:2.0.4@${VERSIONS.images.vault.digest}`;
const INJECTOR_IMAGE = `registry.lms.co.zm/hashicorp/vault-k8s:1.7.6@${VERSIONS.images.vaultK8s.digest}`;
const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: 'TCP', port }));
const DNS_EGRESS = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
};
const API_SERVER = [{ ipBlock: { cidr: '10.10.0.0/24' } }];
const PROMETHEUS = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lms-observability' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }];
const VAULT_PODS = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lms-security' } }, podSelector: { matchLabels: SERVERS } }];

function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(PlatformError);
    return (error as Error).message;
  }
  throw new Error('expected a PlatformError');
}

describe('VaultCluster', () => {
  test('installs the pinned Vault chart from the site repository into lms-security, after its certificate and NetworkPolicies', () => {
    const vault = vaultClusterFixture();
    expect(vault.namespace).toBe('lms-security');
    expect(vault.podSecurityLevel).toBe('restricted');
    expect(vault.helmReleases).toHaveLength(1);
    const release = vault.helmReleases[0]!;
    expect(release.name).toBe('vault');
    expect(release.namespace).toBe('lms-security');
    expect(release.chart).toEqual({ repository: 'https://charts.lusaka.lms.co.zm', name: 'vault', version: '0.34.1' });
    expect(release.after).toEqual(['Certificate/lms-security/vault-server', 'NetworkPolicy/lms-security/vault-server', 'NetworkPolicy/lms-security/vault-agent-injector']);
    expect(release.policySuppressions?.map((suppression) => suppression.object)).toEqual(['StatefulSet/lms-security/vault']);
    expect(vault.objects.map(objectKey)).toEqual([
      'Certificate/lms-security/vault-server',
      'NetworkPolicy/lms-security/vault-server',
      'NetworkPolicy/lms-security/vault-agent-injector',
      'ServiceMonitor/lms-security/vault',
      'Certificate/lms-apps/vault-agent-trust',
      'Certificate/lms-data/vault-agent-trust',
      'Certificate/lms-observability/vault-agent-trust',
      'Certificate/lms-platform/vault-agent-trust',
    ]);
  });

  test('each consumer namespace gets the CA through a certificate Secret the agent mounts, from the same issuer', () => {
    const vault = vaultClusterFixture();
    expect(vault.consumerNamespaces).toEqual(['lms-apps', 'lms-data', 'lms-observability', 'lms-platform']);
    const trust = vault.objects.filter((o) => o.kind === 'Certificate' && o.metadata.name === 'vault-agent-trust') as any[];
    trust.forEach((object) => validateCustomResource(object));
    expect(trust.map((o) => ({ namespace: o.metadata.namespace, secretName: o.spec.secretName, dnsNames: o.spec.dnsNames, issuer: o.spec.issuerRef.name, usages: o.spec.usages }))).toEqual(
      ['lms-apps', 'lms-data', 'lms-observability', 'lms-platform'].map((namespace) => ({
        namespace,
        secretName: 'vault-agent-trust',
        dnsNames: [`vault-agent-trust.${namespace}.svc`],
        issuer: (vault.objects[0] as any).spec.issuerRef.name,
        usages: ['digital signature', 'client auth'],
      })),
    );
  });

  test('the servers\' certificate: every Service name, the pods behind the headless Service and the operations host, from the internal CA', () => {
    const vault = vaultClusterFixture();
    const certificate = objectNamed(vault, 'Certificate', 'vault-server');
    expect(certificate.spec.dnsNames).toEqual([
      'vault.lms-security',
      'vault.lms-security.svc',
      'vault.lms-security.svc.cluster.local',
      'vault-active.lms-security.svc',
      'vault-active.lms-security.svc.cluster.local',
      '*.vault-internal.lms-security.svc',
      '*.vault-internal.lms-security.svc.cluster.local',
      'vault.prod.lusaka.lms.co.zm',
    ]);
    expect(certificate.spec.usages).toEqual(['digital signature', 'server auth', 'client auth']);
    expect(certificate.spec.issuerRef).toEqual({ name: 'lms-test-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' });
    expect(certificate.spec.secretName).toBe('vault-server-tls');
    expect(certificate.metadata.labels).toEqual({ 'app.kubernetes.io/part-of': 'lms-platform', 'app.kubernetes.io/managed-by': 'cdktf', 'lms.co.zm/environment': 'test', 'lms.co.zm/site': 'lusaka' });
    validateCustomResource(certificate);
    expect(vault.certificate.secretName).toBe('vault-server-tls');
    expect(vault.uiHost).toBe('vault.prod.lusaka.lms.co.zm');
  });

  test('consumers get the address, the server pods and the CA to trust', () => {
    const vault = vaultClusterFixture();
    expect(vault.endpoint).toEqual({
      address: 'https://vault.lms-security.svc.cluster.local:8200',
      peer: { namespace: 'lms-security', podLabels: SERVERS, port: 8200 },
      trustAnchor: { description: 'the test internal root CA of site lusaka', secret: { namespace: 'lms-platform', name: 'lms-test-root-ca', key: 'ca.crt' } },
      caSecretName: 'vault-agent-trust',
    });
    expect(vault.auditLogPath).toBe('/vault/audit/audit.log');
    expect(VAULT_AUDIT_LOG).toBe('/vault/audit/audit.log');
  });

  test('images come from the site registry by digest: server, injector and the agent it injects', () => {
    const vault = vaultClusterFixture();
    const values = valuesOf(vault);
    expect(values.server.image).toEqual({ repository: 'registry.lms.co.zm/hashicorp/vault', tag: `2.0.4@${VERSIONS.images.vault.digest}`, pullPolicy: 'IfNotPresent' });
    expect(values.injector.image).toEqual({ repository: 'registry.lms.co.zm/hashicorp/vault-k8s', tag: `1.7.6@${VERSIONS.images.vaultK8s.digest}`, pullPolicy: 'IfNotPresent' });
    expect(values.injector.agentImage).toEqual({ repository: 'registry.lms.co.zm/hashicorp/vault', tag: `2.0.4@${VERSIONS.images.vault.digest}` });
    expect(vault.images).toEqual({ server: SERVER_IMAGE, injector: INJECTOR_IMAGE, agent: SERVER_IMAGE });
    expect(values.csi).toEqual({ enabled: false });
  });

  test('HA Raft with replicas from the props, a budget that keeps the quorum, the critical-data priority, restricted pods', () => {
    const values = valuesOf(vaultClusterFixture());
    expect(values.server.ha).toEqual({ enabled: true, replicas: 3, disruptionBudget: { enabled: true, maxUnavailable: 1 }, raft: { enabled: true, setNodeId: true, config: expect.any(String) } });
    expect(values.server.priorityClassName).toBe('lms-critical-data');
    expect(values.injector.priorityClassName).toBe('lms-platform');
    const restricted = {
      pod: { runAsNonRoot: true, runAsUser: 100, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      container: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
    };
    expect(values.server.statefulSet.securityContext).toEqual(restricted);
    expect(values.injector.securityContext).toEqual(restricted);
    expect(values.global).toEqual({ tlsDisable: false, psp: { enable: false }, serverTelemetry: { prometheusOperator: false } });
    expect(values.injector.replicas).toBe(2);
    expect(values.injector.podDisruptionBudget).toEqual({ minAvailable: 1 });
    expect(values.server.updateStrategyType).toBe('OnDelete');
  });

  test('one server in dev: one injector, no budgets (one server cannot keep a quorum through a drain)', () => {
    const vault = vaultClusterFixture({ replicas: 1 });
    expect(valuesOf(vault).server.ha.replicas).toBe(1);
    expect(vault.injectorReplicas).toBe(1);
    expect(valuesOf(vault).injector.podDisruptionBudget).toEqual({});
    expect(valuesOf(vault).server.ha.disruptionBudget).toEqual({ enabled: false });
  });

  test('resources and volumes follow the props', () => {
    const vault = vaultClusterFixture({
      resources: { server: { cpuRequest: '500m', memoryRequest: '512Mi', cpuLimit: '2', memoryLimit: '2Gi' } },
      storage: { data: { size: '50Gi', storageClass: 'fast-ssd' }, audit: { size: '20Gi' } },
    });
    const values = valuesOf(vault);
    expect(values.server.resources).toEqual({ requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } });
    expect(values.injector.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } });
    expect(values.server.dataStorage).toEqual({ enabled: true, size: '50Gi', mountPath: '/vault/data', storageClass: 'fast-ssd', accessMode: 'ReadWriteOnce' });
    expect(values.server.auditStorage).toEqual({ enabled: true, size: '20Gi', mountPath: '/vault/audit', storageClass: null, accessMode: 'ReadWriteOnce' });
  });

  test('the certificate is mounted read-only, /tmp is the only writable path besides the volumes, the CLI verifies the certificate', () => {
    const values = valuesOf(vaultClusterFixture());
    expect(values.server.volumes).toEqual([
      { name: 'tls', secret: { secretName: 'vault-server-tls', defaultMode: 0o440 } },
      { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
    ]);
    expect(values.server.volumeMounts).toEqual([
      { name: 'tls', mountPath: '/vault/tls', readOnly: true },
      { name: 'tmp', mountPath: '/tmp', readOnly: false },
    ]);
    expect(values.server.extraEnvironmentVars).toEqual({ VAULT_CACERT: '/vault/tls/ca.crt', VAULT_TLS_SERVER_NAME: 'vault.lms-security.svc' });
    expect(values.server.extraSecretEnvironmentVars).toEqual([]);
  });

  test('Shamir: TLS on the listener, a retry_join over TLS to every server, no seal stanza', () => {
    const vault = vaultClusterFixture();
    expect(valuesOf(vault).server.ha.raft.config).toBe(vault.serverConfig);
    expect(vault.serverConfig).toContain(['listener "tcp" {', '  address         = "[::]:8200"', '  cluster_address = "[::]:8201"', '  tls_disable     = false', '  tls_cert_file   = "/vault/tls/tls.crt"', '  tls_key_file    = "/vault/tls/tls.key"'].join('\n'));
    for (const index of [0, 1, 2]) {
      expect(vault.serverConfig).toContain(
        [
          '  retry_join {',
          `    leader_api_addr         = "https://vault-${index}.vault-internal:8200"`,
          '    leader_ca_cert_file     = "/vault/tls/ca.crt"',
          `    leader_tls_servername   = "vault-${index}.vault-internal.lms-security.svc"`,
        ].join('\n'),
      );
    }
    expect(vault.serverConfig.match(/retry_join/g)).toHaveLength(3);
    expect(vault.serverConfig).not.toContain('seal');
    expect(vault.serverConfig).not.toMatch(/tls_disable\s*=\s*(true|1)/);
    // The chart's start script rewrites these words in the configuration.
    for (const word of ['POD_IP', 'HOST_IP', 'HOSTNAME', 'API_ADDR', 'TRANSIT_ADDR', 'RAFT_ADDR']) expect([word, vault.serverConfig.includes(word)]).toEqual([word, false]);
  });

  test('transit: the seal stanza, the token from a Secret placed out of band (never in the values), egress to the transit Vault', () => {
    const vault = vaultClusterFixture({ unseal: TRANSIT_UNSEAL });
    expect(vault.serverConfig).toContain(
      [
        'seal "transit" {',
        '  address         = "https://unseal.lms.co.zm:8200"',
        '  key_name        = "lms-test-unseal"',
        '  mount_path      = "transit/"',
        '  tls_ca_cert     = "/vault/transit-unseal/ca.crt"',
        '  disable_renewal = "false"',
        '}',
      ].join('\n'),
    );
    expect(vault.serverConfig).not.toMatch(/^\s*token\s*=/m);
    const values = valuesOf(vault);
    expect(values.server.extraSecretEnvironmentVars).toEqual([{ envName: 'VAULT_TOKEN', secretName: 'vault-transit-unseal', secretKey: 'token' }]);
    expect(values.server.volumes[2]).toEqual({ name: 'transit-unseal', secret: { secretName: 'vault-transit-unseal', defaultMode: 0o440, items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
    expect(values.server.volumeMounts[2]).toEqual({ name: 'transit-unseal', mountPath: '/vault/transit-unseal', readOnly: true });
    expect(objectNamed(vault, 'NetworkPolicy', 'vault-server').spec.egress[2]).toEqual({ to: [{ ipBlock: { cidr: '10.60.0.0/28' } }], ports: tcp(8200) });
    expect(objectNamed(vaultClusterFixture({ unseal: { ...TRANSIT_UNSEAL, address: 'https://unseal.lms.co.zm' } }), 'NetworkPolicy', 'vault-server').spec.egress[2].ports).toEqual(tcp(443));
  });

  test('the server NetworkPolicy: the API from the consuming namespaces and Prometheus, Raft between the servers, out to each other, the API server and DNS', () => {
    const policy = objectNamed(vaultClusterFixture(), 'NetworkPolicy', 'vault-server');
    validateKubeObject(policy);
    expect(policy.metadata.namespace).toBe('lms-security');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: SERVERS },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['lms-apps', 'lms-data', 'lms-observability', 'lms-platform'] }] } }], ports: tcp(8200) },
        { from: PROMETHEUS, ports: tcp(8200) },
        { from: VAULT_PODS, ports: tcp(8200, 8201) },
      ],
      egress: [{ to: VAULT_PODS, ports: tcp(8200, 8201) }, { to: API_SERVER, ports: tcp(6443) }, DNS_EGRESS],
    });
  });

  test('the injector NetworkPolicy: the webhook and metrics port from the API server and Prometheus, out to the API server and DNS', () => {
    const policy = objectNamed(vaultClusterFixture(), 'NetworkPolicy', 'vault-agent-injector');
    validateKubeObject(policy);
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: INJECTOR },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: API_SERVER, ports: tcp(8080) }, { from: PROMETHEUS, ports: tcp(8080) }],
      egress: [{ to: API_SERVER, ports: tcp(6443) }, DNS_EGRESS],
    });
  });

  test('the injector keeps the chart\'s failurePolicy Ignore and only sees the consuming namespaces and Vault\'s own (its snapshot job)', () => {
    const values = valuesOf(vaultClusterFixture({ consumerNamespaces: ['lms-apps'] }));
    expect(values.injector.webhook).toEqual({ failurePolicy: 'Ignore', namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['lms-apps', 'lms-security'] }] } });
    expect(values.injector.metrics).toEqual({ enabled: true });
  });

  test.each(ENVIRONMENTS.map((env) => [env.name, env] as const))('the %s environment\'s settings build both sites', (_name, env) => {
    for (const site of [env.sites.lusaka, env.sites.kitwe]) {
      const vault = vaultClusterFixture({ unseal: env.vault.unseal, replicas: env.vault.replicas, siteDnsDomain: site.dnsDomain, registry: site.registry, chartRepository: site.chartRepository });
      expect([site.dnsDomain, vault.replicas, vault.uiHost, (vault.helmReleases[0]!.chart as HelmChartSource).repository]).toEqual([site.dnsDomain, env.vault.replicas, `vault.${site.dnsDomain}`, site.chartRepository]);
    }
  });

  test('the same props render the same release and objects', () => {
    expect(JSON.stringify([vaultClusterFixture().helmReleases, vaultClusterFixture().objects])).toBe(JSON.stringify([vaultClusterFixture().helmReleases, vaultClusterFixture().objects]));
  });

  describe('errors', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['chart repository not https', { chartRepository: 'http://charts.lusaka.lms.co.zm' }, `${WHERE}: chartRepository: "http://charts.lusaka.lms.co.zm" is not allowed (allowed: an https:// URL of the site's in-country chart repository)`],
      ['site DNS domain not a domain', { siteDnsDomain: 'lusaka' }, `${WHERE}: siteDnsDomain: "lusaka" is not allowed (allowed: a DNS domain of two or more labels, e.g. "prod.lusaka.lms.co.zm")`],
      ['even replicas', { replicas: 2 }, `${WHERE}: replicas: 2 is not allowed (allowed: 1, 3 or 5: an odd Raft cluster size)`],
      ['no unseal choice', { unseal: undefined }, `${WHERE}: unseal: is required (allowed: "shamir" (key shares held by named custodians) or "transit" (an in-country Vault's Transit engine); set vault.unseal in the environment)`],
      ['a cloud KMS unseal', { unseal: { kind: 'awskms' } }, `${WHERE}: unseal.kind: "awskms" is not allowed (allowed: "shamir" (key shares held by named custodians) or "transit" (an in-country Vault's Transit engine); set vault.unseal in the environment)`],
      ['shares out of range', { unseal: { kind: 'shamir', keyShares: 0, keyThreshold: 1, custodians: ['a'] } }, `${WHERE}: unseal.keyShares: 0 is not allowed (allowed: a whole number, 1 to 255)`],
      ['threshold above shares', { unseal: { kind: 'shamir', keyShares: 2, keyThreshold: 3, custodians: ['a', 'b'] } }, `${WHERE}: unseal.keyThreshold: 3 is not allowed (allowed: a whole number, 1 to keyShares (2))`],
      ['fewer custodians than shares', { unseal: { kind: 'shamir', keyShares: 3, keyThreshold: 2, custodians: ['a', 'b'] } }, `${WHERE}: unseal.custodians: ["a","b"] is not allowed (allowed: at least keyShares (3) different custodians, one per share)`],
      ['a custodian twice', { unseal: { kind: 'shamir', keyShares: 2, keyThreshold: 2, custodians: ['a', 'a'] } }, `${WHERE}: unseal.custodians: ["a","a"] is not allowed (allowed: at least keyShares (2) different custodians, one per share)`],
      ['transit over http', { unseal: { ...TRANSIT_UNSEAL, address: 'http://unseal.lms.co.zm' } }, `${WHERE}: unseal.address: "http://unseal.lms.co.zm" is not allowed (allowed: an https:// address of the in-country transit Vault, e.g. "https://unseal.lms.co.zm:8200")`],
      ['transit key not a label', { unseal: { ...TRANSIT_UNSEAL, keyName: 'Unseal_Key' } }, `${WHERE}: unseal.keyName: "Unseal_Key" is not allowed (allowed: a DNS label naming the Transit key)`],
      ['transit mount with slashes', { unseal: { ...TRANSIT_UNSEAL, mountPath: '/transit/' } }, `${WHERE}: unseal.mountPath: "/transit/" is not allowed (allowed: a Vault mount path without leading or trailing "/", e.g. "transit")`],
      ['transit without address blocks', { unseal: { ...TRANSIT_UNSEAL, addressBlocks: [] } }, `${WHERE}: unseal.addressBlocks: [] is not allowed (allowed: one or more IPv4 CIDR blocks holding the transit Vault's servers)`],
      ['transit address block with host bits', { unseal: { ...TRANSIT_UNSEAL, addressBlocks: ['10.60.0.1/28'] } }, `${WHERE}: unseal.addressBlocks[0]: "10.60.0.1/28" is not allowed (allowed: an IPv4 CIDR block with its host bits zero, e.g. "10.10.0.0/16")`],
      ['API server without blocks', { apiServer: { addressBlocks: [], port: 6443 } }, `${WHERE}: apiServer.addressBlocks: [] is not allowed (allowed: one or more IPv4 CIDR blocks holding the API server's endpoints)`],
      ['API server port out of range', { apiServer: { addressBlocks: ['10.10.0.0/24'], port: 70000 } }, `${WHERE}: apiServer.port: 70000 is not allowed (allowed: a TCP port, 1-65535)`],
      ['no consumer namespaces', { consumerNamespaces: [] }, `${WHERE}: consumerNamespaces: [] is not allowed (allowed: one or more namespaces of the site)`],
      ['Vault\'s own namespace as a consumer', { consumerNamespaces: ['lms-apps', 'lms-security'] }, `${WHERE}: consumerNamespaces[1]: "lms-security" is not allowed (allowed: a namespace name, each once, other than Vault's own "lms-security")`],
      ['a consumer namespace twice', { consumerNamespaces: ['lms-apps', 'lms-apps'] }, `${WHERE}: consumerNamespaces[1]: "lms-apps" is not allowed (allowed: a namespace name, each once, other than Vault's own "lms-security")`],
      ['an unknown workload in resources', { resources: { agent: { cpuRequest: '1', memoryRequest: '1Gi', cpuLimit: '1', memoryLimit: '1Gi' } } }, `${WHERE}: resources: "agent" is not allowed (allowed: workloads server, injector)`],
      ['a request above its limit', { resources: { server: { cpuRequest: '2', memoryRequest: '1Gi', cpuLimit: '1', memoryLimit: '1Gi' } } }, `${WHERE}: resources.server.cpuRequest: "2" is above cpuLimit "1" (allowed: a request no larger than its limit)`],
      ['a memory request above its limit', { resources: { injector: { cpuRequest: '50m', memoryRequest: '1Gi', cpuLimit: '1', memoryLimit: '128Mi' } } }, `${WHERE}: resources.injector.memoryRequest: "1Gi" is above memoryLimit "128Mi" (allowed: a request no larger than its limit)`],
      ['a volume size that is not a quantity', { storage: { data: { size: '10GB' } } }, `${WHERE}: storage.data.size: "10GB" is not allowed (allowed: a whole number of Mi, Gi or Ti, e.g. "10Gi")`],
      ['a storage class that is not a name', { storage: { audit: { size: '10Gi', storageClass: 'Fast SSD' } } }, `${WHERE}: storage.audit.storageClass: "Fast SSD" is not allowed (allowed: a StorageClass name (a DNS label))`],
    ];
    test.each(cases)('%s', (_title, overrides, message) => {
      expect(errorOf(() => vaultClusterFixture(overrides as never))).toBe(message);
    });
  });
});
