import { spawn } from 'child_process';
import { randomBytes, randomUUID } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { policyFor } from '../../constructs/vault-access';
import { createAuthority } from '../deploy/pki';
import { OpenBaoServer, openBaoUnavailable } from '../support/openbao';
import { describeWithTools, writeMirrorCliConfig } from '../support/tools';
import { VaultConfigurationTestStack, loanServiceConsumer } from '../support/vault-fixtures';

const ENVIRONMENT = 'dev';
const STACK = 'dev-lusaka-vault-config';

interface Run {
  readonly status: number | null;
  readonly output: string;
  readonly seconds: number;
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output, seconds: (Date.now() - started) / 1000 }));
  });
}

/** A TCP port nothing listens on right now, on the loopback address. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Root runs the OpenBao server in a root filesystem of its own, as in a pod (see OpenBaoServer). */
const unavailable = openBaoUnavailable();
if (unavailable && process.env.LMS_REQUIRE_TOOLS !== '1') process.stderr.write(`skipped "VaultConfiguration applied to a real OpenBao server": needs ${unavailable}\n`);
const describeIsolated = !unavailable || process.env.LMS_REQUIRE_TOOLS === '1' ? describeWithTools : (title: string) => describe(title, () => test.skip(`skipped: needs ${unavailable}`, () => undefined));

