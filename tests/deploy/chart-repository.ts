import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as yaml from 'js-yaml';
import * as path from 'path';
import type { ServingCertificate } from './pki';
import { siteOfHost, type SynthesizedRelease, type SynthesizedStack } from './stacks';

/** A chart package one repository serves, and the releases that install it. */
export interface ChartPackage {
  readonly chart: string;
  readonly version: string;
  /** The package in the chart folder (`<chartDir>/cert-manager-v1.19.6.tgz`). */
  readonly file: string;
  /** `dev-lusaka-base helm_release cert-manager`, for messages. */
  readonly releasedBy: readonly string[];
}

/** One Helm repository (a URL some release names) and the packages it must serve. */
export interface ChartRepository {
  /** `https://charts.lusaka.lms.co.zm`, as the releases name it, without a trailing slash. */
  readonly url: string;
  readonly packages: readonly ChartPackage[];
}

/** One request a chart repository server answered. */
export interface ChartRequest {
  /** The Host header's name (`charts.lusaka.lms.co.zm`). */
  readonly host: string;
  readonly method: string;
  /** `/index.yaml`, `/cert-manager-v1.19.6.tgz` */
  readonly path: string;
  readonly status: number;
}

/** The repository URL as the releases name it, without a trailing slash. */
function repositoryUrl(release: SynthesizedRelease): string {
  if (release.repository === undefined) throw new Error(`helm_release ${release.name}: its chart is carried by the stack (${release.localChart}), no repository serves it`);
  return release.repository.replace(/\/+$/, '');
}

/** The path of a repository's `index.yaml` on its host (`/index.yaml`, `/stable/index.yaml`). */
export function indexPath(release: SynthesizedRelease): string {
  return `${new URL(repositoryUrl(release)).pathname.replace(/\/+$/, '')}/index.yaml`;
}

/** The path of a release's chart package on its repository's host (`/cert-manager-v1.19.6.tgz`). */
export function packagePath(release: SynthesizedRelease): string {
  return `${new URL(repositoryUrl(release)).pathname.replace(/\/+$/, '')}/${release.chart}-${release.version}.tgz`;
}

/**
 * The repositories each site must serve: every repository URL the stacks' releases name,
 * grouped by the site its host belongs to (the site's name is a label of the host), with the
 * packages of exactly the charts and versions the releases name, found in `chartDir` as
 * `<chart>-<version>.tgz`. A release whose package is missing, or whose repository is not an
 * https URL on port 443 of a site's host, is an error naming the stack and the release.
 */
export function planChartRepositories(stacks: readonly SynthesizedStack[], chartDir: string, sites: readonly string[]): Map<string, ChartRepository[]> {
  const byUrl = new Map<string, { site: string; packages: Map<string, { chart: string; version: string; file: string; releasedBy: string[] }> }>();
  for (const stack of stacks) {
    for (const release of stack.releases) {
      // A chart the stack carries needs no repository.
      if (release.repository === undefined) continue;
      const where = `${stack.name} helm_release ${release.name}`;
      let url: URL;
      try {
        url = new URL(release.repository);
      } catch {
        throw new Error(`${where}: repository ${JSON.stringify(release.repository)} is not a URL (allowed: https://<host> of the site's chart repository)`);
      }
      if (url.protocol !== 'https:' || (url.port !== '' && url.port !== '443') || url.search || url.hash || url.username) {
        throw new Error(`${where}: repository ${JSON.stringify(release.repository)}: the test chart repositories serve https on port 443 without query or credentials (allowed: https://<host>[/path])`);
      }
      const site = siteOfHost(url.hostname, sites);
      const fileName = `${release.chart}-${release.version}.tgz`;
      const file = path.join(chartDir, fileName);
      if (!fs.existsSync(file)) {
        const sameChart = fs.existsSync(chartDir)
          ? fs
              .readdirSync(chartDir)
              .filter((name) => name.startsWith(`${release.chart}-`) && name.endsWith('.tgz'))
              .sort()
          : [];
        throw new Error(
          `${where}: chart ${JSON.stringify(release.chart)} version ${JSON.stringify(release.version)} from ${release.repository}: no ${fileName} in ${chartDir} (the chart folder, LMS_CHART_DIR; it has ${sameChart.length > 0 ? sameChart.join(', ') : `no package of ${release.chart}`})`,
        );
      }
      const key = repositoryUrl(release);
      const repository = byUrl.get(key) ?? { site, packages: new Map() };
      byUrl.set(key, repository);
      const entry = repository.packages.get(fileName) ?? { chart: release.chart, version: release.version, file, releasedBy: [] };
      entry.releasedBy.push(where);
      repository.packages.set(fileName, entry);
    }
  }
  const bySite = new Map<string, ChartRepository[]>();
  for (const [url, { site, packages }] of [...byUrl].sort(([a], [b]) => a.localeCompare(b))) {
    const repositories = bySite.get(site) ?? [];
    repositories.push({ url, packages: [...packages.keys()].sort().map((name) => packages.get(name)!) });
    bySite.set(site, repositories);
  }
  return bySite;
}

