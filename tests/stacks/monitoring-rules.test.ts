import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import type { MonitoringRules } from '../../constructs/monitoring-rules';
import { buildPlatform } from '../../stacks/platform';
import { MONITORING_RULES_ID, alertTable } from '../../stacks/monitoring-rules';
import { SITE_PROBE_ID } from '../../stacks/cross-site';
import { platformAlertRouting } from '../../stacks/layers/observability';
import { PEER_SITE_LOSS_SYMPTOMS } from '../../constructs/platform-alerts';
import type { SiteProbe } from '../../constructs/site-probe';
import { PROJECT_ROOT, environmentNamed } from '../support/environments';

const sites = buildPlatform(Testing.app(), [environmentNamed('production')]);
const rules = (site: string) => sites.get(site)!.observability.stack.node.findChild(MONITORING_RULES_ID) as MonitoringRules;

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
        'PrometheusRule/lms-observability/logging',
        'PrometheusRule/lms-observability/loan-service-slo',
      ]);
    }
  });

  test('SiteDown at each site is about the other site, labelled so the inhibition holds back the symptoms the other site\'s loss sets off there', () => {
    const inhibition = platformAlertRouting().config.inhibit_rules[0];
    for (const [site, siteName, peer] of [
      ['production-lusaka', 'lusaka', 'kitwe'],
      ['production-kitwe', 'kitwe', 'lusaka'],
    ] as const) {
      const probe = sites.get(site)!.observability.stack.node.findChild(SITE_PROBE_ID) as SiteProbe;
      const siteDown = rules(site).alerts.find((alert) => alert.name === 'SiteDown')!;
      expect([site, siteDown.labels, probe.targetLabels, siteDown.expr]).toEqual([
        site,
        { severity: 'page', site: siteName },
        { peer_site: peer, site: siteName },
        `max by (job, peer_site) (up{job="peer-site-${peer}",peer_site="${peer}"}) == 0\nor\nabsent(up{job="peer-site-${peer}",peer_site="${peer}"})`,
      ]);
      // The symptoms this site evaluates carry the same value of every label the inhibition requires equal.
      const symptoms = rules(site).alerts.filter((alert) => PEER_SITE_LOSS_SYMPTOMS.includes(alert.name));
      expect(symptoms.length).toBeGreaterThan(0);
      for (const symptom of symptoms) {
        expect([symptom.name, ...inhibition.equal.map((label) => symptom.labels[label])]).toEqual([symptom.name, ...inhibition.equal.map((label) => siteDown.labels[label])]);
      }
    }
    expect(inhibition.equal).toEqual(['site']);
    const built = new Set([...rules('production-lusaka').alerts, ...rules('production-kitwe').alerts].map((alert) => alert.name));
    expect(PEER_SITE_LOSS_SYMPTOMS.filter((name) => !built.has(name))).toEqual([]);
  });

  test('README "Monitoring" lists exactly the alerts the typed objects define', () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const table = alertTable(rules('production-lusaka'), rules('production-kitwe'));
    expect(readme.includes(`${table}\n`) ? 'README is in step' : `README "Monitoring" differs from the alerts; put this table there:\n${table}`).toBe('README is in step');
  });
});
