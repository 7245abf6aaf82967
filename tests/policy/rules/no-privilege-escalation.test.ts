import { noPrivilegeEscalation } from '../../../policy/rules/no-privilege-escalation';
import { CONTEXT, REMOVED, SERVICE, WORKLOAD_KINDS, compliant, nonCompliant, notApplicable, withField, workload } from '../fixtures';

const SC = 'spec.template.spec.containers[0].securityContext';

describe('LMS-K8S-002 no privilege escalation', () => {
  test.each(WORKLOAD_KINDS)('a compliant %s complies; a Service is not applicable', (kind) => {
    expect(noPrivilegeEscalation([workload(kind), SERVICE], CONTEXT)).toEqual([compliant(kind), notApplicable('Service')]);
  });

  test('privileged may be left unset (it defaults to false)', () => {
    expect(noPrivilegeEscalation([withField(workload(), `${SC}.privileged`, REMOVED)], CONTEXT)).toEqual([compliant('Deployment')]);
  });

  test('allowPrivilegeEscalation unset (defaults to true) or true is a finding', () => {
    expect(noPrivilegeEscalation([withField(workload(), `${SC}.allowPrivilegeEscalation`, REMOVED)], CONTEXT)).toEqual([
      nonCompliant('Deployment', `${SC}.allowPrivilegeEscalation`, undefined, 'false'),
    ]);
    expect(noPrivilegeEscalation([withField(workload(), 'spec.template.spec.initContainers[0].securityContext.allowPrivilegeEscalation', true)], CONTEXT)).toEqual([
      nonCompliant('Deployment', 'spec.template.spec.initContainers[0].securityContext.allowPrivilegeEscalation', true, 'false'),
    ]);
  });

  test('a privileged container is a finding, and so is a privileged value it cannot read', () => {
    expect(noPrivilegeEscalation([withField(workload('DaemonSet'), `${SC}.privileged`, true)], CONTEXT)).toEqual([
      nonCompliant('DaemonSet', `${SC}.privileged`, true, 'false or unset'),
    ]);
    expect(noPrivilegeEscalation([withField(workload(), `${SC}.privileged`, 'false')], CONTEXT)).toEqual([
      nonCompliant('Deployment', `${SC}.privileged`, 'false', 'false or unset'),
    ]);
  });
});
