import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { Yaml } from 'cdk8s';
import { apiServerNormalForm } from '../constructs/api-server-normal-form';
import { PROJECT_ROOT, runEntry, selectedEnvironments } from './entry';
import { buildPlatform } from './platform';
import { SiteStack } from './site-stack';
import { synthesizeAtomically } from './synthesize';

/**
 * Entry point of `npm run render` and `npx cdk8s synth`: writes the plain Kubernetes
 * objects of every stack as `<outdir>/<stack>.k8s.yaml`, for reviewers and for
 * `kubectl diff -f`. Output folder from CDK8S_OUTDIR (default `dist/`); environment
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
      // The objects exactly as the stack applies them (API server normal form).
      const objects = stack.components.flatMap((component) => component.objects.map(apiServerNormalForm));
      if (objects.length === 0) continue;
      fs.writeFileSync(path.join(directory, `${stack.node.id}.k8s.yaml`), `---\n${Yaml.stringify(...objects)}`);
    }
  });
});
