import * as fs from 'fs';
import * as path from 'path';
import { VERSIONS, imageReference } from '../../constructs/versions';
import { PROJECT_ROOT } from '../support/environments';

describe('versions', () => {
  test('the pinned provider bindings are the ones installed, and bundle the pinned Terraform providers', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
    expect(pkg.dependencies['@cdktf/provider-kubernetes']).toBe('12.1.1');
    expect(pkg.dependencies['@cdktf/provider-helm']).toBe('12.1.2');
    expect(pkg.dependencies.cdktf).toBe('0.21.0');
    expect(pkg.devDependencies['cdktf-cli']).toBe('0.21.0');
    for (const [name, pinned] of Object.entries(VERSIONS.terraformProviders)) {
      const binding = fs.readFileSync(path.join(PROJECT_ROOT, `node_modules/@cdktf/provider-${name}/lib/provider/index.js`), 'utf8');
      expect(binding).toContain(`providerVersion: '${pinned.version}'`);
    }
  });

  test('every dependency is pinned exactly', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
    for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      expect({ name, version }).toEqual({ name, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    }
  });

  test('cdktf.json never asks for provider generation', () => {
    const config = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'cdktf.json'), 'utf8'));
    expect(config.terraformProviders).toEqual([]);
    expect(config.terraformModules).toEqual([]);
  });

  test('images are referenced by digest from the given registry', () => {
    expect(imageReference('registry.lms.co.zm', 'loanService')).toBe(
      `registry.lms.co.zm/lms/loan-service:${VERSIONS.images.loanService.tag}@${VERSIONS.images.loanService.digest}`,
    );
  });

  test('an unknown image is an error, not a fallback', () => {
    expect(() => imageReference('registry.lms.co.zm', 'billing' as never)).toThrow(
      'versions: images.billing: "billing" is not a pinned image (allowed: loanService, certManagerController, certManagerWebhook, certManagerCainjector, certManagerAcmeSolver, traefik, metallbController, metallbSpeaker)',
    );
  });
});
