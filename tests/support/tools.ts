import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * External tools and upstream artifacts some checks need, found through settings so a
 * user's clone (which lacks them) reports those checks as skipped, saying what is missing
 * and how to get it. `tests/tools/prepare-tools.sh` (run by `.ci/run`) puts every one of
 * them under LMS_TOOLS_DIR, so CI skips nothing.
 */
export const PROJECT_ROOT = path.resolve(__dirname, '../..');

/** Where `tests/tools/prepare-tools.sh` caches built tools and unpacked artifacts. */
export const TOOLS_DIR = path.resolve(process.env.LMS_TOOLS_DIR ?? path.join(PROJECT_ROOT, '.tools'));

const PREPARE = 'run `bash tests/tools/prepare-tools.sh` (see README "Testing against a real control plane")';

interface ToolSpec {
  /** The setting that names it explicitly. */
  readonly setting: string;
  /** Where prepare-tools.sh puts it, relative to TOOLS_DIR. */
  readonly cached?: string;
  /** Command name looked up on PATH when neither the setting nor the cache has it. */
  readonly onPath?: string;
  /** A folder rather than an executable. */
  readonly directory?: boolean;
  /** How a user gets it. */
  readonly howToGet: string;
  /** A check of a found executable: why it does not fit (e.g. too old), or undefined when it does. */
  readonly unfit?: (executable: string) => string | undefined;
}

/** `--version` of an executable as major * 1000 + minor, or undefined when it prints none. */
function minorVersion(executable: string): number | undefined {
  const output = spawnSync(executable, ['--version'], { encoding: 'utf8' });
  const match = /version v?(\d+)\.(\d+)\./.exec(`${output.stdout}${output.stderr}`);
  return match === null ? undefined : Number(match[1]) * 1000 + Number(match[2]);
}

export const TOOLS = {
  terraform: { setting: 'LMS_TERRAFORM', onPath: 'terraform', howToGet: 'install Terraform >= 1.10 on PATH' },
  terraformProviderMirror: {
    setting: 'LMS_TERRAFORM_PROVIDER_MIRROR',
    cached: 'terraform-providers',
    directory: true,
    howToGet: `a filesystem mirror holding hashicorp/kubernetes 2.38.0, hashicorp/helm 3.1.1 and hashicorp/vault 5.6.0 (registry.terraform.io/hashicorp/<name>/<version>/linux_amd64/): ${PREPARE}, or point LMS_TERRAFORM_PROVIDER_MIRROR at your in-country mirror's copy`,
  },
  helm: { setting: 'LMS_HELM', cached: 'bin/helm', onPath: 'helm', howToGet: `\`go install helm.sh/helm/v3/cmd/helm@v3.22.0\`, or ${PREPARE}` },
  chartDir: {
    setting: 'LMS_CHART_DIR',
    cached: 'charts',
    directory: true,
    howToGet: `a folder with the pinned chart packages (*.tgz, see constructs/versions.ts): ${PREPARE}, or point LMS_CHART_DIR at a copy of the in-country chart repository`,
  },
  checkov: { setting: 'LMS_CHECKOV', cached: 'checkov/bin/checkov', onPath: 'checkov', howToGet: `\`pip install checkov\` in a virtual environment, or ${PREPARE}` },
  kubeBinDir: {
    setting: 'LMS_KUBE_BIN_DIR',
    cached: 'kubernetes/bin',
    directory: true,
    howToGet: `kube-apiserver, kube-controller-manager and kube-scheduler 1.31 built from k8s.io/kubernetes: ${PREPARE}`,
  },
  kwok: { setting: 'LMS_KWOK', cached: 'bin/kwok', onPath: 'kwok', howToGet: `\`go install sigs.k8s.io/kwok/cmd/kwok@v0.8.0\`, or ${PREPARE}` },
  bao: {
    setting: 'LMS_BAO',
    cached: 'bin/bao',
    onPath: 'bao',
    howToGet: `the OpenBao server (the Vault API, MPL-2.0): ${PREPARE}, which unpacks LMS_SHARED_DIR/openbao/openbao-*_linux_amd64.tgz`,
  },
  etcd: { setting: 'LMS_ETCD', onPath: 'etcd', howToGet: '`apt-get install etcd-server` (Debian)' },
  yamllint: { setting: 'LMS_YAMLLINT', onPath: 'yamllint', howToGet: '`apt-get install yamllint` (Debian)' },
  shellcheck: { setting: 'LMS_SHELLCHECK', onPath: 'shellcheck', howToGet: '`apt-get install shellcheck` (Debian)' },
  chromium: { setting: 'LMS_CHROMIUM', onPath: 'chromium', howToGet: '`apt-get install chromium` (Debian), or point LMS_CHROMIUM at a Chromium or Chrome executable' },
  curl: { setting: 'LMS_CURL', onPath: 'curl', howToGet: '`apt-get install curl` (Debian)' },
  promtool: { setting: 'LMS_PROMTOOL', onPath: 'promtool', howToGet: `\`apt-get install prometheus\` (Debian, promtool 2.42 or later), or ${PREPARE}` },
  actionlint: {
    setting: 'LMS_ACTIONLINT',
    cached: 'bin/actionlint',
    onPath: 'actionlint',
    howToGet: `\`go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12\`, or ${PREPARE}`,
  },
  amtool: {
    setting: 'LMS_AMTOOL',
    cached: 'bin/amtool',
    onPath: 'amtool',
    howToGet: `amtool 0.26 or later (webhook url_file): \`go install github.com/prometheus/alertmanager/cmd/amtool@v0.33.1\`, or ${PREPARE}`,
    unfit: (executable: string) => ((minorVersion(executable) ?? 0) < 26 ? `${executable} is older than 0.26 (Debian's prometheus-alertmanager has 0.25)` : undefined),
  },
} as const satisfies Record<string, ToolSpec>;

