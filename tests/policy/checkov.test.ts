import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { reviewCheckovFailures, type CheckovFailure } from '../../policy/checkov-suppressions';
import { PROJECT_ROOT } from '../support/environments';
import { describeWithTools } from '../support/tools';

/** Every object of every rendered file, as `Kind/namespace/name`, and what checkov calls it (`Kind.namespace.name`, `default` when none). */
function renderedObjects(directory: string): { objectKey: string; checkovName: string }[] {
  return fs
    .readdirSync(directory)
    .filter((name) => name.endsWith('.k8s.yaml'))
    .flatMap((file) => parseAllDocuments(fs.readFileSync(path.join(directory, file), 'utf8')))
    .map((document) => {
      const { kind, metadata } = document.toJSON() as { kind: string; metadata: { name: string; namespace?: string } };
      return { objectKey: `${kind}/${metadata.namespace ?? ''}/${metadata.name}`, checkovName: `${kind}.${metadata.namespace ?? 'default'}.${metadata.name}` };
    });
}

interface CheckovReport {
  readonly summary: { readonly resource_count: number; readonly parsing_errors: number; readonly failed: number };
  readonly results: { readonly failed_checks: readonly { check_id: string; check_name: string; resource: string; file_path: string }[] };
}

/**
 * Runs checkov offline over a folder of YAML: no policy download (--skip-download), no
 * mapping fetch (BC_SKIP_MAPPING), no version check on the package index
 * (CKV_SKIP_PACKAGE_UPDATE_CHECK); every file read whatever its size; and when this runs as root, inside a network namespace of
 * its own, so it cannot reach anything even if a setting is missed.
 */
function runCheckov(checkov: string, directory: string, home: string): { report: CheckovReport; failures: CheckovFailure[] } {
  const args = ['-d', directory, '--framework', 'kubernetes', '--skip-download', '--quiet', '--compact', '-o', 'json'];
  const isolate = process.getuid?.() === 0 && spawnSync('unshare', ['-n', 'true']).status === 0;
  const [command, commandArgs] = isolate ? ['unshare', ['-n', checkov, ...args]] : [checkov, args];
  const result = spawnSync(command, commandArgs, {
    cwd: directory,
    // CHECKOV_MAX_FILE_SIZE: checkov silently skips files over 5 MB, and each base layer's file
    // holds every vendored CRD (the prometheus-operator ones alone are about 4 MB).
    env: { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', BC_SKIP_MAPPING: 'TRUE', CKV_SKIP_PACKAGE_UPDATE_CHECK: 'TRUE', CHECKOV_MAX_FILE_SIZE: String(64 * 1024 * 1024) },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  // checkov exits 1 when a check fails; anything else is a crash.
  expect({ status: result.status, stderr: result.status === 0 || result.status === 1 ? '' : result.stderr }).toEqual({ status: expect.any(Number), stderr: '' });
  const report = JSON.parse(result.stdout) as CheckovReport;
  const keys = new Map(renderedObjects(directory).map((object) => [object.checkovName, object.objectKey]));
  const failures = report.results.failed_checks.map((failed) => ({
    checkId: failed.check_id,
    checkName: failed.check_name,
    object: keys.get(failed.resource) ?? failed.resource,
    file: failed.file_path.replace(/^\//, ''),
  }));
  return { report, failures };
}

describeWithTools('checkov over every stack\'s rendered objects', ['checkov'], ({ checkov }) => {
  let scratch: string;
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-checkov-'));
    fs.mkdirSync(path.join(scratch, 'home'));
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  test('no failed check except those accepted, with reasons, in policy/checkov-suppressions.ts', () => {
    const rendered = path.join(scratch, 'dist');
    const render = spawnSync(process.execPath, ['--import', 'tsx', 'stacks/render.ts'], { cwd: PROJECT_ROOT, env: { ...process.env, CDK8S_OUTDIR: rendered }, encoding: 'utf8' });
    expect(render.stderr).toBe('');
    expect(render.status).toBe(0);
    const { report, failures } = runCheckov(checkov, rendered, path.join(scratch, 'home'));
    expect(report.summary.parsing_errors).toBe(0);
    // checkov counts each object, plus each workload's containers as resources of their own.
    expect(report.summary.resource_count).toBeGreaterThanOrEqual(renderedObjects(rendered).length);
    expect(reviewCheckovFailures(failures)).toEqual([]);
  }, 600_000);

  test('the scan can fail: a root-ish Deployment with an automounted token is reported by file, check and object', () => {
    const broken = path.join(scratch, 'broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(
      path.join(broken, 'dev-lusaka-apps.k8s.yaml'),
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: ledger, namespace: lms-apps}',
        'spec:',
        '  selector: {matchLabels: {app: ledger}}',
        '  template:',
        '    metadata: {labels: {app: ledger}}',
        '    spec:',
        '      securityContext: {runAsNonRoot: true, runAsUser: 1000}',
        '      containers:',
        '        - {name: ledger, image: registry.lms.co.zm/lms/ledger:1.0.0}',
        '',
      ].join('\n'),
    );
    const { failures } = runCheckov(checkov, broken, path.join(scratch, 'home'));
    const found = new Set(failures.map((failure) => `${failure.file} ${failure.checkId} ${failure.object}`));
    expect(found).toContain('dev-lusaka-apps.k8s.yaml CKV_K8S_38 Deployment/lms-apps/ledger');
    expect(found).toContain('dev-lusaka-apps.k8s.yaml CKV_K8S_40 Deployment/lms-apps/ledger');
    expect(reviewCheckovFailures(failures)).toContain(
      'dev-lusaka-apps.k8s.yaml: CKV_K8S_40 Containers should run as a high UID to avoid host conflict: Deployment/lms-apps/ledger (allowed: fix it, or accept it in policy/checkov-suppressions.ts with a reason)',
    );
  }, 120_000);
});
