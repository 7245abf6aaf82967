import type { EnvironmentInput, SiteInput } from './schema';

/** What both production sites share: Kitwe must be able to carry Lusaka's load after a failover. */
const bothSites = {
  kubernetesVersion: '1.30',
  storageClasses: { standard: 'ssd-standard', fast: 'nvme-retain' },
  registry: 'registry.lms.co.zm',
  sizing: {
    namespaces: {
      platform: { requestsCpu: '8', requestsMemory: '16Gi', limitsCpu: '16', limitsMemory: '32Gi', requestsStorage: '100Gi', persistentVolumeClaims: 10, pods: 60 },
      data: { requestsCpu: '24', requestsMemory: '192Gi', limitsCpu: '40', limitsMemory: '256Gi', requestsStorage: '8Ti', persistentVolumeClaims: 30, pods: 40 },
      security: { requestsCpu: '4', requestsMemory: '8Gi', limitsCpu: '8', limitsMemory: '16Gi', requestsStorage: '50Gi', persistentVolumeClaims: 10, pods: 20 },
      observability: { requestsCpu: '12', requestsMemory: '48Gi', limitsCpu: '24', limitsMemory: '96Gi', requestsStorage: '4Ti', persistentVolumeClaims: 20, pods: 60 },
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
  sites: {
    lusaka: {
      role: 'primary',
      dataCentre: 'Infratel Lusaka',
      cluster: { kind: 'api-endpoint', endpoint: 'https://api.prod.lusaka.lms.co.zm:6443' },
      dnsDomain: 'prod.lusaka.lms.co.zm',
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
