import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SITE_NAMES } from '../../environments/schema';
import { LAYERS, stackName, vaultConfigStackName } from '../../stacks/layers';
import { ENVIRONMENTS } from '../support/environments';
import { PROJECT_ROOT, describeWithTools, writeMirrorCliConfig } from '../support/tools';

/** Stacks validated at once: each `terraform validate` starts both provider plugins. */
const PARALLEL_STACKS = 2;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(limit, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

interface Validation {
  readonly valid: boolean;
  readonly error_count: number;
  readonly warning_count: number;
  readonly diagnostics: readonly { readonly severity: string; readonly summary: string; readonly detail?: string }[];
}

/**
 * `terraform init` (providers from the filesystem mirror, no backend) and `terraform
 * validate` in one synthesized stack directory: what the Terraform CLI itself says of the
 * JSON cdktf writes, with the exact provider versions the bindings pin.
 */
async function validateStack(terraform: string, directory: string, env: NodeJS.ProcessEnv): Promise<{ init: Run; validation: Validation | Run }> {
  const init = await run(terraform, ['init', '-backend=false', '-input=false', '-no-color'], directory, env);
  if (init.status !== 0) return { init, validation: init };
  const validate = await run(terraform, ['validate', '-json', '-no-color'], directory, env);
  try {
    const { valid, error_count, warning_count, diagnostics } = JSON.parse(validate.stdout) as Validation;
    return { init, validation: { valid, error_count, warning_count, diagnostics } };
  } catch {
    return { init, validation: validate };
  }
}

describeWithTools('terraform validate', ['terraform', 'terraformProviderMirror'], (tools) => {
  const expectedStacks = ENVIRONMENTS.flatMap((environment) =>
    SITE_NAMES.flatMap((site) => [...LAYERS.map((layer) => stackName(environment.name, site, layer)), vaultConfigStackName(environment.name, site)]),
  ).sort();
  let scratch: string;
  let outdir: string;
  let env: NodeJS.ProcessEnv;
  const results = new Map<string, Awaited<ReturnType<typeof validateStack>>>();

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-terraform-validate-'));
    outdir = path.join(scratch, 'cdktf.out');
    const synth = spawnSync(process.execPath, ['--import', 'tsx', 'stacks/main.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CDKTF_OUTDIR: outdir },
      encoding: 'utf8',
    });
    if (synth.status !== 0) throw new Error(`synth failed (exit ${synth.status}): ${synth.stderr}`);

    const cliConfig = path.join(scratch, 'terraform.tfrc');
    writeMirrorCliConfig(cliConfig, tools.terraformProviderMirror);
    const pluginCache = path.join(scratch, 'plugin-cache');
    fs.mkdirSync(pluginCache);
    // Only the settings given here: a developer's TF_* variables must not change the result.
    env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TF_') && name !== 'CHECKPOINT_DISABLE'));
    // A synthesized stack has no dependency lock file, and without one Terraform 1.4+ installs
    // from the mirror and writes the cache again at every init, so parallel inits would race
    // over the same cache entry; with this setting they link the cached package instead.
    Object.assign(env, {
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_PLUGIN_CACHE_DIR: pluginCache,
      TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE: 'true',
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
    });

    const all = fs.readdirSync(path.join(outdir, 'stacks')).sort();
    const validate = async (stack: string) => {
      results.set(stack, await validateStack(tools.terraform, path.join(outdir, 'stacks', stack), env));
    };
    // The first init of each set of providers fills the plugin cache alone (Terraform does not
    // lock the cache); the later ones, in parallel, only read it.
    const first = [all.find((stack) => !stack.endsWith('-vault-config'))!, all.find((stack) => stack.endsWith('-vault-config'))!];
    for (const stack of first) await validate(stack);
    const rest = all.filter((stack) => !first.includes(stack));
    await inPool(rest, PARALLEL_STACKS, validate);
  }, 300_000);

  afterAll(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('synth writes one stack per environment, site and layer', () => {
    expect([...results.keys()].sort()).toEqual(expectedStacks);
  });

  test.each(expectedStacks)('%s: terraform init succeeds and terraform validate reports no error and no warning', (stack) => {
    const result = results.get(stack);
    expect({ stack, init: result?.init.status, initErrors: result?.init.stderr }).toEqual({ stack, init: 0, initErrors: '' });
    expect({ stack, validation: result?.validation }).toEqual({ stack, validation: { valid: true, error_count: 0, warning_count: 0, diagnostics: [] } });
  });

  test('the check can fail: an argument the provider does not know is reported', async () => {
    const stack = expectedStacks[0];
    const broken = path.join(scratch, 'broken', stack);
    fs.mkdirSync(broken, { recursive: true });
    const config = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    const [firstManifest] = Object.values(config.resource.kubernetes_manifest);
    firstManifest.replicas = 3;
    fs.writeFileSync(path.join(broken, 'cdk.tf.json'), JSON.stringify(config));
    const { validation } = await validateStack(tools.terraform, broken, env);
    expect(validation).toMatchObject({ valid: false, error_count: 1, warning_count: 0, diagnostics: [{ severity: 'error', summary: 'Extraneous JSON object property' }] });
  });
});