export type ToolName = keyof typeof TOOLS;

export type ToolLookup = { readonly found: true; readonly path: string } | { readonly found: false; readonly missing: string };

/** Finds a tool: its setting first, then the prepare-tools cache, then PATH. */
export function findTool(name: ToolName): ToolLookup {
  const spec: ToolSpec = TOOLS[name];
  const unfit: string[] = [];
  const usable = (candidate: string) => {
    try {
      const stat = fs.statSync(candidate);
      if (!(spec.directory ? stat.isDirectory() : stat.isFile() && (stat.mode & 0o111) !== 0)) return false;
    } catch {
      return false;
    }
    const reason = spec.unfit?.(candidate);
    if (reason !== undefined) unfit.push(reason);
    return reason === undefined;
  };
  const explicit = process.env[spec.setting];
  if (explicit) {
    return usable(explicit)
      ? { found: true, path: path.resolve(explicit) }
      : { found: false, missing: `${name}: ${spec.setting}=${JSON.stringify(explicit)} is not ${unfit.length > 0 ? `usable: ${unfit.join('; ')}` : spec.directory ? 'a folder' : 'an executable file'} (to get it: ${spec.howToGet})` };
  }
  if (spec.cached && usable(path.join(TOOLS_DIR, spec.cached))) return { found: true, path: path.join(TOOLS_DIR, spec.cached) };
  if (spec.onPath) {
    for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
      const candidate = path.join(dir, spec.onPath);
      if (usable(candidate)) return { found: true, path: candidate };
    }
  }
  return {
    found: false,
    missing: `${name} not found (${unfit.length > 0 ? `${unfit.join('; ')}; ` : ''}set ${spec.setting}${spec.cached ? `, or have it at ${path.join(TOOLS_DIR, spec.cached)}` : ''}; to get it: ${spec.howToGet})`,
  };
}

/**
 * `describe` when every tool is there, handing the block their paths; otherwise one skipped
 * test whose name says what is missing and how to get it, so the jest summary shows it.
 * With LMS_REQUIRE_TOOLS=1 (set by `.ci/run`) a missing tool fails instead of skipping.
 */
export function describeWithTools<T extends ToolName>(title: string, names: readonly T[], body: (tools: Record<T, string>) => void): void {
  const lookups = names.map((name) => [name, findTool(name)] as const);
  const missing = lookups.flatMap(([, lookup]) => (lookup.found ? [] : [lookup.missing]));
  if (missing.length === 0) {
    const paths = Object.fromEntries(lookups.map(([name, lookup]) => [name, (lookup as { path: string }).path])) as Record<T, string>;
    describe(title, () => body(paths));
    return;
  }
  if (process.env.LMS_REQUIRE_TOOLS === '1') {
    describe(title, () => {
      test('has the tools it needs', () => {
        throw new Error(`LMS_REQUIRE_TOOLS=1 and ${missing.join('; ')}`);
      });
    });
    return;
  }
  // Jest does not list the names of a file's tests when all of them are skipped: say it here too.
  process.stderr.write(`skipped "${title}": ${missing.join('; ')}\n`);
  describe(title, () => {
    test.skip(`skipped: ${missing.join('; ')}`, () => undefined);
  });
}

/**
 * Writes a Terraform CLI configuration (`TF_CLI_CONFIG_FILE`) that installs the hashicorp
 * providers from `mirror`, a filesystem mirror, and never from a registry.
 */
export function writeMirrorCliConfig(file: string, mirror: string): void {
  fs.writeFileSync(
    file,
    ['provider_installation {', '  filesystem_mirror {', `    path    = ${JSON.stringify(mirror)}`, '    include = ["registry.terraform.io/hashicorp/*"]', '  }', '}', ''].join('\n'),
  );
}
