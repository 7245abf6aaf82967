import type { EnvironmentInput, SiteInput } from './schema';

/** What both production sites share: Kitwe must be able to carry Lusaka's load after a failover. */
const bothSites = {
  kubernetesVersion: '1.31',
  storageClasses: { standard: 'ssd-standard', fast: 'nvme-retain' },
  registry: 'registry.lms.co.zm',
  sizing: {
    namespaces: {
      platform: { requestsCpu: '8', requestsMemory: '16Gi', limitsCpu: '16', limitsMemory: '32Gi', requestsStorage: '100Gi', persistentVolumeClaims: 10, pods: 60 },
      data: { requestsCpu: '24', requestsMemory: '192Gi', limitsCpu: '40', limitsMemory: '256Gi', requestsStorage: '16Ti', persistentVolumeClaims: 30, pods: 40 },
      security: { requestsCpu: '4', requestsMemory: '8Gi', limitsCpu: '8', limitsMemory: '16Gi', requestsStorage: '50Gi', persistentVolumeClaims: 10, pods: 20 },
      observability: { requestsCpu: '16', requestsMemory: '88Gi', limitsCpu: '48', limitsMemory: '128Gi', requestsStorage: '5Ti', persistentVolumeClaims: 24, pods: 60 },
      'node-agents': { requestsCpu: '4', requestsMemory: '8Gi', limitsCpu: '8', limitsMemory: '16Gi', requestsStorage: '1Gi', persistentVolumeClaims: 0, pods: 40 },
      apps: { requestsCpu: '12', requestsMemory: '24Gi', limitsCpu: '24', limitsMemory: '48Gi', requestsStorage: '50Gi', persistentVolumeClaims: 10, pods: 80 },
    },
    containerDefaults: { cpuRequest: '100m', memoryRequest: '128Mi', cpuLimit: '1', memoryLimit: '512Mi' },
  },
  workloads: {
    loanService: { replicas: 3, standbyReplicas: 1, maxReplicas: 8, cpuRequest: '250m', memoryRequest: '256Mi', cpuLimit: '1', memoryLimit: '512Mi' },
  },
  retention: { logs: '90d', metrics: '30d', backups: '35d' },
} satisfies Partial<SiteInput>;

