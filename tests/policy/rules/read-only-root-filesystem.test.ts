import { readOnlyRootFilesystem } from '../../../policy/rules/read-only-root-filesystem';
import { CONTEXT, REMOVED, SERVICE, WORKLOAD_KINDS, compliant, nonCompliant, notApplicable, withField, workload } from '../fixtures';

const FIELD = 'spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem';

describe('LMS-K8S-005 read-only root filesystem', () => {
  test.each(WORKLOAD_KINDS)('a compliant %s complies; a Service is not applicable', (kind) => {
    expect(readOnlyRootFilesystem([workload(kind), SERVICE], CONTEXT)).toEqual([compliant(kind), notApplicable('Service')]);
  });

  test('false, unset, or a value it cannot read is a finding, on containers and init containers', () => {
    expect(readOnlyRootFilesystem([withField(workload(), FIELD, false)], CONTEXT)).toEqual([nonCompliant('Deployment', FIELD, false, 'true')]);
    expect(readOnlyRootFilesystem([withField(workload(), FIELD, REMOVED)], CONTEXT)).toEqual([nonCompliant('Deployment', FIELD, undefined, 'true')]);
    expect(readOnlyRootFilesystem([withField(workload(), FIELD, 'true')], CONTEXT)).toEqual([nonCompliant('Deployment', FIELD, 'true', 'true')]);
    const init = 'spec.template.spec.initContainers[0].securityContext';
    expect(readOnlyRootFilesystem([withField(workload('Job'), init, REMOVED)], CONTEXT)).toEqual([nonCompliant('Job', `${init}.readOnlyRootFilesystem`, undefined, 'true')]);
  });
});
