import { seccompProfile } from '../../../policy/rules/seccomp-profile';
import { CONTEXT, REMOVED, SERVICE, WORKLOAD_KINDS, compliant, nonCompliant, notApplicable, withField, workload } from '../fixtures';

const POD = 'spec.template.spec.securityContext.seccompProfile';
const C0 = 'spec.template.spec.containers[0].securityContext.seccompProfile';
const INIT = 'spec.template.spec.initContainers[0].securityContext.seccompProfile';
const ALLOWED = '"RuntimeDefault" or "Localhost"';

function podLevelOnly() {
  return withField(withField(workload(), C0, REMOVED), INIT, REMOVED);
}

describe('LMS-K8S-004 seccomp profile', () => {
  test.each(WORKLOAD_KINDS)('a compliant %s complies; a Service is not applicable', (kind) => {
    expect(seccompProfile([workload(kind), SERVICE], CONTEXT)).toEqual([compliant(kind), notApplicable('Service')]);
  });

  test('the pod profile alone is enough; Localhost complies', () => {
    expect(seccompProfile([podLevelOnly()], CONTEXT)).toEqual([compliant('Deployment')]);
    expect(seccompProfile([withField(workload(), C0, { type: 'Localhost', localhostProfile: 'profiles/loan.json' })], CONTEXT)).toEqual([compliant('Deployment')]);
  });

  test('no profile on pod or container is a finding per container', () => {
    expect(seccompProfile([withField(podLevelOnly(), POD, REMOVED)], CONTEXT)).toEqual([
      nonCompliant('Deployment', `${C0}.type`, undefined, ALLOWED),
      nonCompliant('Deployment', `${INIT}.type`, undefined, ALLOWED),
    ]);
  });

  test('Unconfined on the pod is reported at the pod; on a container it overrides the pod', () => {
    expect(seccompProfile([withField(podLevelOnly(), `${POD}.type`, 'Unconfined')], CONTEXT)).toEqual([
      nonCompliant('Deployment', `${POD}.type`, 'Unconfined', ALLOWED),
    ]);
    expect(seccompProfile([withField(workload(), `${C0}.type`, 'Unconfined')], CONTEXT)).toEqual([nonCompliant('Deployment', `${C0}.type`, 'Unconfined', ALLOWED)]);
  });

  test('a type it cannot read is a finding', () => {
    expect(seccompProfile([withField(workload(), `${C0}.type`, 42)], CONTEXT)).toEqual([nonCompliant('Deployment', `${C0}.type`, 42, ALLOWED)]);
  });
});