/** Production: Lusaka serves, Kitwe is the warm disaster-recovery site. */
export default {
  name: 'production',
  tier: 'production',
  objectives: {
    recoveryPoint: '1h',
    recoveryTime: '4h',
    availabilityPercent: 99.9,
    fullBackupSchedule: 'daily',
    logBackupInterval: '15m',
  },
  traffic: {
    publicHost: 'loans.lms.co.zm',
    publicCertificate: { issuer: 'external-ca', caSecretName: 'bank-issuing-ca' },
    certificates: { rootValidity: '3650d', validity: '90d', renewBefore: '30d' },
    operationsNetworks: ['10.50.0.0/24'],
    loanServiceRoute: { maxRequestBodyMiB: 10, ratePerSecond: 20, burst: 50 },
    dnsFailover: { zone: 'lms.co.zm', ttlSeconds: 60, update: 'rfc2136', server: 'ns1.lms.co.zm', tsigKeyVaultPath: 'kv/production/dns-failover' },
  },
  vault: {
    // Five shares, three to unseal: any two custodians may be away or compromised.
    unseal: {
      kind: 'shamir',
      keyShares: 5,
      keyThreshold: 3,
      custodians: ['chief-information-security-officer', 'head-of-it-operations', 'platform-lead', 'risk-manager', 'internal-audit-lead'],
    },
    replicas: 3,
    snapshotSchedule: '*/15 * * * *',
    volumes: { data: '10Gi', audit: '5Gi' },
  },
  objectStorage: {
    // One server per data node, four drives each: sets of 12 with parity 4 keep read and
    // write quorum with a node gone, and leave two thirds of the raw capacity for data.
    pools: [{ servers: 3, drivesPerServer: 4, driveSize: '1Ti' }],
    parity: 4,
    resources: { cpuRequest: '2', memoryRequest: '8Gi', cpuLimit: '4', memoryLimit: '16Gi' },
    replicationLagBudget: '5m',
  },
  monitoring: {
    prometheus: { replicas: 2, retention: '30d', volumeSize: '500Gi', resources: { cpuRequest: '1', memoryRequest: '4Gi', cpuLimit: '2', memoryLimit: '8Gi' } },
    // The on-call pager's and the ticket queue's webhooks answer on the operations network.
    alertmanager: { replicas: 3, volumeSize: '5Gi', receiverAddressBlocks: ['10.50.0.0/24'], receiverPort: 443 },
    grafana: { replicas: 2 },
  },
  logging: {
    elasticsearch: {
      masters: { count: 3, volumeSize: '20Gi', resources: { cpuRequest: '500m', memoryRequest: '4Gi', cpuLimit: '1', memoryLimit: '4Gi' } },
      data: { count: 3, volumeSize: '1Ti', resources: { cpuRequest: '2', memoryRequest: '16Gi', cpuLimit: '4', memoryLimit: '16Gi' } },
    },
    kibana: { replicas: 2 },
    logstash: { replicas: 2, queueVolumeSize: '50Gi', resources: { cpuRequest: '1', memoryRequest: '2Gi', cpuLimit: '2', memoryLimit: '4Gi' } },
    // Audit trails are kept five years; application logs a quarter, the rest as incident
    // response needs them. Snapshots each hour keep the logs' loss within the 1 h RPO.
    retention: { application: '90d', system: '30d', security: '365d', audit: '1825d' },
    snapshots: { schedule: '15 * * * *', retention: '90d' },
  },
  sqlServer: {
    edition: 'Enterprise',
    resources: { cpuRequest: '4', memoryRequest: '32Gi', cpuLimit: '8', memoryLimit: '32Gi' },
    volumeSize: '1Ti',
    databaseSize: '200Gi',
    logPerHour: '4Gi',
    // Measured in the last restore test from MinIO at Kitwe into SQL Server.
    restoreMiBPerSecond: 150,
    differentialBackupInterval: '6h',
    restoreInterval: '15m',
    standbyMode: 'norecovery',
  },
  // The bank's identity provider: tokens name one issuer, so they stay valid after a failover;
  // each site fetches the signing keys from the provider's node at its own data centre.
  identityProvider: {
    issuer: 'https://id.lms.co.zm/realms/lms-production',
    audience: 'loan-service',
    jwks: {
      lusaka: { url: 'https://id.prod.lusaka.lms.co.zm/realms/lms-production/protocol/openid-connect/certs', addressBlocks: ['10.60.0.0/28'] },
      kitwe: { url: 'https://id.prod.kitwe.lms.co.zm/realms/lms-production/protocol/openid-connect/certs', addressBlocks: ['10.60.16.0/28'] },
    },
  },
  sites: {
    lusaka: {
      role: 'primary',
      dataCentre: 'Infratel Lusaka',
      cluster: { kind: 'api-endpoint', endpoint: 'https://api.prod.lusaka.lms.co.zm:6443' },
      dnsDomain: 'prod.lusaka.lms.co.zm',
      chartRepository: 'https://charts.prod.lusaka.lms.co.zm',
      network: {
        ranges: ['10.10.0.0/16'],
        loadBalancer: { mode: 'bgp', localAsn: 64512, peers: [{ address: '10.10.0.1', asn: 64500 }, { address: '10.10.0.2', asn: 64500 }], addressPools: [{ name: 'public', addresses: ['10.10.240.0/29'] }, { name: 'replication', addresses: ['10.10.240.8/29'] }] },
        gatewayAddress: '10.10.240.1',
        crossSiteEndpoints: [{ name: 'object-storage', address: '10.10.240.8/32', ports: [9000], purpose: 'MinIO bucket replication: documents, SQL Server backups and logs, Vault and Elasticsearch snapshots' }],
      },
      state: { kind: 's3', endpoint: 'https://state.prod.lusaka.lms.co.zm', bucket: 'lms-terraform-state-production-lusaka', region: 'zm-lusaka-1' },
      nodePools: [
        { name: 'system', purpose: 'system', nodeCount: 3, cpuCores: 4, memoryGiB: 16 },
        { name: 'general', purpose: 'general', nodeCount: 4, cpuCores: 8, memoryGiB: 32 },
        { name: 'data', purpose: 'data', nodeCount: 3, cpuCores: 16, memoryGiB: 128 },
      ],
      ...bothSites,
    },
    kitwe: {
      role: 'disaster-recovery',
      dataCentre: 'Paratus Kitwe',
      cluster: { kind: 'api-endpoint', endpoint: 'https://api.prod.kitwe.lms.co.zm:6443' },
      dnsDomain: 'prod.kitwe.lms.co.zm',
      chartRepository: 'https://charts.prod.kitwe.lms.co.zm',
      network: {
        ranges: ['10.20.0.0/16'],
        loadBalancer: { mode: 'bgp', localAsn: 64512, peers: [{ address: '10.20.0.1', asn: 64500 }, { address: '10.20.0.2', asn: 64500 }], addressPools: [{ name: 'public', addresses: ['10.20.240.0/29'] }, { name: 'replication', addresses: ['10.20.240.8/29'] }] },
        gatewayAddress: '10.20.240.1',
        crossSiteEndpoints: [{ name: 'object-storage', address: '10.20.240.8/32', ports: [9000], purpose: 'MinIO bucket replication: documents, SQL Server backups and logs, Vault and Elasticsearch snapshots' }],
      },
      state: { kind: 's3', endpoint: 'https://state.prod.kitwe.lms.co.zm', bucket: 'lms-terraform-state-production-kitwe', region: 'zm-kitwe-1' },
      nodePools: [
        { name: 'system', purpose: 'system', nodeCount: 3, cpuCores: 4, memoryGiB: 16 },
        { name: 'general', purpose: 'general', nodeCount: 3, cpuCores: 8, memoryGiB: 32 },
        { name: 'data', purpose: 'data', nodeCount: 3, cpuCores: 16, memoryGiB: 128 },
      ],
      ...bothSites,
    },
  },
} satisfies EnvironmentInput;
