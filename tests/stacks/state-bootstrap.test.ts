import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { PlatformError } from '../../constructs/platform-error';
import { LAYERS, stackName, vaultConfigStackName } from '../../stacks/layers/order';
import { configureStateBackend } from '../../stacks/state-backend';
import { STATE_BOOTSTRAP_CONTEXT, stateBootstrapSites, stateBootstrapSummary } from '../../stacks/state-bootstrap';
import { ENVIRONMENTS, PROJECT_ROOT, environmentNamed } from '../support/environments';

const ALLOWED = 'production-kitwe, production-lusaka, staging-kitwe, staging-lusaka';

/** For `toThrow`: an error object makes jest compare the whole message, not a part of it. */
const exactly = (message: string) => new PlatformError(message);

/** The backend block a stack of `site` gets, with the app's bootstrap sites as context. */
function backendOf(site: { environment: string; site: 'lusaka' | 'kitwe' }, bootstrapSites?: readonly string[]) {
  const app = Testing.app(bootstrapSites ? { context: { [STATE_BOOTSTRAP_CONTEXT]: bootstrapSites } } : {});
  const name = stackName(site.environment, site.site, 'base');
  const stack = new TerraformStack(app, name);
  configureStateBackend(stack, name, environmentNamed(site.environment).sites[site.site].state, `${site.environment}-${site.site}`);
  return JSON.parse(Testing.synth(stack)).terraform.backend;
}

describe('LMS_STATE_BOOTSTRAP', () => {
  test('unset names no site', () => {
    expect(stateBootstrapSites(undefined, ENVIRONMENTS)).toEqual([]);
  });

  test('names sites with S3 state, comma-separated, blanks and repeats ignored, sorted', () => {
    expect(stateBootstrapSites(' staging-kitwe , production-lusaka,staging-kitwe,', ENVIRONMENTS)).toEqual(['production-lusaka', 'staging-kitwe']);
  });

  test('a name that is not a site, or a site with local state, is an error naming every bad value and the allowed ones', () => {
    expect(() => stateBootstrapSites('production-ndola,dev-lusaka', ENVIRONMENTS)).toThrow(
      exactly([
        'invalid environment configuration (2 problems):',
        `  LMS_STATE_BOOTSTRAP: "production-ndola" is not a site of the selected environments (allowed: ${ALLOWED})`,
        `  LMS_STATE_BOOTSTRAP: "dev-lusaka" keeps its state locally already (environment dev: sites.lusaka.state.kind is "local"), so it has no S3 state to bootstrap (allowed: ${ALLOWED})`,
      ].join('\n')),
    );
  });

  test('a site of an environment not selected is not allowed', () => {
    const staging = ENVIRONMENTS.filter((environment) => environment.name === 'staging');
    expect(() => stateBootstrapSites('production-lusaka', staging)).toThrow(
      exactly('invalid environment configuration (1 problem):\n  LMS_STATE_BOOTSTRAP: "production-lusaka" is not a site of the selected environments (allowed: staging-kitwe, staging-lusaka)'),
    );
    const dev = ENVIRONMENTS.filter((environment) => environment.name === 'dev');
    expect(() => stateBootstrapSites('dev-kitwe', dev)).toThrow(
      exactly('invalid environment configuration (1 problem):\n  LMS_STATE_BOOTSTRAP: "dev-kitwe" keeps its state locally already (environment dev: sites.kitwe.state.kind is "local"), so it has no S3 state to bootstrap (allowed: none in the selected environments)'),
    );
  });

  test('set but empty is an error', () => {
    expect(() => stateBootstrapSites(' , ', ENVIRONMENTS)).toThrow(
      exactly(`invalid environment configuration (1 problem):\n  LMS_STATE_BOOTSTRAP: " , " names no site (allowed: comma-separated <environment>-<site> from ${ALLOWED}, or unset for none)`),
    );
  });
});

