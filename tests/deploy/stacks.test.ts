import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { applyOrder, readStacks, siteOfHost } from './stacks';

describe('applyOrder', () => {
  test('dependencies first, then by name', () => {
    const stacks = [
      { name: 'production-lusaka-apps', dependencies: ['production-lusaka-base'] },
      { name: 'production-kitwe-apps', dependencies: ['production-kitwe-base'] },
      { name: 'production-lusaka-base', dependencies: [] },
      { name: 'production-kitwe-base', dependencies: [] },
    ];
    expect(applyOrder(stacks).map((s) => s.name)).toEqual(['production-kitwe-base', 'production-kitwe-apps', 'production-lusaka-base', 'production-lusaka-apps']);
  });

  test('a missing dependency or a cycle is an error', () => {
    expect(() => applyOrder([{ name: 'a', dependencies: ['b'] }])).toThrow('stack a depends on b, which was not synthesized');
    expect(() => applyOrder([{ name: 'a', dependencies: ['b'] }, { name: 'b', dependencies: ['a'] }])).toThrow('stack dependency cycle through a');
  });
});

describe('siteOfHost', () => {
  test('the site whose name is a label of the host', () => {
    expect(siteOfHost('state.prod.kitwe.lms.co.zm', ['lusaka', 'kitwe'])).toBe('kitwe');
    expect(siteOfHost('state.lusaka.lms.co.zm', ['lusaka', 'kitwe'])).toBe('lusaka');
  });

  test('no site, or two, is an error naming the host', () => {
    expect(() => siteOfHost('state.lms.co.zm', ['lusaka', 'kitwe'])).toThrow('cannot tell which site serves "state.lms.co.zm" (allowed: a host name with exactly one of lusaka, kitwe as a label)');
  });
});

describe('readStacks', () => {
  test('reads site, access, backend and objects of each stack from cdktf.out', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lms-stacks-')), 'cdktf.out');
    const write = (name: string, dependencies: string[], config: unknown) => {
      fs.mkdirSync(path.join(outdir, 'stacks', name), { recursive: true });
      fs.writeFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(config));
      return { name, dependencies, workingDirectory: `stacks/${name}`, synthesizedStackPath: `stacks/${name}/cdk.tf.json` };
    };
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'loan-service', namespace: 'lms-apps' } };
    const manifest = {
      stacks: {
        'production-kitwe-apps': write('production-kitwe-apps', ['production-kitwe-base'], {
          provider: { kubernetes: [{ alias: 'kitwe', host: 'https://api.prod.kitwe.lms.co.zm:6443' }] },
          terraform: { backend: { s3: { bucket: 'state-kitwe', key: 'production-kitwe-apps.tfstate', region: 'zm-kitwe-1', endpoints: { s3: 'https://state.prod.kitwe.lms.co.zm' } } } },
          resource: { kubernetes_manifest: { d: { manifest: deployment, wait: { rollout: true } } } },
        }),
        'production-kitwe-base': write('production-kitwe-base', [], {
          provider: { kubernetes: [{ alias: 'kitwe', config_context: 'lms-dev-kitwe' }] },
          terraform: { backend: { local: { path: '../../../.terraform-state/production-kitwe-base.tfstate' } } },
        }),
      },
    };
    fs.writeFileSync(path.join(outdir, 'manifest.json'), JSON.stringify(manifest));
    const [base, apps] = readStacks(outdir);
    expect(base).toMatchObject({ name: 'production-kitwe-base', site: 'kitwe', access: { kind: 'kubeconfig-context', context: 'lms-dev-kitwe' }, backend: { kind: 'local' }, objects: [] });
    expect(apps).toMatchObject({
      name: 'production-kitwe-apps',
      directory: path.join(outdir, 'stacks/production-kitwe-apps'),
      access: { kind: 'api-endpoint', host: 'https://api.prod.kitwe.lms.co.zm:6443' },
      backend: { kind: 's3', endpoint: 'https://state.prod.kitwe.lms.co.zm', bucket: 'state-kitwe', key: 'production-kitwe-apps.tfstate', region: 'zm-kitwe-1' },
      objects: [deployment],
    });
    expect([...apps.rolloutKinds]).toEqual(['Deployment']);
    fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
  });
});
