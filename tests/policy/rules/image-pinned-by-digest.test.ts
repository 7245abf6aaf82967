import { imagePinnedByDigest } from '../../../policy/rules/image-pinned-by-digest';
import { CONTEXT, REMOVED, SERVICE, WORKLOAD_KINDS, compliant, nonCompliant, notApplicable, withField, workload } from '../fixtures';

const IMAGE = 'spec.template.spec.containers[0].image';
const ALLOWED = 'an image pinned by digest: <image>@sha256:<64 hex digits>';

describe('LMS-K8S-007 image pinned by digest', () => {
  test.each(WORKLOAD_KINDS)('a compliant %s complies; a Service is not applicable', (kind) => {
    expect(imagePinnedByDigest([workload(kind), SERVICE], CONTEXT)).toEqual([compliant(kind), notApplicable('Service')]);
  });

  test(`a digest without a tag complies`, () => {
    expect(imagePinnedByDigest([withField(workload(), IMAGE, `registry.lms.co.zm/lms/app@sha256:${'a'.repeat(64)}`)], CONTEXT)).toEqual([compliant('Deployment')]);
  });

  test.each([
    ['registry.lms.co.zm/lms/app:1.4.2'],
    ['registry.lms.co.zm/lms/app:latest'],
    [`registry.lms.co.zm/lms/app@sha256:${'a'.repeat(63)}`],
    [`registry.lms.co.zm/lms/app@sha256:${'A'.repeat(64)}`],
    [`registry.lms.co.zm/lms/app@sha512:${'a'.repeat(128)}`],
    [`registry.lms.co.zm/lms/app@sha256:${'a'.repeat(64)}:extra`],
  ])('%j is a finding', (image) => {
    expect(imagePinnedByDigest([withField(workload(), IMAGE, image)], CONTEXT)).toEqual([nonCompliant('Deployment', IMAGE, image, ALLOWED)]);
  });

  test('a missing or non-string image is a finding, on init containers too', () => {
    const init = 'spec.template.spec.initContainers[0].image';
    expect(imagePinnedByDigest([withField(workload(), init, REMOVED)], CONTEXT)).toEqual([nonCompliant('Deployment', init, undefined, ALLOWED)]);
    expect(imagePinnedByDigest([withField(workload(), IMAGE, 42)], CONTEXT)).toEqual([nonCompliant('Deployment', IMAGE, 42, ALLOWED)]);
  });
});
