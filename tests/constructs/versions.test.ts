import * as fs from 'fs';
import * as path from 'path';
import { SUPPORTED_CHART_VERSIONS, VERSIONS, chartSource, imageReference, pinnedImage, standInImages } from '../../constructs/versions';
import { imageSummary } from '../../stacks/image-summary';
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
      'versions: images.billing: "billing" is not a pinned image (allowed: loanService, certManagerController, certManagerWebhook, certManagerCainjector, certManagerAcmeSolver, traefik, metallbController, metallbSpeaker, vault, vaultK8s, minio, objectStoreJobs, sqlServer, sqlServerJobs, prometheusOperator, prometheusConfigReloader, prometheus, alertmanager, grafana, grafanaSidecar, kubeStateMetrics, nodeExporter, thanos, eckOperator, minioClient, elasticsearch, kibana, logstash, filebeat, elasticsearchExporter)',
    );
  });

  test('every image names its upstream and whether its digest is recorded or a stand-in', () => {
    for (const [name, image] of Object.entries(VERSIONS.images)) {
      expect({ name, digest: /^sha256:[0-9a-f]{64}$/.test(image.digest), source: ['registry', 'stand-in'].includes(image.digestSource), upstream: image.upstream.length > 0 }).toEqual({ name, digest: true, source: true, upstream: true });
    }
  });

  test('images still on stand-in digests are listed by every synth', () => {
    const standIns = standInImages();
    expect(standIns).toEqual(Object.keys(VERSIONS.images).filter((name) => VERSIONS.images[name as keyof typeof VERSIONS.images].digestSource === 'stand-in').sort());
    expect(imageSummary()).toBe(
      `images: ${Object.keys(VERSIONS.images).length} pinned by digest, ${standIns.length} by stand-in digests not yet recorded from the in-country registry (a deploy cannot pull them until the release records them): ${standIns.join(', ')}\n`,
    );
  });

  test('a pinned image in the parts Helm charts take', () => {
    const image = VERSIONS.images.traefik;
    expect(pinnedImage('registry.lms.co.zm', 'traefik')).toEqual({
      registry: 'registry.lms.co.zm',
      repository: 'traefik/traefik',
      tag: image.tag,
      digest: image.digest,
      reference: `registry.lms.co.zm/traefik/traefik:${image.tag}@${image.digest}`,
    });
  });

  test('charts come from the given in-country repository at their pinned version', () => {
    expect(chartSource('https://charts.kitwe.lms.co.zm', 'metallb')).toEqual({ repository: 'https://charts.kitwe.lms.co.zm', name: 'metallb', version: '0.16.1' });
    expect(() => chartSource('https://charts.kitwe.lms.co.zm', 'nginx' as never)).toThrow('versions: charts.nginx: "nginx" is not a pinned chart (allowed: certManager, traefik, metallb, vault, kubePrometheusStack, eckOperator)');
  });

  test('an environment\'s pins choose a supported chart version and its own loan-service build', () => {
    expect(chartSource('https://charts.kitwe.lms.co.zm', 'vault', '0.34.1').version).toBe('0.34.1');
    expect(() => chartSource('https://charts.kitwe.lms.co.zm', 'vault', '0.99.0')).toThrow('versions: charts.vault: "0.99.0" is not a supported version (allowed: 0.34.1)');
    for (const [name, chart] of Object.entries(VERSIONS.charts)) expect(SUPPORTED_CHART_VERSIONS[name as keyof typeof VERSIONS.charts]).toContain(chart.version);
    const digest = `sha256:${'c'.repeat(64)}`;
    expect(imageReference('registry.lms.co.zm', 'loanService', { tag: '0.2.0-abc', digest })).toBe(`registry.lms.co.zm/lms/loan-service:0.2.0-abc@${digest}`);
    expect(() => imageReference('registry.lms.co.zm', 'loanService', { tag: '0.2.0', digest: 'sha256:nope' })).toThrow(
      'versions: images.loanService.digest: "sha256:nope" is not an image digest (allowed: "sha256:" and 64 lower-case hex digits)',
    );
  });
});
