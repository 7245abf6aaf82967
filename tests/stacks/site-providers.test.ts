import { Testing, TerraformStack } from 'cdktf';
import { PlatformError } from '../../constructs/platform-error';
import { SiteProviders } from '../../stacks/site-providers';

describe('SiteProviders', () => {
  function providers(siteName: string, cluster: ConstructorParameters<typeof SiteProviders>[2]['cluster']) {
    const stack = new TerraformStack(Testing.app(), 'stack');
    new SiteProviders(stack, 'providers', { siteName, cluster });
    return JSON.parse(Testing.synth(stack)).provider;
  }

  test('an API endpoint site: host only; the token and CA come from the environment at deploy time', () => {
    expect(providers('kitwe', { kind: 'api-endpoint', endpoint: 'https://api.prod.kitwe.lms.co.zm:6443' })).toEqual({
      kubernetes: [{ alias: 'kitwe', host: 'https://api.prod.kitwe.lms.co.zm:6443' }],
      helm: [{ alias: 'kitwe', kubernetes: { host: 'https://api.prod.kitwe.lms.co.zm:6443' } }],
    });
  });

  test('a kubeconfig-context site: the context only; the kubeconfig comes from KUBE_CONFIG_PATH', () => {
    expect(providers('lusaka', { kind: 'kubeconfig-context', context: 'lms-dev-lusaka' })).toEqual({
      kubernetes: [{ alias: 'lusaka', config_context: 'lms-dev-lusaka' }],
      helm: [{ alias: 'lusaka', kubernetes: { config_context: 'lms-dev-lusaka' } }],
    });
  });

  test('a site name that cannot be a provider alias is rejected', () => {
    expect(() => providers('Kitwe DR', { kind: 'kubeconfig-context', context: 'x' })).toThrow(
      new PlatformError('SiteProviders stack/providers: siteName: "Kitwe DR" is not allowed (allowed: a lower-case name starting with a letter, e.g. "lusaka")'),
    );
  });
});
