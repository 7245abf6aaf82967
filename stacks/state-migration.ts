import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PlatformError } from '../constructs/platform-error';
import { SITE_NAMES, type Environment } from '../environments/schema';
import { LAYERS, stackName, vaultConfigStackName } from './layers/order';
import { localStatePath } from './state-backend';
import { BOOTSTRAP_STATE_DIRECTORY, STATE_BOOTSTRAP_SETTING, s3StateSites, siteKey, stateSiteProblem } from './state-bootstrap';

/** Appended to a bootstrap state file once its state is in the bucket: kept, never deleted. */
export const MIGRATED_SUFFIX = '.migrated';

/** The only credentials the migration uses for the site's S3 store. Their values are never printed. */
const CREDENTIAL_SETTINGS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;

/**
 * The site `npm run state:migrate -- <environment>-<site>` names, checked against the
 * environments: one site, with S3 state.
 *
 * @returns the site's environment name and site name
 * @throws PlatformError naming the bad arguments and the allowed sites
 */
export function migrationSite(args: readonly string[], environments: readonly Environment[]): { environmentName: string; siteName: string } {
  const allowed = s3StateSites(environments).join(', ') || 'none in the selected environments';
  if (args.length !== 1) {
    const given = args.length === 0 ? 'no site given' : `${args.length} arguments given (${args.map((arg) => JSON.stringify(arg)).join(' ')})`;
    throw new PlatformError(`usage: npm run state:migrate -- <environment>-<site>: ${given} (allowed: one of ${allowed})`);
  }
  const problem = stateSiteProblem('<environment>-<site>', args[0], environments, 'S3 state to migrate to');
  if (problem) throw new PlatformError(problem);
  const [site] = environments.flatMap((environment) =>
    SITE_NAMES.filter((siteName) => siteKey(environment.name, siteName) === args[0]).map((siteName) => ({ environmentName: environment.name, siteName })),
  );
  return site;
}

/** Every stack of one site, in apply order: its layers, then its Vault configuration. */
export function siteStackNames(environmentName: string, siteName: string): string[] {
  return [...LAYERS.map((layer) => stackName(environmentName, siteName, layer)), vaultConfigStackName(environmentName, siteName)];
}

export interface StateMigrationProps {
  /** The site, `<environment>-<site>`, as messages name it. */
  readonly site: string;
  /** The site's stacks, in apply order. */
  readonly stackNames: readonly string[];
  /**
   * The output of a normal synth (each stack's S3 backend in `<outdir>/stacks/<stack>/cdk.tf.json`).
   * Bootstrap state files are where those stacks' bootstrap local backend put them:
   * `<outdir>/../.terraform-state/bootstrap/<stack>.tfstate`.
   */
  readonly outdir: string;
  /** The terraform executable: a path, or a name looked up on PATH. */
  readonly terraform: string;
  /** The environment terraform runs with: the S3 credentials come only from its AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. */
  readonly env: NodeJS.ProcessEnv;
  /** Receives one line per step. */
  readonly log: (line: string) => void;
}

/** What a state file says about itself. */
interface StateSnapshot {
  readonly lineage: string;
  readonly serial: number;
  /** Resource instances (addresses and attributes) and outputs, canonical: equal text, same content. */
  readonly content: string;
  readonly instances: number;
  readonly outputs: number;
}

interface StackPlan {
  readonly name: string;
  readonly bootstrapFile: string;
  readonly migratedFile: string;
  readonly hasBootstrapState: boolean;
  readonly backend?: Record<string, unknown>;
}

/**
 * Moves the bootstrap state of every stack of a site into the site's S3 store, one stack at a
 * time in apply order: `terraform init` against the stack's S3 backend (in a scratch folder
 * holding only that backend, so no provider is installed); refuse when the bucket already
 * holds a state with other resources or outputs (never overwrite); push; check with
 * `terraform state pull` that the bucket holds the bootstrap's lineage, serial and resources;
 * then rename the bootstrap file to `<stack>.tfstate.migrated`. The first failure stops the
 * run with the bootstrap file of that stack (and of every later one) in place; stacks already
 * moved stay moved, so running it again continues where it stopped, also after a stop
 * between the two pushes (the bucket then holds the same resources under another lineage).
 *
 * @returns the stacks whose state was moved
 * @throws PlatformError naming the stack, the file or bucket, and what is allowed
 */
