import { execFile } from 'child_process';
import * as path from 'path';
import { promisify } from 'util';
import { drRunbook, parseDrArguments } from '../../stacks/dr-runbook';
import { ENVIRONMENTS, PROJECT_ROOT } from '../support/environments';

const NAMES = ENVIRONMENTS.map((environment) => environment.name);

describe('npm run dr: the runbook that promotes a site', () => {
  test('arguments in either order, with = or a space', () => {
    expect(parseDrArguments(['--env', 'production', '--promote', 'kitwe'], NAMES)).toEqual({ environmentName: 'production', promote: 'kitwe' });
    expect(parseDrArguments(['--promote=kitwe', '--env=staging'], NAMES)).toEqual({ environmentName: 'staging', promote: 'kitwe' });
  });

  test('bad arguments name what, the value and what is allowed', () => {
    const usage = '(allowed: npm run dr -- --env <environment> --promote <site>)';
    expect(() => parseDrArguments(['--env', 'production'], NAMES)).toThrow(`--promote: missing ${usage}`);
    expect(() => parseDrArguments(['--env', 'production', '--promote'], NAMES)).toThrow(`--promote: no value ${usage}`);
    expect(() => parseDrArguments(['--env', 'prod', '--promote', 'kitwe'], NAMES)).toThrow('--env: "prod" is not an environment (allowed: dev, staging, production)');
    expect(() => parseDrArguments(['--env', 'production', '--promote', 'ndola'], NAMES)).toThrow('--promote: "ndola" is not a site (allowed: lusaka, kitwe)');
    expect(() => parseDrArguments(['--env', 'production', '--force'], NAMES)).toThrow(`"--force" is not an argument of dr ${usage}`);
    expect(() => parseDrArguments(['--env', 'dev', '--env', 'production', '--promote', 'kitwe'], NAMES)).toThrow(`--env: given twice ${usage}`);
  });

  test('promoting the site that is already primary is refused', () => {
    expect(() => drRunbook(ENVIRONMENTS, { environmentName: 'production', promote: 'lusaka' })).toThrow(
      '--promote: "lusaka" is already the primary of production (environments/production.ts: sites.lusaka.role) (allowed: kitwe, the disaster-recovery site; to fail back after a failover, the environment file names the new primary and the old one is promoted)',
    );
  });

  test('the failover to Kitwe with the database steps in order, then the fail back', () => {
    const runbook = drRunbook(ENVIRONMENTS, { environmentName: 'production', promote: 'kitwe' });
    const failover = runbook.slice(runbook.indexOf('## Failover: Lusaka to Kitwe'), runbook.indexOf('## Fail back: Kitwe to Lusaka'));
    const headings = [...failover.matchAll(/^### (\d+\. .*)$/gm)].map((match) => match[1]);
    expect(headings.indexOf("2. If it still answers, take the tail of Lusaka's transaction log")).toBe(1);
    expect(headings).toContain('6. Restore the remaining log backups at Kitwe and bring `lms` online');
    expect(headings.findIndex((heading) => heading.includes('bring `lms` online'))).toBeLessThan(headings.findIndex((heading) => heading.includes('Promote Kitwe')));
    expect(failover).toContain('kitwe -n lms-data create job "$job" --from=cronjob/sql-server-recover');
    expect(failover).toContain('about 46 min, which the estimated recovery time of 157m already counts');
    expect(runbook).toContain("### 2. Reseed Lusaka's SQL Server from Kitwe's backups");
  });

  test('the command prints it, and exits 1 with the message on bad input', async () => {
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'stacks/dr.ts'), ...args], { cwd: PROJECT_ROOT, env: { ...process.env, LMS_ENVIRONMENTS: 'production' } }).then(
        (result) => ({ code: 0, ...result }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
      );
    const printed = await run(['--env', 'production', '--promote', 'kitwe']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/^# Failover runbook: production\n/);
    const refused = await run(['--env', 'production', '--promote', 'nowhere']);
    expect({ code: refused.code, stdout: refused.stdout, stderr: refused.stderr }).toEqual({
      code: 1,
      stdout: '',
      stderr: 'dr failed: --promote: "nowhere" is not a site (allowed: lusaka, kitwe)\n',
    });
  }, 60_000);
});
