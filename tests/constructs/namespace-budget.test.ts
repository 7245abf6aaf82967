import { checkNamespaceBudget, maxResources, sumResources, type PodBudget } from '../../constructs/namespace-budget';
import { PlatformError } from '../../constructs/platform-error';

const QUOTA = { requestsCpu: '1', requestsMemory: '1Gi', limitsCpu: '2', limitsMemory: '2Gi', requestsStorage: '10Gi', persistentVolumeClaims: 4, pods: 5 };
const server: PodBudget = { what: 'servers', pods: 2, perPod: { cpuRequest: '250m', cpuLimit: '500m', memoryRequest: '256Mi', memoryLimit: '512Mi' }, volumes: { claims: 2, storage: '3Gi' } };
const helper: PodBudget = { what: 'helpers', pods: 1, perPod: { cpuRequest: '100m', cpuLimit: '200m', memoryRequest: '64Mi', memoryLimit: '128Mi' } };
const check = (quota: Partial<typeof QUOTA>, budgets: PodBudget[] = [server, helper]) => () => checkNamespaceBudget('security layer test', 'lms-security', { ...QUOTA, ...quota }, budgets);

describe('checkNamespaceBudget', () => {
  test('pods that fit pass', () => {
    expect(check({})).not.toThrow();
  });

  test('each quota field names what its pods need, and which pods', () => {
    expect(check({ requestsCpu: '500m' })).toThrow(
      new PlatformError('security layer test: namespace lms-security quota requestsCpu: "500m" is below the 600m of CPU requests of its pods (servers 2 x 250m, helpers 1 x 100m) (allowed: at least 600m, or the quota refuses pods and they never start)'),
    );
    expect(check({ limitsMemory: '1Gi' })).toThrow(
      new PlatformError('security layer test: namespace lms-security quota limitsMemory: "1Gi" is below the 1152Mi of memory limits of its pods (servers 2 x 512Mi, helpers 1 x 128Mi) (allowed: at least 1152Mi, or the quota refuses pods and they never start)'),
    );
    expect(check({ pods: 2 })).toThrow(new PlatformError('security layer test: namespace lms-security quota pods: 2 is below its 3 pods (servers 2, helpers 1) (allowed: at least 3, or the quota refuses pods and they never start)'));
    expect(check({ persistentVolumeClaims: 3 })).toThrow(
      new PlatformError('security layer test: namespace lms-security quota persistentVolumeClaims: 3 is below its 4 volume claims (servers 2 x 2) (allowed: at least 4, or the quota refuses the claims and the pods never start)'),
    );
    expect(check({ requestsStorage: '5Gi' })).toThrow(
      new PlatformError('security layer test: namespace lms-security quota requestsStorage: "5Gi" is below the 6144Mi its volume claims request (servers 2 x 3Gi) (allowed: at least 6144Mi, or the quota refuses the claims and the pods never start)'),
    );
  });

  test('sumResources adds containers; maxResources takes the larger of each figure', () => {
    expect(sumResources('t', [server.perPod, helper.perPod])).toEqual({ cpuRequest: '350m', cpuLimit: '700m', memoryRequest: '320Mi', memoryLimit: '640Mi' });
    expect(maxResources('t', { cpuRequest: '25m', cpuLimit: '250m', memoryRequest: '64Mi', memoryLimit: '128Mi' }, helper.perPod)).toEqual({ cpuRequest: '100m', cpuLimit: '250m', memoryRequest: '64Mi', memoryLimit: '128Mi' });
  });
});