export async function migrateSiteState(props: StateMigrationProps): Promise<string[]> {
  const missing = CREDENTIAL_SETTINGS.filter((name) => !props.env[name]);
  if (missing.length > 0) {
    throw new PlatformError(`${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set (allowed: the ${props.site} MinIO access key pair in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, e.g. from Vault)`);
  }
  const projectDir = path.dirname(path.resolve(props.outdir));
  const show = (file: string) => path.relative(projectDir, file).split(path.sep).join('/');
  const plans = props.stackNames.map((name) => planStack(props.outdir, name, show));
  if (plans.every((plan) => plan.backend === undefined)) {
    throw new PlatformError(
      `${show(path.join(path.resolve(props.outdir), 'stacks'))}: no stack of ${props.site} is synthesized (allowed: the output of \`npm run synth\` without ${STATE_BOOTSTRAP_SETTING}, with ${props.stackNames.join(', ')})`,
    );
  }
  const bootstrapDirectory = show(path.resolve(props.outdir, '..', BOOTSTRAP_STATE_DIRECTORY));
  if (!plans.some((plan) => plan.hasBootstrapState)) {
    const migrated = plans.filter((plan) => fs.existsSync(plan.migratedFile)).map((plan) => plan.name);
    props.log(`nothing to migrate for ${props.site}: no <stack>.tfstate of its stacks in ${bootstrapDirectory}/${migrated.length > 0 ? ` (already migrated: ${migrated.join(', ')})` : ''}`);
    return [];
  }
  const secrets = CREDENTIAL_SETTINGS.map((name) => props.env[name]!);
  const moved: string[] = [];
  for (const plan of plans) {
    if (!plan.hasBootstrapState) {
      props.log(`${plan.name}: no bootstrap state, nothing to move`);
      continue;
    }
    props.log(await migrateStack(plan, props, secrets, show));
    moved.push(plan.name);
  }
  props.log(`${props.site}: ${moved.length} ${moved.length === 1 ? 'state' : 'states'} moved to the site's bucket; the bootstrap files are kept as <stack>.tfstate${MIGRATED_SUFFIX} in ${bootstrapDirectory}/`);
  return moved;
}

/** Checks one stack before anything moves: synthesized with its S3 backend, bootstrap file unambiguous. */
function planStack(outdir: string, name: string, show: (file: string) => string): StackPlan {
  const stackDir = path.join(path.resolve(outdir), 'stacks', name);
  const configFile = path.join(stackDir, 'cdk.tf.json');
  const bootstrapFile = path.resolve(stackDir, localStatePath(BOOTSTRAP_STATE_DIRECTORY, name));
  const migratedFile = `${bootstrapFile}${MIGRATED_SUFFIX}`;
  const hasBootstrapState = fs.existsSync(bootstrapFile);
  if (hasBootstrapState && fs.existsSync(migratedFile)) {
    throw new PlatformError(
      `${name}: both ${show(bootstrapFile)} and ${show(migratedFile)} exist, and moving the first would replace the kept copy of an earlier migration (allowed: one of them; move the ${MIGRATED_SUFFIX} file elsewhere first)`,
    );
  }
  if (!fs.existsSync(configFile)) {
    if (hasBootstrapState) {
      throw new PlatformError(`${name}: ${show(configFile)} does not exist, so the bucket of ${show(bootstrapFile)} is unknown (allowed: the output of \`npm run synth\` without ${STATE_BOOTSTRAP_SETTING}, which writes every stack)`);
    }
    return { name, bootstrapFile, migratedFile, hasBootstrapState };
  }
  const backends = ((JSON.parse(fs.readFileSync(configFile, 'utf8')) as { terraform?: { backend?: Record<string, Record<string, unknown>> } }).terraform?.backend ?? {}) as Record<string, Record<string, unknown>>;
  if (backends.local) {
    throw new PlatformError(
      `${show(configFile)}: terraform.backend is "local" (path ${JSON.stringify(backends.local.path)}): the stack is still synthesized with bootstrap state (allowed: "s3"; run \`npm run synth\` without ${STATE_BOOTSTRAP_SETTING} first)`,
    );
  }
  if (!backends.s3) {
    const kinds = Object.keys(backends);
    throw new PlatformError(`${show(configFile)}: terraform.backend is ${kinds.length > 0 ? kinds.map((kind) => JSON.stringify(kind)).join(', ') : 'not set'} (allowed: "s3", the site's state store)`);
  }
  return { name, bootstrapFile, migratedFile, hasBootstrapState, backend: backends.s3 };
}

