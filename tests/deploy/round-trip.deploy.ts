import { waitFor } from './kube-client';
import { DeployHarness, describeResult, progress } from './harness';
import { Discovery, describeObject, fieldDifferences, rolloutProblem } from './verify';
import type { SynthesizedStack } from './stacks';

/**
 * For each environment in LMS_ENVIRONMENTS (default dev), on two local sites: every stack
 * applies in dependency order, re-plans with no change, and leaves every rendered object
 * in its cluster with the rendered fields and every workload rolled out; then every stack
 * destroys in reverse order and the platform's namespaces are gone.
 */
const environments = (process.env.LMS_ENVIRONMENTS ?? 'dev')
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);

describe.each(environments)('%s: apply, re-plan, check, destroy on two local sites', (environment) => {
  let harness: DeployHarness;
  const started = Date.now();

  beforeAll(async () => {
    harness = await DeployHarness.start({ label: `round-trip-${environment}`, environment });
  }, 10 * 60 * 1000);

  afterAll(async () => {
    await harness?.stop();
    progress(`${environment}: round trip took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });

  const stacks = (): SynthesizedStack[] => harness.stacks;

  test('every stack applies in dependency order, re-plans with no change, and its objects are live as rendered', async () => {
    expect(stacks().length).toBeGreaterThan(0);
    for (const stack of stacks()) {
      const applied = await harness.apply(stack);
      if (applied.exitCode !== 0) throw new Error(describeResult(stack, applied));

      const replanned = await harness.plan(stack);
      if (replanned.exitCode !== 0) throw new Error(`re-plan after apply is not clean (exit 0 wanted: no changes)\n${describeResult(stack, replanned, 120)}`);

      const client = harness.site(stack.site).client;
      const discovery = new Discovery(client);
      const differences: string[] = [];
      for (const object of stack.objects) {
        const response = await client.request('GET', await discovery.pathOf(object));
        if (response.status !== 200) {
          differences.push(`${describeObject(object)}: HTTP ${response.status}`);
          continue;
        }
        differences.push(...fieldDifferences(object, response.body).map((line) => `${describeObject(object)}: ${line}`));
      }
      expect({ stack: stack.name, differences }).toEqual({ stack: stack.name, differences: [] });

      for (const object of stack.objects.filter((candidate) => ['Deployment', 'StatefulSet'].includes(candidate.kind))) {
        const path = await discovery.pathOf(object);
        await waitFor(`${stack.name}: ${describeObject(object)} rolled out`, 120000, async () => {
          const live = await client.get(path);
          const problem = rolloutProblem(live);
          if (problem) throw new Error(problem);
          return true;
        });
      }
    }
  });

  test('every stack destroys in reverse order and the platform namespaces are gone', async () => {
    for (const stack of [...stacks()].reverse()) {
      const destroyed = await harness.destroy(stack);
      if (destroyed.exitCode !== 0) throw new Error(describeResult(stack, destroyed));
    }
    for (const stack of stacks()) {
      const client = harness.site(stack.site).client;
      for (const namespace of stack.objects.filter((object) => object.kind === 'Namespace')) {
        await waitFor(`${stack.site}: namespace ${namespace.metadata.name} gone`, 120000, async () => {
          const response = await client.request('GET', `/api/v1/namespaces/${namespace.metadata.name}`);
          return response.status === 404 ? true : undefined;
        });
      }
    }
    // Nothing the platform applied is left in any site.
    for (const [site, controlPlane] of harness.sites) {
      const namespaces = await controlPlane.client.get<{ items: Array<{ metadata: { name: string } }> }>('/api/v1/namespaces');
      expect({ site, left: namespaces.items.map((ns) => ns.metadata.name).filter((name) => name.startsWith('lms-')) }).toEqual({ site, left: [] });
    }
  });
});
