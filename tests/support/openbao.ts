import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** What an OpenBao dev server is started with. */
export interface OpenBaoServerOptions {
  /** The `bao` binary (statically linked, as OpenBao releases it). */
  readonly bao: string;
  /** A scratch folder: the server's root filesystem is made in it. */
  readonly directory: string;
  /** Loopback address and port it listens on, plain HTTP. */
  readonly ip: string;
  readonly port: number;
  readonly rootToken: string;
  /** PEM of the CA the pod's service-account folder holds (`ca.crt`), as Kubernetes auth reads it. */
  readonly serviceAccountCaPem: string;
  /** Namespace of the pod, as the service-account folder holds it. @default 'lms-security' */
  readonly namespace?: string;
}

/** Why a dev server cannot start here, or undefined when it can. */
export function openBaoUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'root, to run the OpenBao server in its own root filesystem (chroot) as it runs in a pod';
  if (spawnSync('sh', ['-c', 'command -v chroot'], { stdio: 'ignore' }).status !== 0) return 'the chroot command (coreutils)';
  return undefined;
}

/**
 * OpenBao (the Vault API) in dev mode, in memory, run the way it runs in a Vault pod: in a
 * root filesystem of its own (chroot) that has `/var/run/secrets/kubernetes.io/serviceaccount`
 * (CA, token, namespace: Kubernetes auth configured with the API server's address only reads
 * them, and refuses the config without them) and a writable `/vault/audit` for the audit
 * device the platform enables. Its configuration lets Terraform enable audit devices through
 * the API, as HashiCorp Vault does (OpenBao otherwise only takes them from its file).
 */
export class OpenBaoServer {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    /** `http://<ip>:<port>` */
    public readonly url: string,
    public readonly rootToken: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  public static async start(options: OpenBaoServerOptions): Promise<OpenBaoServer> {
    const root = path.join(options.directory, 'root');
    const serviceAccount = path.join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    for (const folder of ['bin', 'etc', 'home', 'tmp', 'vault/audit', 'var/run/secrets/kubernetes.io/serviceaccount']) fs.mkdirSync(path.join(root, folder), { recursive: true });
    fs.copyFileSync(options.bao, path.join(root, 'bin/bao'));
    fs.chmodSync(path.join(root, 'bin/bao'), 0o755);
    fs.writeFileSync(path.join(root, 'etc/bao.hcl'), 'unsafe_allow_api_audit_creation = true\n');
    fs.writeFileSync(path.join(serviceAccount, 'ca.crt'), options.serviceAccountCaPem);
    fs.writeFileSync(path.join(serviceAccount, 'token'), 'service-account-token-of-the-vault-pod');
    fs.writeFileSync(path.join(serviceAccount, 'namespace'), options.namespace ?? 'lms-security');
    const chroot = spawnSync('sh', ['-c', 'command -v chroot'], { encoding: 'utf8' }).stdout.trim() || 'chroot';
    const child = spawn(
      chroot,
      [root, '/bin/bao', 'server', '-dev', `-dev-root-token-id=${options.rootToken}`, `-dev-listen-address=${options.ip}:${options.port}`, '-config=/etc/bao.hcl'],
      // HOME inside the root: dev mode writes its token helper file there.
      { env: { PATH: '/bin', HOME: '/home' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const server = new OpenBaoServer(child, `http://${options.ip}:${options.port}`, options.rootToken);
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        if ((await fetch(`${server.url}/v1/sys/health`)).status === 200) return server;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline || child.exitCode !== null) {
        await server.stop();
        throw new Error(`OpenBao dev server did not become healthy at ${server.url}: ${server.log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** What the server printed so far. */
  public get log(): string {
    return this.output;
  }

  /** A call to the Vault HTTP API; `token` defaults to the root token. */
  public async api(method: string, apiPath: string, body?: unknown, token = this.rootToken): Promise<{ status: number; json: any }> {
    const response = await fetch(`${this.url}/v1/${apiPath}`, {
      method,
      headers: { 'X-Vault-Token': token, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  }

  public async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
