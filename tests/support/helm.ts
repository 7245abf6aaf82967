import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { isLocalChart, type HelmReleaseSpec, type KubeObject } from '../../constructs/platform-component';
import { renderValues } from '../../stacks/helm-releases';
import { writeLocalChart } from '../../stacks/local-chart';

/**
 * Where a pinned chart's package is expected in the chart folder: `<name>-<version>.tgz`; a
 * chart the toolkit writes itself is written into `scratch` (as the synth writes it).
 */
export function chartPackage(chartDir: string, release: HelmReleaseSpec, scratch?: string): string {
  if (isLocalChart(release.chart)) {
    if (scratch === undefined) throw new Error(`${release.namespace}/${release.name}: chart ${release.chart.name} is a local chart: give a folder to write it into`);
    const folder = path.join(scratch, release.chart.name);
    writeLocalChart(folder, release.chart);
    return folder;
  }
  const file = path.join(chartDir, `${release.chart.name}-${release.chart.version}.tgz`);
  if (!fs.existsSync(file)) {
    throw new Error(`${release.namespace}/${release.name}: chart ${release.chart.name} ${release.chart.version}: no ${file} (the chart folder must hold the pinned package)`);
  }
  return file;
}

export interface RenderOptions {
  /** Kubernetes version `helm template` renders for. @default '1.31.13' */
  readonly kubeVersion?: string;
  /** API versions the chart may assume exist (`--api-versions`), e.g. `monitoring.coreos.com/v1`. */
  readonly apiVersions?: readonly string[];
}

/**
 * Renders a release exactly as the deploy would install it, with the real `helm template`
 * over the pinned chart package and the values the stack synthesizes (the chart's
 * values.schema.json, where it has one, validates them). CRDs are skipped, as the release
 * skips them. Returns the rendered objects, without empty documents.
 */
export function helmTemplate(helm: string, chartDir: string, release: HelmReleaseSpec, options: RenderOptions = {}): KubeObject[] {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-helm-template-'));
  try {
    const valuesFile = path.join(directory, 'values.yaml');
    fs.writeFileSync(valuesFile, renderValues(release.values));
    const args = [
      'template',
      release.name,
      chartPackage(chartDir, release, directory),
      '--namespace',
      release.namespace,
      '--values',
      valuesFile,
      '--kube-version',
      options.kubeVersion ?? '1.31.13',
      '--skip-crds',
      ...(options.apiVersions ?? []).flatMap((version) => ['--api-versions', version]),
    ];
    const output = execFileSync(helm, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HELM_CACHE_HOME: path.join(directory, 'cache'), HELM_CONFIG_HOME: path.join(directory, 'config'), HELM_DATA_HOME: path.join(directory, 'data') } });
    return (loadAll(output) as unknown[]).filter((document): document is KubeObject => typeof document === 'object' && document !== null);
  } catch (error) {
    const failure = error as { stderr?: string; message: string };
    throw new Error(`helm template ${release.namespace}/${release.name} (${release.chart.name} ${release.chart.version}) failed: ${failure.stderr?.trim() || failure.message}`);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

/** Every container image an object's pod template (or pod) names, with where. */
export function imagesOf(objects: readonly KubeObject[]): { readonly object: string; readonly image: string }[] {
  const found: { object: string; image: string }[] = [];
  for (const object of objects) {
    const spec = podSpecOf(object);
    if (!spec) continue;
    for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      found.push({ object: `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`, image: container.image });
    }
  }
  return found;
}

interface PodSpecLike {
  readonly containers?: readonly { readonly image: string }[];
  readonly initContainers?: readonly { readonly image: string }[];
}

function podSpecOf(object: KubeObject): PodSpecLike | undefined {
  const spec = object.spec as { template?: { spec?: PodSpecLike }; jobTemplate?: { spec?: { template?: { spec?: PodSpecLike } } } } | undefined;
  if (object.kind === 'Pod') return object.spec as PodSpecLike;
  return spec?.template?.spec ?? spec?.jobTemplate?.spec?.template?.spec;
}