describeIsolated('VaultConfiguration applied to a real OpenBao server', ['terraform', 'terraformProviderMirror', 'bao'], (tools) => {
  const rootToken = randomUUID();
  // The out-of-band secret: Terraform must never see it.
  const secretValue = `mssql-${randomBytes(16).toString('hex')}`;
  let scratch: string;
  let stackDir: string;
  let address: string;
  let env: NodeJS.ProcessEnv;
  let bao: OpenBaoServer | undefined;
  const runs: Record<string, Run> = {};

  function api(method: string, apiPath: string, token: string, body?: unknown): Promise<{ status: number; json: any }> {
    return bao!.api(method, apiPath, body, token);
  }

  async function terraform(name: string, args: readonly string[]): Promise<Run> {
    const result = await run(tools.terraform, args, stackDir, env);
    runs[name] = result;
    return result;
  }

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-vault-config-'));
    const port = await freePort();
    address = `http://127.0.0.1:${port}`;
    const authority = createAuthority(path.join(scratch, 'pod-ca'));
    bao = await OpenBaoServer.start({ bao: tools.bao, directory: path.join(scratch, 'bao'), ip: '127.0.0.1', port, rootToken, serviceAccountCaPem: authority.certPem });
    address = bao.url;

    const app = new App({ outdir: path.join(scratch, 'cdktf.out') });
    stackDir = path.join(scratch, 'cdktf.out', 'stacks', STACK);
    new VaultConfigurationTestStack(app, STACK, { address, environment: ENVIRONMENT, statePath: path.join(stackDir, 'terraform.tfstate') });
    app.synth();

    const cliConfig = path.join(scratch, 'terraform.tfrc');
    writeMirrorCliConfig(cliConfig, tools.terraformProviderMirror);
    // Only the settings given here: a developer's TF_* and VAULT_* variables must not change the result.
    env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(TF_|VAULT_|BAO_)/.test(name) && name !== 'CHECKPOINT_DISABLE'));
    Object.assign(env, { TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', HOME: scratch, VAULT_TOKEN: rootToken });

    for (const [name, args] of [
      ['init', ['init', '-input=false', '-no-color']],
      ['apply', ['apply', '-input=false', '-no-color', '-auto-approve']],
      ['plan', ['plan', '-input=false', '-no-color', '-detailed-exitcode']],
    ] as const) {
      const result = await terraform(name, args);
      if (result.status !== 0) throw new Error(`terraform ${name} exited ${result.status}:\n${result.output}\nOpenBao:\n${bao.log}`);
    }
    // The out-of-band write an operator does with `bao kv put`, after Terraform made the mount.
    const write = await api('POST', `kv/data/${ENVIRONMENT}/loan-service`, rootToken, {
      data: { mssql_password: secretValue, auth_jwt_secret: `jwt-${secretValue}` },
    });
    if (write.status !== 200) throw new Error(`writing the secret out of band answered ${write.status}: ${JSON.stringify(write.json)}`);
    // Terraform reads everything back after the write, and stores what it read.
    const refresh = await terraform('refresh', ['apply', '-refresh-only', '-input=false', '-no-color', '-auto-approve']);
    if (refresh.status !== 0) throw new Error(`terraform apply -refresh-only exited ${refresh.status}:\n${refresh.output}`);
    process.stderr.write(
      `VaultConfiguration on OpenBao: ${Object.entries(runs)
        .map(([name, result]) => `${name} ${result.seconds.toFixed(1)}s`)
        .join(', ')}\n`,
    );
  }, 240_000);

  afterAll(async () => {
    await bao?.stop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('terraform init, apply and a clean re-plan (plan -detailed-exitcode exits 0)', () => {
    expect(Object.fromEntries(Object.entries(runs).map(([name, result]) => [name, result.status]))).toEqual({ init: 0, apply: 0, plan: 0, refresh: 0 });
    expect(runs.plan.output).toContain('No changes.');
    expect(runs.apply.output).toContain('Apply complete! Resources: 8 added, 0 changed, 0 destroyed.');
  });

  test('neither the synthesized JSON nor the state holds the token or a secret value', () => {
    const json = fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8');
    const state = fs.readFileSync(path.join(stackDir, 'terraform.tfstate'), 'utf8');
    const secrets = [rootToken, secretValue];
    expect({ json: secrets.filter((s) => json.includes(s)), state: secrets.filter((s) => state.includes(s)) }).toEqual({ json: [], state: [] });
    const types = (JSON.parse(state) as { resources: { type: string }[] }).resources.map((resource) => resource.type).sort();
    expect(types).toEqual([
      'vault_audit',
      'vault_auth_backend',
      'vault_kubernetes_auth_backend_config',
      'vault_kubernetes_auth_backend_role',
      'vault_kubernetes_auth_backend_role',
      'vault_mount',
      'vault_policy',
      'vault_policy',
    ]);
  });

  test('a token with only the loan-service policy reads its secret, and nothing else', async () => {
    const created = await api('POST', 'auth/token/create', rootToken, { policies: ['loan-service'], ttl: '10m' });
    expect(created.status).toBe(200);
    const token = created.json.auth.client_token as string;
    expect(created.json.auth.policies).toEqual(['default', 'loan-service']);

    const read = await api('GET', `kv/data/${ENVIRONMENT}/loan-service`, token);
    expect({ status: read.status, mssql_password: read.json?.data?.data?.mssql_password }).toEqual({ status: 200, mssql_password: secretValue });
    expect((await api('GET', `kv/metadata/${ENVIRONMENT}/loan-service`, token)).status).toBe(200);

    expect({
      otherConsumersSecret: (await api('GET', `kv/data/${ENVIRONMENT}/reports/smtp`, token)).status,
      write: (await api('POST', `kv/data/${ENVIRONMENT}/loan-service`, token, { data: { mssql_password: 'changed' } })).status,
      deleteMetadata: (await api('DELETE', `kv/metadata/${ENVIRONMENT}/loan-service`, token)).status,
      listEnvironment: (await api('LIST', `kv/metadata/${ENVIRONMENT}`, token)).status,
      anotherEnvironment: (await api('GET', 'kv/data/production/loan-service', token)).status,
      sysPolicies: (await api('GET', 'sys/policy', token)).status,
    }).toEqual({ otherConsumersSecret: 403, write: 403, deleteMetadata: 403, listEnvironment: 403, anotherEnvironment: 403, sysPolicies: 403 });
  });

  test('the Kubernetes-auth role and the policy read back as generated', async () => {
    const role = await api('GET', 'auth/kubernetes/role/loan-service', rootToken);
    expect(role.status).toBe(200);
    expect(role.json.data).toMatchObject({
      bound_service_account_names: ['loan-service'],
      bound_service_account_namespaces: ['lms-apps'],
      token_policies: ['loan-service'],
      token_ttl: 3600,
      token_max_ttl: 14400,
    });
    const policy = await api('GET', 'sys/policy/loan-service', rootToken);
    expect(policy.json.data.rules).toBe(policyFor(loanServiceConsumer(ENVIRONMENT)).hcl);
    const config = await api('GET', 'auth/kubernetes/config', rootToken);
    expect({ host: config.json.data.kubernetes_host, ca: config.json.data.kubernetes_ca_cert }).toEqual({ host: 'https://kubernetes.default.svc', ca: '' });
  });

  test('the KV v2 mount and the stdout audit device are there; the audit log carries no secret in clear', async () => {
    const mounts = await api('GET', 'sys/mounts', rootToken);
    expect({ type: mounts.json.data['kv/'].type, options: mounts.json.data['kv/'].options }).toEqual({ type: 'kv', options: { version: '2' } });
    const audit = await api('GET', 'sys/audit', rootToken);
    expect(audit.json.data['file/']).toMatchObject({ type: 'file', options: { file_path: 'stdout' } });
    expect(bao!.log).toContain(`"path":"kv/data/${ENVIRONMENT}/loan-service"`);
    expect(bao!.log.includes(secretValue)).toBe(false);
  });
});
