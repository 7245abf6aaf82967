import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { PlatformError } from '../../constructs/platform-error';
import { stackName } from '../../stacks/layers/order';
import { configureStateBackend } from '../../stacks/state-backend';
import { STATE_BOOTSTRAP_CONTEXT } from '../../stacks/state-bootstrap';
import { migrateSiteState, migrationSite, siteStackNames } from '../../stacks/state-migration';
import { ENVIRONMENTS, PROJECT_ROOT } from '../support/environments';
import { LoopbackS3 } from '../support/loopback-s3';
import { describeWithTools } from '../support/tools';

const SITE = 'production-lusaka';
const BUCKET = 'lms-terraform-state-production-lusaka';
const STACKS = siteStackNames('production', 'lusaka');
const BASE = stackName('production', 'lusaka', 'base');
const TRAFFIC = stackName('production', 'lusaka', 'traffic');
const SECURITY = stackName('production', 'lusaka', 'security');
const APPS = stackName('production', 'lusaka', 'apps');
const ALLOWED = 'production-kitwe, production-lusaka, staging-kitwe, staging-lusaka';
/** Signatures are not checked by the test server: any secret works, and none may ever be printed. */
const SECRET = 'secret-the-migration-never-prints';

/** For `toThrow` and `rejects.toThrow`: an error object makes jest compare the whole message. */
const exactly = (message: string) => new PlatformError(message);

/**
 * A synthesized-like stack: the backend exactly as `configureStateBackend` writes it for the
 * site (the bootstrap local one when `bootstrap`), and one `terraform_data`, which needs no provider.
 */
function stackConfig(name: string, endpoint: string, options: { bootstrap: boolean; input: string; bucket?: string }): string {
  const app = Testing.app(options.bootstrap ? { context: { [STATE_BOOTSTRAP_CONTEXT]: [SITE] } } : {});
  const stack = new TerraformStack(app, name);
  configureStateBackend(stack, name, { kind: 's3', endpoint, bucket: options.bucket ?? BUCKET, region: 'zm-lusaka-1' }, SITE);
  const config = JSON.parse(Testing.synth(stack));
  config.resource = { terraform_data: { marker: { input: options.input } } };
  return `${JSON.stringify(config, null, 2)}\n`;
}

function writeStack(outdir: string, name: string, config: string): string {
  const directory = path.join(outdir, 'stacks', name);
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(path.join(directory, 'cdk.tf.json'), config);
  return directory;
}

describe('npm run state:migrate arguments', () => {
  test('names one site with S3 state', () => {
    expect(migrationSite(['staging-kitwe'], ENVIRONMENTS)).toEqual({ environmentName: 'staging', siteName: 'kitwe' });
  });

  test('anything else is an error naming the allowed sites', () => {
    expect(() => migrationSite([], ENVIRONMENTS)).toThrow(exactly(`usage: npm run state:migrate -- <environment>-<site>: no site given (allowed: one of ${ALLOWED})`));
    expect(() => migrationSite(['production-lusaka', 'production-kitwe'], ENVIRONMENTS)).toThrow(
      exactly(`usage: npm run state:migrate -- <environment>-<site>: 2 arguments given ("production-lusaka" "production-kitwe") (allowed: one of ${ALLOWED})`),
    );
    expect(() => migrationSite(['prod-lusaka'], ENVIRONMENTS)).toThrow(exactly(`<environment>-<site>: "prod-lusaka" is not a site of the selected environments (allowed: ${ALLOWED})`));
    expect(() => migrationSite(['dev-kitwe'], ENVIRONMENTS)).toThrow(
      exactly(`<environment>-<site>: "dev-kitwe" keeps its state locally already (environment dev: sites.kitwe.state.kind is "local"), so it has no S3 state to migrate to (allowed: ${ALLOWED})`),
    );
  });

  test("the site's stacks are its layers, in apply order, then its Vault configuration", () => {
    expect(STACKS[0]).toBe(BASE);
    expect(STACKS.at(-1)).toBe('production-lusaka-vault-config');
    expect(STACKS.indexOf(SECURITY)).toBeLessThan(STACKS.indexOf(APPS));
  });
});