/** Moves one stack's bootstrap state into its bucket; returns the line saying so. */
async function migrateStack(plan: StackPlan, props: StateMigrationProps, secrets: readonly string[], show: (file: string) => string): Promise<string> {
  const backend = plan.backend!;
  const endpoints = backend.endpoints as { s3?: string } | undefined;
  const where = `s3://${String(backend.bucket)}/${String(backend.key)} at ${endpoints?.s3 ?? String(backend.endpoint ?? 'the default endpoint')}`;
  const keptHere = `the bootstrap state stays at ${show(plan.bootstrapFile)}`;
  const bootstrapText = fs.readFileSync(plan.bootstrapFile, 'utf8');
  const bootstrap = parseStateOr(bootstrapText, undefined);
  if (!bootstrap || bootstrap.serial < 1) {
    throw new PlatformError(`${plan.name}: ${show(plan.bootstrapFile)} is not a Terraform state written by an apply (allowed: a state file with a lineage and a serial of at least 1)`);
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-state-migrate-'));
  const terraform = async (args: readonly string[]) => {
    const result = await runTerraform(props.terraform, args, scratch, terraformEnvironment(props.env), secrets);
    if (result.exitCode !== 0) {
      throw new PlatformError(`${plan.name}: \`terraform ${args.join(' ')}\` against ${where} failed (exit ${result.exitCode}): ${errorSummary(result.output)}; ${keptHere}`);
    }
    return result.stdout;
  };
  const pull = async () => {
    const text = await terraform(['state', 'pull']);
    const state = parseStateOr(text, 'invalid');
    if (state === 'invalid') throw new PlatformError(`${plan.name}: \`terraform state pull\` of ${where} printed no state (allowed: a Terraform state as JSON); ${keptHere}`);
    return state;
  };
  try {
    // Only the stack's backend: init installs no provider, and the state commands need none.
    fs.writeFileSync(path.join(scratch, 'backend.tf.json'), `${JSON.stringify({ terraform: { backend: { s3: backend } } }, null, 2)}\n`);
    await terraform(['init', '-input=false', '-no-color']);
    const remote = await pull();
    const summary = `lineage ${bootstrap.lineage}, serial ${bootstrap.serial}, ${resources(bootstrap.instances)}`;
    if (remote && sameState(remote, bootstrap)) {
      fs.renameSync(plan.bootstrapFile, plan.migratedFile);
      return `${plan.name}: ${where} already holds this bootstrap state (${summary}); kept ${show(plan.bootstrapFile)} as ${path.basename(plan.migratedFile)}`;
    }
    if (remote && remote.content !== bootstrap.content && remote.instances + remote.outputs > 0) {
      throw new PlatformError(
        `${plan.name}: ${where} already holds a state (lineage ${remote.lineage}, serial ${remote.serial}, ${resources(remote.instances)}) that is not the bootstrap state; refusing to overwrite it (allowed: no state or an empty one there); ${keptHere}`,
      );
    }
    // `terraform state push` rather than `init -migrate-state -force-copy`: the push names the
    // file to move, needs no `.terraform` recording the old local backend (a normal synth
    // replaced cdktf.out, so there is none) and installs no provider, whereas -force-copy
    // overwrites whatever the bucket holds without asking. Either way, Terraform (1.11) gives a
    // state written where none is stored a new lineage and serial 1 (remote.State.PersistState);
    // a forced push onto an existing state keeps the pushed lineage and stores its serial + 1.
    // So: one plain push to create the object, then a forced push (safe: the bucket was just
    // checked to hold nothing else) of the file with serial - 1, and the bucket ends up with
    // exactly the bootstrap's lineage and serial.
    if (!remote) await terraform(['state', 'push', '-no-color', plan.bootstrapFile]);
    const forced = path.join(scratch, 'bootstrap.tfstate');
    const raw = JSON.parse(bootstrapText) as { serial: number };
    fs.writeFileSync(forced, JSON.stringify({ ...raw, serial: raw.serial - 1 }));
    await terraform(['state', 'push', '-force', '-no-color', forced]);
    const pulled = await pull();
    if (!pulled || !sameState(pulled, bootstrap)) {
      const found = pulled ? `lineage ${pulled.lineage}, serial ${pulled.serial}, ${resources(pulled.instances)}${pulled.content === bootstrap.content ? '' : ' (other content)'}` : 'no state';
      throw new PlatformError(`${plan.name}: after the push, ${where} holds ${found}, not the bootstrap state (allowed: ${summary}); ${keptHere}`);
    }
    fs.renameSync(plan.bootstrapFile, plan.migratedFile);
    return `${plan.name}: moved ${show(plan.bootstrapFile)} (${summary}) to ${where}; kept it as ${path.basename(plan.migratedFile)}`;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * `terraform state pull` output or a state file: undefined when no state is stored (no output,
 * or Terraform's empty state with an empty lineage), `invalid` when it is not a state at all.
 */
function parseStateOr<T>(text: string, invalid: T): StateSnapshot | undefined | T {
  if (text.trim() === '') return undefined;
  let state: { lineage?: unknown; serial?: unknown; resources?: unknown; outputs?: unknown };
  try {
    state = JSON.parse(text);
  } catch {
    return invalid;
  }
  if (typeof state.lineage !== 'string' || typeof state.serial !== 'number') return invalid;
  if (state.lineage === '') return undefined;
  type Instance = { index_key?: unknown; attributes?: unknown; attributes_flat?: unknown };
  type Resource = { module?: string; mode?: string; type?: string; name?: string; instances?: Instance[] };
  const resources = (Array.isArray(state.resources) ? state.resources : []) as Resource[];
  // What identifies the managed objects, not how a Terraform version lays the file out.
  const content = resources.map((resource) => ({
    address: [resource.module ?? '', resource.mode, resource.type, resource.name].join('.'),
    instances: (resource.instances ?? []).map((instance) => ({ key: instance.index_key ?? null, attributes: instance.attributes ?? instance.attributes_flat ?? null })),
  }));
  const outputs = (state.outputs ?? {}) as Record<string, { value?: unknown }>;
  const outputValues = Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output.value ?? null]));
  return {
    lineage: state.lineage,
    serial: state.serial,
    content: canonicalJson({ content, outputValues }),
    instances: content.reduce((total, resource) => total + resource.instances.length, 0),
    outputs: Object.keys(outputs).length,
  };
}

function resources(count: number): string {
  return `${count} ${count === 1 ? 'resource' : 'resources'}`;
}

function sameState(a: StateSnapshot, b: StateSnapshot): boolean {
  return a.lineage === b.lineage && a.serial === b.serial && a.content === b.content;
}

/** JSON with object keys sorted, so equal values give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The run's environment: the caller's (with its AWS_* credentials), never prompting, no metadata-service lookups. */
function terraformEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { TF_DATA_DIR: _ignored, ...rest } = env;
  return { ...rest, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1', AWS_EC2_METADATA_DISABLED: 'true' };
}

interface TerraformRun {
  readonly exitCode: number;
  readonly stdout: string;
  /** stdout and stderr, with the credentials' values masked. */
  readonly output: string;
}

function runTerraform(terraform: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, secrets: readonly string[]): Promise<TerraformRun> {
  const mask = (text: string) => secrets.reduce((masked, secret) => masked.split(secret).join('***'), text);
  return new Promise((resolve, reject) => {
    const child = spawn(terraform, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const all: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      all.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => all.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(new PlatformError(`terraform: ${JSON.stringify(terraform)} cannot be run (${error.code ?? error.message}) (allowed: Terraform >= 1.10 on PATH, or its path in LMS_TERRAFORM)`));
    });
    child.on('close', (code) => {
      resolve({ exitCode: code ?? -1, stdout: Buffer.concat(stdout).toString('utf8'), output: mask(Buffer.concat(all).toString('utf8')) });
    });
  });
}

/** Terraform's first error, on one line: its `Error:` paragraph, without the box drawing. */
function errorSummary(output: string): string {
  const lines = output.split('\n').map((line) => line.replace(/^[\s│╷╵]+/, '').trim());
  const first = lines.findIndex((line) => line.startsWith('Error:'));
  if (first < 0) return lines.filter(Boolean).slice(-3).join(' ') || 'no output';
  const end = lines.indexOf('', first);
  return lines.slice(first, end < 0 ? undefined : end).join(' ').replace(/\.$/, '');
}
