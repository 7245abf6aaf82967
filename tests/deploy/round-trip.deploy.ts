import * as fs from 'fs';
import * as path from 'path';
import { PROJECT_ROOT } from '../support/tools';
import { indexPath, packagePath } from './chart-repository';
import { SIMULATED_SITE_DISABLED_ADMISSION_PLUGINS } from './control-plane';
import { waitFor } from './kube-client';
import { DeployHarness, describeResult, progress } from './harness';
import { Discovery, ROLLOUT_KINDS, decodeReleaseSecret, describeObject, fieldDifferences, keptOnUninstall, releaseObjects, releaseProblems, releaseSecrets, rolloutProblem } from './verify';
import { stacksBySite, type SynthesizedRelease, type SynthesizedStack } from './stacks';

/**
 * For each environment in LMS_ENVIRONMENTS (default dev), on two local sites: every stack
 * applies in dependency order, re-plans with no change, and leaves every rendered object
 * in its cluster with the rendered fields, every workload rolled out and every Helm release
 * deployed from its site's own chart repository; then every stack destroys in reverse order,
 * the releases and their objects are gone and so are the platform's namespaces.
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
  /** Each installed release with the REST paths of the objects its uninstall must remove. */
  const installed: Array<{ readonly where: string; readonly site: string; readonly release: SynthesizedRelease; readonly paths: readonly string[] }> = [];

  test('the simulated API servers run without webhook admission, and the README says why', async () => {
    const flag = `--disable-admission-plugins=${SIMULATED_SITE_DISABLED_ADMISSION_PLUGINS.join(',')}`;
    expect(flag).toBe('--disable-admission-plugins=ValidatingAdmissionWebhook,MutatingAdmissionWebhook');
    for (const [site, controlPlane] of harness.sites) {
      expect({ site, flags: controlPlane.commandLine('kube-apiserver').filter((arg) => arg.startsWith('--disable-admission-plugins') || arg.startsWith('--enable-admission-plugins')) }).toEqual({ site, flags: [flag] });
    }
    // A webhook with failurePolicy Fail and nothing behind it does not stop a write here.
    const client = harness.site('lusaka').client;
    const probe = 'webhook-admission-probe';
    await client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: probe, labels: { [probe]: 'true' } } });
    await client.create('/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: probe },
      webhooks: [
        {
          name: 'probe.lms.co.zm',
          failurePolicy: 'Fail',
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
          namespaceSelector: { matchLabels: { [probe]: 'true' } },
          rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }],
          clientConfig: { service: { namespace: probe, name: 'nothing-serves-this', path: '/validate' } },
        },
      ],
    });
    const written = await client.request('POST', `/api/v1/namespaces/${probe}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe' } });
    await client.request('DELETE', `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${probe}`);
    await client.request('DELETE', `/api/v1/namespaces/${probe}`);
    expect(written.status).toBe(201);

    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Testing against a real control plane'));
    expect(section.slice(0, section.indexOf('\n## ', 1))).toContain(`\`${flag}\``);
  });

  test('every stack applies in dependency order, re-plans with no change, and its objects and releases are live as rendered', async () => {
    expect(stacks().length).toBeGreaterThan(0);
    // The two sites are independent: each applies its own stacks, in order, at the same time.
    await harness.initAll();
    await Promise.all(
      stacksBySite(stacks()).map(async (siteStacks) => {
        for (const stack of siteStacks) {
          const chartRequestsBefore = harness.chartServer(stack.site).requests.length;
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

          // A vault-config stack: every policy is in the site's Vault as synthesized.
          if (stack.access.kind === 'vault') {
            const vault = harness.vaults.get(stack.site)!;
            const live = await Promise.all(stack.vaultPolicies.map(async (policy) => ({ name: policy.name, policy: (await vault.api('GET', `sys/policy/${policy.name}`)).json?.data?.rules })));
            expect({ stack: stack.name, policies: live }).toEqual({ stack: stack.name, policies: stack.vaultPolicies });
            const roles = await vault.api('LIST', 'auth/kubernetes/role');
            expect({ stack: stack.name, roles: roles.json?.data?.keys?.sort() }).toEqual({ stack: stack.name, roles: stack.vaultRoles });
            progress(`${stack.name}: ${stack.vaultPolicies.length} policies and ${stack.vaultRoles.length} Kubernetes-auth roles live in ${vault.url}`);
          }

          for (const object of stack.objects.filter((candidate) => ROLLOUT_KINDS.has(candidate.kind))) {
            const path = await discovery.pathOf(object);
            await waitFor(`${stack.name}: ${describeObject(object)} rolled out`, 120000, async () => {
              const live = await client.get(path);
              const problem = rolloutProblem(live);
              if (problem) throw new Error(problem);
              return true;
            });
          }

          for (const release of stack.releases) {
            const where = `${stack.name} helm_release ${release.name}`;
            const newest = (await releaseSecrets(client, release)).at(-1);
            if (!newest) throw new Error(`${where}: no Helm release Secret (labels owner=helm, name=${release.name}) in namespace ${release.namespace}`);
            const stored = decodeReleaseSecret(newest);
            expect({ release: where, problems: releaseProblems(release, newest, stored) }).toEqual({ release: where, problems: [] });
            const objects = releaseObjects(stored);
            expect({ release: where, empty: objects.length === 0 }).toEqual({ release: where, empty: false });
            const paths: string[] = [];
            for (const object of objects) {
              const objectPath = await discovery.pathOf(object, release.namespace);
              if (!keptOnUninstall(object)) paths.push(objectPath);
              if (!ROLLOUT_KINDS.has(object.kind)) continue;
              await waitFor(`${where}: ${describeObject(object)} rolled out`, 120000, async () => {
                const problem = rolloutProblem(await client.get(objectPath));
                if (problem) throw new Error(problem);
                return true;
              });
            }
            installed.push({ where, site: stack.site, release, paths });
            progress(`${where}: ${stored.chart.metadata.name} ${stored.chart.metadata.version} revision ${stored.version} deployed, ${objects.length} objects, ${objects.filter((object) => ROLLOUT_KINDS.has(object.kind)).length} workloads rolled out`);
            // A chart the stack carries was installed from its folder (name and version checked above).
            if (release.repository === undefined) continue;
            // The chart came from the site's own repository during this stack's apply and re-plan.
            const host = new URL(release.repository).hostname;
            expect({ release: where, requests: harness.chartServer(stack.site).requests.slice(chartRequestsBefore) }).toEqual({
              release: where,
              requests: expect.arrayContaining([
                { host, method: 'GET', path: indexPath(release), status: 200 },
                { host, method: 'GET', path: packagePath(release), status: 200 },
              ]),
            });
          }
        }
      }),
    );
  });

  test('every stack destroys in reverse order and the platform namespaces are gone', async () => {
    await Promise.all(
      stacksBySite(stacks()).map(async (siteStacks) => {
        for (const stack of [...siteStacks].reverse()) {
          const destroyed = await harness.destroy(stack);
          if (destroyed.exitCode !== 0) throw new Error(describeResult(stack, destroyed));
          if (stack.access.kind === 'vault') {
            const policies = (await harness.vaults.get(stack.site)!.api('LIST', 'sys/policy')).json?.data?.keys;
            expect({ stack: stack.name, policies }).toEqual({ stack: stack.name, policies: ['default', 'root'] });
          }
        }
      }),
    );
    for (const stack of stacks()) {
      const client = harness.site(stack.site).client;
      for (const namespace of stack.objects.filter((object) => object.kind === 'Namespace')) {
        await waitFor(`${stack.site}: namespace ${namespace.metadata.name} gone`, 120000, async () => {
          const response = await client.request('GET', `/api/v1/namespaces/${namespace.metadata.name}`);
          return response.status === 404 ? true : undefined;
        });
      }
    }
    // Every release is uninstalled, with every object it rendered (but those Helm keeps).
    for (const { where, site, release, paths } of installed) {
      const client = harness.site(site).client;
      await waitFor(`${where}: release Secrets gone`, 120000, async () => ((await releaseSecrets(client, release)).length === 0 ? true : undefined));
      for (const objectPath of paths) {
        await waitFor(`${where}: ${objectPath} gone`, 120000, async () => ((await client.request('GET', objectPath)).status === 404 ? true : undefined));
      }
    }
    // Nothing the platform applied is left in any site.
    for (const [site, controlPlane] of harness.sites) {
      const namespaces = await controlPlane.client.get<{ items: Array<{ metadata: { name: string } }> }>('/api/v1/namespaces');
      expect({ site, left: namespaces.items.map((ns) => ns.metadata.name).filter((name) => name.startsWith('lms-')) }).toEqual({ site, left: [] });
    }
  });
});
