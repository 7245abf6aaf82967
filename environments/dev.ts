import type { EnvironmentInput, SiteInput } from './schema';

/** What both dev sites share: one node each, single replicas. */
const bothSites = {
  kubernetesVersion: '1.31',
  nodePools: [{ name: 'all', purpose: 'general', nodeCount: 1, cpuCores: 8, memoryGiB: 32 }],
  storageClasses: { standard: 'local-path', fast: 'local-path' },
  registry: 'registry.lms.co.zm',
  sizing: {
    namespaces: {
      platform: { requestsCpu: '2', requestsMemory: '4Gi', limitsCpu: '4', limitsMemory: '8Gi', requestsStorage: '20Gi', persistentVolumeClaims: 5, pods: 20 },
      data: { requestsCpu: '2', requestsMemory: '8Gi', limitsCpu: '8', limitsMemory: '12Gi', requestsStorage: '100Gi', persistentVolumeClaims: 10, pods: 20 },
      security: { requestsCpu: '500m', requestsMemory: '1Gi', limitsCpu: '3', limitsMemory: '2Gi', requestsStorage: '5Gi', persistentVolumeClaims: 2, pods: 5 },
      observability: { requestsCpu: '4', requestsMemory: '10Gi', limitsCpu: '16', limitsMemory: '20Gi', requestsStorage: '60Gi', persistentVolumeClaims: 8, pods: 24 },
      'node-agents': { requestsCpu: '500m', requestsMemory: '1Gi', limitsCpu: '1', limitsMemory: '2Gi', requestsStorage: '1Gi', persistentVolumeClaims: 0, pods: 5 },
      apps: { requestsCpu: '1', requestsMemory: '2Gi', limitsCpu: '3', limitsMemory: '4Gi', requestsStorage: '5Gi', persistentVolumeClaims: 2, pods: 10 },
    },
    containerDefaults: { cpuRequest: '50m', memoryRequest: '64Mi', cpuLimit: '500m', memoryLimit: '256Mi' },
  },
  workloads: {
    loanService: { replicas: 1, standbyReplicas: 1, maxReplicas: 2, cpuRequest: '100m', memoryRequest: '128Mi', cpuLimit: '500m', memoryLimit: '256Mi' },
  },
  retention: { logs: '7d', metrics: '7d', backups: '7d' },
} satisfies Partial<SiteInput>;

/**
 * Development: single-node clusters reached through kubeconfig contexts, Terraform state
 * kept locally. Same shape as production, single replicas.
 */
