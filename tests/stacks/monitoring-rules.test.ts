import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import type { MonitoringRules } from '../../constructs/monitoring-rules';
import { buildPlatform } from '../../stacks/platform';
import { MONITORING_RULES_ID, alertTable } from '../../stacks/monitoring-rules';
import { PROJECT_ROOT, environmentNamed } from '../support/environments';

const sites = buildPlatform(Testing.app(), [environmentNamed('production')]);
const rules = (site: string) => sites.get(site)!.apps.stack.node.findChild(MONITORING_RULES_ID) as MonitoringRules;

describe('each site\'s rules, built in the cross-site pass', () => {
  test('the primary alerts on backups, the disaster-recovery site on restores; both on certificates and Vault', () => {
    const names = (site: string) => rules(site).alerts.map((alert) => alert.name);
    expect(names('production-lusaka')).toContain('SqlServerLogBackupStale');
    expect(names('production-lusaka')).not.toContain('SqlServerStandbyBehindRecoveryPoint');
    expect(names('production-kitwe')).toContain('SqlServerStandbyBehindRecoveryPoint');
    expect(names('production-kitwe')).not.toContain('SqlServerLogBackupStale');
    for (const site of ['production-lusaka', 'production-kitwe']) {
      expect(names(site)).toEqual(expect.arrayContaining(['VaultSealed', 'CertificateExpiring', 'LoanServiceErrorBudgetBurnFast']));
      expect(rules(site).objects.map((object) => `${object.kind}/${object.metadata.namespace}/${object.metadata.name}`)).toEqual([
        'PrometheusRule/lms-observability/platform',
        'PrometheusRule/lms-observability/loan-service-slo',
      ]);
    }
  });

  test('README "Monitoring" lists exactly the alerts the typed objects define', () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const table = alertTable(rules('production-lusaka'), rules('production-kitwe'));
    expect(readme.includes(`${table}\n`) ? 'README is in step' : `README "Monitoring" differs from the alerts; put this table there:\n${table}`).toBe('README is in step');
  });
});
