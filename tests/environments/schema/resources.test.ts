import { problemsAfter } from '../../support/environments';

const FILE = 'environments/production.ts';
const CONTAINER = 'allowed: at most the limit; Kubernetes rejects a container whose request exceeds its limit';
const LIMIT_RANGE = 'allowed: at most the limit; Kubernetes rejects a LimitRange whose default request exceeds its default limit';
const QUOTA = "allowed: at most the limit; every container's request is at most its limit, so requests above the limits quota can never be used";

describe('quantities, read by the parser the constructs use', () => {
  test('not a quantity', () => {
    expect(
      problemsAfter((env) => {
        env.sites.lusaka.sizing.namespaces.apps.requestsMemory = '4GB';
        env.sites.lusaka.sizing.containerDefaults.cpuLimit = 'two';
      }),
    ).toEqual([
      `${FILE}: sites.lusaka.sizing.namespaces.apps.requestsMemory: "4GB" is not a memory quantity (allowed: a whole number with Mi, Gi or Ti, e.g. "512Mi", "4Gi")`,
      `${FILE}: sites.lusaka.sizing.containerDefaults.cpuLimit: "two" is not a CPU quantity (allowed: cores such as "2" or "0.5", or millicores such as "500m")`,
    ]);
  });

  test('a CPU quantity below one millicore is refused in the file, with its field path', () => {
    expect(
      problemsAfter((env) => {
        env.sites.kitwe.workloads.loanService.cpuRequest = '0.0001';
        env.sites.lusaka.sizing.namespaces.security.limitsCpu = '0';
      }),
    ).toEqual([
      `${FILE}: sites.lusaka.sizing.namespaces.security.limitsCpu: "0" is not a whole number of millicores above 0 (allowed: e.g. "250m", "1")`,
      `${FILE}: sites.kitwe.workloads.loanService.cpuRequest: "0.0001" is not a whole number of millicores above 0 (allowed: e.g. "250m", "1")`,
    ]);
  });

  test('quantities written as numbers', () => {
    expect(
      problemsAfter((env) => {
        env.sites.lusaka.workloads.loanService.cpuLimit = 1;
        env.sites.lusaka.workloads.loanService.memoryLimit = 512;
      }),
    ).toEqual([
      `${FILE}: sites.lusaka.workloads.loanService.cpuLimit: 1 is not a CPU quantity (allowed: cores such as "2" or "0.5", or millicores such as "500m")`,
      `${FILE}: sites.lusaka.workloads.loanService.memoryLimit: 512 is not a memory quantity (allowed: a whole number with Mi, Gi or Ti, e.g. "512Mi", "4Gi")`,
    ]);
  });

  test('fractions of a core that are whole millicores are accepted', () => {
    expect(problemsAfter((env) => (env.sites.kitwe.workloads.loanService.cpuRequest = '0.125'))).toEqual([]);
  });
});

describe('a request above its limit is refused in the file, with both figures', () => {
  test('loan-service CPU and memory', () => {
    expect(
      problemsAfter((env) => {
        env.sites.kitwe.workloads.loanService.cpuRequest = '4';
        env.sites.kitwe.workloads.loanService.memoryRequest = '1Gi';
      }),
    ).toEqual([
      `${FILE}: sites.kitwe.workloads.loanService.cpuRequest: "4" is above cpuLimit "1" (${CONTAINER})`,
      `${FILE}: sites.kitwe.workloads.loanService.memoryRequest: "1Gi" is above memoryLimit "512Mi" (${CONTAINER})`,
    ]);
  });

  test('container defaults (the LimitRange)', () => {
    expect(
      problemsAfter((env) => {
        env.sites.lusaka.sizing.containerDefaults.cpuLimit = '50m';
        env.sites.lusaka.sizing.containerDefaults.memoryLimit = '64Mi';
      }),
    ).toEqual([
      `${FILE}: sites.lusaka.sizing.containerDefaults.cpuRequest: "100m" is above cpuLimit "50m" (${LIMIT_RANGE})`,
      `${FILE}: sites.lusaka.sizing.containerDefaults.memoryRequest: "128Mi" is above memoryLimit "64Mi" (${LIMIT_RANGE})`,
    ]);
  });

  test('namespace quota requests above its limits', () => {
    expect(
      problemsAfter((env) => {
        env.sites.kitwe.sizing.namespaces.data.requestsCpu = '48';
        env.sites.kitwe.sizing.namespaces.apps.requestsMemory = '64Gi';
      }),
    ).toEqual([
      `${FILE}: sites.kitwe.sizing.namespaces.data.requestsCpu: "48" is above limitsCpu "40" (${QUOTA})`,
      `${FILE}: sites.kitwe.sizing.namespaces.apps.requestsMemory: "64Gi" is above limitsMemory "48Gi" (${QUOTA})`,
    ]);
  });

  test('a request equal to its limit, written another way, is accepted', () => {
    expect(
      problemsAfter((env) => {
        env.sites.kitwe.workloads.loanService.cpuRequest = '1000m';
        env.sites.kitwe.workloads.loanService.memoryRequest = '1024Mi';
        env.sites.kitwe.workloads.loanService.memoryLimit = '1Gi';
        env.sites.lusaka.sizing.containerDefaults.cpuRequest = '1';
        env.sites.lusaka.sizing.containerDefaults.memoryRequest = '512Mi';
        env.sites.lusaka.sizing.namespaces.apps.requestsCpu = '24000m';
        env.sites.lusaka.sizing.namespaces.apps.requestsMemory = '48Gi';
      }),
    ).toEqual([]);
  });

  test('one millicore or one MiB above the limit is refused', () => {
    expect(
      problemsAfter((env) => {
        env.sites.kitwe.workloads.loanService.cpuRequest = '1.001';
        env.sites.kitwe.workloads.loanService.memoryRequest = '513Mi';
      }),
    ).toEqual([
      `${FILE}: sites.kitwe.workloads.loanService.cpuRequest: "1.001" is above cpuLimit "1" (${CONTAINER})`,
      `${FILE}: sites.kitwe.workloads.loanService.memoryRequest: "513Mi" is above memoryLimit "512Mi" (${CONTAINER})`,
    ]);
  });

  test('a limit that does not parse is reported alone, never compared', () => {
    expect(problemsAfter((env) => (env.sites.kitwe.workloads.loanService.cpuLimit = 'one'))).toEqual([
      `${FILE}: sites.kitwe.workloads.loanService.cpuLimit: "one" is not a CPU quantity (allowed: cores such as "2" or "0.5", or millicores such as "500m")`,
    ]);
  });

  test('reported together with problems elsewhere in the same object', () => {
    expect(
      problemsAfter((env) => {
        env.sites.kitwe.workloads.loanService.cpuRequest = '2';
        env.sites.kitwe.workloads.loanService.replicas = 'three';
      }),
    ).toEqual([
      `${FILE}: sites.kitwe.workloads.loanService.replicas: "three" is not a number (allowed: number)`,
      `${FILE}: sites.kitwe.workloads.loanService.cpuRequest: "2" is above cpuLimit "1" (${CONTAINER})`,
    ]);
  });
});
