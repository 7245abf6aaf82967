import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { Document, visit } from 'yaml';
import { apiServerNormalForm } from '../constructs/api-server-normal-form';
import { PROJECT_ROOT, runEntry, selectedEnvironments } from './entry';
import { buildPlatform } from './platform';
import { SiteStack } from './site-stack';
import { synthesizeAtomically } from './synthesize';
import { renderValues } from './helm-releases';
import { isLocalChart, type HelmReleaseSpec } from '../constructs/platform-component';
import { LOCAL_CHARTS_DIRECTORY, localChartVersion } from './local-chart';

/**
 * Entry point of `npm run render` and `npx cdk8s synth`: writes the plain Kubernetes
 * objects of every stack as `<outdir>/<stack>.k8s.yaml`, for reviewers and for
 * `kubectl diff -f`, and its Helm releases (chart, version, repository, values) as
 * `<outdir>/<stack>.helm-releases.yaml`. Output folder from CDK8S_OUTDIR (default `dist/`); environment
 * selection as in ./entry.ts.
 */
runEntry('render', () => {
  const outdir = process.env.CDK8S_OUTDIR ?? path.join(PROJECT_ROOT, 'dist');
  const environments = selectedEnvironments();

  // cdktf's App creates its outdir when constructed; nothing is synthesized into it here.
  const unused = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-render-'));
  const app = new App({ outdir: unused, stackTraces: false });
  buildPlatform(app, environments);
  fs.rmSync(unused, { recursive: true, force: true });
  synthesizeAtomically(outdir, (directory) => {
    fs.mkdirSync(directory, { recursive: true });
    for (const stack of app.node.children.filter((child): child is SiteStack => child instanceof SiteStack)) {
      // The objects exactly as the stack applies them (API server normal form), then those of
      // the charts the stack carries itself (its CRDs), as Helm applies them.
      const objects = [
        ...stack.components.flatMap((component) => component.objects.map(apiServerNormalForm)),
        ...stack.components.flatMap((component) => component.helmReleases.flatMap((release) => (isLocalChart(release.chart) ? release.chart.objects : []))),
      ];
      if (objects.length > 0) fs.writeFileSync(path.join(directory, `${stack.node.id}.k8s.yaml`), `---\n${stringifyObjects(objects)}`);
      // The Helm releases as the stack installs them: chart, version, repository and values.
      const releases = stack.components.flatMap((component) => component.helmReleases);
      if (releases.length > 0) fs.writeFileSync(path.join(directory, `${stack.node.id}.helm-releases.yaml`), renderReleases(releases));
    }
  });
});

/**
 * One YAML document per object, as cdk8s writes them (YAML 1.1 scalars, no line folding), but
 * with a lone `=` quoted: YAML 1.1 reads a plain `=` as its "value" type, not a string, and
 * readers that follow 1.1 (PyYAML, and so checkov) fail on the whole file. Upstream
 * prometheus-operator CRDs hold `=` as an enum value (AlertmanagerConfig's matchers).
 */
export function stringifyObjects(objects: readonly unknown[]): string {
  return objects
    .map((object) => {
      const document = new Document(object, { version: '1.1', keepUndefined: true });
      visit(document, {
        Scalar(_key, node) {
          if (node.value === '=') node.type = 'QUOTE_DOUBLE';
        },
      });
      return document.toString({ lineWidth: 0 });
    })
    .join('---\n');
}

/**
 * One YAML document per release, values exactly as the stack installs them. A chart the
 * stack carries itself is named by its path in the stack's folder, without a repository
 * (its objects are in the stack's `.k8s.yaml`).
 */
function renderReleases(releases: readonly HelmReleaseSpec[]): string {
  return releases
    .map((release) =>
      renderValues({
        release: release.name,
        namespace: release.namespace,
        ...(isLocalChart(release.chart)
          ? { chart: `./${LOCAL_CHARTS_DIRECTORY}/${release.chart.name}`, version: localChartVersion(release.chart) }
          : { chart: release.chart.name, version: release.chart.version, repository: release.chart.repository }),
        values: release.values,
      }),
    )
    .map((document) => `---\n${document}`)
    .join('');
}
