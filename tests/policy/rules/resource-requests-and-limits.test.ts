import { resourceRequestsAndLimits } from '../../../policy/rules/resource-requests-and-limits';
import { CONTEXT, REMOVED, SERVICE, WORKLOAD_KINDS, compliant, nonCompliant, notApplicable, withField, workload } from '../fixtures';

const RES = 'spec.template.spec.containers[0].resources';
const CPU = 'a cpu quantity above 0, e.g. "250m" or "1"';
const MEMORY = 'a memory quantity above 0, e.g. "256Mi" or "1Gi"';

describe('LMS-K8S-008 resource requests and limits', () => {
  test.each(WORKLOAD_KINDS)('a compliant %s complies; a Service is not applicable', (kind) => {
    expect(resourceRequestsAndLimits([workload(kind), SERVICE], CONTEXT)).toEqual([compliant(kind), notApplicable('Service')]);
  });

  test('any Kubernetes quantity is read: numbers, exponents, decimal and binary suffixes; equal request and limit comply', () => {
    const resources = { requests: { cpu: 0.3, memory: '1G' }, limits: { cpu: '300m', memory: '1e9' } };
    expect(resourceRequestsAndLimits([withField(workload(), RES, resources)], CONTEXT)).toEqual([compliant('Deployment')]);
  });

  test('missing limits are one finding per resource', () => {
    expect(resourceRequestsAndLimits([withField(workload(), `${RES}.limits`, REMOVED)], CONTEXT)).toEqual([
      nonCompliant('Deployment', `${RES}.limits.cpu`, undefined, CPU),
      nonCompliant('Deployment', `${RES}.limits.memory`, undefined, MEMORY),
    ]);
  });

  test('no resources at all on an init container: four findings', () => {
    const init = 'spec.template.spec.initContainers[0].resources';
    expect(resourceRequestsAndLimits([withField(workload('CronJob'), 'spec.jobTemplate.spec.template.spec.initContainers[0].resources', REMOVED)], CONTEXT)).toEqual([
      nonCompliant('CronJob', `spec.jobTemplate.${init}.requests.cpu`, undefined, CPU),
      nonCompliant('CronJob', `spec.jobTemplate.${init}.limits.cpu`, undefined, CPU),
      nonCompliant('CronJob', `spec.jobTemplate.${init}.requests.memory`, undefined, MEMORY),
      nonCompliant('CronJob', `spec.jobTemplate.${init}.limits.memory`, undefined, MEMORY),
    ]);
  });

  test('a request above its limit is a finding at the request, naming the limit', () => {
    let object = withField(workload(), `${RES}.requests.cpu`, '1500m');
    object = withField(object, `${RES}.requests.memory`, '1Gi');
    object = withField(object, `${RES}.limits.memory`, '1G');
    expect(resourceRequestsAndLimits([object], CONTEXT)).toEqual([
      nonCompliant('Deployment', `${RES}.requests.cpu`, '1500m', 'at most the limit "1"'),
      nonCompliant('Deployment', `${RES}.requests.memory`, '1Gi', 'at most the limit "1G"'),
    ]);
  });

  test('a quantity it cannot parse, or 0, is a finding', () => {
    let object = withField(workload(), `${RES}.limits.cpu`, '1 core');
    object = withField(object, `${RES}.requests.memory`, '0');
    object = withField(object, `${RES}.limits.memory`, '512MB');
    expect(resourceRequestsAndLimits([object], CONTEXT)).toEqual([
      nonCompliant('Deployment', `${RES}.limits.cpu`, '1 core', CPU),
      nonCompliant('Deployment', `${RES}.requests.memory`, '0', MEMORY),
      nonCompliant('Deployment', `${RES}.limits.memory`, '512MB', MEMORY),
    ]);
  });
});
