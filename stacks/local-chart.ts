import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack } from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { Construct } from 'constructs';
import { dump } from 'js-yaml';
import type { LocalHelmChart } from '../constructs/platform-component';

/** Folder of a stack's output where its local charts are written: `charts/<name>/`. */
export const LOCAL_CHARTS_DIRECTORY = 'charts';

/**
 * The one template of a local chart: prints every file under `objects/` as it is (sorted by
 * name), so nothing in an object (a `{{` in a CRD description) is ever read as a template.
 */
const OBJECTS_TEMPLATE = '{{- range $path, $_ := .Files.Glob "objects/*.yaml" }}\n---\n{{ $.Files.Get $path }}\n{{- end }}\n';

/** `1.19.6+<first 12 hex of the objects' sha256>`: the version Chart.yaml states. */
export function localChartVersion(chart: LocalHelmChart): string {
  const digest = createHash('sha256');
  for (const object of chart.objects) digest.update(JSON.stringify(object)).update('\n');
  return `${chart.version}+${digest.digest('hex').slice(0, 12)}`;
}

/**
 * The files of a local chart by path inside its folder: `Chart.yaml`, the template, and one
 * `objects/NNN-<kind>-<name>.yaml` per object (numbered, so Helm keeps their order).
 */
export function localChartFiles(chart: LocalHelmChart): Record<string, string> {
  const files: Record<string, string> = {
    'Chart.yaml': dump({ apiVersion: 'v2', name: chart.name, version: localChartVersion(chart), description: chart.description, type: 'application' }, { lineWidth: -1 }),
    'templates/objects.yaml': OBJECTS_TEMPLATE,
  };
  const width = String(chart.objects.length).length;
  chart.objects.forEach((object, index) => {
    const name = `${object.kind}-${object.metadata.name}`.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
    files[`objects/${String(index + 1).padStart(Math.max(3, width), '0')}-${name}.yaml`] = dump(object, { noRefs: true, lineWidth: -1, quotingType: '"' });
  });
  return files;
}

/** Writes a chart's files into `directory` (created; existing files of the same names are replaced). */
export function writeLocalChart(directory: string, chart: LocalHelmChart): void {
  for (const [file, content] of Object.entries(localChartFiles(chart))) {
    const target = path.join(directory, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
}

/**
 * A local chart in a stack's output: written at synth time to
 * `cdktf.out/stacks/<stack>/charts/<name>/`, where `helm_release.chart` finds it by the
 * relative path `./charts/<name>` (terraform runs in the stack's folder).
 */
export class LocalChart extends Construct {
  /** The path `helm_release.chart` gives, relative to the stack's folder. */
  public readonly chartPath: string;

  constructor(scope: Construct, id: string, chart: LocalHelmChart) {
    super(scope, id);
    this.chartPath = `./${LOCAL_CHARTS_DIRECTORY}/${chart.name}`;
    const stack = TerraformStack.of(this);
    addCustomSynthesis(this, {
      onSynthesize: (session) => {
        const stackFile = session.manifest.forStack(stack).synthesizedStackPath;
        writeLocalChart(path.join(session.manifest.outdir, path.dirname(stackFile), LOCAL_CHARTS_DIRECTORY, chart.name), chart);
      },
    });
  }
}
