import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { SQL_SERVER_METRICS } from '../../constructs/sql-server-log-shipping';
import { buildPlatform } from '../../stacks/platform';
import { logShippingOf } from '../../stacks/recovery-summary';
import { createAuthority } from '../deploy/pki';
import { ENVIRONMENTS, PROJECT_ROOT } from '../support/environments';
import { renderedInvocations } from '../support/job-invocations';

/**
 * The Kubernetes side and the sql-server-jobs program are written apart; these tests hold them
 * to one contract: every command line, connection environment and configuration file the
 * platform renders for every site is one the program itself accepts (its own parsers, run on
 * the rendered values), the synth's backup URL check agrees with the program's naming, and the
 * metrics the alert inputs name are the ones the exporter serves.
 */
const PACKAGE = path.join(PROJECT_ROOT, 'app-services/sql-server-jobs');
const IMAGE = /\/lms\/sql-server-jobs:/;
const built = buildPlatform(Testing.app(), ENVIRONMENTS);

describe('sql-server-jobs program and the rendered workloads agree', () => {
  const all = renderedInvocations(ENVIRONMENTS, IMAGE, built);

  test('the primary backs up, the standby restores, both run setup and the exporter', () => {
    const owners = (site: string) => all.filter((invocation) => invocation.site === site).map((invocation) => invocation.owner.replace(/-[0-9a-f]{10}$/, '-<hash>')).sort();
    expect(owners('production-lusaka')).toEqual([
      'CronJob/sql-server-backup-differential',
      'CronJob/sql-server-backup-full',
      'CronJob/sql-server-backup-log',
      'CronJob/sql-server-backup-tail-log',
      'CronJob/sql-server-setup',
      'Deployment/sql-server-log-shipping-metrics',
      'Job/sql-server-setup-<hash>',
    ]);
    expect(owners('production-kitwe')).toEqual([
      'CronJob/sql-server-recover',
      'CronJob/sql-server-reseed',
      'CronJob/sql-server-restore',
      'CronJob/sql-server-setup',
      'Deployment/sql-server-log-shipping-metrics',
      'Job/sql-server-setup-<hash>',
    ]);
  });

  test('the program parses every rendered command line, connection environment and configuration file', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-sql-server-jobs-'));
    // The site CA the pods mount, and a password file where the Vault agent writes one.
    const authority = createAuthority(path.join(directory, 'ca'));
    const passwordFile = path.join(directory, 'mssql-password');
    const credentialsFile = path.join(directory, 'object-store.env');
    fs.writeFileSync(passwordFile, 'not-a-real-password\n');
    fs.writeFileSync(credentialsFile, "AWS_ACCESS_KEY_ID='id'\nAWS_SECRET_ACCESS_KEY='secret'\n");
    const cases = all.map((invocation, index) => {
      const folder = path.join(directory, String(index));
      fs.mkdirSync(folder);
      for (const [name, text] of Object.entries(invocation.files)) fs.writeFileSync(path.join(folder, name), text);
      const args = invocation.args.map((arg) => arg.replace(/^\/etc\/sql-server-jobs\//, `${folder}/`));
      expect([invocation.env.MSSQL_CA_FILE, invocation.env.S3_CA_FILE, invocation.env.MSSQL_PASSWORD_FILE]).toEqual(['/etc/lms-ca/ca.crt', '/etc/lms-ca/ca.crt', '/vault/secrets/mssql-password']);
      const env = { ...invocation.env, MSSQL_CA_FILE: authority.certFile, S3_CA_FILE: authority.certFile, MSSQL_PASSWORD_FILE: passwordFile, S3_CREDENTIALS_FILE: credentialsFile };
      return { owner: `${invocation.site} ${invocation.owner}`, args, env };
    });
    const script = `
      const { parseArguments } = require(${JSON.stringify(path.join(PACKAGE, 'src/cli/arguments.ts'))});
      const { loadLogShippingConfig } = require(${JSON.stringify(path.join(PACKAGE, 'src/config/log-shipping-config.ts'))});
      const { readSqlSettings } = require(${JSON.stringify(path.join(PACKAGE, 'src/connection/sql-settings.ts'))});
      const { readConnectionSettings } = require(${JSON.stringify(path.join(PACKAGE, 'src/connection/s3-settings.ts'))});
      const { longestBackupUrl } = require(${JSON.stringify(path.join(PACKAGE, 'src/backup/backup-naming.ts'))});
      const results = [];
      for (const c of ${JSON.stringify(cases)}) {
        try {
          const command = parseArguments(c.args);
          const config = loadLogShippingConfig(command.config);
          const sql = readSqlSettings(c.env);
          const s3 = readConnectionSettings(c.env);
          results.push({ owner: c.owner, command: command.name, role: config.role, user: sql.user, endpoint: s3.endpoint, longest: longestBackupUrl(config).length });
        } catch (error) {
          results.push({ owner: c.owner, error: String((error && (error.lines || [error.message]).join('; ')) || error) });
        }
      }
      process.stdout.write(JSON.stringify(results));
    `;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: PACKAGE, env: { PATH: process.env.PATH }, encoding: 'utf8' });
    fs.rmSync(directory, { recursive: true, force: true });
    expect(result.stderr).toBe('');
    const results = JSON.parse(result.stdout) as { owner: string; error?: string; command?: string; user?: string; longest?: number }[];
    expect(results.filter((entry) => entry.error !== undefined)).toEqual([]);
    expect(results).toHaveLength(all.length);
    expect(new Set(results.map((entry) => `${entry.command} as ${entry.user}`))).toEqual(new Set(['setup as sa', 'backup as log_shipping', 'restore as log_shipping', 'exporter as log_shipping']));
    // The synth's URL check and the program's naming agree on the longest URL.
    for (const environment of ENVIRONMENTS) {
      const shipping = logShippingOf([built.get(`${environment.name}-lusaka`)!.data.stack])!;
      const programs = results.filter((entry) => entry.owner.startsWith(`${environment.name}-lusaka `));
      expect(new Set(programs.map((entry) => entry.longest))).toEqual(new Set([shipping.primaryJobs.longestBackupUrl.length]));
    }
  });

  test('the metrics the alert inputs name are the exporter\'s', () => {
    const source = fs.readFileSync(path.join(PACKAGE, 'src/exporter/sql-metrics.ts'), 'utf8');
    const served = [...source.matchAll(/name: '(lms_sql_[a-z_]+)'/g)].map((match) => match[1]).sort();
    expect(served).toEqual(Object.values(SQL_SERVER_METRICS).sort());
  });
});