describe('configureStateBackend with bootstrap sites', () => {
  test("a bootstrap site's stack gets a local backend in .terraform-state/bootstrap/, relative to its working directory", () => {
    expect(backendOf({ environment: 'production', site: 'lusaka' }, ['production-lusaka'])).toEqual({
      local: { path: '../../../.terraform-state/bootstrap/production-lusaka-base.tfstate' },
    });
  });

  test('every other site, and every site without the setting, keeps its S3 backend', () => {
    const s3 = {
      s3: {
        bucket: 'lms-terraform-state-production-kitwe',
        key: 'production-kitwe-base.tfstate',
        region: 'zm-kitwe-1',
        endpoints: { s3: 'https://state.prod.kitwe.lms.co.zm' },
        use_path_style: true,
        encrypt: true,
        skip_credentials_validation: true,
        skip_region_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_s3_checksum: true,
        use_lockfile: true,
      },
    };
    expect(backendOf({ environment: 'production', site: 'kitwe' }, ['production-lusaka'])).toEqual(s3);
    expect(backendOf({ environment: 'production', site: 'kitwe' })).toEqual(s3);
    expect(backendOf({ environment: 'dev', site: 'kitwe' })).toEqual({ local: { path: '../../../.terraform-state/dev-kitwe-base.tfstate' } });
  });

  test('the summary line names the sites and the commands that migrate them', () => {
    expect(stateBootstrapSummary([])).toBe('');
    expect(stateBootstrapSummary(['production-lusaka', 'staging-kitwe'])).toBe(
      "state: production-lusaka, staging-kitwe synthesized with bootstrap (local) state in .terraform-state/bootstrap/, which must be migrated to the site's state bucket once its data layer is up: `npm run synth` without LMS_STATE_BOOTSTRAP, then `npm run state:migrate -- production-lusaka`, `npm run state:migrate -- staging-kitwe`\n",
    );
  });
});

describe('npm run synth with LMS_STATE_BOOTSTRAP', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-bootstrap-synth-'));
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  const synth = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'stacks/main.ts'], { cwd: PROJECT_ROOT, env: { ...process.env, LMS_ENVIRONMENTS: 'staging', ...env }, encoding: 'utf8' });
  const backendIn = (outdir: string, stack: string) => JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')).terraform.backend;

  test("gives every stack of the named site a local backend, leaves the other site's S3 backends, and says so", () => {
    const outdir = path.join(scratch, 'cdktf.out');
    const result = synth({ CDKTF_OUTDIR: outdir, LMS_STATE_BOOTSTRAP: 'staging-kitwe' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const kitwe = [...LAYERS.map((layer) => stackName('staging', 'kitwe', layer)), vaultConfigStackName('staging', 'kitwe')];
    for (const stack of kitwe) {
      expect({ stack, backend: backendIn(outdir, stack) }).toEqual({ stack, backend: { local: { path: `../../../.terraform-state/bootstrap/${stack}.tfstate` } } });
    }
    const lusaka = [...LAYERS.map((layer) => stackName('staging', 'lusaka', layer)), vaultConfigStackName('staging', 'lusaka')];
    for (const stack of lusaka) {
      expect({ stack, bucket: backendIn(outdir, stack).s3?.bucket }).toEqual({ stack, bucket: 'lms-terraform-state-staging-lusaka' });
    }
    expect(result.stdout.split('\n').slice(-2)).toEqual([stateBootstrapSummary(['staging-kitwe']).trimEnd(), '']);
  });

  test('a bad name fails before anything is written, and the previous output stays as it was', () => {
    const outdir = path.join(scratch, 'kept');
    fs.mkdirSync(path.join(outdir, 'stacks'), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'manifest.json'), '{"previous":true}');
    const result = synth({ CDKTF_OUTDIR: outdir, LMS_STATE_BOOTSTRAP: 'staging-lusaka,production-kitwe' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'synth failed: invalid environment configuration (1 problem):\n  LMS_STATE_BOOTSTRAP: "production-kitwe" is not a site of the selected environments (allowed: staging-kitwe, staging-lusaka)\n',
    );
    expect(result.stdout).toBe('');
    expect(fs.readdirSync(outdir, { recursive: true }).map(String).sort()).toEqual(['manifest.json', 'stacks']);
    expect(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')).toBe('{"previous":true}');
  });
});
