import { runAsNonRoot } from '../../../policy/rules/run-as-non-root';
import { CONTEXT, POD_SPEC_PATHS, REMOVED, SERVICE, WORKLOAD_KINDS, compliant, nonCompliant, notApplicable, withField, workload } from '../fixtures';

const C0 = 'spec.template.spec.containers[0]';
const POD = 'spec.template.spec.securityContext';

describe('LMS-K8S-001 runAsNonRoot', () => {
  test.each(WORKLOAD_KINDS)('a compliant %s complies; a Service is not applicable', (kind) => {
    expect(runAsNonRoot([workload(kind), SERVICE], CONTEXT)).toEqual([compliant(kind), notApplicable('Service')]);
  });

  test('set on the pod only, or on the containers only, is enough', () => {
    let podOnly = withField(workload(), `${C0}.securityContext.runAsNonRoot`, REMOVED);
    podOnly = withField(podOnly, 'spec.template.spec.initContainers[0].securityContext.runAsNonRoot', REMOVED);
    expect(runAsNonRoot([podOnly], CONTEXT)).toEqual([compliant('Deployment')]);
    expect(runAsNonRoot([withField(workload(), `${POD}.runAsNonRoot`, REMOVED)], CONTEXT)).toEqual([compliant('Deployment')]);
  });

  test.each(WORKLOAD_KINDS)('%s: unset on both pod and container is a finding at the container', (kind) => {
    const spec = POD_SPEC_PATHS[kind];
    let object = withField(workload(kind), `${spec}.securityContext.runAsNonRoot`, REMOVED);
    object = withField(object, `${spec}.containers[0].securityContext.runAsNonRoot`, REMOVED);
    expect(runAsNonRoot([object], CONTEXT)).toEqual([nonCompliant(kind, `${spec}.containers[0].securityContext.runAsNonRoot`, undefined, 'true')]);
  });

  test('init containers are judged too', () => {
    let object = withField(workload(), `${POD}.runAsNonRoot`, REMOVED);
    object = withField(object, 'spec.template.spec.initContainers[0].securityContext.runAsNonRoot', false);
    expect(runAsNonRoot([object], CONTEXT)).toEqual([nonCompliant('Deployment', 'spec.template.spec.initContainers[0].securityContext.runAsNonRoot', false, 'true')]);
  });

  test('a container false overrides a pod true; a pod false is reported once, at the pod', () => {
    expect(runAsNonRoot([withField(workload(), `${C0}.securityContext.runAsNonRoot`, false)], CONTEXT)).toEqual([
      nonCompliant('Deployment', `${C0}.securityContext.runAsNonRoot`, false, 'true'),
    ]);
    let podFalse = withField(workload(), `${POD}.runAsNonRoot`, false);
    podFalse = withField(podFalse, `${C0}.securityContext.runAsNonRoot`, REMOVED);
    podFalse = withField(podFalse, 'spec.template.spec.initContainers[0].securityContext.runAsNonRoot', REMOVED);
    expect(runAsNonRoot([podFalse], CONTEXT)).toEqual([nonCompliant('Deployment', `${POD}.runAsNonRoot`, false, 'true')]);
  });

  test('runAsUser 0 anywhere is a finding, even with runAsNonRoot true', () => {
    const allowed = 'a whole number above 0 (0 is root)';
    expect(runAsNonRoot([withField(workload(), `${POD}.runAsUser`, 0)], CONTEXT)).toEqual([nonCompliant('Deployment', `${POD}.runAsUser`, 0, allowed)]);
    expect(runAsNonRoot([withField(workload(), `${C0}.securityContext.runAsUser`, 0)], CONTEXT)).toEqual([nonCompliant('Deployment', `${C0}.securityContext.runAsUser`, 0, allowed)]);
  });

  test('values it cannot resolve are findings: a string "true", a string user, no pod spec, no containers', () => {
    expect(runAsNonRoot([withField(workload(), `${C0}.securityContext.runAsNonRoot`, 'true')], CONTEXT)).toEqual([
      nonCompliant('Deployment', `${C0}.securityContext.runAsNonRoot`, 'true', 'true'),
    ]);
    expect(runAsNonRoot([withField(workload(), `${C0}.securityContext.runAsUser`, '10001')], CONTEXT)).toEqual([
      nonCompliant('Deployment', `${C0}.securityContext.runAsUser`, '10001', 'a whole number above 0 (0 is root)'),
    ]);
    expect(runAsNonRoot([withField(workload(), 'spec.template', REMOVED)], CONTEXT)).toEqual([nonCompliant('Deployment', 'spec.template.spec', undefined, 'a pod spec')]);
    expect(runAsNonRoot([withField(workload('CronJob'), 'spec.jobTemplate.spec.template.spec', 'none')], CONTEXT)).toEqual([
      nonCompliant('CronJob', 'spec.jobTemplate.spec.template.spec', 'none', 'a pod spec'),
    ]);
    expect(runAsNonRoot([withField(workload(), 'spec.template.spec.containers', [])], CONTEXT)).toEqual([
      nonCompliant('Deployment', 'spec.template.spec.containers', [], 'a non-empty list of containers'),
    ]);
    expect(runAsNonRoot([withField(workload(), 'spec.template.spec.initContainers', [null])], CONTEXT)).toEqual([
      nonCompliant('Deployment', 'spec.template.spec.initContainers[0]', null, 'a container'),
    ]);
    expect(runAsNonRoot([withField(workload(), 'spec.template.spec.initContainers', 'migrate')], CONTEXT)).toEqual([
      nonCompliant('Deployment', 'spec.template.spec.initContainers', 'migrate', 'a list of containers'),
    ]);
  });
});
