import type { EnvironmentInput, SiteInput } from './schema';

/** What both staging sites share. */
const bothSites = {
  kubernetesVersion: '1.31',
  storageClasses: { standard: 'ssd-standard', fast: 'nvme-retain' },
  registry: 'registry.lms.co.zm',
  sizing: {
    namespaces: {
      platform: { requestsCpu: '4', requestsMemory: '8Gi', limitsCpu: '8', limitsMemory: '16Gi', requestsStorage: '50Gi', persistentVolumeClaims: 10, pods: 40 },
      data: { requestsCpu: '8', requestsMemory: '48Gi', limitsCpu: '16', limitsMemory: '96Gi', requestsStorage: '1Ti', persistentVolumeClaims: 20, pods: 20 },
      security: { requestsCpu: '2', requestsMemory: '4Gi', limitsCpu: '6', limitsMemory: '8Gi', requestsStorage: '20Gi', persistentVolumeClaims: 8, pods: 10 },
      observability: { requestsCpu: '8', requestsMemory: '32Gi', limitsCpu: '28', limitsMemory: '48Gi', requestsStorage: '800Gi', persistentVolumeClaims: 16, pods: 40 },
      'node-agents': { requestsCpu: '2', requestsMemory: '4Gi', limitsCpu: '4', limitsMemory: '8Gi', requestsStorage: '1Gi', persistentVolumeClaims: 0, pods: 20 },
      apps: { requestsCpu: '4', requestsMemory: '8Gi', limitsCpu: '8', limitsMemory: '16Gi', requestsStorage: '20Gi', persistentVolumeClaims: 5, pods: 40 },
    },
    containerDefaults: { cpuRequest: '100m', memoryRequest: '128Mi', cpuLimit: '1', memoryLimit: '512Mi' },
  },
  workloads: {
    loanService: { replicas: 2, standbyReplicas: 1, maxReplicas: 4, cpuRequest: '250m', memoryRequest: '256Mi', cpuLimit: '1', memoryLimit: '512Mi' },
  },
  retention: { logs: '30d', metrics: '15d', backups: '14d' },
} satisfies Partial<SiteInput>;

