import { approvedRegistry, imageRegistryHost } from '../../../policy/rules/approved-registry';
import { CONTEXT, DIGEST, IMAGE as IMAGE_REF, REMOVED, SERVICE, WORKLOAD_KINDS, compliant, nonCompliant, notApplicable, withField, workload } from '../fixtures';

const IMAGE = 'spec.template.spec.containers[0].image';
const ALLOWED = 'an image from registry.lms.co.zm';

describe('LMS-K8S-006 approved registry', () => {
  test.each(WORKLOAD_KINDS)('a compliant %s complies; a Service is not applicable', (kind) => {
    expect(approvedRegistry([workload(kind), SERVICE], CONTEXT)).toEqual([compliant(kind), notApplicable('Service')]);
  });

  test.each([
    [`nginx@${DIGEST}`],
    ['docker.io/library/nginx:1.27'],
    ['lms/loan-service:1.0.0'],
    ['ghcr.io/lms/loan-service:1.0.0'],
    ['registry.lms.co.zm.example.com/lms/loan-service:1.0.0'],
    ['registry.lms.co.zm:5000/lms/loan-service:1.0.0'],
    [''],
  ])('%j is a finding', (image) => {
    expect(approvedRegistry([withField(workload(), IMAGE, image)], CONTEXT)).toEqual([nonCompliant('Deployment', IMAGE, image, ALLOWED)]);
  });

  test('a missing image is a finding, on init containers too', () => {
    const init = 'spec.template.spec.initContainers[0].image';
    expect(approvedRegistry([withField(workload(), init, REMOVED)], CONTEXT)).toEqual([nonCompliant('Deployment', init, undefined, ALLOWED)]);
  });

  test('the approved registries come from the context; with none, every image is a finding', () => {
    const context = { approvedRegistries: ['registry.lms.co.zm', 'registry.kitwe.lms.co.zm'] };
    expect(approvedRegistry([withField(workload(), IMAGE, 'registry.kitwe.lms.co.zm/lms/app:1.4.2')], context)).toEqual([compliant('Deployment')]);
    expect(approvedRegistry([withField(workload(), IMAGE, 'ghcr.io/lms/app:1.4.2')], context)).toEqual([
      nonCompliant('Deployment', IMAGE, 'ghcr.io/lms/app:1.4.2', 'an image from registry.lms.co.zm, registry.kitwe.lms.co.zm'),
    ]);
    const none = 'an image from an approved registry (none is configured)';
    expect(approvedRegistry([workload()], { approvedRegistries: [] })).toEqual([
      nonCompliant('Deployment', IMAGE, IMAGE_REF, none),
      nonCompliant('Deployment', 'spec.template.spec.initContainers[0].image', IMAGE_REF, none),
    ]);
  });

  test.each([
    ['nginx', 'docker.io'],
    ['library/nginx:1.27', 'docker.io'],
    ['registry.lms.co.zm/lms/app:1', 'registry.lms.co.zm'],
    ['Registry.LMS.co.zm/lms/app:1', 'registry.lms.co.zm'],
    ['localhost/app', 'localhost'],
    ['localhost:5000/app', 'localhost:5000'],
    [`registry.lms.co.zm/app@${DIGEST}`, 'registry.lms.co.zm'],
    ['', undefined],
    ['registry.lms.co.zm//app', undefined],
    ['registry.lms.co.zm/app name', undefined],
  ])('imageRegistryHost(%j) is %j', (image, host) => {
    expect(imageRegistryHost(image)).toBe(host);
  });
});
