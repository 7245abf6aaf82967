import { insideTestNamespace, installHostsFile } from './namespace';

describe('outside `npm run test:deploy`', () => {
  const saved = process.env.LMS_DEPLOY_NAMESPACE;
  beforeEach(() => {
    delete process.env.LMS_DEPLOY_NAMESPACE;
  });
  afterAll(() => {
    if (saved !== undefined) process.env.LMS_DEPLOY_NAMESPACE = saved;
  });

  test('the deploy tier knows it is not in its namespaces', () => {
    expect(insideTestNamespace()).toEqual({ inside: false, why: 'LMS_DEPLOY_NAMESPACE is not set: run the deploy tier through `npm run test:deploy`, which creates the namespaces' });
  });

  test('it refuses to touch /etc/hosts', () => {
    expect(() => installHostsFile(new Map([['api.prod.lusaka.lms.co.zm', '127.0.0.2']]))).toThrow(
      'refusing to change /etc/hosts: LMS_DEPLOY_NAMESPACE is not set',
    );
  });
});
