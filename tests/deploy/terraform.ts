import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { writeMirrorCliConfig } from '../support/tools';
import type { SynthesizedStack } from './stacks';

/** What one terraform command did. */
export interface TerraformResult {
  readonly command: string;
  readonly exitCode: number;
  readonly output: string;
  readonly seconds: number;
}

export interface TerraformRunnerProps {
  /** The terraform executable. */
  readonly terraform: string;
  /** Filesystem mirror holding hashicorp/kubernetes and hashicorp/helm. */
  readonly providerMirror: string;
  /** Shared provider cache, so each stack's init links instead of copying. */
  readonly pluginCacheDir: string;
  /** Where the CLI configuration and command logs go. */
  readonly directory: string;
  /**
   * CA bundle of the site's HTTPS services: the S3 backend trusts it through AWS_CA_BUNDLE,
   * the helm provider's chart downloads through SSL_CERT_FILE (Go's system roots on Linux).
   */
  readonly caBundle: string;
}

/** Settings a stack's terraform runs get for its site (credentials come only from here). */
export interface SiteCredentials {
  readonly token: string;
  readonly caPem: string;
  /** Kubeconfig with every kubeconfig-context the stacks name. */
  readonly kubeconfigFile: string;
  /** The site's Vault (an OpenBao server), for its vault-config stack. */
  readonly vault?: { readonly address: string; readonly token: string };
}

/**
 * Runs the real terraform CLI in a synthesized stack's folder, providers from the
 * filesystem mirror only, with exactly the settings `cdktf deploy` would get in CI:
 * KUBE_TOKEN and KUBE_CLUSTER_CA_CERT_DATA for an `api-endpoint` site, KUBE_CONFIG_PATH for
 * a `kubeconfig-context` site (the kubernetes provider and the helm provider 3.1.1 both read
 * these when their `host` or `config_context` is set), AWS_* for the S3 state backend, and
 * SSL_CERT_FILE for the chart repositories, so no machine path is ever synthesized.
 */
export class TerraformRunner {
  private readonly cliConfigFile: string;

  constructor(private readonly props: TerraformRunnerProps) {
    fs.mkdirSync(props.directory, { recursive: true });
    fs.mkdirSync(props.pluginCacheDir, { recursive: true });
    this.cliConfigFile = path.join(props.directory, 'terraform.rc');
    writeMirrorCliConfig(this.cliConfigFile, props.providerMirror);
  }

  private environment(stack: SynthesizedStack, credentials: SiteCredentials): NodeJS.ProcessEnv {
    // Nothing inherited that could point terraform elsewhere, or trust another authority.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(TF_|KUBE_|AWS_|HELM_|VAULT_|BAO_)|^(SSL_CERT_FILE|SSL_CERT_DIR|HTTPS?_PROXY|ALL_PROXY|NO_PROXY)$/i.test(name)));
    const helmHome = path.join(this.props.directory, 'helm');
    return {
      ...inherited,
      TF_CLI_CONFIG_FILE: this.cliConfigFile,
      TF_PLUGIN_CACHE_DIR: this.props.pluginCacheDir,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_CA_BUNDLE: this.props.caBundle,
      AWS_EC2_METADATA_DISABLED: 'true',
      // The helm provider downloads charts with Go's HTTP client, which on Linux reads its roots
      // from this file (instead of the system bundle) and the system certificate folders.
      SSL_CERT_FILE: this.props.caBundle,
      // Helm's repository cache and configuration of this run only (not the user's ~/.cache/helm).
      HELM_CACHE_HOME: path.join(helmHome, 'cache'),
      HELM_CONFIG_HOME: path.join(helmHome, 'config'),
      HELM_DATA_HOME: path.join(helmHome, 'data'),
      ...(stack.access.kind === 'api-endpoint'
        ? { KUBE_TOKEN: credentials.token, KUBE_CLUSTER_CA_CERT_DATA: credentials.caPem }
        : stack.access.kind === 'kubeconfig-context'
          ? { KUBE_CONFIG_PATH: credentials.kubeconfigFile }
          : {}),
      // A vault-config stack: the site's Vault where the port-forward would be, and a token.
      ...(stack.access.kind === 'vault' && credentials.vault
        ? { [`TF_VAR_${stack.access.addressVariable}`]: credentials.vault.address, VAULT_TOKEN: credentials.vault.token }
        : {}),
    };
  }

  /** Runs `terraform <args>` in the stack's folder; never throws for a non-zero exit. */
  public run(stack: SynthesizedStack, credentials: SiteCredentials, args: readonly string[]): Promise<TerraformResult> {
    const command = `terraform ${args.join(' ')}`;
    const started = Date.now();
    const log = path.join(this.props.directory, `${stack.name}.log`);
    return new Promise((resolve) => {
      const child = spawn(this.props.terraform, [...args, '-no-color'], { cwd: stack.directory, env: this.environment(stack, credentials) });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.on('close', (code) => {
        const output = Buffer.concat(chunks).toString('utf8');
        fs.appendFileSync(log, `\n$ ${command} (in ${stack.directory})\n${output}`);
        resolve({ command, exitCode: code ?? -1, output, seconds: (Date.now() - started) / 1000 });
      });
    });
  }

  public init(stack: SynthesizedStack, credentials: SiteCredentials): Promise<TerraformResult> {
    return this.run(stack, credentials, ['init', '-input=false', '-reconfigure']);
  }

  public apply(stack: SynthesizedStack, credentials: SiteCredentials): Promise<TerraformResult> {
    return this.run(stack, credentials, ['apply', '-input=false', '-auto-approve']);
  }

  /** `plan -detailed-exitcode`: 0 no changes, 2 changes, 1 error. */
  public plan(stack: SynthesizedStack, credentials: SiteCredentials): Promise<TerraformResult> {
    return this.run(stack, credentials, ['plan', '-input=false', '-detailed-exitcode']);
  }

  public destroy(stack: SynthesizedStack, credentials: SiteCredentials): Promise<TerraformResult> {
    return this.run(stack, credentials, ['destroy', '-input=false', '-auto-approve']);
  }
}

/** A failure message with the command's errors (or its last lines), for assertions. */
export function describeResult(stack: SynthesizedStack, result: TerraformResult, lines = 60): string {
  const all = result.output.trimEnd().split('\n');
  const firstError = all.findIndex((line) => /^\s*(│\s*)?Error: /.test(line));
  const tail = (firstError >= 0 ? all.slice(firstError, firstError + 3 * lines) : all.slice(-lines)).join('\n');
  return `${stack.name}: ${result.command} exited ${result.exitCode} after ${result.seconds.toFixed(1)} s:\n${tail}`;
}