/** Staging: the same shape as production at a smaller size, for integration tests and UAT. */
export default {
  name: 'staging',
  tier: 'staging',
  objectives: {
    recoveryPoint: '1h',
    recoveryTime: '4h',
    availabilityPercent: 99.5,
    fullBackupSchedule: 'daily',
    logBackupInterval: '15m',
  },
  traffic: {
    publicHost: 'loans.staging.lms.co.zm',
    publicCertificate: { issuer: 'internal-ca' },
    certificates: { rootValidity: '1825d', validity: '90d', renewBefore: '30d' },
    operationsNetworks: ['10.50.0.0/24'],
    loanServiceRoute: { maxRequestBodyMiB: 10, ratePerSecond: 20, burst: 50 },
    dnsFailover: { zone: 'lms.co.zm', ttlSeconds: 60, update: 'manual', server: 'ns1.lms.co.zm' },
  },
  vault: {
    unseal: { kind: 'shamir', keyShares: 3, keyThreshold: 2, custodians: ['platform-lead', 'security-officer', 'operations-manager'] },
    replicas: 3,
    snapshotSchedule: '0 * * * *',
    volumes: { data: '5Gi', audit: '1Gi' },
  },
  objectStorage: {
    // Kitwe staging has one data node: two servers share it there (not a production layout).
    pools: [{ servers: 2, drivesPerServer: 2, driveSize: '50Gi' }],
    parity: 2,
    resources: { cpuRequest: '250m', memoryRequest: '1Gi', cpuLimit: '1', memoryLimit: '2Gi' },
    replicationLagBudget: '10m',
  },
  monitoring: {
    prometheus: { replicas: 2, retention: '15d', volumeSize: '100Gi', resources: { cpuRequest: '500m', memoryRequest: '2Gi', cpuLimit: '2', memoryLimit: '4Gi' } },
    // The on-call pager's and the ticket queue's webhooks answer on the operations network.
    alertmanager: { replicas: 2, volumeSize: '2Gi', receiverAddressBlocks: ['10.50.0.0/24'], receiverPort: 443 },
    grafana: { replicas: 1 },
  },
  logging: {
    elasticsearch: {
      masters: { count: 3, volumeSize: '10Gi', resources: { cpuRequest: '250m', memoryRequest: '2Gi', cpuLimit: '1', memoryLimit: '2Gi' } },
      data: { count: 2, volumeSize: '200Gi', resources: { cpuRequest: '1', memoryRequest: '4Gi', cpuLimit: '2', memoryLimit: '8Gi' } },
    },
    kibana: { replicas: 1 },
    logstash: { replicas: 2, queueVolumeSize: '20Gi', resources: { cpuRequest: '500m', memoryRequest: '1Gi', cpuLimit: '1', memoryLimit: '2Gi' } },
    retention: { application: '14d', system: '14d', security: '90d', audit: '365d' },
    snapshots: { schedule: '30 * * * *', retention: '30d' },
  },
  sqlServer: {
    edition: 'Standard',
    resources: { cpuRequest: '1', memoryRequest: '8Gi', cpuLimit: '2', memoryLimit: '8Gi' },
    volumeSize: '100Gi',
    databaseSize: '20Gi',
    logPerHour: '1Gi',
    restoreMiBPerSecond: 100,
    differentialBackupInterval: '6h',
    restoreInterval: '15m',
    // Readable between restores: release checks compare the standby copy with the primary.
    standbyMode: 'standby',
  },
  // The bank's identity provider: tokens name one issuer, so they stay valid after a failover;
  // each site fetches the signing keys from the provider's node at its own data centre.
  identityProvider: {
    issuer: 'https://id.staging.lms.co.zm/realms/lms-staging',
    audience: 'loan-service',
    jwks: {
      lusaka: { url: 'https://id.staging.lusaka.lms.co.zm/realms/lms-staging/protocol/openid-connect/certs', addressBlocks: ['10.61.0.0/28'] },
      kitwe: { url: 'https://id.staging.kitwe.lms.co.zm/realms/lms-staging/protocol/openid-connect/certs', addressBlocks: ['10.61.16.0/28'] },
    },
  },
  sites: {
    lusaka: {
      role: 'primary',
      dataCentre: 'Infratel Lusaka',
      cluster: { kind: 'api-endpoint', endpoint: 'https://api.staging.lusaka.lms.co.zm:6443' },
      dnsDomain: 'staging.lusaka.lms.co.zm',
      chartRepository: 'https://charts.staging.lusaka.lms.co.zm',
      network: {
        ranges: ['10.11.0.0/16'],
        loadBalancer: { mode: 'l2', addressPools: [{ name: 'public', addresses: ['10.11.240.0/29'] }, { name: 'replication', addresses: ['10.11.240.8/29'] }] },
        gatewayAddress: '10.11.240.1',
        crossSiteEndpoints: [{ name: 'object-storage', address: '10.11.240.8/32', ports: [9000], purpose: 'MinIO bucket replication: documents, SQL Server backups and logs, Vault and Elasticsearch snapshots' }],
      },
      state: { kind: 's3', endpoint: 'https://state.staging.lusaka.lms.co.zm', bucket: 'lms-terraform-state-staging-lusaka', region: 'zm-lusaka-1' },
      nodePools: [
        { name: 'system', purpose: 'system', nodeCount: 1, cpuCores: 4, memoryGiB: 16 },
        { name: 'general', purpose: 'general', nodeCount: 2, cpuCores: 8, memoryGiB: 32 },
        { name: 'data', purpose: 'data', nodeCount: 2, cpuCores: 8, memoryGiB: 64 },
      ],
      ...bothSites,
    },
    kitwe: {
      role: 'disaster-recovery',
      dataCentre: 'Paratus Kitwe',
      cluster: { kind: 'api-endpoint', endpoint: 'https://api.staging.kitwe.lms.co.zm:6443' },
      dnsDomain: 'staging.kitwe.lms.co.zm',
      chartRepository: 'https://charts.staging.kitwe.lms.co.zm',
      network: {
        ranges: ['10.21.0.0/16'],
        loadBalancer: { mode: 'l2', addressPools: [{ name: 'public', addresses: ['10.21.240.0/29'] }, { name: 'replication', addresses: ['10.21.240.8/29'] }] },
        gatewayAddress: '10.21.240.1',
        crossSiteEndpoints: [{ name: 'object-storage', address: '10.21.240.8/32', ports: [9000], purpose: 'MinIO bucket replication: documents, SQL Server backups and logs, Vault and Elasticsearch snapshots' }],
      },
      state: { kind: 's3', endpoint: 'https://state.staging.kitwe.lms.co.zm', bucket: 'lms-terraform-state-staging-kitwe', region: 'zm-kitwe-1' },
      nodePools: [
        { name: 'system', purpose: 'system', nodeCount: 1, cpuCores: 4, memoryGiB: 16 },
        { name: 'general', purpose: 'general', nodeCount: 1, cpuCores: 8, memoryGiB: 32 },
        { name: 'data', purpose: 'data', nodeCount: 1, cpuCores: 8, memoryGiB: 64 },
      ],
      ...bothSites,
    },
  },
} satisfies EnvironmentInput;
