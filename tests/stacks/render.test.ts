import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { fromTerraformLiteral } from '../../stacks/terraform-literal';
import { PROJECT_ROOT } from '../support/environments';
import { describeWithTools } from '../support/tools';

/** Every shell script of the project: `.ci/run` and the `*.sh` files under tests/. */
function shellScripts(dir = path.join(PROJECT_ROOT, 'tests')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return shellScripts(full);
    return entry.name.endsWith('.sh') ? [full] : [];
  });
}

let outdir: string;
let synthdir: string;
beforeAll(() => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-render-test-'));
  outdir = path.join(scratch, 'dist');
  synthdir = path.join(scratch, 'cdktf.out');
  const env = { ...process.env, CDK8S_OUTDIR: outdir, CDKTF_OUTDIR: synthdir };
  for (const entry of ['stacks/render.ts', 'stacks/main.ts']) {
    const result = spawnSync(process.execPath, ['--import', 'tsx', entry], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  }
});
afterAll(() => fs.rmSync(path.dirname(outdir), { recursive: true, force: true }));

/** Folders of the charts a synthesized stack carries (`helm_release.chart` `./charts/<name>`). */
function localCharts(stack: string, config: { resource: { helm_release?: Record<string, { chart: string }> } }): string[] {
  return Object.values(config.resource.helm_release ?? {})
    .filter((release) => release.chart.startsWith('./'))
    .map((release) => path.join(synthdir, 'stacks', stack, release.chart));
}

describe('npm run render', () => {
  test('writes each stack\'s Kubernetes objects as YAML, the same objects Terraform applies', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(synthdir, 'manifest.json'), 'utf8'));
    // Every layer stack; a vault-config stack configures Vault and holds no Kubernetes object.
    const stacks = Object.keys(manifest.stacks).filter((name) => !name.endsWith('-vault-config')).sort();
    expect(fs.readdirSync(outdir).filter((file) => file.endsWith('.k8s.yaml')).sort()).toEqual(stacks.map((name) => `${name}.k8s.yaml`));
    for (const stack of stacks) {
      const rendered = parseAllDocuments(fs.readFileSync(path.join(outdir, `${stack}.k8s.yaml`), 'utf8')).map((doc) => doc.toJSON());
      const config = JSON.parse(fs.readFileSync(path.join(synthdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
      // As Terraform passes them on: the JSON escapes `${` and `%{` in every string.
      // The kubernetes_manifest objects, and those of the charts the stack carries (its CRDs).
      const applied = [
        ...Object.values(config.resource.kubernetes_manifest as Record<string, { manifest: unknown }>).map((r) => fromTerraformLiteral(r.manifest)),
        ...localCharts(stack, config).flatMap((chart) => fs.readdirSync(path.join(chart, 'objects')).sort().map((file) => parseAllDocuments(fs.readFileSync(path.join(chart, 'objects', file), 'utf8'))[0].toJSON())),
      ];
      const key = (o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
      expect(rendered.map(key).sort()).toEqual(applied.map(key).sort());
      expect(new Map(rendered.map((o) => [key(o), o]))).toEqual(new Map(applied.map((o) => [key(o), o])));
    }
  });


  test('writes each stack\'s Helm releases with the values Terraform installs', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(synthdir, 'manifest.json'), 'utf8'));
    const withReleases = Object.keys(manifest.stacks)
      .sort()
      .filter((stack) => JSON.parse(fs.readFileSync(path.join(synthdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')).resource.helm_release);
    expect(withReleases.length).toBeGreaterThan(0);
    expect(fs.readdirSync(outdir).filter((file) => file.endsWith('.helm-releases.yaml')).sort()).toEqual(withReleases.map((name) => `${name}.helm-releases.yaml`));
    for (const stack of withReleases) {
      const rendered = parseAllDocuments(fs.readFileSync(path.join(outdir, `${stack}.helm-releases.yaml`), 'utf8')).map((doc) => doc.toJSON());
      const releases = Object.values(JSON.parse(fs.readFileSync(path.join(synthdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')).resource.helm_release as Record<string, any>);
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect(rendered.map((r) => ({ name: r.release, namespace: r.namespace, chart: r.chart, version: r.version, repository: r.repository, values: r.values })).sort(byName)).toEqual(
        releases
          .map((r) => ({
            name: r.name,
            namespace: r.namespace,
            chart: r.chart,
            // A chart the stack carries states its version in its Chart.yaml.
            version: r.version ?? parseAllDocuments(fs.readFileSync(path.join(synthdir, 'stacks', stack, r.chart, 'Chart.yaml'), 'utf8'))[0].toJSON().version,
            repository: r.repository,
            values: parseAllDocuments(fromTerraformLiteral(r.values[0]))[0].toJSON(),
          }))
          .sort(byName),
      );
    }
  });
});

describeWithTools('rendered YAML', ['yamllint'], (tools) => {
  test('passes yamllint', () => {
    const result = spawnSync(tools.yamllint, ['--strict', '-c', path.join(PROJECT_ROOT, '.yamllint.yaml'), outdir, path.join(PROJECT_ROOT, 'cdk8s.yaml')], { encoding: 'utf8' });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
    // The base files carry every vendored CRD the site installs (about 4 MB each): yamllint reads them all.
  }, 300_000);
});

describe('npm run render with a broken environment', () => {
  test('fails with the same one-line problems as synth and leaves the previous output untouched', () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-render-broken-'));
    try {
      const kept = path.join(scratch, 'dist');
      fs.mkdirSync(kept);
      fs.writeFileSync(path.join(kept, 'previous.k8s.yaml'), '---\nkept: true\n');
      const environments = path.join(scratch, 'environments');
      fs.mkdirSync(environments);
      fs.writeFileSync(
        path.join(environments, 'dev.ts'),
        fs.readFileSync(path.join(PROJECT_ROOT, 'environments/dev.ts'), 'utf8').replace("tier: 'development'", "tier: 'test'"),
      );
      const result = spawnSync(process.execPath, ['--import', 'tsx', 'stacks/render.ts'], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, CDK8S_OUTDIR: kept, LMS_ENVIRONMENTS_DIR: environments },
        encoding: 'utf8',
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(
        `render failed: invalid environment configuration (1 problem):\n  ${path.relative(PROJECT_ROOT, path.join(environments, 'dev.ts'))}: tier: "test" is not allowed (allowed: development, staging, production)\n`,
      );
      expect(fs.readdirSync(kept)).toEqual(['previous.k8s.yaml']);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describeWithTools('shell scripts', ['shellcheck'], (tools) => {
  test('pass shellcheck', () => {
    const result = spawnSync(tools.shellcheck, ['-x', path.join(PROJECT_ROOT, '.ci/run'), ...shellScripts()], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});