export interface ChartRepositoryServerProps {
  /** The site whose repositories it serves (for messages). */
  readonly site: string;
  /** Loopback address it listens on, e.g. `127.0.0.12`. */
  readonly ip: string;
  /** @default 443 */
  readonly port?: number;
  /** Serving certificate for every repository host of the site. */
  readonly certificate: ServingCertificate;
  /** Working folder: the served files and helm's own folders. */
  readonly directory: string;
  /** The helm executable that writes each repository's index.yaml. */
  readonly helm: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = { '.yaml': 'application/x-yaml', '.tgz': 'application/gzip' };

/**
 * A site's in-country Helm chart repository: HTTPS on its own loopback address, serving for
 * each repository URL (by Host header and path) an `index.yaml` written by the real
 * `helm repo index --url <repository>` over copies of exactly the packages the releases name.
 * Every request is logged, so a test can tell that a release's chart came from here.
 */
export class ChartRepositoryServer {
  private readonly log: ChartRequest[] = [];
  private readonly root: string;
  private server?: https.Server;

  private constructor(private readonly props: ChartRepositoryServerProps) {
    this.root = path.join(props.directory, 'served');
  }

  public static async start(props: ChartRepositoryServerProps, repositories: readonly ChartRepository[]): Promise<ChartRepositoryServer> {
    const repository = new ChartRepositoryServer(props);
    repository.publish(repositories);
    await repository.listen();
    return repository;
  }

  /** `https://127.0.0.12:443` */
  public get url(): string {
    return `https://${this.props.ip}:${this.port}`;
  }

  /** The port it listens on (the one given, or the one the system chose for 0). */
  public get port(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : (this.props.port ?? 443);
  }

  /** Every request answered so far, oldest first. */
  public get requests(): readonly ChartRequest[] {
    return this.log;
  }

  /**
   * Replaces what it serves: for each repository, a folder `<host><path>` with copies of its
   * packages and the index.yaml helm writes for them, checked to list every package's chart
   * and version under the repository's URL.
   */
  public publish(repositories: readonly ChartRepository[]): void {
    fs.rmSync(this.root, { recursive: true, force: true });
    fs.mkdirSync(this.root, { recursive: true });
    const helmHome = path.join(this.props.directory, 'helm-home');
    for (const repository of repositories) {
      const url = new URL(repository.url);
      const folder = path.join(this.root, url.hostname, ...url.pathname.split('/').filter(Boolean));
      fs.mkdirSync(folder, { recursive: true });
      for (const item of repository.packages) fs.copyFileSync(item.file, path.join(folder, `${item.chart}-${item.version}.tgz`));
      try {
        execFileSync(this.props.helm, ['repo', 'index', '--url', repository.url, folder], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { PATH: process.env.PATH, HOME: helmHome, HELM_CACHE_HOME: path.join(helmHome, 'cache'), HELM_CONFIG_HOME: path.join(helmHome, 'config'), HELM_DATA_HOME: path.join(helmHome, 'data') },
        });
      } catch (error) {
        const failure = error as { stderr?: Buffer; message: string };
        throw new Error(`${this.props.site} chart repository ${repository.url}: helm repo index ${folder} failed: ${failure.stderr?.toString().trim() || failure.message}`);
      }
      const index = yaml.load(fs.readFileSync(path.join(folder, 'index.yaml'), 'utf8')) as { entries?: Record<string, Array<{ version: string; urls: string[] }>> };
      for (const item of repository.packages) {
        const wantedUrl = `${repository.url}/${item.chart}-${item.version}.tgz`;
        const listed = (index.entries?.[item.chart] ?? []).find((entry) => entry.version === item.version);
        if (!listed || !listed.urls.includes(wantedUrl)) {
          const found = Object.entries(index.entries ?? {}).flatMap(([chart, entries]) => entries.map((entry) => `${chart} ${entry.version}`));
          throw new Error(`${item.releasedBy.join(', ')}: ${item.file} is not chart ${item.chart} version ${item.version} at ${wantedUrl} (helm repo index found: ${found.join(', ') || 'nothing'})`);
        }
      }
    }
  }

  private listen(): Promise<void> {
    const server = https.createServer({ key: fs.readFileSync(this.props.certificate.keyFile), cert: fs.readFileSync(this.props.certificate.certFile) }, (request, response) => {
      const host = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
      const requestPath = new URL(request.url ?? '/', 'https://repository.invalid').pathname;
      let status = 404;
      let file: string | undefined;
      if (request.method !== 'GET' && request.method !== 'HEAD') status = 405;
      else {
        const base = path.join(this.root, host);
        let decoded: string | undefined;
        try {
          decoded = decodeURIComponent(requestPath);
        } catch {
          // not a path this repository could serve
        }
        const candidate = path.join(base, ...(decoded ?? '').split('/').filter(Boolean));
        if (host && decoded !== undefined && candidate.startsWith(`${base}${path.sep}`) && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
          status = 200;
          file = candidate;
        }
      }
      this.log.push({ host, method: request.method ?? '', path: requestPath, status });
      if (!file) {
        response.writeHead(status, { 'content-type': 'text/plain' }).end(`${status === 405 ? 'method not allowed' : 'not found'}: ${request.method} ${host}${requestPath}\n`);
        return;
      }
      const body = fs.readFileSync(file);
      response.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-length': body.length });
      response.end(request.method === 'HEAD' ? undefined : body);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.props.port ?? 443, this.props.ip, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  /** Stops answering and closes every connection, as a lost site would. */
  public async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