describe('state:migrate checks before anything moves', () => {
  let project: string;
  let outdir: string;
  const logged: string[] = [];
  const migrate = (env: NodeJS.ProcessEnv = { AWS_ACCESS_KEY_ID: LoopbackS3.accessKey, AWS_SECRET_ACCESS_KEY: SECRET }) =>
    migrateSiteState({ site: SITE, stackNames: STACKS, outdir, terraform: '/nonexistent/terraform', env, log: (line) => logged.push(line) });
  const bootstrapFile = (name: string) => path.join(project, '.terraform-state/bootstrap', `${name}.tfstate`);

  beforeEach(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-migrate-checks-'));
    outdir = path.join(project, 'cdktf.out');
    logged.length = 0;
    fs.mkdirSync(path.join(project, '.terraform-state/bootstrap'), { recursive: true });
  });
  afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

  test('the S3 credentials must be set, and are named, never shown', async () => {
    await expect(migrate({ AWS_ACCESS_KEY_ID: 'AKIA-SHOWN-NOWHERE' })).rejects.toThrow(
      exactly('AWS_SECRET_ACCESS_KEY is not set (allowed: the production-lusaka MinIO access key pair in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, e.g. from Vault)'),
    );
    await expect(migrate({})).rejects.toThrow(
      exactly('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (allowed: the production-lusaka MinIO access key pair in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, e.g. from Vault)'),
    );
  });

  test('the site must be synthesized', async () => {
    await expect(migrate()).rejects.toThrow(exactly(`cdktf.out/stacks: no stack of production-lusaka is synthesized (allowed: the output of \`npm run synth\` without LMS_STATE_BOOTSTRAP, with ${STACKS.join(', ')})`));
  });

  test('a bootstrap state needs its stack synthesized, with an S3 backend', async () => {
    for (const name of STACKS.filter((name) => name !== TRAFFIC)) writeStack(outdir, name, stackConfig(name, 'http://127.0.0.1:9', { bootstrap: false, input: name }));
    fs.writeFileSync(bootstrapFile(TRAFFIC), '{}');
    await expect(migrate()).rejects.toThrow(
      exactly(
        `${TRAFFIC}: cdktf.out/stacks/${TRAFFIC}/cdk.tf.json does not exist, so the bucket of .terraform-state/bootstrap/${TRAFFIC}.tfstate is unknown (allowed: the output of \`npm run synth\` without LMS_STATE_BOOTSTRAP, which writes every stack)`,
      ),
    );
    writeStack(outdir, TRAFFIC, JSON.stringify({ terraform: { backend: { http: { address: 'http://127.0.0.1:9' } } } }));
    await expect(migrate()).rejects.toThrow(exactly(`cdktf.out/stacks/${TRAFFIC}/cdk.tf.json: terraform.backend is "http" (allowed: "s3", the site's state store)`));
  });

  test('an earlier migration\'s kept file is never replaced', async () => {
    for (const name of STACKS) writeStack(outdir, name, stackConfig(name, 'http://127.0.0.1:9', { bootstrap: false, input: name }));
    fs.writeFileSync(bootstrapFile(BASE), '{}');
    fs.writeFileSync(`${bootstrapFile(BASE)}.migrated`, '{}');
    await expect(migrate()).rejects.toThrow(
      exactly(
        `${BASE}: both .terraform-state/bootstrap/${BASE}.tfstate and .terraform-state/bootstrap/${BASE}.tfstate.migrated exist, and moving the first would replace the kept copy of an earlier migration (allowed: one of them; move the .migrated file elsewhere first)`,
      ),
    );
  });

  test('a bootstrap file must be a state an apply wrote', async () => {
    for (const name of STACKS) writeStack(outdir, name, stackConfig(name, 'http://127.0.0.1:9', { bootstrap: false, input: name }));
    fs.writeFileSync(bootstrapFile(BASE), '{"version":4,"serial":0,"lineage":""}');
    await expect(migrate()).rejects.toThrow(
      exactly(`${BASE}: .terraform-state/bootstrap/${BASE}.tfstate is not a Terraform state written by an apply (allowed: a state file with a lineage and a serial of at least 1)`),
    );
  });

  test('terraform must be there', async () => {
    for (const name of STACKS) writeStack(outdir, name, stackConfig(name, 'http://127.0.0.1:9', { bootstrap: false, input: name }));
    fs.writeFileSync(bootstrapFile(BASE), '{"version":4,"serial":1,"lineage":"a-lineage","resources":[]}');
    await expect(migrate()).rejects.toThrow(exactly('terraform: "/nonexistent/terraform" cannot be run (ENOENT) (allowed: Terraform >= 1.10 on PATH, or its path in LMS_TERRAFORM)'));
    expect(fs.existsSync(bootstrapFile(BASE))).toBe(true);
  });
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command without blocking this process, which serves the S3 requests. */
function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describeWithTools('state:migrate with the terraform CLI and an S3 server', ['terraform'], (tools) => {
  let scratch: string;
  let project: string;
  let outdir: string;
  let s3: LoopbackS3;
  let env: NodeJS.ProcessEnv;
  const bootstrapFile = (name: string) => path.join(project, '.terraform-state/bootstrap', `${name}.tfstate`);
  const stateOf = (text: string) => JSON.parse(text) as { lineage: string; serial: number; resources: unknown[] };
  const remote = (name: string) => s3.object(BUCKET, `${name}.tfstate`);

  async function terraform(directory: string, args: readonly string[]): Promise<string> {
    const result = await run(tools.terraform, [...args, '-no-color'], directory, env);
    if (result.code !== 0) throw new Error(`terraform ${args.join(' ')} in ${directory} exited ${result.code}:\n${result.stdout}${result.stderr}`);
    return result.stdout;
  }

  /** Applies the stack under its bootstrap backend once per input, as `cdktf deploy` of a bootstrap synth does; returns the state file's text. */
  async function bootstrapApply(directoryOf: (name: string) => string, name: string, inputs: readonly string[]): Promise<string> {
    const directory = directoryOf(name);
    for (const [index, input] of inputs.entries()) {
      fs.writeFileSync(path.join(directory, 'cdk.tf.json'), stackConfig(name, s3.url, { bootstrap: true, input }));
      if (index === 0) await terraform(directory, ['init', '-input=false']);
      await terraform(directory, ['apply', '-input=false', '-auto-approve']);
    }
    return fs.readFileSync(bootstrapFile(name), 'utf8');
  }

  /** What `npm run synth` without LMS_STATE_BOOTSTRAP writes: a fresh cdktf.out with every stack's S3 backend. */
  function normalSynth(): void {
    fs.rmSync(outdir, { recursive: true, force: true });
    for (const name of STACKS) writeStack(outdir, name, stackConfig(name, s3.url, { bootstrap: false, input: name }));
  }

  const logged: string[] = [];
  const migrate = () => migrateSiteState({ site: SITE, stackNames: STACKS, outdir, terraform: tools.terraform, env, log: (line) => logged.push(line) });
  const where = (name: string) => `s3://${BUCKET}/${name}.tfstate at ${s3.url}`;

  const bootstrapText = new Map<string, string>();

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-migrate-'));
    project = path.join(scratch, 'project');
    outdir = path.join(project, 'cdktf.out');
    s3 = await LoopbackS3.start({ directory: path.join(scratch, 's3'), buckets: [BUCKET] });
    const cliConfig = path.join(scratch, 'terraform.rc');
    fs.writeFileSync(cliConfig, '');
    // Nothing inherited that could point terraform or its S3 client elsewhere.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(TF_|AWS_)|^(HTTPS?_PROXY|ALL_PROXY|NO_PROXY)$/i.test(name)));
    env = { ...inherited, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: '1', AWS_ACCESS_KEY_ID: LoopbackS3.accessKey, AWS_SECRET_ACCESS_KEY: SECRET };
    // A bootstrap synth, deployed: base twice (so its serial is past 1), traffic once.
    for (const name of STACKS) writeStack(outdir, name, stackConfig(name, s3.url, { bootstrap: true, input: name }));
    const inOutput = (name: string) => path.join(outdir, 'stacks', name);
    bootstrapText.set(BASE, await bootstrapApply(inOutput, BASE, ['base v1', 'base v2']));
    bootstrapText.set(TRAFFIC, await bootstrapApply(inOutput, TRAFFIC, ['traffic v1']));
  });
  afterAll(async () => {
    await s3?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('refuses while cdktf.out still holds the bootstrap synth', async () => {
    await expect(migrate()).rejects.toThrow(
      exactly(
        `cdktf.out/stacks/${BASE}/cdk.tf.json: terraform.backend is "local" (path "../../../.terraform-state/bootstrap/${BASE}.tfstate"): the stack is still synthesized with bootstrap state (allowed: "s3"; run \`npm run synth\` without LMS_STATE_BOOTSTRAP first)`,
      ),
    );
    expect(fs.readFileSync(bootstrapFile(BASE), 'utf8')).toBe(bootstrapText.get(BASE));
    expect(s3.keys(BUCKET)).toEqual([]);
  });

  test('`npm run state:migrate` moves each bootstrap state into the bucket with its lineage and serial, and keeps the file', async () => {
    normalSynth();
    const result = await run(process.execPath, ['--import', 'tsx', 'stacks/migrate-state.ts', SITE], PROJECT_ROOT, { ...env, CDKTF_OUTDIR: outdir, LMS_TERRAFORM: tools.terraform });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const base = stateOf(bootstrapText.get(BASE)!);
    const traffic = stateOf(bootstrapText.get(TRAFFIC)!);
    expect(base.serial).toBeGreaterThan(1);
    expect(result.stdout.split('\n')).toEqual([
      `${BASE}: moved .terraform-state/bootstrap/${BASE}.tfstate (lineage ${base.lineage}, serial ${base.serial}, 1 resource) to ${where(BASE)}; kept it as ${BASE}.tfstate.migrated`,
      `${TRAFFIC}: moved .terraform-state/bootstrap/${TRAFFIC}.tfstate (lineage ${traffic.lineage}, serial ${traffic.serial}, 1 resource) to ${where(TRAFFIC)}; kept it as ${TRAFFIC}.tfstate.migrated`,
      ...STACKS.filter((name) => name !== BASE && name !== TRAFFIC).map((name) => `${name}: no bootstrap state, nothing to move`),
      `${SITE}: 2 states moved to the site's bucket; the bootstrap files are kept as <stack>.tfstate.migrated in .terraform-state/bootstrap/`,
      '',
    ]);
    expect(result.stdout).not.toContain(SECRET);
    // Only the two states: each lock file was removed after its push.
    expect(s3.keys(BUCKET)).toEqual([`${BASE}.tfstate`, `${TRAFFIC}.tfstate`]);
    for (const [name, bootstrap] of [[BASE, base], [TRAFFIC, traffic]] as const) {
      const stored = stateOf(remote(name)!);
      expect({ name, lineage: stored.lineage, serial: stored.serial, resources: stored.resources }).toEqual({ name, lineage: bootstrap.lineage, serial: bootstrap.serial, resources: bootstrap.resources });
      expect(fs.existsSync(bootstrapFile(name))).toBe(false);
      expect(fs.readFileSync(`${bootstrapFile(name)}.migrated`, 'utf8')).toBe(bootstrapText.get(name));
    }
  });

  test('a second run is a no-op that says so', async () => {
    const before = [remote(BASE), remote(TRAFFIC)];
    logged.length = 0;
    await expect(migrate()).resolves.toEqual([]);
    expect(logged).toEqual([`nothing to migrate for ${SITE}: no <stack>.tfstate of its stacks in .terraform-state/bootstrap/ (already migrated: ${BASE}, ${TRAFFIC})`]);
    expect([remote(BASE), remote(TRAFFIC)]).toEqual(before);
  });

  test('refuses to overwrite a state the bucket already holds, and stops at that stack', async () => {
    // security was deployed with the normal synth, so the bucket holds its state; then it
    // (and apps) got a bootstrap state too, from a deploy of a bootstrap synth elsewhere.
    const deployed = path.join(outdir, 'stacks', SECURITY);
    await terraform(deployed, ['init', '-input=false']);
    await terraform(deployed, ['apply', '-input=false', '-auto-approve']);
    const held = remote(SECURITY)!;
    const elsewhere = (name: string) => writeStack(path.join(project, 'elsewhere'), name, '{}');
    bootstrapText.set(SECURITY, await bootstrapApply(elsewhere, SECURITY, ['security v1']));
    bootstrapText.set(APPS, await bootstrapApply(elsewhere, APPS, ['apps v1', 'apps v2']));

    logged.length = 0;
    const { lineage, serial } = stateOf(held);
    await expect(migrate()).rejects.toThrow(
      exactly(
        `${SECURITY}: ${where(SECURITY)} already holds a state (lineage ${lineage}, serial ${serial}, 1 resource) that is not the bootstrap state; refusing to overwrite it (allowed: no state or an empty one there); the bootstrap state stays at .terraform-state/bootstrap/${SECURITY}.tfstate`,
      ),
    );
    expect(logged).toEqual(STACKS.slice(0, STACKS.indexOf(SECURITY)).map((name) => `${name}: no bootstrap state, nothing to move`));
    expect(remote(SECURITY)).toBe(held);
    expect(fs.readFileSync(bootstrapFile(SECURITY), 'utf8')).toBe(bootstrapText.get(SECURITY));
    expect(fs.readFileSync(bootstrapFile(APPS), 'utf8')).toBe(bootstrapText.get(APPS));
    expect(remote(APPS)).toBeUndefined();
  });

  test('finishes a run that stopped between its two pushes, restoring the lineage Terraform replaced', async () => {
    fs.renameSync(bootstrapFile(SECURITY), path.join(scratch, 'security-conflict.tfstate'));
    // A plain push into an empty key, as the first push does: Terraform stores the state
    // under a new lineage, with serial 1, which is why a second, forced push follows it.
    const pushed = path.join(scratch, 'first-push');
    fs.mkdirSync(pushed);
    fs.writeFileSync(path.join(pushed, 'backend.tf.json'), JSON.stringify({ terraform: JSON.parse(stackConfig(APPS, s3.url, { bootstrap: false, input: '' })).terraform }));
    await terraform(pushed, ['init', '-input=false']);
    await terraform(pushed, ['state', 'push', bootstrapFile(APPS)]);
    const apps = stateOf(bootstrapText.get(APPS)!);
    const interrupted = stateOf(remote(APPS)!);
    expect({ lineage: interrupted.lineage === apps.lineage, serial: interrupted.serial, resources: interrupted.resources }).toEqual({ lineage: false, serial: 1, resources: apps.resources });

    logged.length = 0;
    await expect(migrate()).resolves.toEqual([APPS]);
    expect(logged).toContain(`${APPS}: moved .terraform-state/bootstrap/${APPS}.tfstate (lineage ${apps.lineage}, serial ${apps.serial}, 1 resource) to ${where(APPS)}; kept it as ${APPS}.tfstate.migrated`);
    const stored = stateOf(remote(APPS)!);
    expect({ lineage: stored.lineage, serial: stored.serial, resources: stored.resources }).toEqual({ lineage: apps.lineage, serial: apps.serial, resources: apps.resources });
  });

  test("stops with Terraform's error when the site's bucket does not exist yet", async () => {
    const other = path.join(scratch, 'before-the-bucket');
    const otherOutdir = path.join(other, 'cdktf.out');
    for (const name of STACKS) writeStack(otherOutdir, name, stackConfig(name, s3.url, { bootstrap: false, input: name, bucket: 'lms-not-created-yet' }));
    const otherBootstrap = path.join(other, '.terraform-state/bootstrap', `${BASE}.tfstate`);
    fs.mkdirSync(path.dirname(otherBootstrap), { recursive: true });
    fs.writeFileSync(otherBootstrap, bootstrapText.get(BASE)!);
    await expect(migrateSiteState({ site: SITE, stackNames: STACKS, outdir: otherOutdir, terraform: tools.terraform, env, log: () => undefined })).rejects.toThrow(
      exactly(
        `${BASE}: \`terraform init -input=false -no-color\` against s3://lms-not-created-yet/${BASE}.tfstate at ${s3.url} failed (exit 1): Error: Failed to get existing workspaces: S3 bucket "lms-not-created-yet" does not exist; the bootstrap state stays at .terraform-state/bootstrap/${BASE}.tfstate`,
      ),
    );
    expect(fs.readFileSync(otherBootstrap, 'utf8')).toBe(bootstrapText.get(BASE));
  });
});
