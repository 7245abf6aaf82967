import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { loadEnvironments } from '../../environments/load';
import { PROJECT_ROOT } from '../support/tools';
import { CHART_REPOSITORY_ADDRESSES, DeployHarness, describeResult, progress } from './harness';
import { waitFor } from './kube-client';
import { stacksBySite } from './stacks';

/**
 * Site-loss drill on production itself (its real host names resolve to the local sites):
 * both sites applied; Lusaka's control plane and state server stop; Kitwe's stacks still
 * plan and apply on their own (each site keeps its own state); then Kitwe is promoted (the
 * roles swapped in a copy of environments/) and applied alone: SQL Server log shipping
 * reverses (Kitwe's restore jobs go, its backup jobs come) and the loan-service scales to the
 * primary replica count there. SQL Server itself cannot run on a simulated node: the drill
 * covers its objects and the jobs' schedules, not a restore.
 */
const ENVIRONMENT = 'production';
const LOST = 'lusaka';
const SURVIVOR = 'kitwe';

/** A copy of environments/ with the roles of the two sites swapped in `<environment>.ts`. */
function environmentsWithRolesSwapped(directory: string): string {
  const copy = path.join(directory, 'environments-failover');
  fs.cpSync(path.join(PROJECT_ROOT, 'environments'), copy, { recursive: true });
  const file = path.join(copy, `${ENVIRONMENT}.ts`);
  const source = fs.readFileSync(file, 'utf8');
  const roles = source.match(/role: '(primary|disaster-recovery)'/g) ?? [];
  if (roles.length !== 2) throw new Error(`${file}: expected exactly two "role: '...'" entries to swap, found ${roles.length}`);
  fs.writeFileSync(file, source.replace(/role: '(primary|disaster-recovery)'/g, (_match, role: string) => `role: '${role === 'primary' ? 'disaster-recovery' : 'primary'}'`));
  return copy;
}

describe(`${ENVIRONMENT}: losing ${LOST}, ${SURVIVOR} carries on alone and takes over`, () => {
  let harness: DeployHarness;
  const started = Date.now();

  beforeAll(async () => {
    harness = await DeployHarness.start({ label: 'site-loss', environment: ENVIRONMENT });
  }, 10 * 60 * 1000);

  afterAll(async () => {
    await harness?.stop();
    progress(`site-loss drill took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });

  const survivorStacks = () => harness.stacks.filter((stack) => stack.site === SURVIVOR);

  test('both sites apply', async () => {
    // Independent sites apply at the same time, each its own stacks in order.
    await harness.initAll();
    await Promise.all(
      stacksBySite(harness.stacks).map(async (siteStacks) => {
        for (const stack of siteStacks) {
          const applied = await harness.apply(stack);
          if (applied.exitCode !== 0) throw new Error(describeResult(stack, applied));
        }
      }),
    );
    expect(new Set(harness.stacks.map((stack) => stack.site))).toEqual(new Set([LOST, SURVIVOR]));
  });

  test(`${LOST} is lost: its API server, state server and chart repository stop answering`, async () => {
    await harness.loseSite(LOST);
    await expect(harness.site(LOST).client.request('GET', '/readyz')).rejects.toThrow(/ECONNREFUSED/);
    const connect = (host: string) =>
      new Promise<string>((resolve) => {
        const socket = net.connect({ host, port: 443 }, () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      });
    expect({ [LOST]: await connect(CHART_REPOSITORY_ADDRESSES[LOST]), [SURVIVOR]: await connect(CHART_REPOSITORY_ADDRESSES[SURVIVOR]) }).toEqual({ [LOST]: 'ECONNREFUSED', [SURVIVOR]: 'connected' });
  });

  test(`${SURVIVOR}'s stacks plan with no change and apply without ${LOST}`, async () => {
    expect(survivorStacks().length).toBeGreaterThan(0);
    for (const stack of survivorStacks()) {
      const planned = await harness.plan(stack);
      if (planned.exitCode !== 0) throw new Error(`plan without ${LOST} (exit 0 wanted)\n${describeResult(stack, planned)}`);
      const applied = await harness.apply(stack);
      if (applied.exitCode !== 0) throw new Error(describeResult(stack, applied));
    }
  });

  /** The SQL Server CronJobs the survivor's API server holds, by name. */
  const sqlServerCronJobs = async () => {
    const list = await harness.site(SURVIVOR).client.get('/apis/batch/v1/namespaces/lms-data/cronjobs');
    return (list.items as { metadata: { name: string } }[]).map((item) => item.metadata.name).filter((name) => name.startsWith('sql-server-')).sort();
  };

  test(`${SURVIVOR} restores ${LOST}'s log backups while disaster-recovery site: its SQL Server, restore jobs and metrics`, async () => {
    expect(await sqlServerCronJobs()).toEqual(['sql-server-recover', 'sql-server-reseed', 'sql-server-restore', 'sql-server-setup']);
    const client = harness.site(SURVIVOR).client;
    const statefulSet = await client.get('/apis/apps/v1/namespaces/lms-data/statefulsets/sql-server');
    expect(statefulSet.spec.template.spec.containers[0].env.find((entry: { name: string }) => entry.name === 'MSSQL_PID').value).toBe('Enterprise');
    const recover = await client.get('/apis/batch/v1/namespaces/lms-data/cronjobs/sql-server-recover');
    expect(recover.spec.suspend).toBe(true);
    await client.get('/apis/apps/v1/namespaces/lms-data/deployments/sql-server-log-shipping-metrics');
  });

  test(`${SURVIVOR} promoted to primary: its stacks apply alone and the loan-service scales to the primary replica count`, async () => {
    const swapped = environmentsWithRolesSwapped(harness.directory);
    const [promoted] = loadEnvironments(swapped, { only: [ENVIRONMENT] });
    expect(promoted.sites[SURVIVOR].role).toBe('primary');
    const primaryReplicas = promoted.sites[SURVIVOR].workloads.loanService.replicas;
    expect(primaryReplicas).toBeGreaterThan(promoted.sites[SURVIVOR].workloads.loanService.standbyReplicas);

    harness.resynthesize(swapped);
    for (const stack of survivorStacks()) {
      const applied = await harness.apply(stack);
      if (applied.exitCode !== 0) throw new Error(describeResult(stack, applied));
    }
    // Log shipping reversed: Kitwe now backs up (its restore jobs are gone) and runs the primary's setup.
    expect(await sqlServerCronJobs()).toEqual(['sql-server-backup-differential', 'sql-server-backup-full', 'sql-server-backup-log', 'sql-server-backup-tail-log', 'sql-server-setup']);
    const loanService = survivorStacks()
      .flatMap((stack) => stack.objects)
      .find((object) => object.kind === 'Deployment' && object.metadata.name === 'loan-service');
    if (!loanService) throw new Error(`no loan-service Deployment in ${SURVIVOR}'s stacks`);
    const client = harness.site(SURVIVOR).client;
    const ready = await waitFor(`${SURVIVOR}: loan-service at ${primaryReplicas} ready replicas`, 180000, async () => {
      const deployment = await client.get(`/apis/apps/v1/namespaces/${loanService.metadata.namespace}/deployments/loan-service`);
      return deployment.status?.readyReplicas === primaryReplicas && deployment.spec?.replicas === primaryReplicas ? deployment.status.readyReplicas : undefined;
    });
    expect(ready).toBe(primaryReplicas);
  });
});
