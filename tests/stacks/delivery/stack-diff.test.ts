import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { changedStacksCommand } from '../../../stacks/delivery/changed-stacks';
import { diffStacks } from '../../../stacks/delivery/stack-diff';
import { PROJECT_ROOT } from '../../support/environments';

/**
 * Pins decide what an environment runs: dev pinned to a newer loan-service build than
 * production changes dev's apps stacks only, from the same commit. The pull-request workflow's
 * change detection (`npm run changed-stacks`) reads the same difference.
 */

let scratch: string;
let baseline: string;
let newerDev: string;
const NEW_DIGEST = `sha256:${'a'.repeat(64)}`;

function synth(outdir: string, pinsDir?: string): void {
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir, LMS_ENVIRONMENTS: 'dev,production' };
  if (pinsDir) env.LMS_PINS_DIR = pinsDir;
  else delete env.LMS_PINS_DIR;
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'stacks/main.ts'], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
}

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-stack-diff-'));
  baseline = path.join(scratch, 'baseline');
  newerDev = path.join(scratch, 'newer-dev');
  const pins = path.join(scratch, 'pins');
  fs.cpSync(path.join(PROJECT_ROOT, 'environments/pins'), pins, { recursive: true });
  const dev = JSON.parse(fs.readFileSync(path.join(pins, 'dev.json'), 'utf8'));
  dev.loanService = { tag: '0.2.0-3f2a1b0c9d8e', digest: NEW_DIGEST };
  fs.writeFileSync(path.join(pins, 'dev.json'), JSON.stringify(dev));
  synth(baseline);
  synth(newerDev, pins);
}, 120_000);

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

test('dev pinned to a newer build: only dev\'s apps stacks change, and only the loan-service Deployment in them', () => {
  const changes = diffStacks(baseline, newerDev);
  expect(changes).toHaveLength(28);
  const changed = changes.filter((change) => change.kind !== 'unchanged');
  const deployment = 'kubernetes_manifest.loan-service_objects_deployment-lms-apps-loan-service_5182815F';
  expect(changed).toEqual([
    { stack: 'dev-kitwe-apps', kind: 'changed', added: [], removed: [], changed: [deployment] },
    { stack: 'dev-lusaka-apps', kind: 'changed', added: [], removed: [], changed: [deployment] },
  ]);
  const json = JSON.parse(fs.readFileSync(path.join(newerDev, 'stacks/dev-lusaka-apps/cdk.tf.json'), 'utf8'));
  const manifest = json.resource.kubernetes_manifest['loan-service_objects_deployment-lms-apps-loan-service_5182815F'].manifest;
  expect(manifest.spec.template.spec.containers[0].image).toBe(`registry.lms.co.zm/lms/loan-service:0.2.0-3f2a1b0c9d8e@${NEW_DIGEST}`);
  // Production, from the same commit, still runs its own pins.
  const production = fs.readFileSync(path.join(newerDev, 'stacks/production-lusaka-apps/cdk.tf.json'), 'utf8');
  expect(production).not.toContain(NEW_DIGEST);
});

test('npm run changed-stacks: the pull request\'s plan matrix, each stack with its environment and site', () => {
  expect(changedStacksCommand(['--base', baseline, '--head', newerDev])).toBe(
    '[{"stack":"dev-kitwe-apps","environment":"dev","site":"kitwe"},{"stack":"dev-lusaka-apps","environment":"dev","site":"lusaka"}]\n',
  );
  expect(changedStacksCommand(['--base', baseline, '--head', baseline])).toBe('[]\n');
  // A base that did not synthesize (the workflow leaves an empty output): every head stack is planned.
  const empty = path.join(scratch, 'empty');
  fs.mkdirSync(path.join(empty, 'stacks'), { recursive: true });
  fs.writeFileSync(path.join(empty, 'manifest.json'), '{}');
  expect(JSON.parse(changedStacksCommand(['--base', empty, '--head', baseline]))).toHaveLength(28);
  expect(() => changedStacksCommand(['--base', path.join(scratch, 'absent'), '--head', baseline])).toThrow(
    `--base: ${JSON.stringify(path.join(scratch, 'absent'))} holds no manifest.json (allowed: a cdktf.out folder written by \`npm run synth\`)`,
  );
  expect(() => changedStacksCommand(['--head', baseline])).toThrow('--base: is required (allowed: a cdktf.out folder written by `npm run synth`)');
});
