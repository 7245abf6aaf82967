import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createAuthority } from '../deploy/pki';
import { ENVIRONMENTS, PROJECT_ROOT } from '../support/environments';
import { renderedInvocations } from '../support/job-invocations';

/**
 * The Kubernetes side and the object-store-jobs program are written apart; these tests hold
 * them to one contract: every command line, connection environment and configuration file
 * the platform renders for every site is one the program itself accepts (its own parsers,
 * run on the rendered values).
 */
const PACKAGE = path.join(PROJECT_ROOT, 'app-services/object-store-jobs');
const IMAGE = /\/lms\/object-store-jobs:/;

describe('object-store-jobs program and the rendered workloads agree', () => {
  const all = renderedInvocations(ENVIRONMENTS, IMAGE);

  test('every site runs the bucket reconcile (Job and CronJob) and one side of the heartbeat', () => {
    const owners = (site: string) => all.filter((invocation) => invocation.site === site).map((invocation) => invocation.owner.replace(/-[0-9a-f]{10}$/, '-<hash>')).sort();
    expect(owners('production-lusaka')).toEqual(['CronJob/object-store-buckets', 'Deployment/replication-heartbeat-writer', 'Job/object-store-buckets-<hash>']);
    expect(owners('production-kitwe')).toEqual(['CronJob/object-store-buckets', 'Deployment/replication-heartbeat-reader', 'Job/object-store-buckets-<hash>']);
  });

  test('the program parses every rendered command line, connection environment and configuration file', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-object-store-jobs-'));
    // The site CA the pods mount from the object store's CA Secret.
    const authority = createAuthority(path.join(directory, 'ca'));
    const cases = all.map((invocation, index) => {
      const folder = path.join(directory, String(index));
      fs.mkdirSync(folder);
      for (const [name, text] of Object.entries(invocation.files)) fs.writeFileSync(path.join(folder, name), text);
      // The pod's paths, mapped to where this test wrote the same files.
      const args = invocation.args.map((arg) => arg.replace(/^\/etc\/object-store\//, `${folder}/`));
      expect(invocation.env.S3_CA_FILE).toBe('/etc/object-store-ca/ca.crt');
      return { owner: `${invocation.site} ${invocation.owner}`, args, env: { ...invocation.env, S3_CA_FILE: authority.certFile } };
    });
    const script = `
      const { parseArguments } = require(${JSON.stringify(path.join(PACKAGE, 'src/cli/arguments.ts'))});
      const { loadReconcileConfig } = require(${JSON.stringify(path.join(PACKAGE, 'src/config/reconcile-config.ts'))});
      const { loadHeartbeatConfig } = require(${JSON.stringify(path.join(PACKAGE, 'src/config/heartbeat-config.ts'))});
      const { readConnectionSettings } = require(${JSON.stringify(path.join(PACKAGE, 'src/connection/connection-settings.ts'))});
      const results = [];
      for (const c of ${JSON.stringify(cases)}) {
        try {
          const command = parseArguments(c.args);
          const config = command.name === 'reconcile-buckets' ? loadReconcileConfig(command.config) : loadHeartbeatConfig(command.config, command.mode);
          const connection = readConnectionSettings(c.env);
          results.push({ owner: c.owner, command: command.name, buckets: (config.buckets || config.replicatedBuckets).length, endpoint: connection.endpoint });
        } catch (error) {
          results.push({ owner: c.owner, error: String(error && error.message || error) });
        }
      }
      process.stdout.write(JSON.stringify(results));
    `;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: PACKAGE, env: { PATH: process.env.PATH }, encoding: 'utf8' });
    fs.rmSync(directory, { recursive: true, force: true });
    expect(result.stderr).toBe('');
    const results = JSON.parse(result.stdout) as { owner: string; error?: string; endpoint?: string }[];
    expect(results.filter((entry) => entry.error !== undefined)).toEqual([]);
    expect(results).toHaveLength(all.length);
    expect(new Set(results.map((entry) => entry.endpoint))).toEqual(new Set(['https://minio.lms-data.svc.cluster.local:9000']));
  });
});
