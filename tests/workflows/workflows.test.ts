import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../support/environments';
import { describeWithTools } from '../support/tools';

/** The delivery pipeline's workflows (README "Delivery"), checked as GitHub would read them. */
const WORKFLOWS_DIR = path.join(PROJECT_ROOT, '.github/workflows');
const WORKFLOW_FILES = fs.readdirSync(WORKFLOWS_DIR).filter((name) => /\.ya?ml$/.test(name)).sort();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Workflow = any;
const workflow = (name: string): Workflow => parse(fs.readFileSync(path.join(WORKFLOWS_DIR, name), 'utf8'));

describe('the workflows', () => {
  test('are the pipeline README "Delivery" describes', () => {
    expect(WORKFLOW_FILES).toEqual([
      'apply-layer.yml',
      'deploy-dev.yml',
      'deploy-production.yml',
      'deploy-staging.yml',
      'deploy.yml',
      'loan-service-image.yml',
      'pull-request.yml',
      'rollback.yml',
    ]);
  });

  test('every action is pinned by a full commit SHA, and nothing is kept as a GitHub artifact', () => {
    const uses = WORKFLOW_FILES.flatMap((name) => {
      const text = fs.readFileSync(path.join(WORKFLOWS_DIR, name), 'utf8');
      return [...text.matchAll(/uses:\s*(\S+)/g)].map((match) => ({ name, uses: match[1] }));
    });
    const remote = uses.filter((use) => !use.uses.startsWith('./'));
    expect(remote.length).toBeGreaterThan(0);
    expect(remote.filter((use) => !/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/.test(use.uses))).toEqual([]);
    expect(uses.filter((use) => /artifact/.test(use.uses))).toEqual([]);
  });

  test('every job runs on an in-country self-hosted runner', () => {
    const jobs = WORKFLOW_FILES.flatMap((name) => Object.entries(workflow(name).jobs as Record<string, Workflow>).map(([id, job]) => ({ name, id, job })));
    const local = jobs.filter(({ job }) => job['runs-on'] !== undefined);
    expect(local.length).toBeGreaterThan(5);
    expect(local.filter(({ job }) => !(Array.isArray(job['runs-on']) && job['runs-on'].includes('self-hosted') && job['runs-on'].includes('zambia'))).map(({ name, id }) => `${name} ${id}`)).toEqual([]);
    // The others call a workflow of this repository.
    expect(jobs.filter(({ job }) => job['runs-on'] === undefined && !String(job.uses).startsWith('./.github/workflows/')).map(({ name, id }) => `${name} ${id}`)).toEqual([]);
  });

  test('an apply is one stack at its own site, never overlapping another apply of that stack and never cancelled', () => {
    const apply = workflow('apply-layer.yml').jobs.apply;
    expect(apply['runs-on']).toEqual(['self-hosted', 'linux', 'zambia', '${{ matrix.site }}']);
    expect(apply.strategy.matrix.site).toEqual(['lusaka', 'kitwe']);
    expect(apply.concurrency).toEqual({ group: 'apply-${{ inputs.environment }}-${{ matrix.site }}-${{ inputs.layer }}', 'cancel-in-progress': false });
    expect(apply.env.STACK).toBe('${{ inputs.environment }}-${{ matrix.site }}-${{ inputs.layer }}');
  });

  test('a deploy waits for its environment\'s approval, applies the layers in order, then verifies', () => {
    const jobs = workflow('deploy.yml').jobs;
    expect(jobs.approve.environment).toEqual({ name: '${{ inputs.environment }}' });
    const chain = ['base', 'traffic', 'security', 'vault-config', 'data', 'observability', 'apps'];
    chain.forEach((layer, index) => {
      expect(jobs[layer].needs).toBe(index === 0 ? 'approve' : chain[index - 1]);
      expect(jobs[layer].with.layer).toBe(layer);
    });
    expect(jobs.verify.needs).toBe('apps');
    expect(jobs.verify.steps.map((step: Workflow) => step.run ?? '').join('\n')).toContain('npm run -s verify -- --env "$ENVIRONMENT"');
  });

  test('branches map to environments: develop -> dev, release/* -> staging, tags on main -> production', () => {
    expect(workflow('deploy-dev.yml').on.push.branches).toEqual(['develop']);
    expect(workflow('deploy-dev.yml').jobs.deploy.with.environment).toBe('dev');
    expect(workflow('deploy-staging.yml').on.push.branches).toEqual(['release/**']);
    expect(workflow('deploy-staging.yml').jobs.deploy.with.environment).toBe('staging');
    expect(workflow('deploy-production.yml').on.push).toEqual({ tags: ['v*'] });
    expect(workflow('deploy-production.yml').jobs.deploy.with.environment).toBe('production');
    expect(workflow('deploy-production.yml').jobs.release.steps.map((step: Workflow) => step.run ?? '').join('\n')).toContain('git merge-base --is-ancestor "$GITHUB_SHA" origin/main');
  });
});

describeWithTools('the workflows under the real actionlint', ['actionlint'], (tools) => {
  const actionlint = (cwd: string, files: readonly string[]) =>
    // The config names the runners' labels; actionlint finds the project (for the local
    // reusable workflows) by its .git folder.
    spawnSync(tools.actionlint, ['-no-color', '-oneline', '-config-file', '.github/actionlint.yaml', ...files], { cwd, encoding: 'utf8' });

  test.each(WORKFLOW_FILES)('%s passes actionlint', (name) => {
    const result = actionlint(PROJECT_ROOT, [`.github/workflows/${name}`]);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('actionlint finds what is wrong: an input the reusable workflow does not take, a runner label no runner has', () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-actionlint-'));
    try {
      fs.cpSync(path.join(PROJECT_ROOT, '.github'), path.join(scratch, '.github'), { recursive: true });
      fs.mkdirSync(path.join(scratch, '.git'));
      const file = path.join(scratch, '.github/workflows/deploy.yml');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('layer: apps,', 'layer: apps, colour: blue,').replace('runs-on: [self-hosted, linux, zambia]', 'runs-on: [self-hosted, linux, zambai]'));
      const result = actionlint(scratch, ['.github/workflows/deploy.yml']);
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/deploy\.yml:\d+:\d+: label "zambai" is unknown/);
      expect(result.stdout).not.toMatch(/label "zambia" is unknown/);
      expect(result.stdout).toMatch(/deploy\.yml:\d+:\d+: input "colour" is not defined in "\.\/\.github\/workflows\/apply-layer\.yml" reusable workflow/);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describeWithTools('the workflows\' scripts', ['shellcheck'], (tools) => {
  test('pass shellcheck', () => {
    const scripts = fs.readdirSync(path.join(PROJECT_ROOT, '.github/scripts')).filter((name) => name.endsWith('.sh')).sort();
    expect(scripts).toEqual(['store-plan.sh', 'terraform-stack.sh']);
    const result = spawnSync(tools.shellcheck, scripts.map((name) => path.join('.github/scripts', name)), { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});