export default {
  name: 'dev',
  tier: 'development',
  objectives: {
    recoveryPoint: '4h',
    recoveryTime: '24h',
    availabilityPercent: 99,
    fullBackupSchedule: 'daily',
    logBackupInterval: '1h',
  },
  traffic: {
    publicHost: 'loans.dev.lms.co.zm',
    publicCertificate: { issuer: 'internal-ca' },
    certificates: { rootValidity: '365d', validity: '30d', renewBefore: '10d' },
    operationsNetworks: ['10.50.1.0/24'],
    loanServiceRoute: { maxRequestBodyMiB: 10, ratePerSecond: 20, burst: 50 },
    dnsFailover: { zone: 'lms.co.zm', ttlSeconds: 300, update: 'manual', server: 'ns1.lms.co.zm' },
  },
  vault: {
    // One key holder: a dev cluster is rebuilt, not recovered.
    unseal: { kind: 'shamir', keyShares: 1, keyThreshold: 1, custodians: ['platform-engineer-on-call'] },
    replicas: 1,
    snapshotSchedule: '0 */6 * * *',
    volumes: { data: '2Gi', audit: '1Gi' },
  },
  objectStorage: {
    // One server with four small drives: erasure coding as in production, one node.
    pools: [{ servers: 1, drivesPerServer: 4, driveSize: '2Gi' }],
    parity: 2,
    resources: { cpuRequest: '100m', memoryRequest: '256Mi', cpuLimit: '500m', memoryLimit: '1Gi' },
    replicationLagBudget: '15m',
  },
  monitoring: {
    prometheus: { replicas: 1, retention: '7d', volumeSize: '20Gi', resources: { cpuRequest: '250m', memoryRequest: '1Gi', cpuLimit: '1', memoryLimit: '2Gi' } },
    // The on-call pager's and the ticket queue's webhooks answer on the operations network.
    alertmanager: { replicas: 1, volumeSize: '1Gi', receiverAddressBlocks: ['10.50.1.0/24'], receiverPort: 443 },
    grafana: { replicas: 1 },
  },
  logging: {
    elasticsearch: {
      masters: { count: 1, volumeSize: '5Gi', resources: { cpuRequest: '250m', memoryRequest: '1Gi', cpuLimit: '1', memoryLimit: '2Gi' } },
      data: { count: 1, volumeSize: '20Gi', resources: { cpuRequest: '500m', memoryRequest: '2Gi', cpuLimit: '1', memoryLimit: '4Gi' } },
    },
    kibana: { replicas: 1 },
    logstash: { replicas: 1, queueVolumeSize: '5Gi', resources: { cpuRequest: '250m', memoryRequest: '1Gi', cpuLimit: '1', memoryLimit: '2Gi' } },
    retention: { application: '7d', system: '7d', security: '30d', audit: '90d' },
    snapshots: { schedule: '30 2 * * *', retention: '14d' },
  },
  sqlServer: {
    // Developer edition: every Enterprise feature, licensed for non-production use only.
    edition: 'Developer',
    resources: { cpuRequest: '250m', memoryRequest: '4Gi', cpuLimit: '1', memoryLimit: '4Gi' },
    volumeSize: '20Gi',
    databaseSize: '2Gi',
    logPerHour: '256Mi',
    restoreMiBPerSecond: 50,
    differentialBackupInterval: '12h',
    restoreInterval: '1h',
    standbyMode: 'norecovery',
  },
  // The bank's identity provider: tokens name one issuer, so they stay valid after a failover;
  // each site fetches the signing keys from the provider's node at its own data centre.
  identityProvider: {
    issuer: 'https://id.dev.lms.co.zm/realms/lms-dev',
    audience: 'loan-service',
    jwks: {
      lusaka: { url: 'https://id.dev.lusaka.lms.co.zm/realms/lms-dev/protocol/openid-connect/certs', addressBlocks: ['10.62.0.0/28'] },
      kitwe: { url: 'https://id.dev.kitwe.lms.co.zm/realms/lms-dev/protocol/openid-connect/certs', addressBlocks: ['10.62.16.0/28'] },
    },
  },
  sites: {
    lusaka: {
      role: 'primary',
      dataCentre: 'Infratel Lusaka',
      cluster: { kind: 'kubeconfig-context', context: 'lms-dev-lusaka' },
      dnsDomain: 'dev.lusaka.lms.co.zm',
      chartRepository: 'https://charts.dev.lusaka.lms.co.zm',
      network: {
        ranges: ['10.12.0.0/16'],
        loadBalancer: { mode: 'l2', addressPools: [{ name: 'public', addresses: ['10.12.240.0/29'] }, { name: 'replication', addresses: ['10.12.240.8/29'] }] },
        gatewayAddress: '10.12.240.1',
        crossSiteEndpoints: [{ name: 'object-storage', address: '10.12.240.8/32', ports: [9000], purpose: 'MinIO bucket replication: documents, SQL Server backups and logs, Vault and Elasticsearch snapshots' }],
      },
      state: { kind: 'local', directory: '.terraform-state' },
      ...bothSites,
    },
    kitwe: {
      role: 'disaster-recovery',
      dataCentre: 'Paratus Kitwe',
      cluster: { kind: 'kubeconfig-context', context: 'lms-dev-kitwe' },
      dnsDomain: 'dev.kitwe.lms.co.zm',
      chartRepository: 'https://charts.dev.kitwe.lms.co.zm',
      network: {
        ranges: ['10.22.0.0/16'],
        loadBalancer: { mode: 'l2', addressPools: [{ name: 'public', addresses: ['10.22.240.0/29'] }, { name: 'replication', addresses: ['10.22.240.8/29'] }] },
        gatewayAddress: '10.22.240.1',
        crossSiteEndpoints: [{ name: 'object-storage', address: '10.22.240.8/32', ports: [9000], purpose: 'MinIO bucket replication: documents, SQL Server backups and logs, Vault and Elasticsearch snapshots' }],
      },
      state: { kind: 'local', directory: '.terraform-state' },
      ...bothSites,
    },
  },
} satisfies EnvironmentInput;
