import { Construct } from 'constructs';
import { LoanService, type LoanServiceProps } from '../../constructs/loan-service';
import type { NamespaceRole } from '../../constructs/namespaces';
import { SiteCluster, type NamespaceQuota, type SiteClusterProps } from '../../constructs/site-cluster';
import { VaultSecret } from '../../constructs/vault-secret';

/**
 * Small, hand-written props for construct tests: the constructs are tested against these,
 * not against the environment files, so a change of an environment's figures never breaks
 * a construct test (the environments have tests of their own).
 */
export const QUOTA_FIXTURE: NamespaceQuota = {
  requestsCpu: '2',
  requestsMemory: '4Gi',
  limitsCpu: '4',
  limitsMemory: '8Gi',
  requestsStorage: '20Gi',
  persistentVolumeClaims: 4,
  pods: 20,
};

const ROLES: readonly NamespaceRole[] = ['platform', 'data', 'security', 'observability', 'node-agents', 'apps'];

export const SITE_CLUSTER_FIXTURE: SiteClusterProps = {
  environmentName: 'test',
  siteName: 'lusaka',
  kubernetesVersion: '1.30',
  namespaceQuotas: Object.fromEntries(ROLES.map((role) => [role, QUOTA_FIXTURE])) as Record<NamespaceRole, NamespaceQuota>,
  containerDefaults: { cpuRequest: '100m', memoryRequest: '128Mi', cpuLimit: '500m', memoryLimit: '256Mi' },
};

/** A root for components, with one scope named like a stack so construct paths read as in synth. */
export function testScope(name = 'test-lusaka-base'): Construct {
  return new Construct(new Construct(undefined as unknown as Construct, ''), name);
}

export function siteClusterFixture(overrides: Partial<SiteClusterProps> = {}, scope = testScope()): SiteCluster {
  return new SiteCluster(scope, 'site', { ...SITE_CLUSTER_FIXTURE, ...overrides });
}

const peer = (namespace: string, name: string, port: number) => ({ namespace, podLabels: { 'app.kubernetes.io/name': name }, port });

/** LoanService props of a primary site, with every reference a small typed value. */
export function loanServiceFixtureProps(cluster: SiteCluster): LoanServiceProps {
  return {
    cluster,
    siteRole: 'primary',
    registry: 'registry.lms.co.zm',
    sizing: { replicas: 3, standbyReplicas: 1, maxReplicas: 6, cpuRequest: '250m', memoryRequest: '256Mi', cpuLimit: '1', memoryLimit: '512Mi' },
    database: { server: { host: 'mssql.lms-data.svc.cluster.local', port: 1433, peer: peer('lms-data', 'mssql', 1433) }, name: 'lms', user: 'loan_service' },
    documentStore: { store: { url: 'https://s3.lms-data.svc.cluster.local:9000', region: 'zm-lusaka-1', peer: peer('lms-data', 's3', 9000), caSecretName: 'object-store-trust' }, bucket: 'documents', credentials: VaultSecret.kv('test', 'object-store/loan-service') },
    secrets: { vault: { address: 'https://vault.lms-security.svc.cluster.local:8200', peer: peer('lms-security', 'vault', 8200), caSecretName: 'vault-agent-trust' }, secret: VaultSecret.kv('test', 'loan-service') },
    callers: [peer('lms-platform', 'gateway', 8443)],
    metrics: { peer: peer('lms-observability', 'prometheus', 9090), serviceMonitorLabels: { 'lms.co.zm/scrape': 'true' } },
    identityProvider: {
      issuer: 'https://id.test.lms.co.zm/realms/lms-test',
      audience: 'loan-service',
      jwksUrl: 'https://id.test.lms.co.zm/realms/lms-test/protocol/openid-connect/certs',
      addressBlocks: ['10.60.0.0/28'],
    },
  };
}

export function loanServiceFixture(overrides: Partial<LoanServiceProps> = {}, scope = testScope('test-lusaka-apps')): LoanService {
  const cluster = siteClusterFixture({}, testScope());
  return new LoanService(scope, 'loan-service', { ...loanServiceFixtureProps(cluster), ...overrides });
}
