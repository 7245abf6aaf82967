import { allCapabilitiesDropped } from '../../../policy/rules/all-capabilities-dropped';
import { CONTEXT, REMOVED, SERVICE, WORKLOAD_KINDS, compliant, nonCompliant, notApplicable, withField, workload } from '../fixtures';

const DROP = 'spec.template.spec.containers[0].securityContext.capabilities.drop';
const ALLOWED = 'a list containing "ALL"';

describe('LMS-K8S-003 all capabilities dropped', () => {
  test.each(WORKLOAD_KINDS)('a compliant %s complies; a Service is not applicable', (kind) => {
    expect(allCapabilitiesDropped([workload(kind), SERVICE], CONTEXT)).toEqual([compliant(kind), notApplicable('Service')]);
  });

  test('ALL among other drops complies', () => {
    expect(allCapabilitiesDropped([withField(workload(), DROP, ['NET_RAW', 'ALL'])], CONTEXT)).toEqual([compliant('Deployment')]);
  });

  test('no drop list, a partial one, or "ALL" not in a list is a finding', () => {
    expect(allCapabilitiesDropped([withField(workload(), 'spec.template.spec.containers[0].securityContext.capabilities', REMOVED)], CONTEXT)).toEqual([
      nonCompliant('Deployment', DROP, undefined, ALLOWED),
    ]);
    expect(allCapabilitiesDropped([withField(workload(), DROP, ['NET_RAW'])], CONTEXT)).toEqual([nonCompliant('Deployment', DROP, ['NET_RAW'], ALLOWED)]);
    expect(allCapabilitiesDropped([withField(workload(), DROP, 'ALL')], CONTEXT)).toEqual([nonCompliant('Deployment', DROP, 'ALL', ALLOWED)]);
    const initDrop = 'spec.template.spec.initContainers[0].securityContext.capabilities.drop';
    expect(allCapabilitiesDropped([withField(workload(), initDrop, [])], CONTEXT)).toEqual([nonCompliant('Deployment', initDrop, [], ALLOWED)]);
  });
});
